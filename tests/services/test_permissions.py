"""Who may do what, enforced by the services themselves (issue 6, item 9): every action is
called as a nurse, a prescriber and an administrator. Administrators alone change settings,
staff, the clinic's forms and templates, and back up or restore; prescribers alone confirm
counselling, set a dose above the usual range or the labelled maximum, and override the
2-month wait; nobody overrides a hard stop. A refused call saves nothing (the audit trail does
not grow) and says why."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.models import AuditEntry, ClinicFormRow
from desktop.rules.clinic_forms import ClinicFormAudience
from desktop.rules.consents import ConsentForm
from desktop.services.backup import back_up_clinic, restore_clinic
from desktop.services.catalog.consent_templates import load_consent_template
from desktop.services.clinic_forms import (
    ClinicFormDraft,
    add_clinic_form,
    move_clinic_form,
    replace_clinic_form_pdf,
    retire_clinic_form,
)
from desktop.services.clinic_logo import set_clinic_logo
from desktop.services.clinic_setup import (
    ClinicSettingsDraft,
    get_clinic_settings,
    update_clinic_settings,
)
from desktop.services.consent_template_versions import (
    ConsentTemplateVersionDraft,
    add_consent_template_version,
)
from desktop.services.consent_wording import wording_toml
from desktop.services.context import Context
from desktop.services.course_dosing import change_dose, start_course
from desktop.services.course_lifecycle import end_course, list_courses
from desktop.services.course_records import CourseRecord, DoseChangeDraft
from desktop.services.errors import (
    DatabaseNotReady,
    NotAllowed,
    ValidationFailed,
)
from desktop.services.ipledge_steps import confirm_counseling
from desktop.services.patients import register_patient
from desktop.services.roles import Role
from desktop.services.staff import (
    StaffDraft,
    add_staff,
    find_staff,
    reset_password,
    set_staff_active,
)
from tests.clinic_form_pdfs import form_pdf
from tests.conftest import PASSWORD, POSTGRES_URL, TODAY, patient_draft
from tests.services.test_clinic_logo import tiny_png
from tests.services.test_courses import course_draft

ROLES = ("nurse", "prescriber", "admin")
Call = Callable[[], object]
Action = Callable[["Context", "Clinic"], Call]
"""Prepares what the action needs (as anyone may), then returns the call to check."""


@dataclass
class Clinic:
    """One clinic with a signed-in user of each role, a patient on a course, and a form."""

    by_role: dict[str, Context]
    course: CourseRecord
    form_id: int
    database_url: str
    tmp_path: Path

    def form_version(self) -> int:
        with self.by_role["admin"].sessions.read() as session:
            row = session.get(ClinicFormRow, self.form_id)
            assert row is not None
            return row.version


@pytest.fixture
def clinic(
    admin_ctx: Context,
    nurse_ctx: Context,
    prescriber_ctx: Context,
    database_url: str,
    tmp_path: Path,
) -> Clinic:
    patient = register_patient(nurse_ctx, patient_draft())
    course = start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))
    form = add_clinic_form(
        admin_ctx, ClinicFormDraft("Photo consent", ClinicFormAudience.ALL, form_pdf("P"), "p.pdf")
    )
    add_clinic_form(
        admin_ctx, ClinicFormDraft("Second form", ClinicFormAudience.ALL, form_pdf("S"), "s.pdf")
    )
    by_role = {"nurse": nurse_ctx, "prescriber": prescriber_ctx, "admin": admin_ctx}
    return Clinic(by_role, course, form.id, database_url, tmp_path)


def _settings(ctx: Context, clinic: Clinic) -> Call:
    current = get_clinic_settings(ctx)
    draft = ClinicSettingsDraft(
        "Renamed Dermatology",
        current.address,
        current.phone,
        current.time_zone,
        current.ipledge_2026_effective_on,
        current.idle_lock_minutes,
    )
    return lambda: update_clinic_settings(ctx, draft, current.version)


def _logo(ctx: Context, clinic: Clinic) -> Call:
    return lambda: set_clinic_logo(ctx, tiny_png(), get_clinic_settings(ctx).version)


def _add_staff(ctx: Context, clinic: Clinic) -> Call:
    return lambda: add_staff(ctx, StaffDraft("newbie", "New Nurse", Role.NURSE, PASSWORD))


def _deactivate(ctx: Context, clinic: Clinic) -> Call:
    nina = find_staff(ctx, "nina")
    return lambda: set_staff_active(ctx, nina.id, nina.version, active=False)


def _reset_password(ctx: Context, clinic: Clinic) -> Call:
    nina = find_staff(ctx, "nina")
    return lambda: reset_password(ctx, nina.id, nina.version, "another long passphrase")


def _add_form(ctx: Context, clinic: Clinic) -> Call:
    return lambda: add_clinic_form(
        ctx, ClinicFormDraft("New form", ClinicFormAudience.ALL, form_pdf("N"), "n.pdf")
    )


def _replace_form(ctx: Context, clinic: Clinic) -> Call:
    return lambda: replace_clinic_form_pdf(
        ctx, clinic.form_id, clinic.form_version(), form_pdf("R")
    )


def _move_form(ctx: Context, clinic: Clinic) -> Call:
    return lambda: move_clinic_form(ctx, clinic.form_id, clinic.form_version(), 1)


def _retire_form(ctx: Context, clinic: Clinic) -> Call:
    return lambda: retire_clinic_form(ctx, clinic.form_id, clinic.form_version())


def _add_template_version(ctx: Context, clinic: Clinic) -> Call:
    form = ConsentForm.INFORMED_CONSENT
    wording = wording_toml(load_consent_template(form))
    return lambda: add_consent_template_version(
        ctx, ConsentTemplateVersionDraft(form, "2026.9", TODAY, wording)
    )


def _backup(ctx: Context, clinic: Clinic) -> Call:
    return lambda: back_up_clinic(ctx, clinic.tmp_path / f"backup-{ctx.actor.username}.db")


def _restore(ctx: Context, clinic: Clinic) -> Call:
    backup = clinic.tmp_path / "backup-for-restore.db"
    if not POSTGRES_URL:
        back_up_clinic(clinic.by_role["admin"], backup)
    return lambda: restore_clinic(
        clinic.database_url, backup, username=ctx.actor.username, password=PASSWORD
    )


def _confirm_counselling(ctx: Context, clinic: Clinic) -> Call:
    return lambda: confirm_counseling(ctx, clinic.course.id, TODAY, PASSWORD)


def _dose_change(mg_per_kg_day: str, *, override: bool = False) -> Action:
    def change(ctx: Context, clinic: Clinic) -> Call:
        draft = DoseChangeDraft(
            clinic.course.id,
            clinic.course.version,
            date(2026, 11, 16),
            Decimal(mg_per_kg_day),
            "generic",
            "severe truncal acne",
            prescriber_override=override,
        )
        return lambda: change_dose(ctx, draft)

    return change


def _start_above_the_usual_range(ctx: Context, clinic: Clinic) -> Call:
    patient = register_patient(ctx, patient_draft(mrn="HIGH-1", legal_name="High Dose"))
    draft = course_draft(ctx, patient.id, starting_mg_per_kg_day=Decimal("1.2"))
    return lambda: start_course(ctx, draft)


def _override_the_two_month_wait(ctx: Context, clinic: Clinic) -> Call:
    """A second course 10 days after the first one's last dose, with a reason."""
    nurse = clinic.by_role["nurse"]
    ended = end_course(nurse, clinic.course.id, clinic.course.version, date(2026, 11, 10))
    draft = course_draft(ctx, ended.patient_id, start_on=TODAY)
    return lambda: start_course(ctx, replace(draft, override_reason="rapid relapse"))


