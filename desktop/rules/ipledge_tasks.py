"""iPLEDGE worklist candidates: hard stops, first course, monthly steps, windows, post-course."""

from collections.abc import Iterator
from datetime import date

from desktop.rules.calendar import add_days
from desktop.rules.contraception import period_in_force
from desktop.rules.fill_window import WindowBasis
from desktop.rules.first_course import (
    CONTRACEPTION_LEAD_DAYS,
    FirstCourseStatus,
    first_course_status,
)
from desktop.rules.ipledge import IpledgeStep, post_course_obligations
from desktop.rules.ipledge_cycle import CycleStatus, IpledgeHistory, cycle_status
from desktop.rules.ipledge_rule_sets import SCREENING_TO_CONFIRMATION_MIN_DAYS, rule_set_in_force
from desktop.rules.patients import RiskCategory
from desktop.rules.pregnancy_tests import (
    HARD_STOP_MESSAGE,
    PregnancyTestPurpose,
    PregnancyTestResult,
)
from desktop.rules.worklist_items import Candidate, Severity, WorkKind, WorklistSettings

_FIRST_COURSE_STEPS = frozenset({IpledgeStep.PREGNANCY_TEST, IpledgeStep.CONTRACEPTION_ENTRY})
"""Before the first fill these two come from the first-course rules (domain.md §1.3)."""


def ipledge_candidates(
    history: IpledgeHistory, *, on: date, settings: WorklistSettings
) -> Iterator[Candidate]:
    yield from positive_tests(history, on)
    if history.last_dose_on is None or on <= history.last_dose_on:
        yield from _treatment(history, on, settings)
    yield from post_course_tests(history, on, settings)


def positive_tests(history: IpledgeHistory, on: date) -> Iterator[Candidate]:
    """A positive test stands until a later negative one (domain.md §1.7: hard stop)."""
    known = [t for t in history.pregnancy_tests if t.specimen_on <= on]
    last_negative = max((t.specimen_on for t in known if t.is_negative), default=None)
    for test in known:
        is_positive = test.result is PregnancyTestResult.POSITIVE
        if is_positive and (last_negative is None or test.specimen_on > last_negative):
            yield Candidate(
                WorkKind.PREGNANCY_TEST_POSITIVE,
                test.specimen_on,
                f"Pregnancy test of {test.specimen_on.isoformat()} is positive. "
                + HARD_STOP_MESSAGE,
                Severity.URGENT,
            )


def _treatment(
    history: IpledgeHistory, on: date, settings: WorklistSettings
) -> Iterator[Candidate]:
    cycle = cycle_status(
        history,
        on=on,
        modification_effective_on=settings.modification_effective_on,
        pcngp_window_days_after_modification=settings.pcngp_window_days_after_modification,
    )
    if history.last_dose_on is not None and cycle.prescription_due_on > history.last_dose_on:
        return
    first_pcgp = cycle.last_fill is None and history.category is RiskCategory.CAN_GET_PREGNANT
    if first_pcgp:
        status = first_course_status(
            history.pregnancy_tests,
            history.contraception,
            on=on,
            modification_effective_on=settings.modification_effective_on,
        )
        yield from _first_course(history, status, settings)
    for step in cycle.steps_to_do:
        if not (first_pcgp and step in _FIRST_COURSE_STEPS):
            yield _step(step, history, cycle, on, settings)
    yield from _window_closing(cycle, on, settings)


def _first_course(
    history: IpledgeHistory, status: FirstCourseStatus, settings: WorklistSettings
) -> Iterator[Candidate]:
    """Screening, contraception lead time, confirmation test (domain.md §1.3)."""
    if not status.has_screening_test:
        yield Candidate(
            WorkKind.SCREENING_TEST,
            add_days(history.start_on, -SCREENING_TO_CONFIRMATION_MIN_DAYS),
            "Screening pregnancy test needed, in a medical setting; the confirmation test can "
            f"follow {SCREENING_TO_CONFIRMATION_MIN_DAYS} days later.",
        )
    if status.protected_since is None:
        yield Candidate(
            WorkKind.CONTRACEPTION,
            add_days(history.start_on, -CONTRACEPTION_LEAD_DAYS),
            "No acceptable contraception on record: two separate methods (one primary) or "
            f"abstinence, from at least {CONTRACEPTION_LEAD_DAYS} days before the confirmation "
            "test (clinic policy).",
        )
    verdict = status.confirmation_verdict
    if verdict is not None and not verdict.counts:
        # Dated at its specimen, not at the repeat date, so that it shows at once.
        yield Candidate(
            WorkKind.CONFIRMATION_TEST,
            verdict.test.specimen_on,
            verdict.sentence(),
            Severity.WARNING,
        )
        return
    confirmation = _confirmation(history, status, settings)
    if confirmation is not None:
        yield confirmation


def _confirmation(
    history: IpledgeHistory, status: FirstCourseStatus, settings: WorklistSettings
) -> Candidate | None:
    earliest = status.earliest_confirmation_test
    if status.next_confirmation_test_not_before is not None:
        return _missed_first_window(status.next_confirmation_test_not_before, status, settings)
    if status.confirmation_test is None:
        return Candidate(
            WorkKind.CONFIRMATION_TEST,
            max(earliest, history.start_on),
            f"Confirmation pregnancy test in a medical setting, not before {earliest.isoformat()};"
            " the prescription must then be filled within 7 days of the specimen.",
        )
    return None


