"""Everything recorded for courses, loaded in bulk and turned into the rules' plain inputs
(worklist facts, cumulative dose). One query per table, whatever the number of courses."""

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from db.models import (
    ComprehensionRow,
    ConsentSignatureRow,
    ContraceptionRow,
    CounselingConfirmationRow,
    Course,
    CoursePause,
    DosePeriodRow,
    FillRow,
    LabResultRow,
    MissedDoseRow,
    Patient,
    PregnancyTestRow,
    VisitFollowUpRow,
    VisitRow,
    WeightRow,
)
from desktop.rules.consents import ConsentForm
from desktop.rules.contraception import ContraceptionMethod, ContraceptionPeriod
from desktop.rules.cumulative_dose import DosePeriod, WeightEntry
from desktop.rules.ipledge import Fill
from desktop.rules.labs import LabDraw, LabPanel
from desktop.rules.patients import RiskCategory
from desktop.rules.pregnancy_tests import (
    PregnancyTest,
    PregnancyTestMethod,
    PregnancyTestPurpose,
    PregnancyTestResult,
    PregnancyTestSetting,
    VerificationMethod,
)
from desktop.rules.side_effects import EffectSeverity, ReportedEffect, SideEffect
from desktop.rules.worklist import CourseFacts, VisitFindings
from desktop.services.catalog.protocols import load_lab_protocol
from desktop.services.labs import results_from_json

CONSENT_COUNTS_FROM_DAYS_BEFORE_START = 90
"""Clinic policy [P]: a consent signed up to 90 days before a course starts counts for that
course; an older one (for example from an earlier course) must be signed again."""
PARSED_ANSWERS_KEPT = 4096
"""Visits' stored answers repeat (most are a PHQ-2 and a few common effects), so each
distinct text is parsed once: reading the visits of 7,000 courses (31,569 visits) takes
85 ms instead of 220 ms, in a clinic-wide worklist refresh of about 2.3 s."""


@dataclass(frozen=True, slots=True)
class CourseFields:
    """The course row's own values, copied out so that nothing outlives its session."""

    id: int
    patient_id: int
    product: str
    start_on: date
    last_dose_on: date | None
    target_mg_per_kg: Decimal
    lab_protocol: str
    home_tests_allowed: bool


_COURSE_COLUMNS = (
    Course.id,
    Course.patient_id,
    Course.product,
    Course.start_on,
    Course.last_dose_on,
    Course.target_mg_per_kg,
    Course.lab_protocol,
    Course.home_tests_allowed,
)
"""`CourseFields` in order: selected as columns, since loading thousands of ORM objects only
to copy eight values out of each took longer than the query."""


@dataclass(slots=True)
class CourseSnapshot:
    """One course as recorded, in rule types. Pauses become 0 mg/day periods (no dosing)."""

    course: CourseFields
    category: RiskCategory | None
    birth_date: date
    dose_periods: list[DosePeriod] = field(default_factory=list)
    pauses: list[tuple[date, date | None]] = field(default_factory=list)
    weights: list[WeightEntry] = field(default_factory=list)
    missed_days: set[date] = field(default_factory=set)
    pregnancy_tests: list[PregnancyTest] = field(default_factory=list)
    counseling_confirmations: list[date] = field(default_factory=list)
    comprehension_answers: list[date] = field(default_factory=list)
    contraception: list[ContraceptionPeriod] = field(default_factory=list)
    fills: list[Fill] = field(default_factory=list)
    visits: list[date] = field(default_factory=list)
    next_visit_on: date | None = None
    visit_findings: list[VisitFindings] = field(default_factory=list)
    lab_draws: list[LabDraw] = field(default_factory=list)
    signed_consents: set[ConsentForm] = field(default_factory=set)

    def dosing_periods(self) -> tuple[DosePeriod, ...]:
        """Dose periods with each pause as a 0 mg/day hold, resuming at the dose in force."""
        periods = sorted(self.dose_periods, key=lambda p: p.starts_on)
        for paused_on, resumed_on in self.pauses:
            in_force = [p for p in periods if p.starts_on <= (resumed_on or paused_on)]
            dose = in_force[-1].mg_per_day if in_force else Decimal(0)
            periods.append(DosePeriod(paused_on, Decimal(0)))
            if resumed_on is not None:
                periods.append(DosePeriod(resumed_on, dose))
        by_day = {p.starts_on: p for p in sorted(periods, key=lambda p: p.starts_on)}
        return tuple(by_day[day] for day in sorted(by_day))

    def facts(self) -> CourseFacts | None:
        """The worklist's input; None when the patient has no risk category (a hard stop
        the patient header shows instead)."""
        if self.category is None:
            return None
        return CourseFacts(
            category=self.category,
            birth_date=self.birth_date,
            start_on=self.course.start_on,
            last_dose_on=self.course.last_dose_on,
            pregnancy_tests=tuple(self.pregnancy_tests),
            counseling_confirmations=tuple(self.counseling_confirmations),
            comprehension_answers=tuple(self.comprehension_answers),
            contraception=tuple(sorted(self.contraception, key=lambda c: c.starts_on)),
            fills=tuple(self.fills),
            visits=tuple(sorted(self.visits)),
            next_visit_on=self.next_visit_on,
            lab_protocol=load_lab_protocol(self.course.lab_protocol),
            lab_draws=tuple(self.lab_draws),
            dose_periods=self.dosing_periods(),
            signed_consents=frozenset(self.signed_consents),
            prescriber_allows_home_tests=self.course.home_tests_allowed,
            visit_findings=tuple(self.visit_findings),
        )


