"""Staff accounts: first admin, sign-in and lockout, roles enforced in services."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from db.audit import verify_chain
from db.models import AuditEntry, StaffUser
from desktop.services.clinic_setup import SetupDraft, create_first_admin, needs_setup
from desktop.services.context import Clinic, Context, FixedClock
from desktop.services.errors import AuthenticationFailed, NotAllowed, ValidationFailed
from desktop.services.patients import patient_history, register_patient
from desktop.services.roles import Role
from desktop.services.staff import (
    StaffDraft,
    add_staff,
    list_staff,
    reset_password,
    set_staff_active,
    sign_in,
)
from tests.conftest import PASSWORD, patient_draft


def test_fresh_clinic_needs_setup_until_the_first_admin_exists(clinic: Clinic) -> None:
    assert needs_setup(clinic)
    ctx = create_first_admin(
        clinic, SetupDraft("Lakeside Skin", StaffDraft("boss", "Bo Boss", Role.NURSE, PASSWORD))
    )
    assert ctx.actor.role is Role.ADMIN  # the first account is always an admin
    assert not needs_setup(clinic)


def test_second_setup_is_refused(admin_ctx: Context) -> None:
    with pytest.raises(ValidationFailed):
        create_first_admin(
            admin_ctx.clinic,
            SetupDraft("Other", StaffDraft("other", "O Ther", Role.ADMIN, PASSWORD)),
        )


def test_short_password_is_refused(admin_ctx: Context) -> None:
    with pytest.raises(ValidationFailed) as refused:
        add_staff(admin_ctx, StaffDraft("sam", "Sam Short", Role.NURSE, "123456789"))
    assert refused.value.problems[0].field == "password"
    assert "10 characters" in refused.value.problems[0].message


def test_password_is_stored_as_argon2id_hash(admin_ctx: Context) -> None:
    from sqlalchemy import select

    from db.models import StaffUser

    with admin_ctx.sessions.read() as session:
        query = select(StaffUser.password_hash).where(StaffUser.username == "admin")
        stored = session.scalar(query)
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_wrong_password_and_unknown_user_get_the_same_message(admin_ctx: Context) -> None:
    messages = set()
    for username, password in (("admin", "wrong password!"), ("nobody", PASSWORD)):
        with pytest.raises(AuthenticationFailed) as refused:
            sign_in(admin_ctx.clinic, username, password)
        messages.add(refused.value.user_message())
    assert messages == {"Wrong username or password."}


def test_five_failures_lock_the_account_for_five_minutes(
    admin_ctx: Context, clock: FixedClock
) -> None:
    def lockouts() -> list[tuple[str, int | None, str, object]]:
        with admin_ctx.sessions.read() as session:
            query = select(
                AuditEntry.actor_name, AuditEntry.entity_id, AuditEntry.workstation, AuditEntry.at
            ).where(AuditEntry.action == "staff.locked_out")
            return [tuple(row) for row in session.execute(query)]

    for _ in range(5):
        assert lockouts() == []  # not before the fifth failure
        with pytest.raises(AuthenticationFailed):
            sign_in(admin_ctx.clinic, "admin", "not the password")
    # The fifth failure is audited once: whose account, from which workstation, when.
    assert lockouts() == [("Ada Admin", admin_ctx.actor.user_id, "test-workstation", clock.instant)]
    with pytest.raises(AuthenticationFailed, match="Too many failed attempts"):
        sign_in(admin_ctx.clinic, "admin", PASSWORD)
    assert len(lockouts()) == 1  # a refusal while locked is not a new lockout
    clock.instant += timedelta(minutes=5, seconds=1)
    assert sign_in(admin_ctx.clinic, "admin", PASSWORD).actor.username == "admin"


def test_only_admins_manage_staff(nurse_ctx: Context, prescriber_ctx: Context) -> None:
    for ctx in (nurse_ctx, prescriber_ctx):
        with pytest.raises(NotAllowed):
            add_staff(ctx, StaffDraft("eve", "Eve Intruder", Role.ADMIN, PASSWORD))


def test_deactivated_staff_cannot_sign_in(admin_ctx: Context, nurse_ctx: Context) -> None:
    nina = next(s for s in list_staff(admin_ctx) if s.username == "nina")
    set_staff_active(admin_ctx, nina.id, nina.version, active=False)
    with pytest.raises(AuthenticationFailed, match="deactivated"):
        sign_in(admin_ctx.clinic, "nina", PASSWORD)


def test_admin_cannot_deactivate_themselves(admin_ctx: Context) -> None:
    me = next(s for s in list_staff(admin_ctx) if s.username == "admin")
    with pytest.raises(ValidationFailed):
        set_staff_active(admin_ctx, me.id, me.version, active=False)


def test_reset_password_lets_the_new_one_in(admin_ctx: Context, nurse_ctx: Context) -> None:
    nina = next(s for s in list_staff(admin_ctx) if s.username == "nina")
    reset_password(admin_ctx, nina.id, nina.version, "a brand new passphrase")
    with pytest.raises(AuthenticationFailed):
        sign_in(admin_ctx.clinic, "nina", PASSWORD)
    assert sign_in(admin_ctx.clinic, "nina", "a brand new passphrase").actor.username == "nina"


def test_each_clinical_write_names_the_user_and_workstation(nurse_ctx: Context) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    entry = patient_history(nurse_ctx, patient.id)[0]
    assert (entry.actor_name, entry.workstation) == ("Nina Nurse", "test-workstation")


def _staff_audit(ctx: Context, user_id: int) -> list[tuple[str, str, str, str, str, str]]:
    """(action, actor, workstation, old values, new values, reason) of a staff account."""
    query = (
        select(
            AuditEntry.action,
            AuditEntry.actor_name,
            AuditEntry.workstation,
            AuditEntry.old_values,
            AuditEntry.new_values,
            AuditEntry.reason,
        )
        .where(AuditEntry.entity == "staff_user", AuditEntry.entity_id == user_id)
        .order_by(AuditEntry.seq)
    )
    with ctx.sessions.read() as session:
        return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]


def _stored_hash(ctx: Context, user_id: int) -> str:
    with ctx.sessions.read() as session:
        return session.scalars(select(StaffUser.password_hash).where(StaffUser.id == user_id)).one()


def test_adding_deactivating_and_resetting_staff_are_audited_without_the_hash(
    admin_ctx: Context,
) -> None:
    added = add_staff(admin_ctx, StaffDraft("ravi", "Ravi Rao", Role.PRESCRIBER, PASSWORD))
    first_hash = _stored_hash(admin_ctx, added.id)
    reset = reset_password(admin_ctx, added.id, added.version, "another long passphrase")
    second_hash = _stored_hash(admin_ctx, added.id)
    set_staff_active(admin_ctx, added.id, reset.version, active=False)
    entries = _staff_audit(admin_ctx, added.id)
    assert [e[0] for e in entries] == [
        "staff.create",
        "staff.reset_password",
        "staff.deactivate",
    ]
    assert {(e[1], e[2]) for e in entries} == {("Ada Admin", "test-workstation")}
    create, reset_entry, deactivate = ((json.loads(e[3]), json.loads(e[4])) for e in entries)
    assert create == (
        {},
        {"username": "ravi", "display_name": "Ravi Rao", "role": "prescriber", "is_active": True},
    )
    assert reset_entry == ({}, {})  # that it happened, who and when; never the password
    assert (deactivate[0]["is_active"], deactivate[1]["is_active"]) == (True, False)
    for _action, _actor, _workstation, *written in entries:
        for secret in (first_hash, second_hash, PASSWORD, "another long passphrase", "argon2"):
            assert secret not in "".join(written)
    with admin_ctx.sessions.read() as session:
        assert verify_chain(session).is_whole
