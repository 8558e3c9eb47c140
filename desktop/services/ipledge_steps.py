"""Recording iPLEDGE steps: pregnancy tests, contraception, counselling confirmations
(prescribers only), comprehension questions and fills (domain.md §1.3–§1.6).

A counselling confirmation is signed, so it is never edited: a prescriber corrects one (the
wrong day, the wrong course) by voiding it with a reason and signing the corrected one, which
replaces it; one recorded in error is voided alone. A voided confirmation stays on file and
no longer satisfies the month's counselling step."""

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    ComprehensionRow,
    ContraceptionRow,
    CounselingConfirmationRow,
    Course,
    FillRow,
    PregnancyTestRow,
    StaffUser,
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
from desktop.services.records import CounselingConfirmationRecord
from desktop.services.roles import Permission, Role, require
from desktop.services.signatures import (
    COUNSELING_MEANING,
    Correction,
    VoidedRow,
    reason_problems,
    replace_signed,
    sign,
    signer,
    standing_row,
    void_record,
    void_signed,
)
from desktop.services.unit_of_work import unit_of_work

COUNSELING = "counselling confirmation"
PRESCRIBER_ONLY_CORRECTION = "Only a prescriber can correct or void a counselling confirmation."
NOTHING_CORRECTED = (
    "Nothing differs from the signed confirmation: change the day or the course, or void it "
    "if it was recorded in error."
)


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


def counseling_confirmation_records(
    session: Session, course_id: int
) -> tuple[CounselingConfirmationRecord, ...]:
    """Every counselling confirmation of the course, voided ones included (they stay on
    file), newest first, with the prescriber who signed each."""
    rows = session.execute(
        select(CounselingConfirmationRow, StaffUser.display_name)
        .join(StaffUser, StaffUser.id == CounselingConfirmationRow.prescriber_id)
        .where(CounselingConfirmationRow.course_id == course_id)
        .order_by(
            CounselingConfirmationRow.confirmed_on.desc(), CounselingConfirmationRow.id.desc()
        )
    ).all()
    ids = [row.id for row, _ in rows]
    # A correction may sit on another course of the patient (the first was on the wrong one).
    corrections = select(CounselingConfirmationRow.replaces_id, CounselingConfirmationRow.id)
    replaced_by: dict[int | None, int] = dict(
        session.execute(corrections.where(CounselingConfirmationRow.replaces_id.in_(ids))).all()
    )
    return tuple(_counseling_record(row, name, replaced_by.get(row.id)) for row, name in rows)


def _counseling_record(
    row: CounselingConfirmationRow, prescriber_name: str, replaced_by_id: int | None
) -> CounselingConfirmationRecord:
    return CounselingConfirmationRecord(
        row.id,
        row.course_id,
        row.confirmed_on,
        row.prescriber_id,
        prescriber_name,
        row.recorded_at,
        row.signature_hash,
        row.replaces_id,
        replaced_by_id,
        void_record(row),
    )


def _require_prescriber(ctx: Context) -> None:
    if ctx.actor.role is not Role.PRESCRIBER:
        raise NotAllowed(PRESCRIBER_ONLY_CORRECTION)


def _confirmation_values(session: Session, row: CounselingConfirmationRow) -> dict[str, Any]:
    prescriber = session.get_one(StaffUser, row.prescriber_id)
    return {
        "course_id": row.course_id,
        "confirmed_on": row.confirmed_on,
        "signed_by": prescriber.display_name,
    }


def _voided(session: Session, row: CounselingConfirmationRow) -> VoidedRow:
    return VoidedRow(
        COUNSELING,
        "counseling",
        "counseling_confirmation",
        "confirmation_id",
        row.id,
        session.get_one(Course, row.course_id).patient_id,
        row.signature_hash,
        _confirmation_values(session, row),
    )


def void_counseling_confirmation(
    ctx: Context, confirmation_id: int, reason: str, password: str
) -> CounselingConfirmationRecord:
    """A confirmation recorded in error: voided with the reason, signed with the
    prescriber's password; it stays on file and no longer satisfies the month's counselling
    step (domain.md §1.4). Prescribers only, as confirming is."""
    _require_prescriber(ctx)
    if problems := reason_problems(reason):
        raise ValidationFailed(tuple(problems))
    with unit_of_work(ctx) as session:
        row = standing_row(session, CounselingConfirmationRow, confirmation_id, COUNSELING)
        void_signed(
            session, ctx, row, _voided(session, row), signer(session, ctx, password), reason
        )
        name = session.get_one(StaffUser, row.prescriber_id).display_name
        return _counseling_record(row, name, None)


def correct_counseling_confirmation(
    ctx: Context,
    confirmation_id: int,
    course_id: int,
    confirmed_on: date,
    reason: str,
    password: str,
) -> int:
    """Correct the day or the course (of the same patient) of a confirmation: it is voided
    with the reason and the corrected one signed, replacing it, with one password prompt.
    The signature says "I counselled this patient", so only the prescriber who signed the
    first may sign its correction; anyone else voids it and confirms their own. Returns the
    new confirmation's id."""
    _require_prescriber(ctx)
    _not_in_future(ctx, confirmed_on, "confirmed_on")
    with unit_of_work(ctx) as session:
        old = standing_row(session, CounselingConfirmationRow, confirmation_id, COUNSELING)
        if old.prescriber_id != ctx.actor.user_id:
            signed_by = session.get_one(StaffUser, old.prescriber_id).display_name
            raise NotAllowed(
                f"{signed_by} signed this confirmation, so only they can sign its correction. "
                "If it was recorded in error, void it, then confirm your own counselling."
            )
        course = course_for_facts(session, course_id)
        old_course = session.get_one(Course, old.course_id)
        problems = reason_problems(reason)
        if course.patient_id != old_course.patient_id:
            problems.append(Problem("course", "Choose a course of the same patient."))
        elif (course.id, confirmed_on) == (old.course_id, old.confirmed_on):
            problems.append(Problem("reason", NOTHING_CORRECTED))
        if problems:
            raise ValidationFailed(tuple(problems))
        by = signer(session, ctx, password)
        signature = by.sign(COUNSELING_MEANING, course.id, confirmed_on, old.id)
        row = CounselingConfirmationRow(
            course_id=course.id,
            confirmed_on=confirmed_on,
            prescriber_id=ctx.actor.user_id,
            recorded_at=signature.signed_at,
            signature_hash=signature.content_hash,
            replaces_id=old.id,
        )
        session.add(row)
        session.flush()
        correction = Correction(row.id, signature, _confirmation_values(session, row))
        replace_signed(session, ctx, old, _voided(session, old), by, reason, correction)
        return row.id


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