def _missed_first_window(
    not_before: date, status: FirstCourseStatus, settings: WorklistSettings
) -> Candidate:
    """19-day wait before the modification, an immediate repeat after (domain.md §1.3)."""
    rule_set = rule_set_in_force(
        not_before, modification_effective_on=settings.modification_effective_on
    )
    closed = status.missed_window_closed_on.isoformat() if status.missed_window_closed_on else ""
    wait = (
        f"a new confirmation test, in a medical setting, may be collected from "
        f"{not_before.isoformat()}"
        if rule_set.missed_first_window_wait_days is None
        else f"the next confirmation specimen may not be collected before "
        f"{not_before.isoformat()} ({rule_set.missed_first_window_wait_days}-day wait)"
    )
    return Candidate(
        WorkKind.CONFIRMATION_TEST,
        not_before,
        f"The first fill window closed on {closed} without a fill: {wait} ({rule_set.title}).",
        Severity.WARNING,
    )


def _step(
    step: IpledgeStep,
    history: IpledgeHistory,
    cycle: CycleStatus,
    on: date,
    settings: WorklistSettings,
) -> Candidate:
    """One step still to do before the next prescription (domain.md §1.4)."""
    due = cycle.prescription_due_on
    before = f"before the prescription due {due.isoformat()}"
    if step is IpledgeStep.COUNSELING_CONFIRMATION:
        message = f"Prescriber to confirm counselling in iPLEDGE {before}."
        return Candidate(WorkKind.COUNSELING_CONFIRMATION, due, message)
    if step is IpledgeStep.COMPREHENSION_QUESTIONS:
        message = f"Patient to answer the iPLEDGE comprehension questions {before}."
        return Candidate(WorkKind.COMPREHENSION_QUESTIONS, due, message)
    if step is IpledgeStep.CONTRACEPTION_ENTRY:
        period = period_in_force(history.contraception, on)
        return Candidate(
            WorkKind.CONTRACEPTION,
            history.start_on if period is None else period.starts_on,
            "No acceptable contraception on record as in use: two separate methods (one "
            "primary) or abstinence are needed throughout treatment; tell the prescriber.",
            Severity.URGENT,
        )
    missed = cycle.window.missed
    reason = (
        f"the window of the test of {missed.opens.isoformat()} closed on "
        f"{missed.closes.isoformat()} without a fill, so a new test is needed; "
        if missed is not None
        else ""
    )
    note = _home_note(history, due, settings)
    if cycle.tests_not_counted:
        # A test that does not count is shown at once, dated at its specimen (§1.4).
        latest = cycle.tests_not_counted[-1]
        return Candidate(
            WorkKind.PREGNANCY_TEST,
            min(due, latest.test.specimen_on),
            f"Monthly pregnancy test {before}. {latest.sentence()} A test that counts opens "
            f"a 7-day fill window from its specimen date.{note}",
            Severity.WARNING,
        )
    return Candidate(
        WorkKind.PREGNANCY_TEST,
        due,
        f"Monthly pregnancy test {before}: {reason}the specimen date opens a 7-day fill "
        f"window.{note}",
    )


def _window_closing(
    cycle: CycleStatus, on: date, settings: WorklistSettings
) -> Iterator[Candidate]:
    window = cycle.window.open
    if window is None:
        return
    days_left = (window.closes - on).days
    floor = Severity.INFO
    if days_left <= settings.closing_soon_days:
        floor = Severity.URGENT if days_left == 0 else Severity.WARNING
    basis = "clinic policy" if window.basis is WindowBasis.CLINIC_POLICY else "iPLEDGE"
    yield Candidate(
        WorkKind.FILL_WINDOW_CLOSING,
        window.closes,
        f"Prescription to be filled by {window.closes.isoformat()} (window opened "
        f"{window.opens.isoformat()}, {basis}).",
        floor,
    )


def post_course_tests(
    history: IpledgeHistory, on: date, settings: WorklistSettings
) -> Iterator[Candidate]:
    """Tests at the end of the course and 1 month after (domain.md §1.7)."""
    if history.last_dose_on is None or history.category is not RiskCategory.CAN_GET_PREGNANT:
        return
    post = post_course_obligations(history.category, last_dose_on=history.last_dose_on)
    done = {t.purpose for t in history.pregnancy_tests if t.is_negative and t.specimen_on <= on}
    checks = (
        (
            PregnancyTestPurpose.END_OF_COURSE,
            WorkKind.END_OF_COURSE_PREGNANCY_TEST,
            post.end_of_course_pregnancy_test_due,
            "End-of-course pregnancy test due",
        ),
        (
            PregnancyTestPurpose.POST_COURSE,
            WorkKind.POST_COURSE_PREGNANCY_TEST,
            post.pregnancy_test_due,
            "Pregnancy test due 1 month after the last dose",
        ),
    )
    for purpose, kind, due, text in checks:
        if due is not None and purpose not in done:
            last = history.last_dose_on.isoformat()
            note = _home_note(history, due, settings)
            yield Candidate(kind, due, f"{text} (last dose {last}).{note}")


def _home_note(history: IpledgeHistory, day: date, settings: WorklistSettings) -> str:
    """Home tests during and after treatment: modified rule set plus the prescriber's
    allowance (domain.md §1.4, §1.7)."""
    rule_set = rule_set_in_force(day, modification_effective_on=settings.modification_effective_on)
    if rule_set.home_tests_during_treatment and history.prescriber_allows_home_tests:
        return " A verified home test is allowed."
    return " It must be done in a medical setting."
