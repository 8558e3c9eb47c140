"""Visit summary: a plain-language page for the patient, or the full record for the chart."""

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from reportlab.platypus import Paragraph

from desktop.documents import visit_chart
from desktop.documents.data import DocumentAssets, VisitSummaryData
from desktop.documents.dose_wording import capsules_for_patient, plain
from desktop.documents.markup import escape_markup
from desktop.documents.page import (
    PageDecorator,
    PageFrame,
    PdfMetadata,
    Section,
    SectionLabel,
    data_table,
    format_date,
    render,
    text,
)
from desktop.documents.styles import PdfStyles, prepare_styles
from desktop.documents.visit_reminders import (
    CALL_US_IF,
    CALL_US_IF_CAN_GET_PREGNANT,
    reminders_given,
)

Step = Callable[[VisitSummaryData, PdfStyles], list[Any]]


class Audience(StrEnum):
    PATIENT = "patient"
    CHART = "chart"


TITLES = {Audience.PATIENT: "Your visit summary", Audience.CHART: "Visit record (chart copy)"}


def build_visit_summary(
    data: VisitSummaryData, assets: DocumentAssets, *, audience: Audience
) -> bytes:
    """The patient's copy says what to do and when; the chart copy holds everything recorded."""
    styles = prepare_styles(assets)
    frame = PageFrame(data.clinic, data.patient, TITLES[audience], data.printed_on)
    decorator = PageDecorator(frame, styles)
    steps = PATIENT_STEPS if audience is Audience.PATIENT else visit_chart.STEPS
    story: list[Any] = [SectionLabel(decorator, f"visit {format_date(data.visit_on)}")]
    for step in steps:
        story.append(Section(step(data, styles)))
    metadata = PdfMetadata(
        title=TITLES[audience],
        subject=f"Isotretinoin visit summary for the {audience.value}",
        keywords=("IsoTrack", "isotretinoin", "visit summary", audience.value),
        author=data.clinic.name,
    )
    return render(story, styles=styles, decorator=decorator, frame=frame, metadata=metadata)


def _heading(data: VisitSummaryData, styles: PdfStyles) -> list[Any]:
    phone = f" Questions? Call {data.clinic.phone}." if data.clinic.phone else ""
    return [
        text(f"Your visit on {format_date(data.visit_on)}", styles["title"]),
        text(f"Keep this page with your medicine.{phone}", styles["subtitle"]),
    ]


def _todays_dose(data: VisitSummaryData, styles: PdfStyles) -> list[Any]:
    regimen = data.regimen
    rows = [
        ("Morning", regimen.morning.mg, capsules_for_patient(regimen.morning)),
        ("Evening", regimen.evening.mg, capsules_for_patient(regimen.evening)),
    ]
    cells = [
        [text(when, styles["callout"]), text(f"{plain(mg)} mg: {capsules}", styles["callout"])]
        for when, mg, capsules in rows
    ]
    food = (
        "Take each dose with a meal: the capsules work much less well on an empty stomach."
        if data.needs_food
        else "You can take this medicine with or without food."
    )
    return [
        Paragraph("Your dose", styles["heading"]),
        text(f"Medicine: {data.product_name}", styles["body"]),
        data_table(cells, (80, styles.page.frame_width - 80), styles, header_rows=0),
        text(
            f"{food} Swallow each capsule whole with a full glass of water. If you miss a "
            "dose, skip it: never take two doses to make up for it.",
            styles["body"],
        ),
    ]


def _progress(data: VisitSummaryData, styles: PdfStyles) -> list[Any]:
    progress = data.progress
    sentence = (
        f"So far you have taken {plain(progress.cumulative_mg)} mg in total: "
        f"{plain(progress.cumulative_mg_per_kg)} mg for each kg of your body weight."
    )
    target = progress.target_mg_per_kg
    if target is None:
        sentence += " Your prescriber will decide when to stop as your skin clears."
    elif progress.cumulative_mg_per_kg >= target:
        sentence += f" You have reached your prescriber's goal of {plain(target)} mg per kg."
    else:
        sentence += f" Your prescriber's goal is {plain(target)} mg per kg."
        if progress.projected_last_dose_on:
            sentence += (
                " At this dose you should reach it around "
                f"{format_date(progress.projected_last_dose_on)}."
            )
    return [Paragraph("Your progress", styles["heading"]), text(sentence, styles["body"])]


def _key_dates(data: VisitSummaryData, styles: PdfStyles) -> list[Any]:
    rows: list[tuple[str, str]] = []
    if data.next_visit_on:
        rows.append(("Next visit", format_date(data.next_visit_on)))
    if data.pregnancy and data.pregnancy.next_test_on:
        rows.append(("Next pregnancy test", format_date(data.pregnancy.next_test_on)))
    if data.fill_window:
        window = data.fill_window
        rows.append(
            (
                "Pick up your prescription",
                f"from {format_date(window.opens_on)} to {format_date(window.closes_on)} "
                "(it cannot be filled after that)",
            )
        )
    rows += [
        (
            f"Blood test: {lab.name}",
            f"by {format_date(lab.due_on)}" + (f" ({lab.note})" if lab.note else ""),
        )
        for lab in data.labs_due
    ]
    if not rows:
        return []
    cells = [[text(what, styles["label"]), text(when, styles["cell"])] for what, when in rows]
    grid = [("LINEBELOW", (0, 0), (-1, -1), 0.3, styles.colors["grid"])]
    width = styles.page.frame_width
    return [
        Paragraph("Important dates", styles["heading"]),
        data_table(cells, (170, width - 170), styles, header_rows=0, extra=grid),
    ]


def _reminders(data: VisitSummaryData, styles: PdfStyles) -> list[Any]:
    return [Paragraph("Remember", styles["heading"]), *_bullets(reminders_given(data), styles)]


def _when_to_call(data: VisitSummaryData, styles: PdfStyles) -> list[Any]:
    """With the clinic's number when the letterhead has one; without it, the patient gets a
    line to write the number on rather than a "call us" that points at nothing."""
    reasons = list(CALL_US_IF)
    if data.pregnancy is not None:
        reasons.append(CALL_US_IF_CAN_GET_PREGNANT)
    phone = data.clinic.phone
    heading = (
        f"Stop taking isotretinoin and call us right away at {phone} if"
        if phone
        else "Stop taking isotretinoin and call your prescriber or the clinic right away if"
    )
    write_in = [] if phone else ["Write the clinic's phone number here: ______________________"]
    return [
        text(heading, styles["heading"]),
        *_bullets(reasons, styles),
        *(text(line, styles["body"]) for line in write_in),
        text(
            "If you cannot reach anyone and feel very unwell, go to the nearest emergency "
            "department.",
            styles["body"],
        ),
    ]


def _bullets(items: list[str], styles: PdfStyles) -> list[Any]:
    return [Paragraph(f"•&nbsp;{escape_markup(item)}", styles["bullet"]) for item in items]


PATIENT_STEPS: tuple[Step, ...] = (
    _heading, _todays_dose, _progress, _key_dates, _when_to_call, _reminders,
)  # fmt: skip
