"""Pregnancy test records and the checks each test must pass under the iPLEDGE rules of its date."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from desktop.rules.ipledge_rule_sets import (
    DEFAULT_MODIFICATION_EFFECTIVE_ON,
    RuleSet,
    rule_set_in_force,
)
from desktop.rules.problems import Problem


class PregnancyTestPurpose(StrEnum):
    """Why the test was done (domain.md §1.8)."""

    SCREENING = "screening"
    CONFIRMATION = "confirmation"
    MONTHLY = "monthly"
    END_OF_COURSE = "end_of_course"
    POST_COURSE = "post_course"


class PregnancyTestSetting(StrEnum):
    MEDICAL = "medical"
    """Office, clinic or laboratory (domain.md §1.3)."""
    HOME = "home"


class PregnancyTestMethod(StrEnum):
    URINE = "urine"
    SERUM = "serum"


class PregnancyTestResult(StrEnum):
    NEGATIVE = "negative"
    POSITIVE = "positive"
    INVALID = "invalid"


class VerificationMethod(StrEnum):
    """How the clinic knows the result is genuine (domain.md §1.4 Model: who verified, how)."""

    STAFF_PERFORMED = "staff_performed"
    LAB_REPORT = "lab_report"
    WITNESSED_REMOTELY = "witnessed_remotely"
    PHOTO = "photo"


WINDOW_OPENING_PURPOSES = frozenset(
    {PregnancyTestPurpose.CONFIRMATION, PregnancyTestPurpose.MONTHLY}
)
"""Tests whose specimen date may open a fill window (domain.md §1.3, §1.4, §1.6)."""

PRE_TREATMENT_PURPOSES = frozenset(
    {PregnancyTestPurpose.SCREENING, PregnancyTestPurpose.CONFIRMATION}
)
"""Always in a medical setting, whatever the rule set (domain.md §1.3, §0 2023-11-30 item 1)."""

HOME_TEST_VERIFICATION_METHODS = frozenset(
    {VerificationMethod.WITNESSED_REMOTELY, VerificationMethod.PHOTO}
)
"""Clinic policy [P]: the anti-falsification procedures IsoTrack accepts for a home test,
from the examples in domain.md §1.4 (photo or witnessed test)."""

HARD_STOP_MESSAGE = (
    "Positive pregnancy test: isotretinoin must stop now and no prescription may be filled. "
    "Tell the prescriber today (referral to an obstetrician, report to the iPLEDGE pregnancy "
    "registry)."
)
"""domain.md §1.7: stop at once, refer, report."""


@dataclass(frozen=True, slots=True)
class PregnancyTest:
    """One pregnancy test (domain.md §1.4 Model, §1.8). Optional facts are None / "" when not
    recorded; the checks only judge what was recorded."""

    purpose: PregnancyTestPurpose
    specimen_on: date
    result: PregnancyTestResult
    setting: PregnancyTestSetting | None = None
    method: PregnancyTestMethod | None = None
    verified_by: str = ""
    verification_method: VerificationMethod | None = None
    clia_certified_lab: bool | None = None

    @property
    def is_negative(self) -> bool:
        return self.result is PregnancyTestResult.NEGATIVE


TIMING_FIELD = "specimen_date"
"""The field a timing problem names: the specimen was collected too early (domain.md §1.3)."""


@dataclass(frozen=True, slots=True)
class WindowTestVerdict:
    """Whether a negative confirmation or monthly test opens a fill window and counts as the
    month's test (domain.md §1.3, §1.4, §1.6). It counts only when `problems` is empty;
    each problem names the test's field at fault (`specimen_date` for its timing)."""

    test: PregnancyTest
    problems: tuple[Problem, ...] = ()
    repeat_not_before: date | None = None
    """The first day a repeat test could count, when the problem is one of timing."""

    @property
    def counts(self) -> bool:
        return not self.problems

    @property
    def is_too_early(self) -> bool:
        """Collected before the first day a confirmation test may be (domain.md §1.3)."""
        return any(p.field == TIMING_FIELD for p in self.problems)

    def summary(self) -> str:
        """One sentence: the test does not count, and when to repeat it if that is known."""
        repeat = self._repeat()
        return f"{self._head()}{'; ' + repeat[0].lower() + repeat[1:] if repeat else '.'}"

    def sentence(self) -> str:
        """Every reason, for a worklist item: the head, the problems, when to repeat."""
        parts = [f"{self._head()}.", *(p.message for p in self.problems), self._repeat()]
        return " ".join(part for part in parts if part)

    def _head(self) -> str:
        purpose = self.test.purpose.value.replace("_", "-")
        return (
            f"The {purpose} test of {self.test.specimen_on.isoformat()} does not count and "
            "opens no fill window"
        )

    def _repeat(self) -> str:
        if self.repeat_not_before is None:
            return ""
        return f"Repeat it on or after {self.repeat_not_before.isoformat()}."


