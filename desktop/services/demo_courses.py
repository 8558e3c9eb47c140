"""Synthetic course histories for demo patients, at every stage a clinic sees: waiting for
the first fill, early and late months, paused, just ended, long ended, and a second course
under way after a first that ended months before. Deterministic per seed; built as plain
rows and bulk-inserted (a clinic of 10,000 loads in seconds)."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from desktop.rules.calendar import add_months
from desktop.rules.dosing import DoseRequest, daily_regimen
from desktop.rules.formulary import Formulary
from desktop.rules.ipledge import MIN_MONTHS_BEFORE_NEXT_COURSE
from desktop.rules.labs import LabPanel
from desktop.rules.patients import RiskCategory

STAGES = (
    ("none", 25),
    ("before_first_fill", 10),
    ("active", 40),
    ("paused", 5),
    ("recently_ended", 12),
    ("long_ended", 8),
    ("second_course", 8),
)
PRODUCTS = (("generic", 70), ("absorica", 12), ("amnesteem", 10), ("claravis", 8))
CYCLE_DAYS = 30
FORMS_CAN = ("informed-consent", "pregnancy-prevention", "contraception-counseling")


@dataclass(slots=True)
class DemoCourse:
    """One course and its fact rows (dicts for Core inserts, without course_id yet)."""

    course: dict[str, Any]
    facts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    consents: list[dict[str, Any]] = field(default_factory=list)

    def add(self, table: str, **values: Any) -> None:
        self.facts.setdefault(table, []).append(values)


@dataclass(frozen=True, slots=True)
class DemoPatient:
    id: int
    birth_date: date
    category: RiskCategory


def _choose(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def demo_courses(
    rng: random.Random,
    patient: DemoPatient,
    formulary: Formulary,
    today: date,
    prescriber_id: int,
    by: str,
) -> list[DemoCourse]:
    """The patient's courses, oldest first (none for a patient only registered)."""
    stage = _choose(rng, STAGES)
    if stage == "none":
        return []
    clinic = (formulary, today, prescriber_id, by)
    if stage == "second_course":
        return _two_courses(rng, patient, clinic)
    return [_course(rng, patient, clinic, stage)]


def _two_courses(
    rng: random.Random, patient: DemoPatient, clinic: tuple[Formulary, date, int, str]
) -> list[DemoCourse]:
    """A second course started within the last months, as the active ones are, after a
    first of about five months that ended at least 2 months before it (domain.md §1.7)."""
    today = clinic[1]
    second_start = today - timedelta(days=rng.randint(14, 170))
    latest_last_dose = add_months(second_start, -MIN_MONTHS_BEFORE_NEXT_COURSE)
    last_dose = latest_last_dose - timedelta(days=rng.randint(0, 90))
    first_start = last_dose - timedelta(days=rng.randint(140, 170))
    first = _course(rng, patient, clinic, "long_ended", start=first_start, last_dose=last_dose)
    second = _course(rng, patient, clinic, "active", start=second_start, number=2)
    return [first, second]


def _course(
    rng: random.Random,
    patient: DemoPatient,
    clinic: tuple[Formulary, date, int, str],
    stage: str,
    *,
    start: date | None = None,
    last_dose: date | None = None,
    number: int = 1,
) -> DemoCourse:
    formulary, today, prescriber_id, by = clinic
    start = start or _start_for(rng, stage, today)
    product = formulary.product(_choose(rng, PRODUCTS))
    weight = Decimal(rng.randint(480, 1050)) / 10
    ended = stage in ("recently_ended", "long_ended")
    if ended and last_dose is None:
        last_dose = min(
            today - timedelta(days=rng.randint(1, 100 if stage == "recently_ended" else 400)),
            start + timedelta(days=150),
        )
    demo = DemoCourse(
        {
            "patient_id": patient.id,
            "number": number,
            "status": "ended" if ended else ("paused" if stage == "paused" else "active"),
            "product": product.name,
            "start_on": start,
            "last_dose_on": last_dose,
            "target_mg_per_kg": Decimal(rng.choice((120, 150, 150, 150, 220))),
            "lab_protocol": rng.choice(("clinic-monthly", "clinic-monthly", "minimal-peak")),
            "prescriber_id": prescriber_id,
            "ipledge_enrolled_on": start - timedelta(days=35),
            "home_tests_allowed": rng.random() < 0.3,
            "override_reason": "",
        }
    )
    until = last_dose or today
    _history(rng, demo, patient, product, weight, start, until, today, stage, by)
    return demo


def _start_for(rng: random.Random, stage: str, today: date) -> date:
    if stage == "before_first_fill":
        return today + timedelta(days=rng.randint(-3, 25))
    if stage == "long_ended":
        return today - timedelta(days=rng.randint(400, 700))
    if stage == "recently_ended":
        return today - timedelta(days=rng.randint(160, 260))
    return today - timedelta(days=rng.randint(0, 170))


