"""A demo course's record, month by month from its schedule, as a well-run clinic keeps it:
enrolment (consents, screening test, contraception), the start visit (confirmation test,
counselling, questions, baseline labs), then each month a visit with weight, side effects and
mood screen, the month's test, counselling, questions and labs, and the fill; after the last
dose the end-of-course and post-course tests (domain.md §1.3–§1.7, §3.3, §4.3, §5).

Nothing dated after `CourseScenario.until` is recorded (the day before the demo clinic's date:
today's visits are still to come), and nothing of the treatment after a paused course's hold
but the recheck of a lab alert."""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from desktop.rules.consents import ConsentForm, SignerRole, required_consent_forms
from desktop.rules.cumulative_dose import DosePeriod, WeightEntry
from desktop.rules.formulary import Product
from desktop.rules.ipledge import post_course_obligations
from desktop.rules.lab_analytes import LabPanel
from desktop.rules.labs import PEAK_DRAW_EARLY_ALLOWANCE_DAYS, peak_dose_starts_on
from desktop.rules.patients import RiskCategory
from desktop.rules.units import kg_to_lb, lb_to_kg
from desktop.services.catalog.protocols import load_lab_protocol
from desktop.services.demo_doses import CONTINUE, DosePlan
from desktop.services.demo_labs import ALERTS, EVENT_PANELS, LabEvent, LabProfile, LabResult
from desktop.services.demo_records import DemoClinic, DemoCourse, DemoPatient
from desktop.services.demo_schedule import DAYS_SUPPLY, Month, Schedule
from desktop.services.demo_visits import visit_content

ALERT_RECHECK_DAYS = (10, 17)
"""After an alert the prescriber has the panel rechecked sooner (§3.4)."""
RECHECK_DAYS = (14, 27)
"""Other rechecks come before the protocol's 28 days are up."""
METHODS = (
    (("iud", "condom"), 25),
    (("implant", "condom"), 15),
    (("combination_pill", "condom"), 25),
    (("vaginal_ring", "condom"), 8),
    (("injection", "condom"), 6),
    (("patch", "condom"), 4),
    (("tubal_sterilization", "condom"), 3),
    (("partner_vasectomy", "condom"), 4),
    ((None, None), 10),
)
"""Two methods, one primary, or abstinence (None, None) (domain.md §1.5)."""
PAUSE_REASONS = (
    "Dry eyes and sore lips: on hold for two weeks, then review",
    "Travelling abroad for three weeks: course on hold",
    "Exams: the patient asked to hold until they finish",
    "Minor surgery planned: hold until the wound has healed",
    "Stomach bug with vomiting: hold until recovered",
)
LAB_PAUSE_REASON = "{finding}: on hold until the recheck"
ON_HOLD = "course on hold"
"""A visit's decision when the prescriber holds the course there (the pause gives why)."""
LAB_ADVICE = {
    LabEvent.TG_ALERT: "{finding}: reduce to {{dose}} mg/kg/day; low-fat diet, no alcohol",
    LabEvent.ALT_ALERT: "{finding}, over 3 × the lab's upper limit: reduce to {{dose}} mg/kg/day",
}


@dataclass(frozen=True, slots=True)
class CourseScenario:
    """What sets one course apart from a routine one."""

    until: date
    paused_on: date | None = None
    paused_at_visit: bool = False
    """The hold was decided at the visit on `paused_on`: no test or prescription that month."""
    missed_visit: date | None = None
    """Booked and not attended (yet): the one overdue visit of an otherwise tidy course."""
    lab_event: LabEvent | None = None
    lab_event_on: date | None = None
    """The visit draw it falls on (clinic-monthly); minimal-peak: the peak repeat."""
    unsigned_forms: frozenset[ConsentForm] = frozenset()
    no_screening_test: bool = False
    no_contraception: bool = False


