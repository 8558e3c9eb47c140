"""The chart copy of a visit: everything recorded, flags first, dose by month, signatures."""

from collections.abc import Callable
from typing import Any

from reportlab.platypus import Paragraph, Spacer

from desktop.documents.data import VisitSummaryData
from desktop.documents.dose_wording import capsules_for_chart, plain, quantity, signed_time
from desktop.documents.markup import escape_markup
from desktop.documents.page import MONTHS, data_table, format_date, text
from desktop.documents.styles import PdfStyles
from desktop.documents.visit_reminders import reminders_given
from desktop.rules.contraception import ContraceptionPeriod, describe_period

Step = Callable[[VisitSummaryData, PdfStyles], list[Any]]


def heading(data: VisitSummaryData, styles: PdfStyles) -> list[Any]:
    prescriber = f" · prescriber {data.prescriber_name}" if data.prescriber_name else ""
    return [
        text(f"Visit record: {format_date(data.visit_on)}", styles["title"]),
        text(f"Chart copy{prescriber}", styles["subtitle"]),
    ]


def flags(data: VisitSummaryData, styles: PdfStyles) -> list[Any]:
    """Everything the rules flagged, gathered at the top so nobody has to hunt for it."""
    found = [f"Side effect: {s.name} ({s.severity})" for s in data.side_effects if s.is_flagged]
    found += list(data.mood.flags) if data.mood else []
    found += [f"{r.name} {r.value} {r.unit}: {r.flag}" for r in data.lab_results if r.flag]
    if not found:
        return []
    follow_up = [text(data.follow_up, styles["body"])] if data.follow_up else []
    return [
        Paragraph("Needs attention", styles["heading"]),
        *(Paragraph(f"▲&nbsp;{escape_markup(flag)}", styles["flag"]) for flag in found),
        *follow_up,
    ]


def dose(data: VisitSummaryData, styles: PdfStyles) -> list[Any]:
    regimen = data.regimen
    rows = [
        ("Weight", f"{quantity(data.weight_kg)} kg ({quantity(data.weight_lb)} lb)"),
        ("Product", data.product_name),
        ("Food", "with a meal" if data.needs_food else "with or without food"),
        ("Morning", f"{plain(regimen.morning.mg)} mg ({capsules_for_chart(regimen.morning)})"),
        ("Evening", f"{plain(regimen.evening.mg)} mg ({capsules_for_chart(regimen.evening)})"),
        (
            "Daily dose",
            f"{plain(regimen.daily_mg)} mg/day = {quantity(data.achieved_mg_per_kg_day)} mg/kg/day",
        ),
        ("Missed days", _missed_days(data.missed_days_reported)),
        ("Dose decision", data.dose_decision or "not recorded"),
    ]
    return [Paragraph("Dose", styles["heading"]), _facts(rows, styles)]


def _missed_days(count: int) -> str:
    if count == 0:
        return "none reported at this visit"
    return f"{count} day{'s' if count > 1 else ''} without a dose, reported at this visit"


def cumulative(data: VisitSummaryData, styles: PdfStyles) -> list[Any]:
    progress = data.progress
    target = progress.target_mg_per_kg
    summary = (
        f"{plain(progress.cumulative_mg)} mg · {quantity(progress.cumulative_mg_per_kg)} mg/kg"
    )
    summary += f" of a {quantity(target)} mg/kg target" if target else " (course runs until clear)"
    if progress.projected_last_dose_on:
        summary += f" · projected last dose {format_date(progress.projected_last_dose_on)}"
    story: list[Any] = [
        Paragraph("Cumulative dose", styles["heading"]),
        text(summary, styles["body"]),
    ]
    if progress.by_month:
        header = ["Month", "mg in month", "Cumulative mg", "Cumulative mg/kg"]
        rows = [
            [
                f"{MONTHS[m.month.month - 1]} {m.month.year}",
                plain(m.mg_in_month),
                plain(m.cumulative_mg),
                quantity(m.cumulative_mg_per_kg),
            ]
            for m in progress.by_month
        ]
        story.append(_grid([header, *rows], (120, 110, 120, 120), styles))
    return story


def side_effects(data: VisitSummaryData, styles: PdfStyles) -> list[Any]:
    header = [text(title, styles["cell_header"]) for title in ("Side effect", "Severity", "Note")]
    rows = [
        [
            text(s.name, styles["flag" if s.is_flagged else "cell"]),
            text(s.severity, styles["cell"]),
            text(s.note, styles["cell"]),
        ]
        for s in data.side_effects
    ]
    grid = [("LINEBELOW", (0, 1), (-1, -1), 0.3, styles.colors["grid"])]
    table = data_table([header, *rows], (190, 80, 234), styles, extra=grid)
    return [Paragraph("Side effects", styles["heading"]), table if rows else _none(styles)]


def mood(data: VisitSummaryData, styles: PdfStyles) -> list[Any]:
    if data.mood is None:
        return [Paragraph("Mood screen", styles["heading"]), text("Not done.", styles["body"])]
    phq9 = "not done" if data.mood.phq9_score is None else f"{data.mood.phq9_score} / 27"
    rows = [("PHQ-2", f"{data.mood.phq2_score} / 6"), ("PHQ-9", phq9)]
    story: list[Any] = [Paragraph("Mood screen", styles["heading"]), _facts(rows, styles)]
    return story + [text(flag, styles["flag"]) for flag in data.mood.flags]