ADMIN_ONLY = {
    "update clinic settings": _settings,
    "set the clinic logo": _logo,
    "add a staff account": _add_staff,
    "deactivate a staff account": _deactivate,
    "reset a password": _reset_password,
    "add a clinic form": _add_form,
    "replace a clinic form's PDF": _replace_form,
    "move a clinic form": _move_form,
    "retire a clinic form": _retire_form,
    "add a consent template version": _add_template_version,
    "back up": _backup,
    "restore": _restore,
}
PRESCRIBER_ONLY = {
    "confirm counselling": _confirm_counselling,
    "change the dose above the usual range": _dose_change("1.5"),
    "start a course above the usual range": _start_above_the_usual_range,
    "override the labelled maximum": _dose_change("2.5", override=True),
    "override the 2-month wait": _override_the_two_month_wait,
}
_SHARED_DATABASE_ONLY = {"back up", "restore"}
"""On PostgreSQL an administrator is pointed to pg_dump and pg_restore instead."""


def _audit_entries(ctx: Context) -> int:
    with ctx.sessions.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def _new_actions(ctx: Context, after_seq: int) -> list[str]:
    with ctx.sessions.read() as session:
        query = select(AuditEntry.action).where(AuditEntry.seq > after_seq)
        return list(session.scalars(query.order_by(AuditEntry.seq)))


