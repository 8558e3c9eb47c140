"""First start (the clinic's first administrator) and the clinic settings admins edit."""

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.audit import AuditActor, append_audit_entry
from db.models import ClinicSettings, StaffUser
from db.models.clinic import CLINIC_ROW_ID
from desktop.rules.ipledge_rule_sets import DEFAULT_MODIFICATION_EFFECTIVE_ON
from desktop.rules.problems import Problem
from desktop.services.context import DEFAULT_TIME_ZONE, Clinic, Context
from desktop.services.errors import NotFound, ValidationFailed
from desktop.services.records import ClinicSettingsRecord
from desktop.services.roles import Permission, Role, require
from desktop.services.staff import StaffDraft, check_staff_draft, new_staff_user, sign_in
from desktop.services.unit_of_work import (
    audit,
    changed_only,
    load_current,
    snapshot,
    stamp,
    unit_of_work,
)

DEFAULT_IDLE_LOCK_MINUTES = 10
WORKLIST_SETTINGS = frozenset({"time_zone", "ipledge_2026_effective_on"})
"""Settings the worklist depends on: the rule set in force (domain.md §0, §7.1), and the
time zone that decides which day is today."""
SETTINGS_FIELDS = (
    "clinic_name",
    "address",
    "phone",
    "time_zone",
    "ipledge_2026_effective_on",
    "idle_lock_minutes",
)


@dataclass(frozen=True, slots=True)
class SetupDraft:
    clinic_name: str
    admin: StaffDraft
    time_zone: str = DEFAULT_TIME_ZONE


@dataclass(frozen=True, slots=True)
class ClinicSettingsDraft:
    clinic_name: str
    address: str
    phone: str
    time_zone: str
    ipledge_2026_effective_on: date
    idle_lock_minutes: int


def needs_setup(clinic: Clinic) -> bool:
    """True until the clinic's first administrator exists."""
    with clinic.sessions.read() as session:
        return not session.scalar(select(func.count()).select_from(StaffUser))


def _check_settings(clinic_name: str, time_zone: str) -> list[Problem]:
    problems = []
    if not clinic_name.strip():
        problems.append(
            Problem("clinic_name", "Enter the clinic's name (it heads every printout).")
        )
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(Problem("time_zone", "Choose a time zone such as America/Chicago."))
    return problems


def create_first_admin(clinic: Clinic, draft: SetupDraft) -> Context:
    """Create the clinic settings and its first administrator, then sign them in."""
    admin = StaffDraft(
        draft.admin.username, draft.admin.display_name, Role.ADMIN, draft.admin.password
    )
    problems = [*_check_settings(draft.clinic_name, draft.time_zone), *check_staff_draft(admin)]
    if problems:
        raise ValidationFailed(tuple(problems))
    with clinic.sessions.write() as session:
        if session.scalar(select(func.count()).select_from(StaffUser)):
            raise ValidationFailed(
                (Problem("username", "This clinic is already set up: sign in instead."),)
            )
        user = new_staff_user(admin, created_by=admin.display_name, clinic=clinic)
        session.add(user)
        session.flush()
        now = clinic.clock.now()
        settings = ClinicSettings(
            id=CLINIC_ROW_ID,
            clinic_name=draft.clinic_name.strip(),
            address="",
            phone="",
            time_zone=draft.time_zone,
            ipledge_2026_effective_on=DEFAULT_MODIFICATION_EFFECTIVE_ON,
            idle_lock_minutes=DEFAULT_IDLE_LOCK_MINUTES,
            updated_at=now,
            updated_by_name=user.display_name,
        )
        session.add(settings)
        actor = AuditActor(user.id, user.display_name, clinic.workstation)
        append_audit_entry(
            session,
            actor,
            at=now,
            action="staff.create",
            entity="staff_user",
            entity_id=user.id,
            new={"username": user.username, "role": user.role},
        )
        append_audit_entry(
            session,
            actor,
            at=now,
            action="clinic.create",
            entity="clinic",
            entity_id=CLINIC_ROW_ID,
            new=snapshot(settings, SETTINGS_FIELDS),
        )
    return sign_in(clinic, admin.username, admin.password)


def modification_effective_on(session: Session) -> date:
    """The admin's effective date of the 2026 iPLEDGE modification (domain.md §0, §7.1)."""
    found = session.scalar(select(ClinicSettings.ipledge_2026_effective_on))
    return found or DEFAULT_MODIFICATION_EFFECTIVE_ON


def _to_record(row: ClinicSettings) -> ClinicSettingsRecord:
    return ClinicSettingsRecord(
        row.clinic_name,
        row.address,
        row.phone,
        row.logo_png is not None,
        row.time_zone,
        row.ipledge_2026_effective_on,
        row.idle_lock_minutes,
        row.version,
    )


def get_clinic_settings(ctx: Context) -> ClinicSettingsRecord:
    with ctx.sessions.read() as session:
        row = session.get(ClinicSettings, CLINIC_ROW_ID)
        if row is None:
            raise NotFound("The clinic has not been set up yet.")
        return _to_record(row)


def update_clinic_settings(
    ctx: Context, draft: ClinicSettingsDraft, version: int
) -> ClinicSettingsRecord:
    require(ctx.actor.role, Permission.EDIT_CLINIC_SETTINGS)
    problems = _check_settings(draft.clinic_name, draft.time_zone)
    if not 1 <= draft.idle_lock_minutes <= 120:
        problems.append(Problem("idle_lock_minutes", "Lock after 1 to 120 minutes idle."))
    if problems:
        raise ValidationFailed(tuple(problems))
    with unit_of_work(ctx) as session:
        row = load_current(session, ClinicSettings, CLINIC_ROW_ID, version, "clinic settings")
        before = snapshot(row, SETTINGS_FIELDS)
        for name in SETTINGS_FIELDS:
            setattr(row, name, getattr(draft, name))
        stamp(row, ctx)
        old, new = changed_only(before, snapshot(row, SETTINGS_FIELDS))
        audit(session, ctx, "clinic.update", "clinic", CLINIC_ROW_ID, old=old, new=new)
        session.flush()
        if WORKLIST_SETTINGS & new.keys():
            _recompute_worklist(session, ctx, draft.time_zone)
        return _to_record(row)


def _recompute_worklist(session: Session, ctx: Context, time_zone: str) -> None:
    """Every tracked course, in the same unit of work: the worklist never shows what the
    rules said before the change, on any workstation."""
    # Imported here: the worklist reads the effective date through this module.
    from desktop.services.worklist import recompute_every_course

    today = ctx.clinic.clock.now().astimezone(ZoneInfo(time_zone)).date()
    recompute_every_course(session, today)
