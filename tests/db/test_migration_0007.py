"""0007: signed consents and counselling confirmations made before the upgrade stay on file
unchanged and still count (not voided, replacing nothing); afterwards they can be voided and
corrected like new ones, and the database itself refuses a void without a reason.

Runs on SQLite and, in CI's second run, on PostgreSQL."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from db.engine import create_clinic_engine
from db.migrate import schema_state, upgrade
from desktop.rules.consents import ConsentForm
from desktop.rules.ipledge import IpledgeStep
from desktop.services.clinic_setup import SetupDraft, create_first_admin
from desktop.services.consents import (
    ConsentDraft,
    consent_needs,
    consent_signatures,
    correct_consent_signature,
    record_consent_signature,
)
from desktop.services.context import FixedClock, open_clinic
from desktop.services.course_dosing import start_course
from desktop.services.course_overview import get_course_overview
from desktop.services.ipledge_steps import confirm_counseling, void_counseling_confirmation
from desktop.services.patients import register_patient
from desktop.services.roles import Role
from desktop.services.staff import StaffDraft, add_staff, sign_in
from tests import postgres
from tests.conftest import NOW, PASSWORD, POSTGRES_URL, patient_draft
from tests.db.populated_clinic import copy_rows, differences, table_digests, upgrade_to
from tests.services.test_courses import course_draft

SIGNED_ON = date(2026, 11, 19)
CONFIRMED_ON = date(2026, 11, 18)
NEW_COLUMNS = ("voided_at", "voided_by_name", "void_reason", "void_signature_hash", "replaces_id")
TABLES = ("consent_signatures", "counseling_confirmations")


def _signed_clinic_at_head(url: str) -> None:
    """A clinic with one signed consent and one signed counselling confirmation."""
    clinic = open_clinic(url, clock=FixedClock(NOW), workstation="ws-0006")
    try:
        admin = StaffDraft("admin", "Ada Admin", Role.ADMIN, PASSWORD)
        admin_ctx = create_first_admin(clinic, SetupDraft("Riverside Dermatology", admin))
        for username, name, role in (
            ("nina", "Nina Nurse", Role.NURSE),
            ("drpark", "Dr Priya Park", Role.PRESCRIBER),
        ):
            add_staff(admin_ctx, StaffDraft(username, name, role, PASSWORD))
        nurse = sign_in(clinic, "nina", PASSWORD)
        prescriber = sign_in(clinic, "drpark", PASSWORD)
        patient = register_patient(nurse, patient_draft())
        course = start_course(nurse, course_draft(nurse, patient.id))
        draft = ConsentDraft(
            patient.id, ConsentForm.INFORMED_CONSENT, "2026.1", SIGNED_ON, "Dr Priya Park"
        )
        record_consent_signature(nurse, draft, PASSWORD)
        confirm_counseling(prescriber, course.id, CONFIRMED_ON, PASSWORD)
    finally:
        clinic.close()


@pytest.fixture
def url_at_0006(tmp_path: Path) -> Iterator[str]:
    """A database at 0006 holding what an IsoTrack of 0006 signed (rows copied from a clinic
    made by today's services, without the columns 0006 did not have)."""
    source_url = f"sqlite:///{tmp_path / 'head.db'}"
    _signed_clinic_at_head(source_url)
    databases = (
        postgres.empty_database(POSTGRES_URL)
        if POSTGRES_URL
        else iter([f"sqlite:///{tmp_path / 'at-0006.db'}"])
    )
    url = next(databases)
    source, target = create_clinic_engine(source_url), create_clinic_engine(url)
    try:
        upgrade_to(target, "0006")
        copied = copy_rows(source, target)
        assert (copied["consent_signatures"], copied["counseling_confirmations"]) == (1, 1)
    finally:
        source.dispose()
        target.dispose()
    yield url
    for _ in databases:  # PostgreSQL: drop the database
        pass


def _columns(engine: Engine, table: str) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(text(f"SELECT * FROM {table}")).keys())


def test_signed_rows_stay_valid_and_unvoided_after_the_upgrade(url_at_0006: str) -> None:
    engine = create_clinic_engine(url_at_0006)
    try:
        assert schema_state(engine).current == "0006"
        old_columns = {t: _columns(engine, t) for t in TABLES}
        assert not set(NEW_COLUMNS) & set(old_columns["consent_signatures"])
        before = table_digests(engine, only=old_columns)
        upgrade(engine)
        assert schema_state(engine).is_current
        assert differences(before, table_digests(engine, only=old_columns)) == []
        with engine.connect() as connection:
            for table in TABLES:
                new_values = connection.execute(
                    text(f"SELECT {', '.join(NEW_COLUMNS)} FROM {table}")
                ).all()
                assert [tuple(r) for r in new_values] == [(None,) * len(NEW_COLUMNS)]
    finally:
        engine.dispose()

    clinic = open_clinic(url_at_0006, clock=FixedClock(NOW), workstation="ws-0007")
    try:
        nurse = sign_in(clinic, "nina", PASSWORD)
        prescriber = sign_in(clinic, "drpark", PASSWORD)
        (signed,) = consent_signatures(nurse, 1)
        assert (signed.signed_on, signed.counts, signed.replaces_id) == (SIGNED_ON, True, None)
        assert consent_needs(nurse, 1)[0].signed == signed
        overview = get_course_overview(nurse, 1)
        (confirmation,) = overview.counseling_confirmations
        assert (confirmation.confirmed_on, confirmation.counts) == (CONFIRMED_ON, True)
        assert overview.cycle is not None
        assert IpledgeStep.COUNSELING_CONFIRMATION not in overview.cycle.steps_to_do

        # Signed before the upgrade, corrected and voided after it.
        draft = ConsentDraft(
            1, ConsentForm.INFORMED_CONSENT, "2026.1", CONFIRMED_ON, "Dr Priya Park"
        )
        corrected = correct_consent_signature(nurse, signed.id, draft, "Wrong date", PASSWORD)
        assert corrected.replaces_id == signed.id
        void_counseling_confirmation(prescriber, confirmation.id, "In error", PASSWORD)
        assert not get_course_overview(nurse, 1).counseling_confirmations[0].counts
    finally:
        clinic.close()


def test_the_database_refuses_a_void_without_its_reason(url_at_0006: str) -> None:
    engine = create_clinic_engine(url_at_0006)
    try:
        upgrade(engine)
        for table in TABLES:
            for reason in ("NULL", "''"):
                with pytest.raises(IntegrityError), engine.begin() as connection:
                    connection.execute(
                        text(
                            f"UPDATE {table} SET voided_at = :at, voided_by_name = 'X', "
                            f"void_signature_hash = 'h', void_reason = {reason}"
                        ),
                        {"at": NOW},
                    )
    finally:
        engine.dispose()