class CourseHistory:
    """Builds one course's rows into `demo`, in date order, from one random stream."""

    def __init__(
        self,
        rng: random.Random,
        demo: DemoCourse,
        people: tuple[DemoPatient, DemoClinic],
        schedule: Schedule,
        scenario: CourseScenario,
        product: Product,
    ) -> None:
        self.rng, self.demo, self.schedule, self.scenario = rng, demo, schedule, scenario
        self.patient, self.clinic = people
        self.can = self.patient.category is RiskCategory.CAN_GET_PREGNANT
        self.monthly_labs = demo.course["lab_protocol"] == "clinic-monthly"
        self.labs = LabProfile(rng)
        goal = rng.choices((Decimal(1), Decimal("0.75"), Decimal("0.5")), (65, 25, 10))[0]
        self.dose = DosePlan(product, goal)
        self.weights: list[WeightEntry] = []
        self.kg = Decimal(rng.randint(480, 1050)) / 10
        self.in_lb = rng.random() < 0.25
        self.tendency = rng.uniform(0.1, 0.9)
        self.methods = rng.choices([m for m, _ in METHODS], [w for _, w in METHODS])[0]
        self.fills: list[date] = []
        self.treated_until = scenario.paused_on or scenario.until
        """The last day of visits, tests and fills on record."""
        self.dosed_until = self.treated_until - timedelta(days=1 if scenario.paused_on else 0)
        """The last day a dose change can start: none on the day of a hold (its 0 mg/day
        period starts then)."""
        self.finding = ""
        """An alert not yet rechecked when the record stops (a paused course's reason)."""

    def build(self) -> None:
        self._enrolment()
        self._start_visit()
        for index, month in enumerate(self.schedule.months[1:], start=1):
            self._month(index, month)
        if not self.monthly_labs:
            self._peak_draw()
        self._close()

    def _record(self, table: str, on: date, **values: Any) -> None:
        if on <= self.scenario.until:
            self.demo.add(table, **values)

    def _enrolment(self) -> None:
        enrolled = self.schedule.enrolled_on
        self._weigh(enrolled)
        self._consents(enrolled)
        if self.can and not self.scenario.no_screening_test:
            self._pregnancy_test("screening", enrolled)
        if self.can and not self.scenario.no_contraception:
            self._contraception(self.schedule.contraception_from, enrolled)

    def _start_visit(self) -> None:
        """The confirmation test or the first prescription's visit, baseline labs, then the
        first dose and fill on the start day (domain.md §1.3, §3.3)."""
        visit, start = self.schedule.months[0].visit_on, self.schedule.start_on
        if self.can:
            self._pregnancy_test("confirmation", visit)
            self._record("comprehension_answers", visit, answered_on=visit)
        self._record("counseling_confirmations", visit, confirmed_on=visit)
        self._draw(visit, self.schedule.enrolled_on, LabPanel.LFT)
        self._draw(visit, self.schedule.enrolled_on, LabPanel.LIPIDS)
        starting = Decimal("0.25") if self.rng.random() < 0.12 else Decimal("0.5")
        self.dose.start(start, starting, self.kg)
        if start <= self.treated_until:
            self.fills.append(start)

    def _month(self, index: int, month: Month) -> None:
        day = month.visit_on
        if day > self.treated_until or day == self.scenario.missed_visit:
            return
        final = month.fill_on is None
        content = visit_content(
            self.rng, month=index, tendency=self.tendency, can_get_pregnant=self.can
        )
        kg = self._weigh(day)
        chance = self.rng.random()
        held = self.scenario.paused_at_visit and day == self.scenario.paused_on
        decision = CONTINUE if final else self.dose.at_visit(chance, day, content.effects, kg)
        if held:
            decision = ON_HOLD
        missed = self._missed_days(day)
        self._record(
            "visits",
            day,
            seen_on=day,
            weight_id=None,
            missed_doses=len(missed),
            dose_decision=decision,
            next_visit_on=self.schedule.next_visit(index),
            version=1,
            **content.columns(),
        )
        if not held:
            self._steps(day, month)
        if self.monthly_labs:
            self._visit_draws(index, day)
        if index == 3 and self.can and self.rng.random() < 0.1:
            self.methods = ("vaginal_ring", "condom")  # a change of method, still two of them
            self._contraception(day, day)

    def _steps(self, day: date, month: Month) -> None:
        """The month's iPLEDGE steps before the prescription (domain.md §1.4); at the final
        visit only the end-of-course test (§1.7)."""
        if month.fill_on is None:
            if self.can:
                self._pregnancy_test("end_of_course", day)
            return
        if self.can:
            self._pregnancy_test("monthly", day)
            answered = min(day + timedelta(days=self.rng.randint(0, 1)), month.fill_on)
            self._record("comprehension_answers", answered, answered_on=answered)
        if self.can or day < self.clinic.modification_effective_on:
            self._record("counseling_confirmations", day, confirmed_on=day)
        if month.fill_on <= self.treated_until:
            self.fills.append(month.fill_on)

    def _visit_draws(self, index: int, day: date) -> None:
        """clinic-monthly: both panels at every visit; an event's panel rechecked after it."""
        event = self.scenario.lab_event if day == self.scenario.lab_event_on else None
        for panel in (LabPanel.LFT, LabPanel.LIPIDS):
            own = event if event is not None and EVENT_PANELS[event] is panel else None
            result = self._draw(day, day, panel, own)
            if own is not None:
                following = self.schedule.next_visit(index)
                attended = following is not None and following != self.scenario.missed_visit
                self._after_event(own, day, result.finding, attended and own not in ALERTS)

    def _after_event(
        self, event: LabEvent, drawn: date, finding: str, next_visit_rechecks: bool
    ) -> None:
        """An alert: the prescriber cuts the dose two days later and has the panel rechecked
        (domain.md §3.4); an ALT above range is rechecked at the next draw or sooner."""
        self.labs.recovered()
        if event in ALERTS:
            reviewed = drawn + timedelta(days=2)
            last_dose = self.schedule.last_dose_on
            if reviewed <= self.dosed_until and (last_dose is None or reviewed <= last_dose):
                advice = LAB_ADVICE[event].format(finding=finding)
                self.dose.reduce_for_lab(reviewed, advice, self.weights[-1].weight_kg)
            recheck = drawn + timedelta(days=self.rng.randint(*ALERT_RECHECK_DAYS))
        elif next_visit_rechecks:
            return
        else:
            recheck = drawn + timedelta(days=self.rng.randint(*RECHECK_DAYS))
        if recheck > self.scenario.until:
            self.finding = finding
        self._draw(recheck, min(recheck, drawn + timedelta(days=2)), EVENT_PANELS[event])

    def _peak_draw(self) -> None:
        """minimal-peak: the repeat at the highest dose, at a visit that counts for it or as a
        draw of its own before it is due (domain.md §3.3)."""
        rows = self.dose.rows(self.weights, self.dosed_until)
        peak_on = peak_dose_starts_on([DosePeriod(r["starts_on"], r["mg_per_day"]) for r in rows])
        repeat_days = load_lab_protocol(self.demo.course["lab_protocol"]).peak_repeat_days_after
        if peak_on is None or repeat_days is None:
            return
        due = peak_on + timedelta(days=repeat_days)
        opens = due - timedelta(days=PEAK_DRAW_EARLY_ALLOWANCE_DAYS)
        visits = [
            v
            for v in self.schedule.visits()
            if opens <= v <= due and v != self.scenario.missed_visit
        ]
        day = visits[0] if visits else due - timedelta(days=self.rng.randint(1, 6))
        if day > (self.schedule.last_dose_on or self.treated_until):
            return
        event = self.scenario.lab_event
        result = self._draw(day, day, LabPanel.LFT, event)
        self._draw(day, day, LabPanel.LIPIDS)
        if event is not None and day <= self.treated_until:
            self._after_event(event, day, result.finding, next_visit_rechecks=False)

    def _close(self) -> None:
        """Dose periods, fills in capsules of the dose then in force, the post-course test,
        and a paused course's hold (domain.md §1.6, §1.7)."""
        for row in self.dose.rows(self.weights, self.dosed_until):
            self.demo.add("dose_periods", **row)
        for filled in self.fills:
            per_day = self.dose.capsules_per_day(self.weights, filled)
            self.demo.add(
                "fills", filled_on=filled, days_supply=DAYS_SUPPLY, capsules=per_day * DAYS_SUPPLY
            )
        last_dose = self.schedule.last_dose_on
        if last_dose is not None:
            due = post_course_obligations(
                self.patient.category, last_dose_on=last_dose
            ).pregnancy_test_due
            if due is not None:
                self._pregnancy_test("post_course", due + timedelta(days=self.rng.randint(0, 4)))
        if self.scenario.paused_on is not None:
            reason = self.rng.choice(PAUSE_REASONS)
            if self.finding:
                reason = LAB_PAUSE_REASON.format(finding=self.finding)
            self.demo.add(
                "course_pauses",
                paused_on=self.scenario.paused_on,
                pause_reason=reason,
                resumed_on=None,
                resume_reason="",
            )

    def _weigh(self, day: date) -> Decimal:
        """A weighing with small drifts, now and then a few kilograms (§6 Weight)."""
        if self.weights:
            jump = self.rng.random() < 0.05
            drift = (
                self.rng.uniform(2.5, 4) * self.rng.choice((-1, 1))
                if jump
                else self.rng.gauss(0.1, 0.5)
            )
            self.kg = min(Decimal(140), max(Decimal(40), self.kg + Decimal(f"{drift:.1f}")))
        entered, kg = self.kg, self.kg
        if self.in_lb:
            entered = kg_to_lb(self.kg).quantize(Decimal("0.1"))
            kg = lb_to_kg(entered).quantize(Decimal("0.0001"))
        if day <= self.scenario.until:
            self.weights.append(WeightEntry(day, kg))
        self._record(
            "weights",
            day,
            measured_on=day,
            weight_kg=kg,
            entered_value=entered,
            entered_unit="lb" if self.in_lb else "kg",
        )
        return kg

    def _missed_days(self, visit: date) -> list[date]:
        """A few days without a capsule since the last visit, now and then (domain.md §8 C1)."""
        if self.rng.random() >= 0.15:
            return []
        earliest = max(self.schedule.start_on, visit - timedelta(days=25))
        latest = min(visit, self.schedule.last_dose_on or visit)
        span = (latest - earliest).days
        days = sorted(
            {
                earliest + timedelta(days=self.rng.randint(0, span))
                for _ in range(self.rng.randint(1, 3))
            }
        )
        for day in days:
            self._record("missed_doses", visit, missed_on=day)
        return days if visit <= self.scenario.until else []

    def _draw(
        self, on: date, ordered_on: date, panel: LabPanel, event: LabEvent | None = None
    ) -> LabResult:
        result = self.labs.draw(self.rng, panel, (on - self.schedule.start_on).days, event)
        self._record(
            "lab_results",
            on,
            panel=panel.value,
            ordered_on=ordered_on,
            drawn_on=on,
            results_json=result.results_json,
        )
        return result

    def _pregnancy_test(self, purpose: str, on: date) -> None:
        """In a medical setting; a confirmation test sent to a (CLIA) laboratory before the
        2026 change, often after it (domain.md §1.3)."""
        sent = self.rng.random() < 0.4 or on < self.clinic.modification_effective_on
        laboratory = purpose == "confirmation" and sent
        self._record(
            "pregnancy_tests",
            on,
            purpose=purpose,
            specimen_on=on,
            result="negative",
            setting="medical",
            method="serum" if laboratory else "urine",
            verified_by=self.clinic.recorded_by,
            verification_method="lab_report" if laboratory else "staff_performed",
            clia_certified_lab=True if laboratory else None,
        )

    def _contraception(self, starts_on: date, recorded_on: date) -> None:
        primary, secondary = self.methods
        self._record(
            "contraception_periods",
            recorded_on,
            starts_on=starts_on,
            primary_method=primary,
            secondary_method=secondary,
            abstinence=primary is None,
        )

    def _consents(self, signed_on: date) -> None:
        """Every form the patient needs by category and age that day, in the version then in
        force, a guardian signing for a minor (domain.md §5)."""
        required = required_consent_forms(
            can_get_pregnant=self.can, birth_date=self.patient.birth_date, on=signed_on
        )
        for need in required:
            if need.form in self.scenario.unsigned_forms or signed_on > self.scenario.until:
                continue
            guardian = SignerRole.GUARDIAN in need.signers
            self.demo.consents.append(
                {
                    "form": need.form.value,
                    "template_version": self.clinic.template_version(need.form, signed_on),
                    "signed_on": signed_on,
                    "guardian_name": self.patient.guardian_name if guardian else "",
                    "guardian_relationship": self.patient.guardian_relationship if guardian else "",
                    "witness_name": "",
                    "prescriber_name": self.clinic.prescriber_name,
                }
            )
