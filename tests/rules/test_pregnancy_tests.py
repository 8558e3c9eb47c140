"""Pregnancy test checks under the rule set of the specimen date (domain.md §1.3, §1.4, §1.7)."""

from datetime import date

import pytest

from desktop.rules.pregnancy_tests import (
    PregnancyTest,
    PregnancyTestPurpose,
    PregnancyTestResult,
    PregnancyTestSetting,
    VerificationMethod,
    check_pregnancy_test,
    is_hard_stop,
    latest_negative,
)

P = PregnancyTestPurpose
R = PregnancyTestResult
HOME = PregnancyTestSetting.HOME
MEDICAL = PregnancyTestSetting.MEDICAL
PHOTO = VerificationMethod.PHOTO


def home(purpose: P, on: date, *, verified: bool = True) -> PregnancyTest:
    return PregnancyTest(
        purpose,
        on,
        R.NEGATIVE,
        setting=HOME,
        verified_by="Nurse A" if verified else "",
        verification_method=PHOTO if verified else None,
    )


@pytest.mark.parametrize(
    ("test", "allowed", "fields"),
    [
        pytest.param(
            PregnancyTest(P.MONTHLY, date(2026, 3, 2), R.NEGATIVE, setting=MEDICAL),
            False,
            (),
            id="§1.4-medical-negative-ok",
        ),
        pytest.param(
            home(P.MONTHLY, date(2026, 8, 7)),
            True,
            ("setting",),
            id="§1.4-home-day-before-change-refused",
        ),
        pytest.param(
            home(P.MONTHLY, date(2026, 8, 8)), True, (), id="§1.4-home-day-of-change-allowed"
        ),
        pytest.param(
            home(P.MONTHLY, date(2026, 8, 9)), True, (), id="§1.4-home-day-after-change-allowed"
        ),
        pytest.param(
            home(P.MONTHLY, date(2026, 9, 1)),
            False,
            ("setting",),
            id="§1.4-home-needs-prescriber-allowance",
        ),
        pytest.param(
            home(P.POST_COURSE, date(2026, 9, 1)), True, (), id="§1.7-home-post-course-allowed"
        ),
        pytest.param(
            home(P.CONFIRMATION, date(2026, 9, 1)),
            True,
            ("setting",),
            id="§1.3-confirmation-always-medical",
        ),
        pytest.param(
            home(P.SCREENING, date(2026, 9, 1)),
            True,
            ("setting",),
            id="§1.3-screening-always-medical",
        ),
        pytest.param(
            home(P.MONTHLY, date(2026, 9, 1), verified=False),
            True,
            ("verification_method", "verified_by"),
            id="§1.4-home-needs-verification",
        ),
        pytest.param(
            PregnancyTest(P.MONTHLY, date(2026, 3, 2), R.POSITIVE),
            False,
            ("result",),
            id="§1.7-positive-hard-stop",
        ),
        pytest.param(
            PregnancyTest(P.MONTHLY, date(2026, 3, 2), R.INVALID),
            False,
            ("result",),
            id="§1.4-invalid-repeat",
        ),
        pytest.param(
            PregnancyTest(P.CONFIRMATION, date(2026, 3, 2), R.NEGATIVE, clia_certified_lab=False),
            False,
            ("clia_certified_lab",),
            id="§1.3-confirmation-needs-clia-before-change",
        ),
        pytest.param(
            PregnancyTest(P.CONFIRMATION, date(2026, 8, 8), R.NEGATIVE, clia_certified_lab=False),
            False,
            (),
            id="§1.3-any-medical-setting-after-change",
        ),
    ],
)
def test_check_pregnancy_test(test: PregnancyTest, allowed: bool, fields: tuple[str, ...]) -> None:
    problems = check_pregnancy_test(test, prescriber_allows_home_tests=allowed)
    assert tuple(p.field for p in problems) == fields


def test_home_tests_follow_the_configured_change_date() -> None:
    test = home(P.MONTHLY, date(2026, 9, 1))
    problems = check_pregnancy_test(
        test, prescriber_allows_home_tests=True, modification_effective_on=date(2026, 10, 1)
    )
    assert [p.field for p in problems] == ["setting"]


def test_positive_result_is_a_hard_stop_with_an_actionable_message() -> None:
    test = PregnancyTest(P.MONTHLY, date(2026, 3, 2), R.POSITIVE)
    assert is_hard_stop(test)
    (problem,) = check_pregnancy_test(test, prescriber_allows_home_tests=False)
    assert "must stop now" in problem.message
    assert not is_hard_stop(PregnancyTest(P.MONTHLY, date(2026, 3, 2), R.NEGATIVE))


def test_latest_negative_ignores_other_purposes_and_positive_results() -> None:
    tests = (
        PregnancyTest(P.MONTHLY, date(2026, 2, 1), R.NEGATIVE),
        PregnancyTest(P.MONTHLY, date(2026, 3, 1), R.INVALID),
        PregnancyTest(P.SCREENING, date(2026, 3, 5), R.NEGATIVE),
    )
    assert latest_negative(tests, frozenset({P.MONTHLY})) == tests[0]
    assert latest_negative(tests, frozenset({P.POST_COURSE})) is None
