"""Contraception for patients who can get pregnant: methods, iPLEDGE wording, two-method check."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from desktop.rules.problems import Problem


class ContraceptionMethod(StrEnum):
    """Stored method codes; `METHOD_LABELS` keeps the iPLEDGE-style wording (domain.md §1.5)."""

    TUBAL_STERILIZATION = "tubal_sterilization"
    PARTNER_VASECTOMY = "partner_vasectomy"
    IUD = "iud"
    COMBINATION_PILL = "combination_pill"
    PATCH = "patch"
    INJECTION = "injection"
    IMPLANT = "implant"
    VAGINAL_RING = "vaginal_ring"
    CONDOM = "condom"
    DIAPHRAGM = "diaphragm"
    CERVICAL_CAP = "cervical_cap"
    VAGINAL_SPONGE = "vaginal_sponge"
    PROGESTIN_ONLY_PILL = "progestin_only_pill"
    """Recorded so that it can be refused, never accepted (domain.md §1.5, §6)."""


class MethodClass(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    NOT_ACCEPTABLE = "not_acceptable"


METHOD_CLASSES: dict[ContraceptionMethod, MethodClass] = {
    ContraceptionMethod.TUBAL_STERILIZATION: MethodClass.PRIMARY,
    ContraceptionMethod.PARTNER_VASECTOMY: MethodClass.PRIMARY,
    ContraceptionMethod.IUD: MethodClass.PRIMARY,
    ContraceptionMethod.COMBINATION_PILL: MethodClass.PRIMARY,
    ContraceptionMethod.PATCH: MethodClass.PRIMARY,
    ContraceptionMethod.INJECTION: MethodClass.PRIMARY,
    ContraceptionMethod.IMPLANT: MethodClass.PRIMARY,
    ContraceptionMethod.VAGINAL_RING: MethodClass.PRIMARY,
    ContraceptionMethod.CONDOM: MethodClass.SECONDARY,
    ContraceptionMethod.DIAPHRAGM: MethodClass.SECONDARY,
    ContraceptionMethod.CERVICAL_CAP: MethodClass.SECONDARY,
    ContraceptionMethod.VAGINAL_SPONGE: MethodClass.SECONDARY,
    ContraceptionMethod.PROGESTIN_ONLY_PILL: MethodClass.NOT_ACCEPTABLE,
}
"""Primary: sterilization, partner's vasectomy, IUD, hormonal methods with estrogen or
long-acting progestin; secondary: barrier methods (domain.md §1.5)."""

METHOD_LABELS: dict[ContraceptionMethod, str] = {
    ContraceptionMethod.TUBAL_STERILIZATION: "Tubal sterilization",
    ContraceptionMethod.PARTNER_VASECTOMY: "Partner's vasectomy",
    ContraceptionMethod.IUD: "Intrauterine device (IUD)",
    ContraceptionMethod.COMBINATION_PILL: "Hormonal: combination birth control pill",
    ContraceptionMethod.PATCH: "Hormonal: skin patch",
    ContraceptionMethod.INJECTION: "Hormonal: injection",
    ContraceptionMethod.IMPLANT: "Hormonal: implant",
    ContraceptionMethod.VAGINAL_RING: "Hormonal: vaginal ring",
    ContraceptionMethod.CONDOM: "Male latex condom, with or without spermicide",
    ContraceptionMethod.DIAPHRAGM: "Diaphragm with spermicide",
    ContraceptionMethod.CERVICAL_CAP: "Cervical cap with spermicide",
    ContraceptionMethod.VAGINAL_SPONGE: "Vaginal sponge with spermicide",
    ContraceptionMethod.PROGESTIN_ONLY_PILL: "Progestin-only pill (minipill): not acceptable",
}

ABSTINENCE_LABEL = "Abstinence: no penile–vaginal sex with a partner who could cause pregnancy"
"""The alternative to two methods (domain.md §1.5)."""

REQUIRE_ONE_PRIMARY_METHOD = True
"""Clinic policy [P] after a secondary source [S]: of the two methods, at least one is a
primary form (domain.md §1.5). Set False to accept two secondary forms."""


@dataclass(frozen=True, slots=True)
class ContraceptionPeriod:
    """What the patient uses from `starts_on` until the next recorded change (domain.md §1.5
    Model): two methods, or a commitment to abstinence."""

    starts_on: date
    primary_method: ContraceptionMethod | None = None
    secondary_method: ContraceptionMethod | None = None
    abstinence: bool = False


def check_contraception_period(
    period: ContraceptionPeriod, *, require_one_primary: bool = REQUIRE_ONE_PRIMARY_METHOD
) -> tuple[Problem, ...]:
    """Two separate acceptable methods at once, or abstinence (domain.md §1.5)."""
    methods = (period.primary_method, period.secondary_method)
    if period.abstinence:
        if any(m is not None for m in methods):
            return (Problem("abstinence", "Record either abstinence or two methods, not both."),)
        return ()
    problems = [
        Problem(field, "Two separate methods are needed at the same time (or abstinence).")
        for field, method in zip(("primary", "secondary"), methods, strict=True)
        if method is None
    ]
    problems += [
        Problem(field, "A progestin-only pill is not an acceptable method with isotretinoin.")
        for field, method in zip(("primary", "secondary"), methods, strict=True)
        if method is not None and METHOD_CLASSES[method] is MethodClass.NOT_ACCEPTABLE
    ]
    if problems:
        return tuple(problems)
    return tuple(_check_pairing(period, require_one_primary))


def _check_pairing(period: ContraceptionPeriod, require_one_primary: bool) -> list[Problem]:
    if period.primary_method == period.secondary_method:
        return [Problem("secondary", "The two methods must be different.")]
    classes = {METHOD_CLASSES[m] for m in (period.primary_method, period.secondary_method) if m}
    if require_one_primary and MethodClass.PRIMARY not in classes:
        return [
            Problem(
                "primary",
                "At least one of the two methods must be a primary form "
                "(sterilization, partner's vasectomy, IUD or hormonal) — clinic policy.",
            )
        ]
    return []


def is_acceptable(
    period: ContraceptionPeriod, *, require_one_primary: bool = REQUIRE_ONE_PRIMARY_METHOD
) -> bool:
    return not check_contraception_period(period, require_one_primary=require_one_primary)


def period_in_force(
    periods: Iterable[ContraceptionPeriod], day: date
) -> ContraceptionPeriod | None:
    """The latest recorded period that started on or before `day`."""
    started = [p for p in periods if p.starts_on <= day]
    return max(started, key=lambda p: p.starts_on, default=None)


def protected_since(
    periods: Iterable[ContraceptionPeriod],
    day: date,
    *,
    require_one_primary: bool = REQUIRE_ONE_PRIMARY_METHOD,
) -> date | None:
    """First day of the unbroken run of acceptable periods that still covers `day`, or None
    when `day` is not covered (domain.md §1.3: contraception for 1 month before the first
    dose). A change from one acceptable pair to another does not break the run."""
    run_start: date | None = None
    for period in sorted(periods, key=lambda p: p.starts_on):
        if period.starts_on > day:
            break
        if is_acceptable(period, require_one_primary=require_one_primary):
            run_start = period.starts_on if run_start is None else run_start
        else:
            run_start = None
    return run_start


def describe_period(period: ContraceptionPeriod) -> str:
    """The period in iPLEDGE-style words, for forms and summaries."""
    if period.abstinence:
        return ABSTINENCE_LABEL
    return " + ".join(
        METHOD_LABELS[m] for m in (period.primary_method, period.secondary_method) if m
    )
