"""Visit summary: the patient's copy says what to do and when; the chart copy holds everything."""

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from desktop.documents.data import DocumentAssets, DoseTime, Regimen, VisitSummaryData
from desktop.documents.styles import build_styles
from desktop.documents.visit_reminders import reminders_given
from desktop.documents.visit_summary import Audience, build_visit_summary
from desktop.rules.contraception import ContraceptionMethod, ContraceptionPeriod
from tests.documents import pdf_reading, samples

PAGE_NUMBER = re.compile(r"Page (\d+) of (\d+)")


def _text(data: VisitSummaryData, assets: DocumentAssets, audience: Audience) -> str:
    pdf = build_visit_summary(data, assets, audience=audience)
    return "\n".join(pdf_reading.page_texts(pdf))


@pytest.fixture(scope="module")
def teen_patient(assets: DocumentAssets) -> str:
    return _text(samples.visit_data(), assets, Audience.PATIENT)


@pytest.fixture(scope="module")
def teen_chart(assets: DocumentAssets) -> str:
    return _text(samples.visit_data(), assets, Audience.CHART)


@pytest.fixture(scope="module")
def adult_patient(assets: DocumentAssets) -> str:
    return _text(
        samples.visit_data(samples.ADULT, can_get_pregnant=False), assets, Audience.PATIENT
    )


def test_patient_copy_gives_todays_dose_and_how_to_take_it(teen_patient: str) -> None:
    assert "30 mg: one 30 mg capsule" in teen_patient
    assert "40 mg: one 40 mg capsule" in teen_patient
    assert "Take each dose with a meal" in teen_patient
    assert "never take two doses" in teen_patient


def test_patient_copy_says_food_does_not_matter_when_the_product_allows(
    assets: DocumentAssets,
) -> None:
    data = replace(samples.visit_data(), needs_food=False, product_name="Absorica")
    text = _text(data, assets, Audience.PATIENT)
    assert "with or without food" in text
    assert "with a meal" not in text


def test_patient_copy_words_mixed_capsules_plainly(assets: DocumentAssets) -> None:
    regimen = Regimen(
        DoseTime(Decimal(40), (Decimal(20), Decimal(20))),
        DoseTime(Decimal(40), (Decimal(30), Decimal(10))),
    )
    text = _text(replace(samples.visit_data(), regimen=regimen), assets, Audience.PATIENT)
    squashed = pdf_reading.squash(text)
    assert pdf_reading.squash("two 20 mg capsules") in squashed
    assert pdf_reading.squash("one 30 mg capsule and one 10 mg capsule") in squashed


def test_amounts_stored_with_two_decimals_print_as_people_write_them(
    assets: DocumentAssets,
) -> None:
    """The database keeps mg with two decimal places; "9,880.00 mg" on paper says nothing
    more than "9,880 mg". The chart keeps mg/kg at the precision the rules chose."""
    data = replace(
        samples.visit_data(),
        regimen=Regimen(
            DoseTime(Decimal("40.00"), (Decimal("40.00"),)),
            DoseTime(Decimal("2.50"), (Decimal("2.50"),)),
        ),
        progress=replace(
            samples.visit_data().progress,
            cumulative_mg=Decimal("9880.00"),
            cumulative_mg_per_kg=Decimal("113.4"),
            target_mg_per_kg=Decimal("150.0"),
        ),
    )
    patient = pdf_reading.squash(_text(data, assets, Audience.PATIENT))
    for expected in (
        "40 mg: one 40 mg capsule",
        "2.5 mg: one 2.5 mg capsule",
        "So far you have taken 9,880 mg in total: 113.4 mg for each kg",
        "Your prescriber's goal is 150 mg per kg.",
    ):
        assert pdf_reading.squash(expected) in patient, expected
    chart = pdf_reading.squash(_text(data, assets, Audience.CHART))
    assert pdf_reading.squash("9,880 mg · 113.4 mg/kg of a 150.0 mg/kg target") in chart
    assert pdf_reading.squash("40 mg (1 × 40 mg)") in chart
    assert ".00" not in patient + chart


def test_patient_copy_says_the_goal_is_reached_instead_of_a_date_gone_by(
    assets: DocumentAssets,
) -> None:
    data = samples.visit_data()
    reached = replace(
        data,
        progress=replace(
            data.progress,
            cumulative_mg_per_kg=Decimal("127.96"),
            target_mg_per_kg=Decimal("120.0"),
            projected_last_dose_on=date(2026, 9, 5),
        ),
    )
    patient = pdf_reading.squash(_text(reached, assets, Audience.PATIENT))
    assert (
        pdf_reading.squash("You have reached your prescriber's goal of 120 mg per kg.") in patient
    )
    assert "shouldreachit" not in patient


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (
            ContraceptionPeriod(date(2026, 8, 1), abstinence=True),
            "Birth control: you chose abstinence, no penile–vaginal sex at all, every day "
            "until 1 month after your last dose. If that may change, tell us first",
        ),
        (
            ContraceptionPeriod(
                date(2026, 8, 1), ContraceptionMethod.IUD, ContraceptionMethod.DIAPHRAGM
            ),
            "use both of your methods, your IUD (intrauterine device) and a diaphragm with "
            "spermicide, every time you have sex",
        ),
        (None, "use both of your methods, the two you chose, every time you have sex"),
    ],
)
def test_patient_copy_names_the_birth_control_in_plain_words(
    assets: DocumentAssets, period: ContraceptionPeriod | None, expected: str
) -> None:
    data = samples.visit_data()
    assert data.pregnancy is not None
    data = replace(data, pregnancy=replace(data.pregnancy, contraception=period))
    patient = pdf_reading.squash(_text(data, assets, Audience.PATIENT))
    assert pdf_reading.squash(expected) in patient
    assert "Hormonal:" not in patient
    assert "Abstinence:" not in patient