def _contraception(period: ContraceptionPeriod | None) -> str:
    return describe_period(period) if period is not None else "none recorded"


def ipledge(data: VisitSummaryData, styles: PdfStyles) -> list[Any]:
    """Pregnancy tests and contraception (patients who can get pregnant) and the fill window."""
    rows: list[tuple[str, str]] = []
    if (monitoring := data.pregnancy) is not None:
        test, next_on = monitoring.last_test, monitoring.next_test_on
        last = "none recorded"
        if test is not None:
            last = f"{format_date(test.specimen_on)}: {test.result} ({test.method}, {test.setting})"
        rows += [
            ("Last pregnancy test", last),
            ("Next test due", format_date(next_on) if next_on else "—"),
            ("Contraception", _contraception(monitoring.contraception)),
        ]
    if (window := data.fill_window) is not None:
        dates = f"opens {format_date(window.opens_on)}, closes {format_date(window.closes_on)}"
        rows.append(("Fill window", dates))
    if not rows:
        return []
    title = "iPLEDGE and pregnancy prevention" if data.pregnancy else "iPLEDGE"
    return [Paragraph(title, styles["heading"]), _facts(rows, styles)]


def labs(data: VisitSummaryData, styles: PdfStyles) -> list[Any]:
    story: list[Any] = [Paragraph("Labs", styles["heading"])]
    if not data.labs_due and not data.lab_results:
        return [*story, _none(styles)]
    if data.labs_due:
        due = [[lab.name, format_date(lab.due_on), lab.note] for lab in data.labs_due]
        story.append(_grid([["Due", "By", "Note"], *due], (170, 90, 244), styles))
    if data.lab_results:
        results = [
            [r.name, f"{r.value} {r.unit}", r.reference, format_date(r.collected_on), r.flag or ""]
            for r in data.lab_results
        ]
        header = ["Result", "Value", "Reference", "Collected", "Flag"]
        story += [Spacer(1, 6), _grid([header, *results], (130, 80, 80, 84, 130), styles)]
    return story


def counseling_and_notes(data: VisitSummaryData, styles: PdfStyles) -> list[Any]:
    topics = "; ".join(data.counseling_topics) or "none recorded"
    rows = [
        ("Counseling", topics),
        ("Next visit", format_date(data.next_visit_on) if data.next_visit_on else "not booked"),
    ]
    return [
        Paragraph("Counseling, notes and next steps", styles["heading"]),
        _facts(rows, styles),
        *reminders(data, styles),
        *notes(data, styles),
    ]


def reminders(data: VisitSummaryData, styles: PdfStyles) -> list[Any]:
    """The reminders the patient's copy of this visit gives, word for word."""
    return [
        Spacer(1, 4),
        text("Reminders given (patient copy)", styles["label"]),
        *(
            Paragraph(f"•&nbsp;{escape_markup(item)}", styles["bullet"])
            for item in reminders_given(data)
        ),
    ]


def notes(data: VisitSummaryData, styles: PdfStyles) -> list[Any]:
    """The nurse's notes as running paragraphs, not a table cell: a note of any length
    flows on over as many pages as it needs, one paragraph per line typed."""
    lines = data.notes.strip().splitlines() if data.notes.strip() else ["—"]
    return [
        Spacer(1, 4),
        text("Notes", styles["label"]),
        *(text(line, styles["body"]) for line in lines if line.strip()),
    ]


def signatures(data: VisitSummaryData, styles: PdfStyles) -> list[Any]:
    rows = [
        [s.role, s.name, signed_time(s.signed_at) if s.signed_at else ""] for s in data.signatures
    ]
    lines = [
        ("LINEBELOW", (2, n), (2, n), 0.7, styles.colors["ink"])
        for n, s in enumerate(data.signatures, 1)
        if s.signed_at is None
    ]
    table = _grid([["Role", "Name", "Signed"], *rows], (110, 220, 174), styles, extra=lines)
    return [Paragraph("Signatures", styles["heading"]), table]


STEPS: tuple[Step, ...] = (
    heading, flags, dose, cumulative, side_effects, mood, ipledge, labs, counseling_and_notes,
    signatures,
)  # fmt: skip


def _facts(rows: list[tuple[str, str]], styles: PdfStyles) -> Any:
    cells = [[text(label, styles["label"]), text(value, styles["cell"])] for label, value in rows]
    width = styles.page.frame_width
    grid = [("LINEBELOW", (0, 0), (-1, -1), 0.3, styles.colors["grid"])]
    return data_table(cells, (110, width - 110), styles, header_rows=0, extra=grid)


def _grid(
    rows: list[list[str]],
    widths: tuple[float, ...],
    styles: PdfStyles,
    *,
    extra: list[tuple[Any, ...]] | None = None,
) -> Any:
    header, *body = rows
    cells = [[text(cell, styles["cell_header"]) for cell in header]]
    cells += [[text(cell, styles["cell"]) for cell in row] for row in body]
    grid = [("LINEBELOW", (0, 1), (-1, -1), 0.3, styles.colors["grid"]), *(extra or [])]
    return data_table(cells, widths, styles, extra=grid)


def _none(styles: PdfStyles) -> Any:
    return text("None recorded.", styles["body"])