def judge_window_test(
    test: PregnancyTest,
    *,
    prescriber_allows_home_tests: bool,
    modification_effective_on: date = DEFAULT_MODIFICATION_EFFECTIVE_ON,
) -> WindowTestVerdict:
    """A test judged on its own merits (`check_pregnancy_test`): a monthly test after the
    first fill. First-course tests have timing rules too (`first_course`)."""
    problems = check_pregnancy_test(
        test,
        prescriber_allows_home_tests=prescriber_allows_home_tests,
        modification_effective_on=modification_effective_on,
    )
    return WindowTestVerdict(test, problems)


def is_hard_stop(test: PregnancyTest) -> bool:
    """A positive result stops treatment and dispensing (domain.md §1.7)."""
    return test.result is PregnancyTestResult.POSITIVE


def check_pregnancy_test(
    test: PregnancyTest,
    *,
    prescriber_allows_home_tests: bool,
    modification_effective_on: date = DEFAULT_MODIFICATION_EFFECTIVE_ON,
) -> tuple[Problem, ...]:
    """Problems with one test under the rule set in force on its specimen date (domain.md §0,
    §1.3, §1.4, §1.7)."""
    rule_set = rule_set_in_force(
        test.specimen_on, modification_effective_on=modification_effective_on
    )
    return (
        *_check_result(test),
        *_check_setting(test, rule_set, prescriber_allows_home_tests),
        *_check_laboratory(test, rule_set),
    )


def latest_negative(
    tests: Iterable[PregnancyTest], purposes: frozenset[PregnancyTestPurpose]
) -> PregnancyTest | None:
    """The most recent negative test with one of `purposes` (by specimen date)."""
    found = [t for t in tests if t.purpose in purposes and t.is_negative]
    return max(found, key=lambda t: t.specimen_on, default=None)


def _check_result(test: PregnancyTest) -> list[Problem]:
    if test.result is PregnancyTestResult.POSITIVE:
        return [Problem("result", HARD_STOP_MESSAGE)]
    if test.result is PregnancyTestResult.INVALID:
        return [Problem("result", "The result is invalid: repeat the test before prescribing.")]
    return []


def _check_setting(test: PregnancyTest, rule_set: RuleSet, allowed: bool) -> list[Problem]:
    """Home tests: never before treatment; only under a rule set that permits them during and
    after treatment, with the prescriber's allowance and a verification (domain.md §1.4)."""
    if test.setting is not PregnancyTestSetting.HOME:
        return []
    if test.purpose in PRE_TREATMENT_PURPOSES:
        return [
            Problem(
                "setting",
                "Screening and confirmation tests must be done in a medical setting "
                "(office, clinic or laboratory); repeat it there.",
            )
        ]
    if not rule_set.home_tests_during_treatment:
        return [
            Problem(
                "setting",
                f"Home tests are not accepted under the iPLEDGE rules in force on "
                f"{test.specimen_on.isoformat()}; repeat the test in a medical setting.",
            )
        ]
    if not allowed:
        return [
            Problem(
                "setting",
                "The prescriber has not allowed home tests for this patient; repeat the test "
                "in a medical setting or ask the prescriber.",
            )
        ]
    return _check_home_verification(test)


def _check_home_verification(test: PregnancyTest) -> list[Problem]:
    problems = []
    if test.verification_method not in HOME_TEST_VERIFICATION_METHODS:
        problems.append(
            Problem(
                "verification_method",
                "Record how the home result was verified (witnessed remotely or photo).",
            )
        )
    if not test.verified_by.strip():
        problems.append(Problem("verified_by", "Record who verified the home test result."))
    return problems


def _check_laboratory(test: PregnancyTest, rule_set: RuleSet) -> list[Problem]:
    """Before the modification the confirmation test came from a CLIA-certified lab (§1.3)."""
    if (
        test.purpose is PregnancyTestPurpose.CONFIRMATION
        and rule_set.confirmation_needs_clia_lab
        and test.clia_certified_lab is False
    ):
        return [
            Problem(
                "clia_certified_lab",
                "Under the iPLEDGE rules in force on this date the confirmation test must be "
                "done by a CLIA-certified laboratory; repeat it there.",
            )
        ]
    return []