def test_patient_copy_gives_the_dates_that_matter(teen_patient: str) -> None:
    assert "Next pregnancy test" in teen_patient
    assert "from Nov 19, 2026 to Nov 25, 2026" in teen_patient
    assert "Blood test: Fasting lipid panel" in teen_patient
    assert "Next visit" in teen_patient


@pytest.mark.parametrize(
    "reminder",
    [
        "Do not give blood",
        "Never share your capsules",
        "SPF 30",
        "Birth control: use both of your methods, the birth control implant and male latex condoms",
        "Stop taking isotretinoin and call us right away at (555) 010-0199",
        "Bring your iPLEDGE ID card.",
    ],
)
def test_patient_copy_reminds_what_keeps_the_patient_safe(teen_patient: str, reminder: str) -> None:
    assert pdf_reading.squash(reminder) in pdf_reading.squash(teen_patient)


def test_patient_who_cannot_get_pregnant_gets_no_pregnancy_or_contraception_lines(
    adult_patient: str,
) -> None:
    assert "pregnancy test" not in adult_patient.lower()
    assert "Birth control" not in adult_patient
    assert "Do not give blood" in adult_patient


def test_patient_copy_leaves_out_chart_details(teen_patient: str) -> None:
    assert "PHQ" not in teen_patient
    assert "Triglycerides" not in teen_patient
    assert "Jordan Ellis" not in teen_patient


def test_chart_copy_holds_everything_recorded(teen_chart: str) -> None:
    squashed = pdf_reading.squash(teen_chart)
    for expected in (
        "58.0 kg (127.9 lb)",
        "1.21 mg/kg/day",
        "1 × 30 mg",
        "6,440 mg",
        "111.0 mg/kg",
        "150 mg/kg target",
        "projected last dose Jan 21, 2027",
        "Headache with blurred vision",
        "11 / 27",
        "negative (urine hCG, clinic)",
        "Hormonal: implant + Male latex condom, with or without spermicide",
        "closes Nov 25, 2026",
        "Triglycerides",
        "≥ 500: alert",
        "Sun protection",
        "Discussed headache & vision change <urgent>",
        "Jordan Ellis, RN",
        "Nov 20, 2026 10:05 EST",
        "Dr. Priya Raman-Lindqvist",
    ):
        assert pdf_reading.squash(expected) in squashed, expected


def test_chart_copy_lists_flags_first(teen_chart: str) -> None:
    attention = teen_chart.index("Needs attention")
    assert attention < teen_chart.index("Dose")
    assert "▲ Triglycerides 512 mg/dL: ≥ 500: alert" in teen_chart


def test_chart_copy_has_the_cumulative_table_by_month(teen_chart: str) -> None:
    for row in ("Aug 2026 1,140 1,140 19.7", "Nov 2026 1,330 6,440 111.0"):
        assert pdf_reading.squash(row) in pdf_reading.squash(teen_chart)


def test_chart_copy_without_target_says_the_course_runs_until_clear(
    assets: DocumentAssets,
) -> None:
    data = samples.visit_data()
    data = replace(data, progress=replace(data.progress, target_mg_per_kg=None))
    assert "course runs until clear" in _text(data, assets, Audience.CHART)


@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("can_get_pregnant", [True, False])
def test_every_page_has_band_numbering_metadata_and_only_dejavu(
    assets: DocumentAssets, audience: Audience, can_get_pregnant: bool
) -> None:
    patient = samples.TEEN if can_get_pregnant else samples.ADULT
    data = samples.visit_data(patient, can_get_pregnant=can_get_pregnant)
    pdf = build_visit_summary(data, assets, audience=audience)
    texts = pdf_reading.page_texts(pdf)
    for number, text in enumerate(texts, 1):
        assert pdf_reading.squash(patient.name) in pdf_reading.squash(text)
        assert f"MRN {patient.mrn}" in text
        assert PAGE_NUMBER.findall(text) == [(str(number), str(len(texts)))]
    info = pdf_reading.reader(pdf).metadata
    assert info is not None
    assert str(info["/Creator"]) == "IsoTrack"
    assert info.author == samples.CLINIC.name
    assert patient.name not in " ".join(str(value) for value in info.values())
    assert all(f.is_embedded and "DejaVuSans" in f.name for f in pdf_reading.fonts(pdf))


