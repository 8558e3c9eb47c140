"""The patient's medication list: add, edit, stop (kept, never deleted), stale edits refused,
every write audited, and the interaction cautions it raises (domain.md §6, §1.5)."""

from datetime import date

import pytest

from db.audit import verify_chain
from desktop.rules.interactions import CautionCode
from desktop.rules.medications import (
    BEFORE_BIRTH,
    NAME_REQUIRED,
    STARTED_IN_FUTURE,
    STOP_REASON_REQUIRED,
    STOPPED_BEFORE_START,
    STOPPED_IN_FUTURE,
    MedicationDraft,
)
from desktop.rules.patients import RiskCategory
from desktop.services import roles
from desktop.services.context import Context
from desktop.services.course_dosing import start_course
from desktop.services.errors import NotAllowed, StaleEdit, ValidationFailed
from desktop.services.medications import (
    add_medication,
    current_cautions,
    list_medications,
    stop_medication,
    update_medication,
)
from desktop.services.patients import patient_history, register_patient, update_patient
from desktop.services.roles import Role
from desktop.services.worklist import load_worklist
from tests.conftest import TODAY, patient_draft
from tests.services.test_courses import course_draft

DOXY = MedicationDraft("Doxycycline", "100 mg twice daily", date(2026, 10, 1))


@pytest.fixture
def patient_id(nurse_ctx: Context) -> int:
    return register_patient(nurse_ctx, patient_draft()).id


def test_added_medication_is_listed_and_audited(nurse_ctx: Context, patient_id: int) -> None:
    saved = add_medication(nurse_ctx, patient_id, DOXY)
    assert list_medications(nurse_ctx, patient_id) == (saved,)
    assert (saved.name, saved.dose, saved.started_on) == (DOXY.name, DOXY.dose, DOXY.started_on)
    assert saved.is_current
    assert saved.recorded_by_name == "Nina Nurse"
    entry = patient_history(nurse_ctx, patient_id)[0]
    assert (entry.action, entry.entity, entry.entity_id) == (
        "medication.create",
        "medication",
        saved.id,
    )
    assert {(c.field, c.new) for c in entry.changes} == {
        ("name", "Doxycycline"),
        ("dose", "100 mg twice daily"),
        ("started_on", "2026-10-01"),
    }


def test_edit_records_only_what_changed(nurse_ctx: Context, patient_id: int) -> None:
    saved = add_medication(nurse_ctx, patient_id, DOXY)
    edited = update_medication(
        nurse_ctx,
        saved.id,
        saved.version,
        MedicationDraft("Doxycycline", "50 mg daily", DOXY.started_on),
    )
    assert edited.version == saved.version + 1
    assert edited.dose == "50 mg daily"
    entry = patient_history(nurse_ctx, patient_id)[0]
    assert entry.action == "medication.update"
    assert [(c.field, c.old, c.new) for c in entry.changes] == [
        ("dose", "100 mg twice daily", "50 mg daily")
    ]


def test_stale_edit_is_refused_naming_who_changed_it(
    nurse_ctx: Context, prescriber_ctx: Context, patient_id: int
) -> None:
    opened = add_medication(nurse_ctx, patient_id, DOXY)
    update_medication(
        prescriber_ctx, opened.id, opened.version, MedicationDraft("Doxycycline", "50 mg")
    )
    with pytest.raises(StaleEdit) as refused:
        update_medication(nurse_ctx, opened.id, opened.version, MedicationDraft("Minocycline"))
    assert refused.value.changed_by == "Dr Priya Park"
    assert "Dr Priya Park" in refused.value.user_message()
    with pytest.raises(StaleEdit):
        stop_medication(nurse_ctx, opened.id, opened.version, TODAY, "interaction")
    assert list_medications(nurse_ctx, patient_id)[0].dose == "50 mg"


def test_stopped_medication_is_kept_below_the_current_ones(
    nurse_ctx: Context, patient_id: int
) -> None:
    doxy = add_medication(nurse_ctx, patient_id, DOXY)
    add_medication(nurse_ctx, patient_id, MedicationDraft("Vitamin D", "1000 IU"))
    stopped = stop_medication(nurse_ctx, doxy.id, doxy.version, TODAY, "Prescriber stopped it")
    assert (stopped.stopped_on, stopped.stop_reason, stopped.is_current) == (
        TODAY,
        "Prescriber stopped it",
        False,
    )
    assert [m.name for m in list_medications(nurse_ctx, patient_id)] == ["Vitamin D", "Doxycycline"]
    entry = patient_history(nurse_ctx, patient_id)[0]
    assert entry.action == "medication.stop"
    assert entry.reason == "Prescriber stopped it"
    assert {(c.field, c.new) for c in entry.changes} == {
        ("name", "Doxycycline"),
        ("stopped_on", TODAY.isoformat()),
        ("stop_reason", "Prescriber stopped it"),
    }
    with pytest.raises(ValidationFailed) as refused:
        stop_medication(nurse_ctx, stopped.id, stopped.version, TODAY, "again")
    assert refused.value.problems[0].field == "stopped_on"
    with nurse_ctx.sessions.read() as session:
        assert verify_chain(session).is_whole