def _history(
    rng: random.Random,
    demo: DemoCourse,
    patient: DemoPatient,
    product: Any,
    weight: Decimal,
    start: date,
    until: date,
    today: date,
    stage: str,
    by: str,
) -> None:
    can = patient.category is RiskCategory.CAN_GET_PREGNANT
    enrolled = start - timedelta(days=35)
    demo.add(
        "weights", measured_on=enrolled, weight_kg=weight, entered_value=weight, entered_unit="kg"
    )
    for form in FORMS_CAN if can else FORMS_CAN[:1]:
        if rng.random() < 0.93:
            demo.consents.append(
                {"form": form, "template_version": "2026.1", "signed_on": enrolled}
            )
    for panel in (LabPanel.LFT, LabPanel.LIPIDS):
        demo.add(
            "lab_results",
            panel=panel.value,
            ordered_on=enrolled,
            drawn_on=enrolled + timedelta(days=3),
            results_json=_lab_json(rng, panel),
        )
    if can:
        demo.add(
            "contraception_periods",
            starts_on=enrolled - timedelta(days=20),
            primary_method=rng.choice(("iud", "implant", "combination_pill")),
            secondary_method="condom",
            abstinence=False,
        )
        demo.add(
            "pregnancy_tests",
            purpose="screening",
            specimen_on=enrolled,
            result="negative",
            setting="medical",
            method="urine",
            verified_by=by,
            verification_method="staff_performed",
        )
    _doses(demo, product, weight, patient, start, rng)
    if stage == "before_first_fill":
        return
    day, cycle = start - timedelta(days=2), 0
    while day <= until:
        _cycle(rng, demo, can, day, cycle, today, by)
        day, cycle = day + timedelta(days=CYCLE_DAYS), cycle + 1
    last = min(until, today)
    if last >= start:
        span = (last - start).days
        for missed in sorted(
            {start + timedelta(days=rng.randint(0, span)) for _ in range(rng.randint(0, 4))}
        ):
            demo.add("missed_doses", missed_on=missed)
    if stage == "paused":
        demo.add(
            "course_pauses",
            paused_on=today - timedelta(days=rng.randint(1, 20)),
            pause_reason="patient request",
            resumed_on=None,
            resume_reason="",
        )


def _doses(
    demo: DemoCourse,
    product: Any,
    weight: Decimal,
    patient: DemoPatient,
    start: date,
    rng: random.Random,
) -> None:
    for offset, mg_per_kg in ((0, Decimal("0.5")), (30, Decimal(1))):
        regimen = daily_regimen(product, DoseRequest(weight, mg_per_kg))
        am, pm = regimen.doses
        demo.add(
            "dose_periods",
            starts_on=start + timedelta(days=offset),
            product=product.name,
            mg_per_day=Decimal(regimen.mg_per_day),
            am_mg=Decimal(am.mg),
            pm_mg=Decimal(pm.mg),
            reason="demo",
            prescriber_override=False,
        )
        if rng.random() < 0.3:
            break


def _cycle(
    rng: random.Random, demo: DemoCourse, can: bool, day: date, cycle: int, today: date, by: str
) -> None:
    """One month: visit, test, counselling, questions, fill; the latest month is often
    unfinished, so the worklist has real work in it."""
    if day > today:
        return
    latest = (today - day).days < CYCLE_DAYS
    demo.add(
        "visits",
        seen_on=day,
        weight_id=None,
        missed_doses=0,
        dose_decision="continue",
        next_visit_on=add_months(day, 1),
        version=1,
    )
    if can and not (latest and rng.random() < 0.25):
        demo.add(
            "pregnancy_tests",
            purpose="confirmation" if cycle == 0 else "monthly",
            specimen_on=day,
            result="negative",
            setting="medical",
            method="urine",
            verified_by=by,
            verification_method="staff_performed",
        )
    if not (latest and rng.random() < 0.3):
        demo.add("counseling_confirmations", confirmed_on=day)
    if not (latest and rng.random() < 0.3):
        demo.add("comprehension_answers", answered_on=day + timedelta(days=1))
    fill_on = day + timedelta(days=2)
    if fill_on <= today and not (latest and rng.random() < 0.5):
        demo.add("fills", filled_on=fill_on, days_supply=30, capsules=60)
    monthly = demo.course["lab_protocol"] == "clinic-monthly"
    drawn = (cycle >= 1 and monthly and not (latest and rng.random() < 0.4)) or cycle == 2
    if drawn and fill_on <= today:
        for panel in (LabPanel.LFT, LabPanel.LIPIDS):
            demo.add(
                "lab_results",
                panel=panel.value,
                ordered_on=day,
                drawn_on=day,
                results_json=_lab_json(rng, panel),
            )


def _lab_json(rng: random.Random, panel: LabPanel) -> str:
    if panel is LabPanel.LIPIDS:
        return f'{{"triglycerides_mg_dl": "{rng.choice((90, 120, 160, 210, 340, 520))}"}}'
    return f'{{"alt_u_l": "{rng.choice((14, 22, 35, 48, 130))}", "alt_uln_u_l": "40"}}'
