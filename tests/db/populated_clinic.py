"""A populated clinic at any schema revision, for migration tests.

`build_head_clinic` makes a SQLite clinic at head the way a clinic fills it: the first
administrator, 1,000+ synthetic demo patients with course histories (demo-data, audited), and
through the real services a few of what the demo leaves empty (medications, a clinic form, a
consent template version, a printed packet). `clinic_at_revision` then builds an empty database
at an older revision with Alembic and copies into it every row its schema can hold, all audit
entries included, so the older database holds what an IsoTrack of that revision would have.

Rows are compared by digest (`table_digests`), so a failed comparison names tables and row
ids, never patient data.
"""

import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, column, event, inspect, select, table
from sqlalchemy.engine import Connection

import db.models  # noqa: F401  (every table on Base.metadata)
from db.base import Base
from db.engine import create_clinic_engine
from db.migrate import alembic_config
from desktop.rules.clinic_forms import ClinicFormAudience
from desktop.rules.consents import ConsentForm
from desktop.rules.medications import MedicationDraft
from desktop.services.catalog.consent_templates import load_consent_template
from desktop.services.clinic_forms import ClinicFormDraft, add_clinic_form
from desktop.services.clinic_setup import SetupDraft, create_first_admin
from desktop.services.consent_template_versions import (
    ConsentTemplateVersionDraft,
    add_consent_template_version,
)
from desktop.services.consent_wording import wording_toml
from desktop.services.context import FixedClock, open_clinic
from desktop.services.demo_data import create_demo_patients
from desktop.services.medications import add_medication
from desktop.services.printing import print_consent_packet
from desktop.services.roles import Role
from desktop.services.staff import StaffDraft
from tests.clinic_form_pdfs import form_pdf

DEMO_PATIENTS = 1_000
DEMO_SEED = 6
MEDICATIONS = 25
NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
TODAY = date(2026, 11, 20)
ADMIN, ADMIN_PASSWORD = "admin", "correct horse battery"
_BATCH = 2_000
_SKIPPED = {"alembic_version"}


def build_head_clinic(path: Path) -> None:
    """A SQLite clinic at head holding the demo clinic and a few service-made extras."""
    clinic = open_clinic(f"sqlite:///{path}", clock=FixedClock(NOW), workstation="ws-populate")
    try:
        admin = StaffDraft(ADMIN, "Ada Admin", Role.ADMIN, ADMIN_PASSWORD)
        ctx = create_first_admin(clinic, SetupDraft("Riverside Dermatology", admin))
        create_demo_patients(ctx, DEMO_PATIENTS, DEMO_SEED, on=TODAY)
        for patient_id in range(1, MEDICATIONS + 1):
            add_medication(ctx, patient_id, MedicationDraft("Doxycycline", "100 mg"))
        add_clinic_form(ctx, ClinicFormDraft("Photo consent", ClinicFormAudience.ALL,
                                             form_pdf("PHOTO"), "photo.pdf"))  # fmt: skip
        form = ConsentForm.INFORMED_CONSENT
        wording = wording_toml(load_consent_template(form))
        add_consent_template_version(
            ctx, ConsentTemplateVersionDraft(form, "2026.9", TODAY, wording)
        )
        print_consent_packet(ctx, 1)
    finally:
        clinic.close()


def revisions() -> list[str]:
    """Every shipped revision, oldest first."""
    script = ScriptDirectory.from_config(alembic_config(create_clinic_engine("sqlite://")))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def upgrade_to(engine: Engine, revision: str) -> None:
    config = alembic_config(engine)
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _columns(connection: Connection, name: str) -> list[str]:
    return [c["name"] for c in inspect(connection).get_columns(name)]


def _tables(connection: Connection) -> list[str]:
    """The database's tables, parents before children (from the model's order)."""
    present = set(inspect(connection).get_table_names()) - _SKIPPED
    unknown = present - set(Base.metadata.tables)
    assert not unknown, f"tables no longer in the model: {sorted(unknown)}"
    return [t.name for t in Base.metadata.sorted_tables if t.name in present]