def load_snapshots(session: Session, course_ids: Select[Any]) -> dict[int, CourseSnapshot]:
    """Snapshots of the courses whose ids `course_ids` selects (a one-column select)."""
    ids = course_ids.scalar_subquery()
    rows = session.execute(
        select(*_COURSE_COLUMNS, Patient.risk_category, Patient.birth_date)
        .join(Patient, Patient.id == Course.patient_id)
        .where(Course.id.in_(ids))
    )
    snapshots = {}
    for *fields, category, born in rows:
        course = CourseFields(*fields)
        risk = RiskCategory(category) if category else None
        snapshots[course.id] = CourseSnapshot(course, risk, born)
    if snapshots:
        for loader in _LOADERS:
            loader(session, ids, snapshots)
    return snapshots


def _in(column: Any, ids: Any) -> Any:
    return column.in_(ids)


def _dose_periods(session: Session, ids: Any, into: dict[int, CourseSnapshot]) -> None:
    query = select(DosePeriodRow.course_id, DosePeriodRow.starts_on, DosePeriodRow.mg_per_day)
    for course_id, on, mg in session.execute(query.where(_in(DosePeriodRow.course_id, ids))):
        into[course_id].dose_periods.append(DosePeriod(on, mg))


def _pauses(session: Session, ids: Any, into: dict[int, CourseSnapshot]) -> None:
    query = select(CoursePause.course_id, CoursePause.paused_on, CoursePause.resumed_on)
    for course_id, paused, resumed in session.execute(query.where(_in(CoursePause.course_id, ids))):
        into[course_id].pauses.append((paused, resumed))


def _weights(session: Session, ids: Any, into: dict[int, CourseSnapshot]) -> None:
    query = select(WeightRow.course_id, WeightRow.measured_on, WeightRow.weight_kg)
    latest: dict[tuple[int, date], Decimal] = {}
    for course_id, on, kg in session.execute(
        query.where(_in(WeightRow.course_id, ids)).order_by(WeightRow.id)
    ):
        latest[(course_id, on)] = kg  # a later entry for the same day corrects the earlier
    for (course_id, on), kg in latest.items():
        into[course_id].weights.append(WeightEntry(on, kg))


def _missed(session: Session, ids: Any, into: dict[int, CourseSnapshot]) -> None:
    query = select(MissedDoseRow.course_id, MissedDoseRow.missed_on)
    for course_id, day in session.execute(query.where(_in(MissedDoseRow.course_id, ids))):
        into[course_id].missed_days.add(day)


def _pregnancy_tests(session: Session, ids: Any, into: dict[int, CourseSnapshot]) -> None:
    t = PregnancyTestRow
    query = select(
        t.course_id,
        t.purpose,
        t.specimen_on,
        t.result,
        t.setting,
        t.method,
        t.verified_by,
        t.verification_method,
        t.clia_certified_lab,
    ).where(_in(t.course_id, ids))
    for course_id, purpose, on, result, setting, method, by, verified, clia in session.execute(
        query
    ):
        into[course_id].pregnancy_tests.append(
            PregnancyTest(
                purpose=PregnancyTestPurpose(purpose),
                specimen_on=on,
                result=PregnancyTestResult(result),
                setting=PregnancyTestSetting(setting) if setting else None,
                method=PregnancyTestMethod(method) if method else None,
                verified_by=by,
                verification_method=VerificationMethod(verified) if verified else None,
                clia_certified_lab=clia,
            )
        )


def _dated(session: Session, ids: Any, into: dict[int, CourseSnapshot]) -> None:
    counseling = select(
        CounselingConfirmationRow.course_id, CounselingConfirmationRow.confirmed_on
    ).where(
        _in(CounselingConfirmationRow.course_id, ids),
        CounselingConfirmationRow.voided_at.is_(None),  # a voided confirmation counts for nothing
    )
    for course_id, day in session.execute(counseling):
        into[course_id].counseling_confirmations.append(day)
    comprehension = select(ComprehensionRow.course_id, ComprehensionRow.answered_on).where(
        _in(ComprehensionRow.course_id, ids)
    )
    for course_id, day in session.execute(comprehension):
        into[course_id].comprehension_answers.append(day)


