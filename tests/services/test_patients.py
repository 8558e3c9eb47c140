"""Patient registry service: validation, uniqueness, stale edits, search, history, audit."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from db.audit import verify_chain
from db.engine import create_clinic_engine
from db.models import AuditEntry, Patient
from desktop.rules.patients import RiskCategory
from desktop.services.context import Context, FixedClock
from desktop.services.course_dosing import start_course
from desktop.services.course_lifecycle import end_course, pause_course
from desktop.services.demo_data import create_demo_patients
from desktop.services.errors import StaleEdit, ValidationFailed
from desktop.services.patients import (
    SEARCH_LIMIT,
    PatientSort,
    find_patient_by_mrn,
    get_patient,
    list_patients,
    patient_history,
    register_patient,
    search_patients,
    update_patient,
)
from tests.conftest import TODAY, patient_draft
from tests.services.test_courses import course_draft


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


# The patient list's status and sorting over every matching patient (not just those shown).
# Five patients, each column ordering them differently; MRNs differ in case on purpose.
STAGES = {
    "Adam Smith": ("C-3", date(1990, 6, 1), RiskCategory.CANNOT_GET_PREGNANT, "Active course"),
    "Beth Young": ("a-5", date(2001, 1, 2), None, "Registered"),
    "Carl Ito": ("e-2", date(1985, 3, 3), RiskCategory.CAN_GET_PREGNANT, "Course paused"),
    "Dana Ruiz": ("B-1", date(1999, 9, 9), RiskCategory.CAN_GET_PREGNANT, "Post-course follow-up"),
    "Émile Roy": ("D-4", date(1979, 12, 12), RiskCategory.CANNOT_GET_PREGNANT, "Course ended"),
}
SORTED_NAMES = {
    PatientSort.NAME: ["Adam Smith", "Beth Young", "Carl Ito", "Dana Ruiz", "Émile Roy"],
    PatientSort.MRN: ["Beth Young", "Dana Ruiz", "Adam Smith", "Émile Roy", "Carl Ito"],
    PatientSort.BIRTH_DATE: ["Émile Roy", "Carl Ito", "Adam Smith", "Dana Ruiz", "Beth Young"],
    # can get pregnant, cannot, not yet assigned; ties in name order
    PatientSort.RISK_CATEGORY: ["Carl Ito", "Dana Ruiz", "Adam Smith", "Émile Roy", "Beth Young"],
    # the course life: registered, active, paused, follow-up, ended
    PatientSort.STATUS: ["Beth Young", "Adam Smith", "Carl Ito", "Dana Ruiz", "Émile Roy"],
}
SORTED_NAMES_DESCENDING = {
    PatientSort.NAME: ["Émile Roy", "Dana Ruiz", "Carl Ito", "Beth Young", "Adam Smith"],
    PatientSort.MRN: ["Carl Ito", "Émile Roy", "Adam Smith", "Dana Ruiz", "Beth Young"],
    PatientSort.BIRTH_DATE: ["Beth Young", "Dana Ruiz", "Adam Smith", "Carl Ito", "Émile Roy"],
    PatientSort.RISK_CATEGORY: ["Beth Young", "Adam Smith", "Émile Roy", "Carl Ito", "Dana Ruiz"],
    PatientSort.STATUS: ["Émile Roy", "Dana Ruiz", "Carl Ito", "Adam Smith", "Beth Young"],
}


def register_patients_at_every_stage(nurse_ctx: Context) -> None:
    """The five STAGES patients, their courses started, paused and ended as their status
    says (on 2026-11-20 the follow-up window reaches back to 2026-07-23). Needs a
    prescriber on staff."""
    for name, (mrn, born, category, status) in STAGES.items():
        draft = patient_draft(
            mrn=mrn, legal_name=name, preferred_name="", birth_date=born, risk_category=category
        )
        patient = register_patient(nurse_ctx, draft)
        starts = {"Post-course follow-up": date(2026, 6, 1), "Course ended": date(2026, 1, 5)}
        if status == "Registered":
            continue
        start = starts.get(status, date(2026, 11, 2))
        course = start_course(nurse_ctx, course_draft(nurse_ctx, patient.id, start_on=start))
        if status == "Course paused":
            pause_course(nurse_ctx, course.id, course.version, date(2026, 11, 10), "Flare")
        elif status == "Post-course follow-up":
            end_course(nurse_ctx, course.id, course.version, date(2026, 10, 1))
        elif status == "Course ended":
            end_course(nurse_ctx, course.id, course.version, date(2026, 5, 1))


def test_status_follows_the_patients_courses(nurse_ctx: Context, prescriber_ctx: Context) -> None:
    register_patients_at_every_stage(nurse_ctx)
    shown = {row.legal_name: row.status for row in search_patients(nurse_ctx)}
    assert shown == {name: stage[3] for name, stage in STAGES.items()}


def test_follow_up_turns_to_course_ended_as_the_days_pass(
    nurse_ctx: Context, prescriber_ctx: Context, clock: FixedClock
) -> None:
    register_patients_at_every_stage(nurse_ctx)
    # 2026-10-01 + 120 days of follow-up (services.worklist) = 2027-01-29, the last day.
    clock.instant = datetime(2027, 1, 29, 12, 0, tzinfo=UTC)
    assert search_patients(nurse_ctx, "dana")[0].status == "Post-course follow-up"
    clock.instant = datetime(2027, 1, 30, 12, 0, tzinfo=UTC)
    assert search_patients(nurse_ctx, "dana")[0].status == "Course ended"


def test_a_new_course_after_an_ended_one_is_the_status(
    nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    register_patients_at_every_stage(nurse_ctx)
    patient = search_patients(nurse_ctx, "emile")[0]
    start_course(nurse_ctx, course_draft(nurse_ctx, patient.id, start_on=date(2026, 11, 16)))
    assert search_patients(nurse_ctx, "emile")[0].status == "Active course"


@pytest.mark.parametrize("sort", list(PatientSort))
def test_each_sort_orders_the_whole_match_set_before_the_limit(
    nurse_ctx: Context, prescriber_ctx: Context, sort: PatientSort
) -> None:
    register_patients_at_every_stage(nurse_ctx)
    for descending, expected in ((False, SORTED_NAMES), (True, SORTED_NAMES_DESCENDING)):
        found = list_patients(nurse_ctx, sort=sort, descending=descending, limit=2)
        assert [row.legal_name for row in found.rows] == expected[sort][:2]
        assert (found.total, found.is_cut) == (5, True)
        every = list_patients(nurse_ctx, sort=sort, descending=descending)
        assert [row.legal_name for row in every.rows] == expected[sort]
        assert (every.total, every.is_cut) == (5, False)


def test_the_count_covers_every_match_beyond_the_limit(admin_ctx: Context) -> None:
    create_demo_patients(admin_ctx, 520, seed=3)
    found = list_patients(admin_ctx)
    assert (len(found.rows), found.total, found.is_cut) == (SEARCH_LIMIT, 520, True)
    narrowed = list_patients(admin_ctx, "DEMO-3-0001")  # 00010 … 00019
    assert (len(narrowed.rows), narrowed.total, narrowed.is_cut) == (10, 10, False)
    youngest = max(row.birth_date for row in search_patients(admin_ctx, limit=1000))
    first = list_patients(admin_ctx, sort=PatientSort.BIRTH_DATE, descending=True).rows[0]
    assert first.birth_date == youngest


@pytest.mark.parametrize("typed", ["a-77", "A-77", " a-77 "])
def test_an_mrn_in_another_letter_case_is_the_same_mrn(nurse_ctx: Context, typed: str) -> None:
    register_patient(nurse_ctx, patient_draft(mrn="A-77"))
    with pytest.raises(ValidationFailed) as refused:
        register_patient(nurse_ctx, patient_draft(mrn=typed, legal_name="Someone Else"))
    assert [(p.field, p.message) for p in refused.value.problems] == [
        ("mrn", "Another patient already has this MRN.")
    ]
    assert find_patient_by_mrn(nurse_ctx, typed).mrn == "A-77"
    assert _count(nurse_ctx, Patient) == 1


def test_editing_another_patient_onto_an_mrn_in_other_case_is_refused(nurse_ctx: Context) -> None:
    register_patient(nurse_ctx, patient_draft(mrn="A-77"))
    other = register_patient(nurse_ctx, patient_draft(mrn="B-78", legal_name="Someone Else"))
    with pytest.raises(ValidationFailed) as refused:
        update_patient(nurse_ctx, other.id, other.version, patient_draft(mrn="a-77"))
    assert refused.value.problems[0].field == "mrn"
    assert get_patient(nurse_ctx, other.id).mrn == "B-78"


def test_a_patient_may_change_the_case_of_their_own_mrn(nurse_ctx: Context) -> None:
    opened = register_patient(nurse_ctx, patient_draft(mrn="a-77"))
    saved = update_patient(nurse_ctx, opened.id, opened.version, patient_draft(mrn="A-77"))
    assert saved.mrn == "A-77"
    change = patient_history(nurse_ctx, opened.id)[0]
    assert [(c.field, c.old, c.new) for c in change.changes] == [("mrn", "a-77", "A-77")]


def test_only_a_duplicate_mrn_is_reported_as_one(
    nurse_ctx: Context, owner_database_url: str
) -> None:
    """Another constraint breaking is not 'MRN taken': the error goes on unexplained (the
    app then shows a reference code), and nothing is saved. (The constraint is added as the
    tables' owner: on PostgreSQL the app's role may not alter tables.)"""
    owner = create_clinic_engine(owner_database_url)
    with owner.begin() as session:
        if session.dialect.name == "sqlite":
            session.execute(
                text(
                    "CREATE TRIGGER test_rule BEFORE INSERT ON patients WHEN NEW.mrn = 'X-1' "
                    "BEGIN SELECT RAISE(ABORT, 'test rule broken'); END"
                )
            )
        else:
            session.execute(
                text("ALTER TABLE patients ADD CONSTRAINT ck_test_rule CHECK (mrn <> 'X-1')")
            )
    owner.dispose()
    with pytest.raises(IntegrityError):
        register_patient(nurse_ctx, patient_draft(mrn="X-1"))
    assert _count(nurse_ctx, Patient) == 0
