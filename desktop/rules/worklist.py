"""Worklist: what is due, overdue or closing for one course on a given day, from plain facts.

The input is `CourseFacts`, a flat record of what the clinic recorded for one course; the
database-backed worklist service maps stored rows to it. Vocabulary (kinds, statuses,
severities, settings) lives in `worklist_items`, iPLEDGE candidates in `ipledge_tasks`.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from desktop.rules.calendar import add_days, add_months
from desktop.rules.consents import ConsentForm, missing_consent_forms, required_consent_forms
from desktop.rules.contraception import ContraceptionPeriod
from desktop.rules.cumulative_dose import DosePeriod
from desktop.rules.ipledge import Fill
from desktop.rules.ipledge_cycle import IpledgeHistory
from desktop.rules.ipledge_tasks import ipledge_candidates
from desktop.rules.lab_analytes import SPECS
from desktop.rules.lab_flags import FlagLevel, standing_flag_message, standing_flags
from desktop.rules.labs import (
    PANEL_LABELS,
    LabDraw,
    LabDue,
    LabDuePurpose,
    LabProtocol,
    labs_due,
)
from desktop.rules.patients import RiskCategory
from desktop.rules.pregnancy_tests import PregnancyTest
from desktop.rules.visit_follow_up import VisitFindings, follow_up_message, standing_follow_ups
from desktop.rules.worklist_items import (
    CLOSING_SOON_DAYS,
    UPCOMING_DAYS,
    Candidate,
    ItemStatus,
    Severity,
    WorkKind,
    WorklistItem,
    WorklistSettings,
    status_on,
    to_item,
    urgency_key,
)

__all__ = [
    "CLOSING_SOON_DAYS",
    "UPCOMING_DAYS",
    "VISIT_INTERVAL_MONTHS",
    "CourseFacts",
    "ItemStatus",
    "Severity",
    "VisitFindings",
    "WorkKind",
    "WorklistItem",
    "WorklistSettings",
    "status_on",
    "urgency_key",
    "worklist_items",
]

VISIT_INTERVAL_MONTHS = 1
"""Clinic policy [P]: a visit every calendar month (domain.md §4.3, §8 M1), unless the last
visit set another date."""

CONSENT_TITLES = {
    ConsentForm.INFORMED_CONSENT: "informed consent (all patients)",
    ConsentForm.PREGNANCY_PREVENTION: "pregnancy prevention consent",
    ConsentForm.CONTRACEPTION_COUNSELING: "contraception counselling form",
}


@dataclass(frozen=True, slots=True)
class CourseFacts:
    """Everything the worklist needs about one course, as recorded (domain.md §1.8).
    Facts dated after the day asked about are ignored, so a list may hold the whole course."""

    category: RiskCategory
    birth_date: date
    start_on: date
    last_dose_on: date | None = None
    """The last dose taken or planned (the course description's `end_date`)."""
    pregnancy_tests: tuple[PregnancyTest, ...] = ()
    counseling_confirmations: tuple[date, ...] = ()
    comprehension_answers: tuple[date, ...] = ()
    contraception: tuple[ContraceptionPeriod, ...] = ()
    fills: tuple[Fill, ...] = ()
    visits: tuple[date, ...] = ()
    next_visit_on: date | None = None
    """The next visit date set at the last visit, if any."""
    lab_protocol: LabProtocol | None = None
    lab_draws: tuple[LabDraw, ...] = ()
    dose_periods: tuple[DosePeriod, ...] = ()
    """Planned dose periods; the minimal-peak protocol times its repeat from the highest."""
    signed_consents: frozenset[ConsentForm] = frozenset()
    prescriber_allows_home_tests: bool = False
    visit_findings: tuple[VisitFindings, ...] = ()
    """What each visit found that can call for same-day follow-up (domain.md §4.1, §4.2)."""

    def ipledge_history(self) -> IpledgeHistory:
        return IpledgeHistory(
            category=self.category,
            start_on=self.start_on,
            pregnancy_tests=self.pregnancy_tests,
            counseling_confirmations=self.counseling_confirmations,
            comprehension_answers=self.comprehension_answers,
            contraception=self.contraception,
            fills=self.fills,
            visits=self.visits,
            last_dose_on=self.last_dose_on,
            prescriber_allows_home_tests=self.prescriber_allows_home_tests,
        )

    def is_active_on(self, day: date) -> bool:
        return self.last_dose_on is None or day <= self.last_dose_on


def worklist_items(
    facts: CourseFacts, *, on: date, settings: WorklistSettings | None = None
) -> tuple[WorklistItem, ...]:
    """Every item overdue, due on `on`, or due within `settings.upcoming_days`, most urgent
    first (`urgency_key`). Status follows from the due date alone (`status_on`)."""
    settings = settings or WorklistSettings()
    horizon = add_days(on, settings.upcoming_days)
    candidates = _candidates(facts, on, settings)
    items = [to_item(c, on) for c in candidates if c.due_on <= horizon]
    return tuple(sorted(items, key=urgency_key))


def _candidates(facts: CourseFacts, on: date, settings: WorklistSettings) -> Iterator[Candidate]:
    yield from ipledge_candidates(facts.ipledge_history(), on=on, settings=settings)
    if facts.is_active_on(on):
        yield from _consents(facts, on)
        yield from _visit(facts, on)
    yield from _follow_ups(facts, on)
    yield from _labs(facts, on, settings)


def _consents(facts: CourseFacts, on: date) -> Iterator[Candidate]:
    """Forms by risk category and by age on the signing day (domain.md §5)."""
    required = required_consent_forms(
        can_get_pregnant=facts.category is RiskCategory.CAN_GET_PREGNANT,
        birth_date=facts.birth_date,
        on=on,
    )
    signers = {r.form: r.signers for r in required}
    for form in missing_consent_forms(required, facts.signed_consents):
        who = _spoken_list([s.value for s in signers[form]])
        yield Candidate(
            WorkKind.CONSENT_MISSING,
            facts.start_on,
            f"No signed {CONSENT_TITLES[form]} on record: to be signed by {who} before the "
            "first prescription.",
        )


def _spoken_list(words: list[str]) -> str:
    """ "patient and prescriber"; "patient, guardian and prescriber"."""
    return " and ".join(filter(None, (", ".join(words[:-1]), words[-1])))


def _visit(facts: CourseFacts, on: date) -> Iterator[Candidate]:
    """Monthly visit (clinic policy `VISIT_INTERVAL_MONTHS`); none after the last dose."""
    seen = [day for day in facts.visits if day <= on]
    if facts.next_visit_on is not None and (not seen or facts.next_visit_on > max(seen)):
        due = facts.next_visit_on
    else:
        due = add_months(max(seen, default=facts.start_on), VISIT_INTERVAL_MONTHS)
    if facts.last_dose_on is None or due <= facts.last_dose_on:
        yield Candidate(
            WorkKind.VISIT,
            due,
            "Monthly visit due: weight, dose, side effects, mood screen and iPLEDGE steps.",
        )


def _follow_ups(facts: CourseFacts, on: date) -> Iterator[Candidate]:
    """PHQ-9 question 9 above 0 (domain.md §4.2: same-day clinician follow-up whatever the
    total) and stop-and-call or severe side effects (§4.1): urgent, due on the visit day,
    overdue after it until the follow-up is recorded as done or a later visit judges the
    same thing without the flag (`standing_follow_ups`, as lab flags clear in `_labs`). It
    stands while visits are expected: until the last dose, as the monthly visit does, and at
    least on the day of its own visit."""
    for standing in standing_follow_ups(facts.visit_findings, on=on):
        if facts.is_active_on(on) or standing.seen_on == on:
            yield Candidate(
                WorkKind.SAME_DAY_FOLLOW_UP,
                standing.seen_on,
                follow_up_message(standing),
                Severity.URGENT,
            )


def _labs(facts: CourseFacts, on: date, settings: WorklistSettings) -> Iterator[Candidate]:
    """Draws due under the course's lab protocol (domain.md §3.3), and results flagged alert
    or urgent (§3.4) until a later result of that analyte is not flagged at that level."""
    protocol = facts.lab_protocol
    if protocol is None:
        return
    due = labs_due(
        protocol,
        start_on=facts.start_on,
        end_on=facts.last_dose_on,
        draws=facts.lab_draws,
        dose_periods=facts.dose_periods,
        on=on,
        include_optional_panels=settings.include_optional_lab_panels,
    )
    for item in due:
        yield Candidate(WorkKind.LAB, item.due_on, _due_message(item, protocol))
    for standing in standing_flags(facts.lab_draws, protocol.flag_rules, on=on):
        urgent = standing.flag.level is FlagLevel.URGENT
        yield Candidate(
            WorkKind.LAB,
            standing.draw.drawn_on,
            standing_flag_message(standing),
            Severity.URGENT if urgent else Severity.WARNING,
        )


def _due_message(item: LabDue, protocol: LabProtocol) -> str:
    label = PANEL_LABELS[item.panel]
    if item.purpose is LabDuePurpose.BASELINE and item.window_opens is not None:
        return (
            f"Baseline {label} due before the first dose (a draw from "
            f"{item.window_opens.isoformat()} counts)."
        )
    if item.purpose is LabDuePurpose.RECHECK and item.recheck_of is not None:
        names = " and ".join(SPECS[a].name for a in item.recheck_for)
        return (
            f"Recheck {label} due: {names} abnormal on {item.recheck_of.isoformat()} "
            f"({protocol.name} protocol: more only if abnormal)."
        )
    return f"Repeat {label} due ({protocol.name} protocol)."