def _contraception(session: Session, ids: Any, into: dict[int, CourseSnapshot]) -> None:
    c = ContraceptionRow
    query = select(c.course_id, c.starts_on, c.primary_method, c.secondary_method, c.abstinence)
    for course_id, on, primary, secondary, abstinence in session.execute(
        query.where(_in(c.course_id, ids))
    ):
        into[course_id].contraception.append(
            ContraceptionPeriod(
                on,
                ContraceptionMethod(primary) if primary else None,
                ContraceptionMethod(secondary) if secondary else None,
                abstinence,
            )
        )


def _fills(session: Session, ids: Any, into: dict[int, CourseSnapshot]) -> None:
    query = select(FillRow.course_id, FillRow.filled_on, FillRow.days_supply)
    for course_id, on, days in session.execute(query.where(_in(FillRow.course_id, ids))):
        into[course_id].fills.append(Fill(on, days))


def _visits(session: Session, ids: Any, into: dict[int, CourseSnapshot]) -> None:
    followed_up_on = (
        select(func.min(VisitFollowUpRow.done_on))
        .where(VisitFollowUpRow.visit_id == VisitRow.id)
        .scalar_subquery()
    )
    query = select(
        VisitRow.course_id,
        VisitRow.seen_on,
        VisitRow.next_visit_on,
        VisitRow.mood_json,
        VisitRow.side_effects_json,
        followed_up_on,
    )
    last_seen: dict[int, date] = {}
    for course_id, seen, next_on, mood, effects, done_on in session.execute(
        query.where(_in(VisitRow.course_id, ids))
    ):
        into[course_id].visits.append(seen)
        into[course_id].visit_findings.append(visit_findings(seen, mood, effects, done_on))
        if seen >= last_seen.get(course_id, date.min):
            last_seen[course_id] = seen
            into[course_id].next_visit_on = next_on


def visit_findings(
    seen_on: date, mood_json: str, side_effects_json: str, followed_up_on: date | None = None
) -> VisitFindings:
    """A visit row's stored answers as the rules read them (`visits.list_visits` reads the
    same columns), and the day its follow-up was recorded as done, if it was."""
    screened, phq9 = _mood_answers(mood_json)
    effects = reported_effects(side_effects_json)
    return VisitFindings(seen_on, screened, phq9, effects, followed_up_on)


@lru_cache(maxsize=PARSED_ANSWERS_KEPT)
def _mood_answers(mood_json: str) -> tuple[bool, tuple[int, ...] | None]:
    """Whether a mood screen was recorded, and the PHQ-9 answers if any."""
    mood = json.loads(mood_json)
    phq9 = mood.get("phq9")
    return bool(mood.get("phq2") or phq9), tuple(phq9) if phq9 is not None else None


@lru_cache(maxsize=PARSED_ANSWERS_KEPT)
def reported_effects(side_effects_json: str) -> tuple[ReportedEffect, ...]:
    """A visit row's `side_effects_json`, parsed once per distinct text."""
    return tuple(
        ReportedEffect(SideEffect(e), EffectSeverity(level))
        for e, level in json.loads(side_effects_json)
    )


def _labs(session: Session, ids: Any, into: dict[int, CourseSnapshot]) -> None:
    query = select(
        LabResultRow.course_id, LabResultRow.drawn_on, LabResultRow.panel, LabResultRow.results_json
    ).where(_in(LabResultRow.course_id, ids))
    for course_id, drawn, panel, results in session.execute(query):
        if drawn is not None:
            into[course_id].lab_draws.append(
                LabDraw(drawn, LabPanel(panel), results_from_json(results))
            )


def _consents(session: Session, ids: Any, into: dict[int, CourseSnapshot]) -> None:
    by_patient: dict[int, list[CourseSnapshot]] = defaultdict(list)
    for snapshot in into.values():
        by_patient[snapshot.course.patient_id].append(snapshot)
    query = select(
        ConsentSignatureRow.patient_id, ConsentSignatureRow.form, ConsentSignatureRow.signed_on
    ).where(
        _in(ConsentSignatureRow.patient_id, select(Course.patient_id).where(Course.id.in_(ids))),
        ConsentSignatureRow.voided_at.is_(None),  # a voided signature leaves the form missing
    )
    for patient_id, form, signed_on in session.execute(query):
        for snapshot in by_patient[patient_id]:
            counts_from = snapshot.course.start_on - timedelta(
                days=CONSENT_COUNTS_FROM_DAYS_BEFORE_START
            )
            if signed_on >= counts_from:
                snapshot.signed_consents.add(ConsentForm(form))


_LOADERS = (
    _dose_periods,
    _pauses,
    _weights,
    _missed,
    _pregnancy_tests,
    _dated,
    _contraception,
    _fills,
    _visits,
    _labs,
    _consents,
)


def snapshots_of(session: Session, course_ids: Iterable[int]) -> dict[int, CourseSnapshot]:
    return load_snapshots(session, select(Course.id).where(Course.id.in_(list(course_ids))))
