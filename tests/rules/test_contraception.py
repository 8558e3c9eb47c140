"""Two separate methods or abstinence; progestin-only pill refused (domain.md §1.5)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.rules.contraception import (
    METHOD_CLASSES,
    METHOD_LABELS,
    REQUIRE_ONE_PRIMARY_METHOD,
    ContraceptionMethod,
    ContraceptionPeriod,
    MethodClass,
    check_contraception_period,
    describe_period,
    period_in_force,
    protected_since,
)

M = ContraceptionMethod
DAY = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("period", "fields"),
    [
        pytest.param(ContraceptionPeriod(DAY, M.IUD, M.CONDOM), (), id="§1.5-primary-plus-barrier"),
        pytest.param(
            ContraceptionPeriod(DAY, M.COMBINATION_PILL, M.IMPLANT), (), id="§1.5-two-primary"
        ),
        pytest.param(
            ContraceptionPeriod(DAY, M.CONDOM, M.DIAPHRAGM),
            ("primary",),
            id="§1.5-two-secondary-refused-by-policy",
        ),
        pytest.param(
            ContraceptionPeriod(DAY, M.IUD, None),
            ("secondary",),
            id="§1.5-one-method-is-not-enough",
        ),
        pytest.param(ContraceptionPeriod(DAY), ("primary", "secondary"), id="§1.5-nothing"),
        pytest.param(ContraceptionPeriod(DAY, abstinence=True), (), id="§1.5-abstinence"),
        pytest.param(
            ContraceptionPeriod(DAY, M.IUD, abstinence=True),
            ("abstinence",),
            id="§1.5-abstinence-or-methods-not-both",
        ),
        pytest.param(
            ContraceptionPeriod(DAY, M.PROGESTIN_ONLY_PILL, M.CONDOM),
            ("primary",),
            id="§1.5-progestin-only-pill-refused",
        ),
        pytest.param(
            ContraceptionPeriod(DAY, M.IUD, M.IUD), ("secondary",), id="§1.5-two-separate-methods"
        ),
        pytest.param(
            ContraceptionPeriod(DAY, M.PARTNER_VASECTOMY, M.VAGINAL_SPONGE),
            (),
            id="§1.5-vasectomy-plus-sponge",
        ),
    ],
)
def test_check_contraception_period(period: ContraceptionPeriod, fields: tuple[str, ...]) -> None:
    assert tuple(p.field for p in check_contraception_period(period)) == fields


def test_two_secondary_methods_pass_when_the_clinic_drops_the_policy() -> None:
    assert REQUIRE_ONE_PRIMARY_METHOD is True
    period = ContraceptionPeriod(DAY, M.CONDOM, M.DIAPHRAGM)
    assert check_contraception_period(period, require_one_primary=False) == ()


def test_every_method_has_a_class_and_iPLEDGE_style_wording() -> None:  # noqa: N802
    assert set(METHOD_CLASSES) == set(M) == set(METHOD_LABELS)
    primaries = {m for m, c in METHOD_CLASSES.items() if c is MethodClass.PRIMARY}
    assert primaries == {
        M.TUBAL_STERILIZATION,
        M.PARTNER_VASECTOMY,
        M.IUD,
        M.COMBINATION_PILL,
        M.PATCH,
        M.INJECTION,
        M.IMPLANT,
        M.VAGINAL_RING,
    }
    assert "with or without spermicide" in METHOD_LABELS[M.CONDOM]
    assert describe_period(ContraceptionPeriod(DAY, M.IUD, M.CONDOM)).startswith(
        "Intrauterine device (IUD) + Male latex condom"
    )


def test_dated_changes_and_unbroken_protection() -> None:
    periods = (
        ContraceptionPeriod(date(2025, 12, 1), M.IUD, M.CONDOM),
        ContraceptionPeriod(date(2026, 1, 1), M.CONDOM),
        ContraceptionPeriod(date(2026, 2, 1), M.COMBINATION_PILL, M.CONDOM),
    )
    assert period_in_force(periods, date(2026, 1, 15)) == periods[1]
    assert period_in_force(periods, date(2025, 11, 30)) is None
    assert protected_since(periods, date(2025, 12, 31)) == date(2025, 12, 1)
    assert protected_since(periods, date(2026, 1, 15)) is None
    assert protected_since(periods, date(2026, 3, 1)) == date(2026, 2, 1)


def test_switching_between_acceptable_pairs_keeps_the_run() -> None:
    periods = (
        ContraceptionPeriod(date(2025, 12, 1), M.IUD, M.CONDOM),
        ContraceptionPeriod(date(2026, 1, 10), abstinence=True),
    )
    assert protected_since(periods, date(2026, 2, 1)) == date(2025, 12, 1)


@given(st.sampled_from(list(M)), st.sampled_from(list(M)))
def test_an_accepted_pair_is_two_different_acceptable_methods_one_primary(
    first: ContraceptionMethod, second: ContraceptionMethod
) -> None:
    ok = not check_contraception_period(ContraceptionPeriod(DAY, first, second))
    classes = {METHOD_CLASSES[first], METHOD_CLASSES[second]}
    expected = (
        first != second
        and MethodClass.NOT_ACCEPTABLE not in classes
        and MethodClass.PRIMARY in classes
    )
    assert ok is expected
