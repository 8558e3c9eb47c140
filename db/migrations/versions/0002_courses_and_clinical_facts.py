"""courses, dosing, iPLEDGE facts, labs, visits, consents

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 23:53:25.360401
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("product", sa.String(length=40), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("last_dose_on", sa.Date(), nullable=True),
        sa.Column("target_mg_per_kg", sa.Numeric(precision=6, scale=1), nullable=False),
        sa.Column("lab_protocol", sa.String(length=40), nullable=False),
        sa.Column("prescriber_id", sa.Integer(), nullable=False),
        sa.Column("ipledge_enrolled_on", sa.Date(), nullable=True),
        sa.Column("home_tests_allowed", sa.Boolean(), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_name", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_courses_patient_id_patients"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["prescriber_id"],
            ["staff_users.id"],
            name=op.f("fk_courses_prescriber_id_staff_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
        sa.UniqueConstraint("patient_id", "number", name="uq_courses_patient_number"),
    )
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.create_index("ix_courses_status", ["status"], unique=False)

    op.create_table(
        "printed_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("template_versions", sa.Text(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("printed_by_name", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_printed_documents_patient_id_patients"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_printed_documents")),
    )
    with op.batch_alter_table("printed_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_printed_documents_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "comprehension_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_name", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_comprehension_answers_course_id_courses"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comprehension_answers")),
    )
    with op.batch_alter_table("comprehension_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_comprehension_answers_course_id"), ["course_id"], unique=False
        )

    op.create_table(
        "consent_signatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("form", sa.String(length=40), nullable=False),
        sa.Column("template_version", sa.String(length=20), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("guardian_name", sa.String(length=200), nullable=False),
        sa.Column("guardian_relationship", sa.String(length=60), nullable=False),
        sa.Column("witness_name", sa.String(length=200), nullable=False),
        sa.Column("prescriber_name", sa.String(length=120), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_name", sa.String(length=120), nullable=False),
        sa.Column("signature_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_consent_signatures_course_id_courses"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_consent_signatures_patient_id_patients"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_signatures")),
    )
    with op.batch_alter_table("consent_signatures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consent_signatures_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "contraception_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("primary_method", sa.String(length=30), nullable=True),
        sa.Column("secondary_method", sa.String(length=30), nullable=True),
        sa.Column("abstinence", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_name", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_contraception_periods_course_id_courses"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contraception_periods")),
    )
    with op.batch_alter_table("contraception_periods", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contraception_periods_course_id"), ["course_id"], unique=False
        )

    op.create_table(
        "counseling_confirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("confirmed_on", sa.Date(), nullable=False),
        sa.Column("prescriber_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signature_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_counseling_confirmations_course_id_courses"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["prescriber_id"],
            ["staff_users.id"],
            name=op.f("fk_counseling_confirmations_prescriber_id_staff_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counseling_confirmations")),
    )
    with op.batch_alter_table("counseling_confirmations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_counseling_confirmations_course_id"), ["course_id"], unique=False
        )

    op.create_table(
        "course_pauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("paused_on", sa.Date(), nullable=False),
        sa.Column("pause_reason", sa.Text(), nullable=False),
        sa.Column("resumed_on", sa.Date(), nullable=True),
        sa.Column("resume_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_course_pauses_course_id_courses"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_pauses")),
    )
    with op.batch_alter_table("course_pauses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_course_pauses_course_id"), ["course_id"], unique=False)

    op.create_table(
        "dose_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("product", sa.String(length=40), nullable=False),
        sa.Column("mg_per_day", sa.Numeric(precision=7, scale=2), nullable=False),
        sa.Column("am_mg", sa.Numeric(precision=7, scale=2), nullable=False),
        sa.Column("pm_mg", sa.Numeric(precision=7, scale=2), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("prescriber_override", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_name", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_dose_periods_course_id_courses"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dose_periods")),
        sa.UniqueConstraint("course_id", "starts_on", name="uq_dose_periods_day"),
    )
    with op.batch_alter_table("dose_periods", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dose_periods_course_id"), ["course_id"], unique=False)

    op.create_table(
        "fills",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("filled_on", sa.Date(), nullable=False),
        sa.Column("days_supply", sa.Integer(), nullable=False),
        sa.Column("capsules", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_name", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_fills_course_id_courses"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fills")),
    )
    with op.batch_alter_table("fills", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fills_course_id"), ["course_id"], unique=False)

    op.create_table(
        "lab_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("panel", sa.String(length=40), nullable=False),
        sa.Column("ordered_on", sa.Date(), nullable=True),
        sa.Column("drawn_on", sa.Date(), nullable=True),
        sa.Column("results_json", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_name", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_lab_results_course_id_courses"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lab_results")),
    )
    with op.batch_alter_table("lab_results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lab_results_course_id"), ["course_id"], unique=False)

    op.create_table(
        "missed_doses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("missed_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_missed_doses_course_id_courses"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_missed_doses")),
        sa.UniqueConstraint("course_id", "missed_on", name="uq_missed_doses_day"),
    )
    with op.batch_alter_table("missed_doses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_missed_doses_course_id"), ["course_id"], unique=False)

    op.create_table(
        "pregnancy_tests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("specimen_on", sa.Date(), nullable=False),
        sa.Column("result", sa.String(length=10), nullable=False),
        sa.Column("setting", sa.String(length=10), nullable=True),
        sa.Column("method", sa.String(length=10), nullable=True),
        sa.Column("verified_by", sa.String(length=120), nullable=False),
        sa.Column("verification_method", sa.String(length=30), nullable=True),
        sa.Column("clia_certified_lab", sa.Boolean(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_name", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_pregnancy_tests_course_id_courses"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pregnancy_tests")),
    )
    with op.batch_alter_table("pregnancy_tests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pregnancy_tests_course_id"), ["course_id"], unique=False
        )

    op.create_table(
        "weights",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("weight_kg", sa.Numeric(precision=9, scale=4), nullable=False),
        sa.Column("entered_value", sa.Numeric(precision=9, scale=3), nullable=False),
        sa.Column("entered_unit", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_weights_course_id_courses"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weights")),
    )
    with op.batch_alter_table("weights", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_weights_course_id"), ["course_id"], unique=False)

    op.create_table(
        "visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("seen_on", sa.Date(), nullable=False),
        sa.Column("weight_id", sa.Integer(), nullable=True),
        sa.Column("missed_doses", sa.Integer(), nullable=False),
        sa.Column("side_effects_json", sa.Text(), nullable=False),
        sa.Column("mood_json", sa.Text(), nullable=False),
        sa.Column("counseling_topics_json", sa.Text(), nullable=False),
        sa.Column("dose_decision", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("next_visit_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_name", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_visits_course_id_courses"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["weight_id"],
            ["weights.id"],
            name=op.f("fk_visits_weight_id_weights"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits")),
    )
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visits_course_id"), ["course_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visits_course_id"))

    op.drop_table("visits")
    with op.batch_alter_table("weights", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_weights_course_id"))

    op.drop_table("weights")
    with op.batch_alter_table("pregnancy_tests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pregnancy_tests_course_id"))

    op.drop_table("pregnancy_tests")
    with op.batch_alter_table("missed_doses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_missed_doses_course_id"))

    op.drop_table("missed_doses")
    with op.batch_alter_table("lab_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lab_results_course_id"))

    op.drop_table("lab_results")
    with op.batch_alter_table("fills", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fills_course_id"))

    op.drop_table("fills")
    with op.batch_alter_table("dose_periods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dose_periods_course_id"))

    op.drop_table("dose_periods")
    with op.batch_alter_table("course_pauses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_pauses_course_id"))

    op.drop_table("course_pauses")
    with op.batch_alter_table("counseling_confirmations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_counseling_confirmations_course_id"))

    op.drop_table("counseling_confirmations")
    with op.batch_alter_table("contraception_periods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contraception_periods_course_id"))

    op.drop_table("contraception_periods")
    with op.batch_alter_table("consent_signatures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_signatures_patient_id"))

    op.drop_table("consent_signatures")
    with op.batch_alter_table("comprehension_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comprehension_answers_course_id"))

    op.drop_table("comprehension_answers")
    with op.batch_alter_table("printed_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_printed_documents_patient_id"))

    op.drop_table("printed_documents")
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_index("ix_courses_status")

    op.drop_table("courses")
