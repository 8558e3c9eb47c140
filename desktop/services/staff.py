"""Staff accounts: sign-in with lockout, and the admin's add / deactivate / reset password."""

import re
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.audit import AuditActor, append_audit_entry
from db.models import ClinicSettings, StaffUser
from desktop.rules.problems import Problem
from desktop.services.context import DEFAULT_TIME_ZONE, Actor, Clinic, Context
from desktop.services.errors import AuthenticationFailed, NotFound, ValidationFailed
from desktop.services.passwords import check_password_policy, hash_password, password_matches
from desktop.services.records import StaffRecord
from desktop.services.roles import Permission, Role, require
from desktop.services.unit_of_work import audit, load_current, stamp, unit_of_work

USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._\-]{1,63}")
MAX_FAILED_SIGN_INS = 5
LOCKOUT = timedelta(minutes=5)
_WRONG_CREDENTIALS = "Wrong username or password."


@dataclass(frozen=True, slots=True)
class StaffDraft:
    username: str
    display_name: str
    role: Role
    password: str


def check_staff_draft(draft: StaffDraft) -> tuple[Problem, ...]:
    problems: list[Problem] = []
    if not USERNAME_PATTERN.fullmatch(draft.username):
        problems.append(
            Problem(
                "username",
                "Username: 2–64 characters, lower-case letters, digits, '.', '-' or '_'.",
            )
        )
    if not draft.display_name.strip():
        problems.append(Problem("display_name", "Enter the person's full name."))
    problems.extend(check_password_policy(draft.password))
    return tuple(problems)


def to_staff_record(user: StaffUser) -> StaffRecord:
    return StaffRecord(
        user.id, user.username, user.display_name, Role(user.role), user.is_active, user.version
    )


def new_staff_user(draft: StaffDraft, *, created_by: str, clinic: Clinic) -> StaffUser:
    now = clinic.clock.now()
    return StaffUser(
        username=draft.username,
        display_name=draft.display_name.strip(),
        role=draft.role.value,
        password_hash=hash_password(draft.password),
        is_active=True,
        failed_logins=0,
        created_at=now,
        updated_at=now,
        updated_by_name=created_by,
    )


def _staff_fields(user: StaffUser) -> dict[str, object]:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "is_active": user.is_active,
    }


def sign_in(clinic: Clinic, username: str, password: str) -> Context:
    """Check the password; five failures in a row lock the account for five minutes."""
    with clinic.sessions.write() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.username == username.strip()))
        failure = _refusal(session, clinic, user, password)
        if failure is not None:
            session.commit()  # keep the failure count and any lockout
            raise AuthenticationFailed(failure)
        assert user is not None
        user.failed_logins = 0
        user.locked_until = None
        _audit_sign_in(session, clinic, user, "session.sign_in")
        actor = Actor(user.id, user.username, user.display_name, Role(user.role))
        zone = session.scalar(select(ClinicSettings.time_zone)) or DEFAULT_TIME_ZONE
    return Context(clinic, actor, ZoneInfo(zone))


def _refusal(session: Session, clinic: Clinic, user: StaffUser | None, password: str) -> str | None:
    now = clinic.clock.now()
    if user is None:
        return _WRONG_CREDENTIALS
    if user.locked_until is not None and user.locked_until > now:
        return f"Too many failed attempts: try again after {user.locked_until:%H:%M} UTC."
    if not password_matches(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_SIGN_INS:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
            _audit_sign_in(session, clinic, user, "staff.locked_out")
        return _WRONG_CREDENTIALS
    if not user.is_active:
        return "This account is deactivated; ask an administrator."
    return None


def _audit_sign_in(session: Session, clinic: Clinic, user: StaffUser, action: str) -> None:
    actor = AuditActor(user.id, user.display_name, clinic.workstation)
    append_audit_entry(
        session, actor, at=clinic.clock.now(), action=action, entity="staff_user", entity_id=user.id
    )


def list_staff(ctx: Context) -> tuple[StaffRecord, ...]:
    with ctx.sessions.read() as session:
        users = session.scalars(select(StaffUser).order_by(func.lower(StaffUser.display_name)))
        return tuple(to_staff_record(u) for u in users)


def add_staff(ctx: Context, draft: StaffDraft) -> StaffRecord:
    require(ctx.actor.role, Permission.MANAGE_STAFF)
    if problems := check_staff_draft(draft):
        raise ValidationFailed(problems)
    with unit_of_work(ctx) as session:
        if session.scalar(select(StaffUser.id).where(StaffUser.username == draft.username)):
            raise ValidationFailed((Problem("username", "That username is already taken."),))
        user = new_staff_user(draft, created_by=ctx.actor.display_name, clinic=ctx.clinic)
        session.add(user)
        session.flush()
        audit(session, ctx, "staff.create", "staff_user", user.id, new=_staff_fields(user))
        return to_staff_record(user)


def set_staff_active(ctx: Context, user_id: int, version: int, *, active: bool) -> StaffRecord:
    require(ctx.actor.role, Permission.MANAGE_STAFF)
    if not active and user_id == ctx.actor.user_id:
        raise ValidationFailed((Problem("is_active", "You cannot deactivate your own account."),))
    with unit_of_work(ctx) as session:
        user = load_current(session, StaffUser, user_id, version, "staff account")
        if not active and user.role == Role.ADMIN and _active_admins(session) <= 1:
            raise ValidationFailed(
                (Problem("is_active", "Keep at least one active administrator."),)
            )
        old = _staff_fields(user)
        user.is_active = active
        stamp(user, ctx)
        action = "staff.reactivate" if active else "staff.deactivate"
        audit(session, ctx, action, "staff_user", user.id, old=old, new=_staff_fields(user))
        session.flush()
        return to_staff_record(user)


def reset_password(ctx: Context, user_id: int, version: int, new_password: str) -> StaffRecord:
    require(ctx.actor.role, Permission.MANAGE_STAFF)
    if problems := check_password_policy(new_password):
        raise ValidationFailed(problems)
    with unit_of_work(ctx) as session:
        user = load_current(session, StaffUser, user_id, version, "staff account")
        user.password_hash = hash_password(new_password)
        user.failed_logins = 0
        user.locked_until = None
        stamp(user, ctx)
        # The hash itself never goes into the audit trail.
        audit(session, ctx, "staff.reset_password", "staff_user", user.id)
        session.flush()
        return to_staff_record(user)


def _active_admins(session: Session) -> int:
    query = select(func.count()).where(StaffUser.role == Role.ADMIN, StaffUser.is_active)
    return session.scalar(query) or 0


def find_staff(ctx: Context, username: str) -> StaffRecord:
    with ctx.sessions.read() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.username == username))
        if user is None:
            raise NotFound(f"No staff account is named {username!r}.")
        return to_staff_record(user)
