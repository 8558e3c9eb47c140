"""Bulk-inserts the synthetic course histories of `demo_courses` (Core inserts, one per
table, by table name), with a synthetic prescriber who cannot sign in."""

import random
import secrets
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from db.audit import PendingAudit
from db.base import Base
from db.models import (
    Course,
    StaffUser,
)
from desktop.services.catalog.formulary import load_formulary
from desktop.services.context import Context
from desktop.services.demo_courses import DemoCourse, DemoPatient, demo_courses
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


def insert_demo_courses(
    session: Session, ctx: Context, rng: random.Random, patients: list[DemoPatient], today: date
) -> list[PendingAudit]:
    """Course histories up to `today`, the demo clinic's date."""
    prescriber, created = _demo_prescriber(session, ctx)
    formulary, now = load_formulary(), ctx.now()
    by = ctx.actor.display_name
    demos = [
        demo
        for patient in patients
        for demo in demo_courses(rng, patient, formulary, today, prescriber.id, by)
    ]
    if not demos:
        return created
    course_rows = [
        {**d.course, "created_at": now, "updated_at": now, "updated_by_name": by, "version": 1}
        for d in demos
    ]
    course_ids = session.scalars(
        insert(Course).returning(Course.id, sort_by_parameter_order=True), course_rows
    ).all()
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
    course_ids: Any,
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
                "prescriber_name": prescriber.display_name,
                "recorded_at": now,
                "recorded_by_name": by,
            }
            for c in demo.consents
        ]
    for table, rows in by_table.items():
        # Core inserts on the tables: the ORM's bulk path costs several times more here.
        session.execute(insert(Base.metadata.tables[table]), rows)
    if consents:
        session.execute(insert(Base.metadata.tables["consent_signatures"]), consents)


def _extra(table: str, now: datetime, by: str, prescriber_id: int) -> dict[str, Any]:
    if table in _RECORDED:
        return {"recorded_at": now, "recorded_by_name": by}
    if table == "counseling_confirmations":
        return {"recorded_at": now, "prescriber_id": prescriber_id}
    if table == "visits":
        return {"created_at": now, "updated_at": now, "updated_by_name": by}
    return {}
