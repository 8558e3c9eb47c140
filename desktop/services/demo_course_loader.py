"""Bulk-inserts the synthetic course histories of `demo_courses` (Core inserts, one per
table, by table name), with a synthetic prescriber who cannot sign in.

No insert asks for its new ids back (RETURNING over many rows costs SQLAlchemy time that grows
with the square of the batches); the ids are read afterwards, which the demo's own keys
allow: courses by patient and number, weighings by course and day."""

import random
import secrets
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, insert, select
from sqlalchemy.orm import Session

from db.audit import PendingAudit
from db.base import Base
from db.models import Course, StaffUser, WeightRow
from desktop.documents.templates import version_key
from desktop.rules.consents import ConsentForm
from desktop.services.catalog.formulary import load_formulary
from desktop.services.clinic_setup import modification_effective_on
from desktop.services.consent_template_versions import template_versions
from desktop.services.context import Context
from desktop.services.demo_courses import demo_courses
from desktop.services.demo_records import DemoClinic, DemoCourse, DemoPatient
from desktop.services.passwords import hash_password
from desktop.services.roles import Role

DEMO_PRESCRIBER = "demo.prescriber"
_RECORDED = {
    "dose_periods",
    "pregnancy_tests",
    "contraception_periods",
    "comprehension_answers",
    "fills",
    "lab_results",
}
_BEFORE_VISITS = ("weights",)
"""Inserted first: each visit points at the weighing of its day."""


def _demo_prescriber(session: Session, ctx: Context) -> tuple[StaffUser, list[PendingAudit]]:
    """The synthetic prescriber, and the audit entry of its creation when it is new (every
    staff account's creation is audited; `isotrack audit verify` checks it)."""
    found = session.scalar(select(StaffUser).where(StaffUser.username == DEMO_PRESCRIBER))
    if found is not None:
        return found, []
    now = ctx.now()
    # A random password nobody knows: the account exists to be named, not to sign in.
    user = StaffUser(
        username=DEMO_PRESCRIBER,
        display_name="Dr Demo Prescriber (synthetic)",
        role=Role.PRESCRIBER.value,
        password_hash=hash_password(secrets.token_hex(32)),
        is_active=True,
        failed_logins=0,
        created_at=now,
        updated_at=now,
        updated_by_name=ctx.actor.display_name,
    )
    session.add(user)
    session.flush()
    new = {"username": user.username, "role": user.role}
    return user, [PendingAudit(now, "staff.create", "staff_user", user.id, None, new)]


def _version_chooser(session: Session) -> Callable[[ConsentForm, date], str]:
    """The version of a form in force on a signing day: the newest whose effective date has
    come (shipped or added by the clinic), else the first (domain.md §5: the version signed
    is the version printed that day)."""
    by_form = {form: template_versions(session, form) for form in ConsentForm}

    def chosen(form: ConsentForm, on: date) -> str:
        versions = by_form[form]
        usable = [v for v in versions if v.effective_on <= on] or [versions[0]]
        return max(usable, key=lambda v: (v.effective_on, version_key(v.version))).version

    return chosen


def insert_demo_courses(
    session: Session,
    ctx: Context,
    rng: random.Random,
    patients: list[DemoPatient],
    today: date,
    patient_ids: Select[Any],
) -> list[PendingAudit]:
    """Course histories up to `today`, the demo clinic's date; `patient_ids` selects the ids
    of `patients` (new patients, so every course of theirs is one of these)."""
    prescriber, created = _demo_prescriber(session, ctx)
    now, by = ctx.now(), ctx.actor.display_name
    clinic = DemoClinic(
        load_formulary(),
        today,
        prescriber.id,
        prescriber.display_name,
        by,
        modification_effective_on(session),
        _version_chooser(session),
    )
    demos = [demo for patient in patients for demo in demo_courses(rng, patient, clinic)]
    if not demos:
        return created
    course_rows = [
        {**d.course, "created_at": now, "updated_at": now, "updated_by_name": by, "version": 1}
        for d in demos
    ]
    session.execute(insert(Base.metadata.tables["courses"]), course_rows)
    keys = select(Course.patient_id, Course.number, Course.id).where(
        Course.patient_id.in_(patient_ids)
    )
    ids = {(pid, number): cid for pid, number, cid in session.execute(keys)}
    course_ids = [ids[(d.course["patient_id"], d.course["number"])] for d in demos]
    _insert_facts(session, demos, course_ids, prescriber, now, by)
    return created + [
        PendingAudit(
            now,
            "course.demo_create",
            "course",
            cid,
            d.course["patient_id"],
            {"product": d.course["product"], "start_on": d.course["start_on"]},
        )
        for cid, d in zip(course_ids, demos, strict=True)
    ]


def _insert_facts(
    session: Session,
    demos: list[DemoCourse],
    course_ids: Sequence[int],
    prescriber: StaffUser,
    now: datetime,
    by: str,
) -> None:
    by_table: dict[str, list[dict[str, Any]]] = {}
    consents = []
    for course_id, demo in zip(course_ids, demos, strict=True):
        for table, rows in demo.facts.items():
            extra = _extra(table, now, by, prescriber.id)
            by_table.setdefault(table, []).extend(
                {**r, **extra, "course_id": course_id} for r in rows
            )
        consents += [
            {
                **c,
                "patient_id": demo.course["patient_id"],
                "course_id": course_id,
                "recorded_at": now,
                "recorded_by_name": by,
            }
            for c in demo.consents
        ]
    # Core inserts on the tables: the ORM's bulk path costs several times more here.
    for table in _BEFORE_VISITS:
        if rows := by_table.pop(table, []):
            session.execute(insert(Base.metadata.tables[table]), rows)
    _link_weighings(session, by_table.get("visits", []), course_ids)
    for table, rows in by_table.items():
        session.execute(insert(Base.metadata.tables[table]), rows)
    if consents:
        session.execute(insert(Base.metadata.tables["consent_signatures"]), consents)


def _link_weighings(
    session: Session, visits: list[dict[str, Any]], course_ids: Sequence[int]
) -> None:
    """Each visit points at its day's weighing, as a visit recorded in the app does."""
    if not visits:
        return
    low, high = min(course_ids), max(course_ids)
    found = session.execute(
        select(WeightRow.course_id, WeightRow.measured_on, WeightRow.id).where(
            WeightRow.course_id.between(low, high)
        )
    )
    weighings = {(course_id, on): wid for course_id, on, wid in found}
    for visit in visits:
        visit["weight_id"] = weighings[(visit["course_id"], visit["seen_on"])]


def _extra(table: str, now: datetime, by: str, prescriber_id: int) -> dict[str, Any]:
    if table in _RECORDED:
        return {"recorded_at": now, "recorded_by_name": by}
    if table == "counseling_confirmations":
        return {"recorded_at": now, "prescriber_id": prescriber_id}
    if table == "visits":
        return {"created_at": now, "updated_at": now, "updated_by_name": by}
    return {}
