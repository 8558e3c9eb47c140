"""Recording iPLEDGE steps: pregnancy tests, contraception, counselling confirmations
(prescribers only), comprehension questions and fills (domain.md §1.3–§1.6)."""

from datetime import date

from db.models import (
    ComprehensionRow,
    ContraceptionRow,
    CounselingConfirmationRow,
    FillRow,
    PregnancyTestRow,
)
from desktop.rules.contraception import ContraceptionPeriod, check_contraception_period
from desktop.rules.dates import implausible_dates
from desktop.rules.ipledge import Fill, check_fill
from desktop.rules.pregnancy_tests import PregnancyTest, check_pregnancy_test
from desktop.rules.problems import Problem
from desktop.services.clinic_setup import modification_effective_on
from desktop.services.context import Context
from desktop.services.course_facts import add_fact, course_for_facts
from desktop.services.errors import NotAllowed, ValidationFailed
from desktop.services.roles import Permission, Role, require
from desktop.services.signatures import COUNSELING_MEANING, sign
from desktop.services.unit_of_work import unit_of_work


def _not_in_future(ctx: Context, day: date, field: str) -> None:
    if problems := implausible_dates({field: day}):
        raise ValidationFailed(problems)
    if day > ctx.today():
        raise ValidationFailed((Problem(field, "This date is in the future."),))


def record_pregnancy_test(ctx: Context, course_id: int, test: PregnancyTest) -> int:
    """Save a test result. A positive result is saved (it must be on record) and then
    reported as the hard stop it is; the caller shows that message."""
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    _not_in_future(ctx, test.specimen_on, "specimen_on")
    with unit_of_work(ctx) as session:
        course = course_for_facts(session, course_id)
        found = check_pregnancy_test(
            test,
            prescriber_allows_home_tests=course.home_tests_allowed,
            modification_effective_on=modification_effective_on(session),
        )
        # A positive or invalid result is a fact to keep, not a typo to refuse.
        problems = tuple(p for p in found if p.field != "result")
        if problems:
            raise ValidationFailed(problems)
        row = PregnancyTestRow(
            course_id=course.id,
            purpose=test.purpose.value,
            specimen_on=test.specimen_on,
            result=test.result.value,
            setting=test.setting.value if test.setting else None,
            method=test.method.value if test.method else None,
            verified_by=test.verified_by,
            verification_method=(
                test.verification_method.value if test.verification_method else None
            ),
            clia_certified_lab=test.clia_certified_lab,
            recorded_at=ctx.now(),
            recorded_by_name=ctx.actor.display_name,
        )
        return add_fact(
            session,
            ctx,
            course,
            row,
            "pregnancy_test.create",
            "pregnancy_test",
            {
                "purpose": row.purpose,
                "specimen_on": row.specimen_on,
                "result": row.result,
                "setting": row.setting,
                "method": row.method,
            },
        )


def record_contraception(ctx: Context, course_id: int, period: ContraceptionPeriod) -> int:
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    starts_on = implausible_dates({"starts_on": period.starts_on})
    if problems := starts_on or check_contraception_period(period):
        raise ValidationFailed(problems)
    with unit_of_work(ctx) as session:
        course = course_for_facts(session, course_id)
        row = ContraceptionRow(
            course_id=course.id,
            starts_on=period.starts_on,
            primary_method=period.primary_method.value if period.primary_method else None,
            secondary_method=period.secondary_method.value if period.secondary_method else None,
            abstinence=period.abstinence,
            recorded_at=ctx.now(),
            recorded_by_name=ctx.actor.display_name,
        )
        return add_fact(
            session,
            ctx,
            course,
            row,
            "contraception.create",
            "contraception",
            {
                "starts_on": row.starts_on,
                "primary": row.primary_method,
                "secondary": row.secondary_method,
                "abstinence": row.abstinence,
            },
        )


def confirm_counseling(ctx: Context, course_id: int, confirmed_on: date, password: str) -> int:
    """The prescriber confirms in iPLEDGE that they counselled the patient (domain.md §1.4:
    a prescriber step; a nurse cannot record it), signed with their password again."""
    if ctx.actor.role is not Role.PRESCRIBER:
        raise NotAllowed("Only a prescriber can confirm counselling in iPLEDGE.")
    _not_in_future(ctx, confirmed_on, "confirmed_on")
    with unit_of_work(ctx) as session:
        course = course_for_facts(session, course_id)
        signature = sign(session, ctx, password, COUNSELING_MEANING, course.id, confirmed_on)
        row = CounselingConfirmationRow(
            course_id=course.id,
            confirmed_on=confirmed_on,
            prescriber_id=ctx.actor.user_id,
            recorded_at=signature.signed_at,
            signature_hash=signature.content_hash,
        )
        return add_fact(
            session,
            ctx,
            course,
            row,
            "counseling.confirm",
            "counseling_confirmation",
            {
                "confirmed_on": confirmed_on,
                "signed_by": signature.printed_name,
                "meaning": signature.meaning,
                "signature_hash": signature.content_hash,
            },
        )


def record_comprehension(ctx: Context, course_id: int, answered_on: date) -> int:
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    _not_in_future(ctx, answered_on, "answered_on")
    with unit_of_work(ctx) as session:
        course = course_for_facts(session, course_id)
        row = ComprehensionRow(
            course_id=course.id,
            answered_on=answered_on,
            recorded_at=ctx.now(),
            recorded_by_name=ctx.actor.display_name,
        )
        return add_fact(
            session,
            ctx,
            course,
            row,
            "comprehension.record",
            "comprehension",
            {"answered_on": answered_on},
        )


def record_fill(ctx: Context, course_id: int, fill: Fill, capsules: int | None = None) -> int:
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    if problems := check_fill(fill):
        raise ValidationFailed(problems)
    _not_in_future(ctx, fill.filled_on, "filled_on")
    if capsules is not None and capsules <= 0:
        raise ValidationFailed((Problem("capsules", "Enter the number of capsules dispensed."),))
    with unit_of_work(ctx) as session:
        course = course_for_facts(session, course_id)
        row = FillRow(
            course_id=course.id,
            filled_on=fill.filled_on,
            days_supply=fill.days_supply,
            capsules=capsules,
            recorded_at=ctx.now(),
            recorded_by_name=ctx.actor.display_name,
        )
        return add_fact(
            session,
            ctx,
            course,
            row,
            "fill.record",
            "fill",
            {"filled_on": fill.filled_on, "days_supply": fill.days_supply, "capsules": capsules},
        )
