"""Synthetic demo patients for training and benchmarks: deterministic per seed, never real.

Names are random pairings of given and family names from many languages, with the accents
and apostrophes real registries hold, so every screen and printout meets them.
"""

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from db.audit import PendingAudit, append_audit_entries
from db.base import Base
from db.models import Course, Patient
from desktop.rules.ages import is_minor_on
from desktop.rules.dates import implausible_dates
from desktop.rules.patients import RiskCategory, SexAtBirth
from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.demo_course_loader import insert_demo_courses
from desktop.services.demo_records import DemoPatient
from desktop.services.errors import ValidationFailed
from desktop.services.patients import search_text_for
from desktop.services.roles import Permission, require
from desktop.services.worklist import store_items, tracked_courses

GIVEN_FEMALE = (
    "Zoë",
    "Siobhán",
    "Anaïs",
    "Chloé",
    "Aoife",
    "Keiko",
    "Mei",
    "Priya",
    "Fatima",
    "Ngozi",
    "Ingrid",
    "Renée",
    "Yuki",
    "Amara",
    "Leilani",
    "Noor",
    "Saoirse",
    "Małgorzata",
    "Åsa",
    "Inés",
    "Hiba",
    "Thảo",
    "Oluwadamilola",
    "Marie-Claire",
    "Ayşe",
    "Björk",
    "Dagný",
)
GIVEN_MALE = (
    "José",
    "Łukasz",
    "Søren",
    "Björn",
    "D'Arcy",
    "Oluwaseun",
    "Aleksandr",
    "Matías",
    "Tomás",
    "Dmitri",
    "Kai",
    "Rafael",
    "Émile",
    "Jürgen",
    "Ngọc Anh",
    "Ravi",
    "Kwame",
    "Jean-Luc",
    "Seán",
    "Mikołaj",
    "Andrés",
    "Hamid",
    "Takeshi",
    "Nikolaos",
    "Çağrı",
)
FAMILY = (
    "O'Brien",
    "Núñez",
    "Kowalski",
    "Nguyễn",
    "Müller",
    "Søndergaard",
    "D'Angelo",
    "Okafor",
    "Tanaka",
    "Haddad",
    "García",
    "Ó Súilleabháin",
    "van der Berg",
    "MacLeod",
    "Petrović",
    "Dubois",
    "Kim",
    "Patel",
    "Andersson",
    "Łęcka",
    "Giménez",
    "Al-Sayed",
    "Ivanova",
    "Horváth",
    "Costa",
    "Fernández",
    "Ng",
    "Yılmaz",
    "Zieliński",
    "N'Diaye",
    "Ó Dálaigh",
    "Ðorđević",
)
RELATIONSHIPS = ("Mother", "Father", "Legal guardian", "Grandmother", "Aunt")
YOUNGEST_AGE_YEARS, OLDEST_AGE_YEARS = 12, 45


def _mrn(seed: int, number: int) -> str:
    return f"DEMO-{seed}-{number:05d}"


def _demo_patient(
    rng: random.Random, seed: int, number: int, today: date
) -> tuple[dict[str, Any], tuple[str, str]]:
    """The patient row, and the parent or guardian who signs with them while under 18."""
    sex = rng.choices([SexAtBirth.FEMALE, SexAtBirth.MALE, SexAtBirth.INTERSEX], [48, 50, 2])[0]
    given = rng.choice(GIVEN_FEMALE if sex is SexAtBirth.FEMALE else GIVEN_MALE)
    family = rng.choice(FAMILY)
    age_days = rng.randint(YOUNGEST_AGE_YEARS * 365 + 3, OLDEST_AGE_YEARS * 365)
    birth_date = today - timedelta(days=age_days)
    # The prescriber assigns the category (domain.md §1.2); most, not all, females can.
    can = sex is not SexAtBirth.MALE and rng.random() < 0.92
    minor = is_minor_on(birth_date, today)
    # Drawn for everyone: a patient now 18 signed their forms with a guardian as a minor.
    guardian = f"{rng.choice(GIVEN_FEMALE + GIVEN_MALE)} {family}"
    relationship = rng.choice(RELATIONSHIPS)
    name = f"{given} {family}"
    mrn = _mrn(seed, number)
    row = {
        "mrn": mrn,
        "legal_name": name,
        "preferred_name": "",
        "birth_date": birth_date,
        "sex_at_birth": sex.value,
        "risk_category": (
            RiskCategory.CAN_GET_PREGNANT if can else RiskCategory.CANNOT_GET_PREGNANT
        ).value,
        "ipledge_patient_id": f"{rng.randrange(10**9, 10**10)}",
        "phone": "",
        "email": "",
        "allergies": "",
        "has_retinoid_allergy": False,
        "is_pregnant_or_breastfeeding": False,
        "guardian_name": guardian if minor else "",
        "guardian_relationship": relationship if minor else "",
        "search_text": search_text_for(name, "", mrn),
    }
    return row, (guardian, relationship)


def create_demo_patients(ctx: Context, count: int, seed: int, *, on: date | None = None) -> int:
    """Add `count` synthetic patients (MRNs DEMO-<seed>-00001 …) with course histories at
    every stage as of `on` (default: the clinic's today), each audited, in one transaction;
    the worklist is computed before commit. Refused if that seed was loaded already.

    Ages and course dates count back from `on`, so the demo clinic is current whenever it
    is loaded; the same seed and `on` give the same names, MRNs and dates in any database."""
    require(ctx.actor.role, Permission.MANAGE_STAFF)  # a bulk load is an administrator's call
    if not 1 <= count <= 100_000:
        raise ValidationFailed((Problem("patients", "Choose between 1 and 100,000 patients."),))
    today, now = on or ctx.today(), ctx.now()
    if problems := implausible_dates({"on": today}):
        raise ValidationFailed(problems)
    if today > ctx.today():
        raise ValidationFailed((Problem("on", "The demo clinic's date cannot be after today."),))
    rng = random.Random(seed)
    made = [_demo_patient(rng, seed, n, today) for n in range(1, count + 1)]
    rows = [row for row, _ in made]
    for row in rows:
        row.update(
            created_at=now, updated_at=now, updated_by_name=ctx.actor.display_name, version=1
        )
    with ctx.sessions.write() as session:
        demo = Patient.mrn.like(f"DEMO-{seed}-%")
        if session.scalar(select(func.count()).where(demo)):
            raise ValidationFailed(
                (Problem("seed", f"Demo patients for seed {seed} are already loaded."),)
            )
        # No RETURNING: over thousands of rows it costs more than reading the ids back.
        session.execute(insert(Base.metadata.tables["patients"]), rows)
        demo_ids = select(Patient.id).where(demo)
        by_mrn: dict[str, int] = dict(
            session.execute(select(Patient.mrn, Patient.id).where(demo)).all()
        )
        ids = [by_mrn[row["mrn"]] for row in rows]
        pending = [
            PendingAudit(
                now,
                "patient.create",
                "patient",
                pid,
                pid,
                {k: row[k] for k in ("mrn", "legal_name", "birth_date")},
            )
            for pid, row in zip(ids, rows, strict=True)
        ]
        patients = [
            DemoPatient(pid, row["birth_date"], RiskCategory(str(row["risk_category"])), *signer)
            for pid, (row, signer) in zip(ids, made, strict=True)
        ]
        pending += insert_demo_courses(session, ctx, rng, patients, today, demo_ids)
        append_audit_entries(session, ctx.audit_actor(), pending)
        store_items(session, tracked_courses(today).where(Course.patient_id.in_(demo_ids)), today)
    return len(ids)