def test_chart_copy_runs_a_long_note_over_as_many_pages_as_it_needs(
    assets: DocumentAssets,
) -> None:
    """A 60-line note of ~6,000 characters used to stop the build (LayoutError)."""
    lines = [f"Line {n}: reviewed skin care, lips and mood; plan unchanged." for n in range(60)]
    data = replace(samples.visit_data(), notes="\n".join(lines))
    pdf = build_visit_summary(data, assets, audience=Audience.CHART)
    texts = pdf_reading.page_texts(pdf)
    assert len(texts) >= 3
    whole = pdf_reading.squash("".join(texts))
    for line in lines:
        assert pdf_reading.squash(line) in whole
    assert whole.index(pdf_reading.squash(lines[-1])) < whole.index("Signatures")


@pytest.mark.parametrize("audience", list(Audience))
def test_long_free_text_in_table_cells_splits_across_pages(
    assets: DocumentAssets, audience: Audience
) -> None:
    note = "Lips cracked at the corners, uses balm hourly. " * 120
    data = samples.visit_data()
    data = replace(
        data,
        side_effects=(replace(data.side_effects[0], note=note),),
        labs_due=(replace(data.labs_due[0], note=note),),
        reminders=(note,),
    )
    pdf = build_visit_summary(data, assets, audience=audience)
    whole = pdf_reading.squash("".join(pdf_reading.page_texts(pdf)))
    assert whole.count(pdf_reading.squash("uses balm hourly.")) >= 120


def test_a_preferred_name_gives_way_to_a_long_legal_name_in_the_band(
    assets: DocumentAssets,
) -> None:
    legal = "王" * 200
    patient = replace(samples.ADULT, name=legal, preferred_name="李" * 200)
    data = samples.visit_data(patient, can_get_pregnant=False)
    pdf = build_visit_summary(data, assets, audience=Audience.PATIENT)
    page_size = build_styles(assets.styles).page
    for page, body in zip(
        pdf_reading.page_texts(pdf),
        pdf_reading.body_texts(pdf, 0, page_size.height - page_size.margin_top),
        strict=True,
    ):
        assert legal in pdf_reading.squash(page)
        assert "prefers“李" in pdf_reading.squash(page)
        assert "…”" in page
        assert "王" not in body  # nothing of the band spills into the page body


def test_chart_copy_records_missed_days_dose_decision_and_reminders_given(
    assets: DocumentAssets,
) -> None:
    data = replace(
        samples.visit_data(),
        missed_days_reported=2,
        dose_decision="continue current dose",
        reminders=("Bring your iPLEDGE ID card.",),
    )
    chart = pdf_reading.squash(_text(data, assets, Audience.CHART))
    for expected in (
        "Missed days2 days without a dose, reported at this visit",
        "Dose decisioncontinue current dose",
        "Reminders given (patient copy)",
        "Birth control: use both of your methods, the birth control implant and male latex "
        "condoms, every time you have sex",
        "Do not give blood while you take isotretinoin",
        "Read the Medication Guide that comes with every fill.",
        "Bring your iPLEDGE ID card.",
        "uses lip balm hourly",  # a side effect's note
    ):
        assert pdf_reading.squash(expected) in chart, expected
    nothing = replace(data, missed_days_reported=0, dose_decision="")
    chart = pdf_reading.squash(_text(nothing, assets, Audience.CHART))
    assert pdf_reading.squash("Missed daysnone reported at this visit") in chart
    assert pdf_reading.squash("Dose decisionnot recorded") in chart


def test_the_chart_lists_exactly_the_reminders_the_patient_copy_gives(
    assets: DocumentAssets,
) -> None:
    data = samples.visit_data(samples.ADULT, can_get_pregnant=False)
    patient = pdf_reading.squash(_text(data, assets, Audience.PATIENT))
    chart = pdf_reading.squash(_text(data, assets, Audience.CHART))
    for reminder in reminders_given(data):
        assert pdf_reading.squash(reminder) in patient
        assert pdf_reading.squash(reminder) in chart
    assert "Birthcontrol" not in chart


def test_patient_copy_gives_the_clinic_number_to_call_when_there_is_one(
    teen_patient: str,
) -> None:
    squashed = pdf_reading.squash(teen_patient)
    assert pdf_reading.squash("call us right away at (555) 010-0199 if") in squashed
    assert pdf_reading.squash("Questions? Call (555) 010-0199.") in squashed
    assert "Write the clinic's phone number here" not in teen_patient


def test_patient_copy_without_a_clinic_phone_never_points_at_a_missing_number(
    assets: DocumentAssets,
) -> None:
    data = replace(samples.visit_data(), clinic=replace(samples.CLINIC, phone=""))
    text = _text(data, assets, Audience.PATIENT)
    squashed = pdf_reading.squash(text)
    assert "callusrightaway" not in squashed
    assert "Questions?" not in text
    assert pdf_reading.squash("call your prescriber or the clinic right away if") in squashed
    assert pdf_reading.squash("Write the clinic's phone number here: ____") in squashed
    assert pdf_reading.squash("go to the nearest emergency department") in squashed
