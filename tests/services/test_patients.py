"""Patient registry service: validation, uniqueness, stale edits, search, history, audit."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from db.audit import verify_chain
from db.models import AuditEntry, Patient
from desktop.rules.patients import RiskCategory
from desktop.services.context import Context
from desktop.services.errors import StaleEdit, ValidationFailed
from desktop.services.patients import (
    get_patient,
    patient_history,
    register_patient,
    search_patients,
    update_patient,
)
from tests.conftest import TODAY, patient_draft


def _count(ctx: Context, model: type) -> int:
    with ctx.sessions.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_register_patient_saves_and_audits_in_one_unit(nurse_ctx: Context) -> None:
    before = _count(nurse_ctx, AuditEntry)
    record = register_patient(nurse_ctx, patient_draft())
    assert record.legal_name == "Zoë O'Brien-Núñez"
    assert record.version == 1
    assert record.updated_by_name == "Nina Nurse"
    assert _count(nurse_ctx, AuditEntry) == before + 1
    history = patient_history(nurse_ctx, record.id)
    assert history[0].action == "patient.create"
    assert history[0].actor_name == "Nina Nurse"
    assert {c.field for c in history[0].changes} >= {"mrn", "legal_name", "birth_date"}


def test_invalid_patient_is_refused_and_nothing_is_written(nurse_ctx: Context) -> None:
    before = (_count(nurse_ctx, Patient), _count(nurse_ctx, AuditEntry))
    with pytest.raises(ValidationFailed) as refused:
        register_patient(nurse_ctx, patient_draft(birth_date=TODAY + timedelta(days=1)))
    assert refused.value.problems[0].field == "birth_date"
    assert "future" in refused.value.problems[0].message
    assert (_count(nurse_ctx, Patient), _count(nurse_ctx, AuditEntry)) == before


def test_minor_needs_guardian_name_and_relationship(nurse_ctx: Context) -> None:
    with pytest.raises(ValidationFailed) as refused:
        register_patient(nurse_ctx, patient_draft(birth_date=date(2010, 11, 21)))
    fields = {p.field for p in refused.value.problems}
    assert fields == {"guardian_name", "guardian_relationship"}
    assert "The patient is 15" in refused.value.problems[0].message


def test_patient_turning_18_today_needs_no_guardian(nurse_ctx: Context) -> None:
    record = register_patient(nurse_ctx, patient_draft(birth_date=date(2008, 11, 20)))
    assert record.guardian_name == ""


def test_duplicate_mrn_is_refused(nurse_ctx: Context) -> None:
    register_patient(nurse_ctx, patient_draft())
    with pytest.raises(ValidationFailed) as refused:
        register_patient(nurse_ctx, patient_draft(legal_name="Someone Else"))
    assert refused.value.problems[0].field == "mrn"


def test_stale_edit_is_refused_naming_who_changed_it(
    nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    opened = register_patient(nurse_ctx, patient_draft())
    update_patient(prescriber_ctx, opened.id, opened.version, patient_draft(phone="555 123 4567"))
    with pytest.raises(StaleEdit) as refused:
        update_patient(nurse_ctx, opened.id, opened.version, patient_draft(phone="555 999 0000"))
    assert refused.value.changed_by == "Dr Priya Park"
    assert "Dr Priya Park" in refused.value.user_message()
    assert get_patient(nurse_ctx, opened.id).phone == "555 123 4567"


def test_update_records_old_and_new_values(nurse_ctx: Context) -> None:
    opened = register_patient(nurse_ctx, patient_draft())
    saved = update_patient(
        nurse_ctx,
        opened.id,
        opened.version,
        patient_draft(risk_category=RiskCategory.CANNOT_GET_PREGNANT),
    )
    assert saved.version == 2
    change = patient_history(nurse_ctx, opened.id)[0]
    assert change.action == "patient.update"
    assert [(c.field, c.old, c.new) for c in change.changes] == [
        ("risk_category", "can_get_pregnant", "cannot_get_pregnant")
    ]
    with nurse_ctx.sessions.read() as session:
        assert verify_chain(session).is_whole


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("zoe", ["MRN-1001"]),
        ("NUNEZ", ["MRN-1001"]),
        ("o'brien", ["MRN-1001"]),
        ("mrn-1002", ["MRN-1002"]),
        ("2001-03", ["MRN-1001"]),
        ("3/14/2001", ["MRN-1001"]),
        ("kowalski 1999", ["MRN-1002"]),
        ("nobody", []),
        ("", ["MRN-1002", "MRN-1001"]),
    ],
)
def test_search_matches_name_mrn_and_birth_date(
    nurse_ctx: Context, typed: str, expected: list[str]
) -> None:
    register_patient(nurse_ctx, patient_draft())
    register_patient(
        nurse_ctx,
        patient_draft(
            mrn="MRN-1002",
            legal_name="Jan Kowalski",
            preferred_name="",
            birth_date=date(1999, 7, 1),
        ),
    )
    assert [row.mrn for row in search_patients(nurse_ctx, typed)] == expected
