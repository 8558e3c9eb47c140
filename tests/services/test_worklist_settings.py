"""Clinic settings the worklist depends on (the 2026 iPLEDGE modification's effective date,
the time zone) recompute every tracked course's stored items when they change."""

import json
from dataclasses import replace
from datetime import date

from desktop.rules.patients import RiskCategory, SexAtBirth
from desktop.rules.worklist import ItemStatus, WorkKind
from desktop.services.clinic_setup import (
    ClinicSettingsDraft,
    get_clinic_settings,
    update_clinic_settings,
)
from desktop.services.context import Context
from desktop.services.course_transfer import import_course
from desktop.services.patients import register_patient
from desktop.services.staff import sign_in
from desktop.services.worklist import WorklistRow, load_worklist
from tests.conftest import PASSWORD, patient_draft

LATER_GO_LIVE = date(2027, 6, 1)
"""The 2026 modification postponed past today (2026-11-20): the 2021 rules are in force."""
COURSE_CANNOT_GET_PREGNANT = {
    "patient": {"birth_date": "2001-03-14", "can_get_pregnant": False},
    "product": "generic",
    "start_date": "2026-10-23",
    "end_date": None,
    "target_mg_per_kg": 120,
    "lab_protocol": "clinic-monthly",
    "weights": [{"date": "2026-10-20", "kg": 70}],
    "doses": [{"from": "2026-10-23", "mg_per_day": 40}],
    "counseling_confirmations": ["2026-10-20"],
    "fills": [{"date": "2026-10-23", "days_supply": 30}],
    "visits": ["2026-10-20"],
    "labs": [
        {"date": "2026-10-19", "panel": "lft", "results": {"alt_u_l": 22, "alt_uln_u_l": 40}},
        {"date": "2026-10-19", "panel": "lipids", "results": {"triglycerides_mg_dl": 165}},
    ],
    "consents": [{"form": "informed-consent", "signed_date": "2026-10-20"}],
}


def course_for_patient_who_cannot_get_pregnant(nurse_ctx: Context) -> None:
    """Enrolled in October with counselling confirmed: monthly counselling confirmations
    are needed under the 2021 rules, not under the 2026 modification (domain.md §1.4)."""
    patient = patient_draft(
        risk_category=RiskCategory.CANNOT_GET_PREGNANT, sex_at_birth=SexAtBirth.MALE
    )
    register_patient(nurse_ctx, patient)
    import_course(nurse_ctx, "MRN-1001", json.dumps(COURSE_CANNOT_GET_PREGNANT), "drpark")


def set_clinic_settings(admin_ctx: Context, **changes: object) -> None:
    current = get_clinic_settings(admin_ctx)
    draft = ClinicSettingsDraft(
        current.clinic_name,
        current.address,
        current.phone,
        current.time_zone,
        current.ipledge_2026_effective_on,
        current.idle_lock_minutes,
    )
    update_clinic_settings(admin_ctx, replace(draft, **changes), current.version)  # type: ignore[arg-type]


def counselling_items(ctx: Context) -> list[WorklistRow]:
    rows = load_worklist(ctx).rows
    return [r for r in rows if r.kind is WorkKind.COUNSELING_CONFIRMATION]


def test_postponing_the_2026_modification_puts_monthly_counselling_back_on_the_worklist(
    admin_ctx: Context, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    course_for_patient_who_cannot_get_pregnant(nurse_ctx)
    assert counselling_items(nurse_ctx) == []

    set_clinic_settings(admin_ctx, ipledge_2026_effective_on=LATER_GO_LIVE)
    [item] = counselling_items(nurse_ctx)
    assert item.due_on == date(2026, 11, 22)
    assert item.message == (
        "Prescriber to confirm counselling in iPLEDGE before the prescription due 2026-11-22."
    )
    assert load_worklist(nurse_ctx).stale_courses == 0

    set_clinic_settings(admin_ctx, ipledge_2026_effective_on=date(2026, 8, 8))
    assert counselling_items(nurse_ctx) == []


def test_a_new_time_zone_recomputes_the_worklist_for_its_today(
    admin_ctx: Context, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    course_for_patient_who_cannot_get_pregnant(nurse_ctx)
    visit_due = [r for r in load_worklist(nurse_ctx).rows if r.kind is WorkKind.VISIT]
    assert [r.status for r in visit_due] == [ItemStatus.DUE]

    set_clinic_settings(admin_ctx, time_zone="Pacific/Kiritimati")  # 15:30 UTC is tomorrow
    across_the_date_line = sign_in(nurse_ctx.clinic, "nina", PASSWORD)
    assert across_the_date_line.today() == date(2026, 11, 21)
    view = load_worklist(across_the_date_line)
    assert view.stale_courses == 0
    visit_due = [r for r in view.rows if r.kind is WorkKind.VISIT]
    assert [r.status for r in visit_due] == [ItemStatus.OVERDUE]