def copy_rows(source: Engine, target: Engine) -> dict[str, int]:
    """Copy every row the target's (older) schema can hold from the source, typed as the app
    writes them; returns the rows copied per table."""
    copied: dict[str, int] = {}
    with source.connect() as reading, target.begin() as writing:
        for name in _tables(writing):
            model = Base.metadata.tables[name]
            names = _columns(writing, name)
            missing = set(names) - set(model.c.keys())
            assert not missing, f"{name}: columns no longer in the model: {sorted(missing)}"
            typed = table(name, *(column(n, model.c[n].type) for n in names))
            query = select(*(model.c[n] for n in names)).order_by(*model.primary_key.columns)
            count = 0
            for rows in reading.execute(query).mappings().partitions(_BATCH):
                writing.execute(typed.insert(), [dict(r) for r in rows])
                count += len(rows)
            copied[name] = count
            if writing.dialect.name == "postgresql" and count:
                _advance_sequence(writing, name, [c.name for c in model.primary_key.columns])
    return copied


def _advance_sequence(connection: Connection, name: str, key: list[str]) -> None:
    """Rows copied with their ids leave a serial column's sequence at 1: move it past them."""
    if len(key) != 1:
        return
    sequence = connection.exec_driver_sql(
        f"SELECT pg_get_serial_sequence('{name}', '{key[0]}')"
    ).scalar()
    if sequence:
        connection.exec_driver_sql(
            f"SELECT setval('{sequence}', (SELECT max({key[0]}) FROM {name}))"
        )


@dataclass(frozen=True, slots=True)
class TableDigest:
    rows: int
    row_digests: Mapping[tuple[Any, ...], str]
    """Primary key → SHA-256 of the row's stored values (as the driver returns them)."""


def table_digests(
    engine: Engine, only: Mapping[str, list[str]] | None = None
) -> dict[str, TableDigest]:
    """Every table's rows as stored, by digest. `only` limits each table to the given columns
    (those an older revision had), so rows read before and after an upgrade compare."""
    digests: dict[str, TableDigest] = {}
    with engine.connect() as connection:
        for name in _tables(connection):
            if only is not None and name not in only:
                continue
            names = only[name] if only is not None else _columns(connection, name)
            key = [c.name for c in Base.metadata.tables[name].primary_key.columns]
            raw = table(name, *(column(n) for n in names))
            query = select(*raw.c).order_by(*(raw.c[k] for k in key))
            rows = {}
            for row in connection.execute(query).mappings():
                text = repr(tuple(_plain(row[n]) for n in names))
                rows[tuple(row[k] for k in key)] = hashlib.sha256(text.encode()).hexdigest()
            digests[name] = TableDigest(len(rows), rows)
    return digests


def _plain(value: object) -> object:
    return bytes(value) if isinstance(value, memoryview) else value


def schema_columns(engine: Engine) -> dict[str, list[str]]:
    with engine.connect() as connection:
        return {name: _columns(connection, name) for name in _tables(connection)}


def differences(before: Mapping[str, TableDigest], after: Mapping[str, TableDigest]) -> list[str]:
    """What changed, by table and primary key only (no values: they are patient data)."""
    found = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old is None or new is None:
            found.append(f"{name}: {'gone' if new is None else 'new'}")
            continue
        changed = [k for k in old.row_digests.keys() | new.row_digests.keys()
                   if old.row_digests.get(k) != new.row_digests.get(k)]  # fmt: skip
        if old.rows != new.rows or changed:
            found.append(
                f"{name}: {old.rows} -> {new.rows} rows, keys differing {sorted(changed)[:5]}"
            )
    return found


class FailAtStatement:
    """Count the statements every engine executes; with `fail_at`, raise when that one comes.
    Installed on all engines, so it reaches the engine a service opens for itself."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.fail_at, self.count, self.failed_on = fail_at, 0, ""

    def __enter__(self) -> "FailAtStatement":
        event.listen(Engine, "before_cursor_execute", self._before)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(Engine, "before_cursor_execute", self._before)

    def _before(self, _conn: Connection, _cursor: object, statement: str, *_: object) -> None:
        self.count += 1
        if self.count == self.fail_at:
            self.failed_on = statement.split("(")[0].strip()[:80]
            raise InjectedFailure(f"injected failure at statement {self.count}")


class InjectedFailure(RuntimeError):
    pass


DatabaseFactory = Callable[[], Iterator[str]]