def _refused(ctx: Context, action: Action, clinic: Clinic) -> str:
    """The refusal's message; nothing was saved (a restore's sign-in is audited, as every
    sign-in is, before the role is checked)."""
    call = action(ctx, clinic)
    before = _audit_entries(ctx)
    with pytest.raises((NotAllowed, ValidationFailed)) as refused:
        call()
    assert set(_new_actions(ctx, before)) <= {"session.sign_in"}
    return refused.value.user_message()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ADMIN_ONLY))
def test_administrator_only_actions(clinic: Clinic, action: str, role: str) -> None:
    ctx, act = clinic.by_role[role], ADMIN_ONLY[action]
    if POSTGRES_URL and action == "restore":  # no restore of a shared database, by anyone
        with pytest.raises(DatabaseNotReady, match="pg_restore"):
            act(ctx, clinic)()
        return
    if role != "admin":
        message = _refused(ctx, act, clinic)
        assert f"A {role} account cannot" in message
        return
    if POSTGRES_URL and action in _SHARED_DATABASE_ONLY:
        with pytest.raises(DatabaseNotReady, match="pg_dump"):
            act(ctx, clinic)()
        return
    call = act(ctx, clinic)
    before = _audit_entries(ctx)
    call()
    if action != "restore":  # a restore replaces the trail with the backup's
        assert _audit_entries(ctx) > before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(PRESCRIBER_ONLY))
def test_prescriber_only_actions(clinic: Clinic, action: str, role: str) -> None:
    """Administrators hold every administrative permission but are not prescribers."""
    ctx, act = clinic.by_role[role], PRESCRIBER_ONLY[action]
    if role != "prescriber":
        message = _refused(ctx, act, clinic)
        assert "prescriber" in message
        return
    call = act(ctx, clinic)
    before = _audit_entries(ctx)
    call()
    assert _audit_entries(ctx) > before


@pytest.mark.parametrize("role", ROLES)
def test_a_nurse_override_of_the_two_month_wait_is_refused_naming_the_field(
    clinic: Clinic, role: str
) -> None:
    if role == "prescriber":
        pytest.skip("the prescriber's override is accepted (test_prescriber_only_actions)")
    with pytest.raises(ValidationFailed) as refused:
        _override_the_two_month_wait(clinic.by_role[role], clinic)()
    assert {p.field: p.message for p in refused.value.problems}["override_reason"] == (
        "Only a prescriber can override the 2-month wait."
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("patient_changes", "words"),
    [
        ({"is_pregnant_or_breastfeeding": True}, "pregnant or breastfeeding"),
        ({"has_retinoid_allergy": True}, "allergy"),
        ({"risk_category": None}, "risk category"),
    ],
)
def test_nobody_overrides_a_hard_stop(
    clinic: Clinic, role: str, patient_changes: dict[str, object], words: str
) -> None:
    ctx = clinic.by_role[role]
    patient = register_patient(ctx, patient_draft(mrn="STOP-1", **patient_changes))
    draft = course_draft(ctx, patient.id, override_reason="the prescriber insists")
    before = _audit_entries(ctx)
    with pytest.raises(ValidationFailed) as refused:
        start_course(ctx, draft)
    assert words in refused.value.user_message()
    assert _audit_entries(ctx) == before


def test_everyone_may_record_a_dose_in_the_usual_range(clinic: Clinic) -> None:
    for day, role in enumerate(ROLES, start=16):
        ctx = clinic.by_role[role]
        course = clinic.course
        draft = DoseChangeDraft(
            course.id, _version(ctx, course), date(2026, 11, day), Decimal(1), "generic", "ok"
        )
        change_dose(ctx, draft)


def _version(ctx: Context, course: CourseRecord) -> int:
    return next(c.version for c in list_courses(ctx, course.patient_id) if c.id == course.id)