@pytest.mark.parametrize(
    ("draft", "field", "message"),
    [
        (MedicationDraft("  "), "name", NAME_REQUIRED),
        (MedicationDraft("Doxycycline", started_on=date(2000, 1, 1)), "started_on", BEFORE_BIRTH),
        (
            MedicationDraft("Doxycycline", started_on=date(2026, 11, 21)),
            "started_on",
            STARTED_IN_FUTURE,
        ),
    ],
)
def test_invalid_entry_is_refused_beside_its_field(
    nurse_ctx: Context, patient_id: int, draft: MedicationDraft, field: str, message: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        add_medication(nurse_ctx, patient_id, draft)
    assert [(p.field, p.message) for p in refused.value.problems] == [(field, message)]
    assert list_medications(nurse_ctx, patient_id) == ()


@pytest.mark.parametrize(
    ("stopped_on", "reason", "problems"),
    [
        (None, "done", [("stopped_on", "Type the day the patient stopped taking it.")]),
        (date(2026, 11, 21), "done", [("stopped_on", STOPPED_IN_FUTURE)]),
        (date(2026, 9, 30), "done", [("stopped_on", STOPPED_BEFORE_START)]),
        (date(2000, 1, 1), "done", [("stopped_on", BEFORE_BIRTH)]),
        (TODAY, " ", [("stop_reason", STOP_REASON_REQUIRED)]),
    ],
)
def test_invalid_stop_is_refused_and_nothing_changes(
    nurse_ctx: Context,
    patient_id: int,
    stopped_on: date | None,
    reason: str,
    problems: list[tuple[str, str]],
) -> None:
    saved = add_medication(nurse_ctx, patient_id, DOXY)
    with pytest.raises(ValidationFailed) as refused:
        stop_medication(nurse_ctx, saved.id, saved.version, stopped_on, reason)
    assert [(p.field, p.message) for p in refused.value.problems] == problems
    assert list_medications(nurse_ctx, patient_id) == (saved,)


def test_editing_a_stopped_entry_keeps_its_start_before_its_stop(
    nurse_ctx: Context, patient_id: int
) -> None:
    saved = add_medication(nurse_ctx, patient_id, DOXY)
    stopped = stop_medication(nurse_ctx, saved.id, saved.version, date(2026, 11, 1), "done")
    later_start = MedicationDraft("Doxycycline", started_on=date(2026, 11, 10))
    with pytest.raises(ValidationFailed) as refused:
        update_medication(nurse_ctx, stopped.id, stopped.version, later_start)
    assert refused.value.problems[0].message == STOPPED_BEFORE_START


def test_every_role_may_record_but_only_signed_in_staff(
    admin_ctx: Context, prescriber_ctx: Context, patient_id: int
) -> None:
    assert add_medication(admin_ctx, patient_id, MedicationDraft("Isotretinoin gel")).id
    assert add_medication(prescriber_ctx, patient_id, MedicationDraft("Ibuprofen")).id
    assert len(list_medications(admin_ctx, patient_id)) == 2


def test_the_service_itself_checks_the_role(
    monkeypatch: pytest.MonkeyPatch, prescriber_ctx: Context, patient_id: int
) -> None:
    """Roles are enforced here, not by hiding buttons: without the grant, nothing is saved."""
    monkeypatch.setitem(roles._GRANTS, Role.PRESCRIBER, frozenset())
    with pytest.raises(NotAllowed):
        add_medication(prescriber_ctx, patient_id, DOXY)
    assert list_medications(prescriber_ctx, patient_id) == ()


def test_cautions_follow_current_medications_and_the_patient_flags(
    nurse_ctx: Context, patient_id: int
) -> None:
    doxy = add_medication(nurse_ctx, patient_id, DOXY)
    pill = add_medication(nurse_ctx, patient_id, MedicationDraft("Camila (norethindrone)"))
    codes = [c.code for c in current_cautions(nurse_ctx, patient_id)]
    assert codes == [CautionCode.PROGESTIN_ONLY_PILL, CautionCode.TETRACYCLINE]
    tetracycline = current_cautions(nurse_ctx, patient_id)[1]
    assert tetracycline.medication == "Doxycycline"
    assert tetracycline.message.startswith("Doxycycline is a tetracycline")

    # The progestin-only pill matters only to a patient who can get pregnant (§1.5).
    patient = update_patient(
        nurse_ctx,
        patient_id,
        1,
        patient_draft(risk_category=RiskCategory.CANNOT_GET_PREGNANT, has_retinoid_allergy=True),
    )
    codes = [c.code for c in current_cautions(nurse_ctx, patient.id)]
    assert codes == [CautionCode.RETINOID_ALLERGY, CautionCode.TETRACYCLINE]

    stop_medication(nurse_ctx, doxy.id, doxy.version, TODAY, "interaction")
    stop_medication(nurse_ctx, pill.id, pill.version, TODAY, "changed method")
    assert [c.code for c in current_cautions(nurse_ctx, patient.id)] == [
        CautionCode.RETINOID_ALLERGY
    ]


def test_the_worklist_is_unchanged_by_the_medication_list(
    nurse_ctx: Context, prescriber_ctx: Context, patient_id: int
) -> None:
    start_course(nurse_ctx, course_draft(nurse_ctx, patient_id))
    before = load_worklist(nurse_ctx).rows
    saved = add_medication(nurse_ctx, patient_id, DOXY)
    stop_medication(nurse_ctx, saved.id, saved.version, TODAY, "interaction")
    assert load_worklist(nurse_ctx).rows == before
    assert before
