"""No bulk UPDATE or DELETE on versioned tables anywhere in desktop/ or db/.

A bulk statement (`update(Patient)…`, `delete(Course)…`, `query(Visit)….update()`, a
`Table.update()`, or raw `UPDATE patients …` SQL) writes rows without reading them first:
it bypasses the version check that refuses a stale save, the version counter the other
workstation relies on, and the per-row audit entry. Versioned records are changed one row at
a time through the unit of work instead.

Chosen as a static scan of the source (Python's ast, plus a pattern for SQL in strings)
rather than a run-time `do_orm_execute` guard: it covers code paths no test happens to run,
and Core statements executed on a Connection, which an ORM session event never sees. The
versioned tables come from the models themselves (every VersionedMixin subclass), so a new
versioned model is covered without touching this test. The scanner is tested on bad code too.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

import db.models  # noqa: F401  (registers every mapped class)
from db.base import Base, VersionedMixin

ROOT = Path(__file__).parents[2]
SCANNED = ("desktop", "db")
BULK_METHODS = frozenset({"update", "delete"})


@dataclass(frozen=True, slots=True)
class Versioned:
    classes: frozenset[str]
    tables: frozenset[str]


def versioned_models() -> Versioned:
    mapped = [m.class_ for m in Base.registry.mappers if issubclass(m.class_, VersionedMixin)]
    return Versioned(
        frozenset(cls.__name__ for cls in mapped),
        frozenset(cls.__tablename__ for cls in mapped),  # type: ignore[attr-defined]
    )


def _names_in(node: ast.AST) -> set[str]:
    """Every plain name and attribute name in an expression (`models.Patient` → Patient)."""
    names: set[str] = set()
    for part in ast.walk(node):
        if isinstance(part, ast.Name):
            names.add(part.id)
        elif isinstance(part, ast.Attribute):
            names.add(part.attr)
    return names


def _receiver_calls(node: ast.expr) -> list[ast.Call]:
    """The calls a method chain is built on: `s.query(P).filter(x)` → [query(P), filter(x)]."""
    calls: list[ast.Call] = []
    while isinstance(node, ast.Attribute | ast.Call):
        if isinstance(node, ast.Call):
            calls.append(node)
            node = node.func
        else:
            node = node.value
    return calls


def _is_bulk_call(call: ast.Call, versioned: Versioned) -> bool:
    func = call.func
    if isinstance(func, ast.Name) and func.id in BULK_METHODS:  # update(Patient)
        return any(_names_in(arg) & versioned.classes for arg in call.args[:1])
    if not (isinstance(func, ast.Attribute) and func.attr in BULK_METHODS):
        return False
    receiver = func.value
    if isinstance(receiver, ast.Name) and receiver.id in {"sa", "sqlalchemy"}:  # sa.update(P)
        return any(_names_in(arg) & versioned.classes for arg in call.args[:1])
    if isinstance(receiver, ast.Attribute) and receiver.attr == "__table__":  # P.__table__…
        return bool(_names_in(receiver.value) & versioned.classes)
    # session.query(Patient)….update({...}) / .delete()
    return any(
        isinstance(c.func, ast.Attribute)
        and c.func.attr == "query"
        and any(_names_in(arg) & versioned.classes for arg in c.args)
        for c in _receiver_calls(receiver)
    )


def _sql_pattern(tables: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(sorted(re.escape(t) for t in tables))
    return re.compile(
        rf"\b(?:UPDATE|DELETE\s+FROM)\s+[\"`]?(?:{alternatives})\b[\"`]?", re.IGNORECASE
    )


def bulk_writes(source: str, versioned: Versioned) -> list[int]:
    """Line numbers of bulk UPDATE/DELETE statements on versioned tables in Python source."""
    tree = ast.parse(source)
    sql = _sql_pattern(versioned.tables)
    lines = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _is_bulk_call(node, versioned)
    ]
    lines += [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and sql.search(node.value)
    ]
    return sorted(lines)


def _sources() -> list[Path]:
    return sorted(p for folder in SCANNED for p in (ROOT / folder).rglob("*.py"))


def test_versioned_tables_are_found_from_the_models() -> None:
    versioned = versioned_models()
    assert {"Patient", "StaffUser", "ClinicSettings", "Course", "VisitRow"} <= versioned.classes
    assert {"patients", "staff_users"} <= versioned.tables
    assert "AuditEntry" not in versioned.classes


def test_no_bulk_update_or_delete_on_versioned_tables() -> None:
    versioned = versioned_models()
    sources = _sources()
    assert len(sources) > 50  # the scan really reads the code base
    found = {
        str(path.relative_to(ROOT)): lines
        for path in sources
        if (lines := bulk_writes(path.read_text(encoding="utf-8"), versioned))
    }
    assert found == {}, f"bulk writes on versioned tables (file: lines): {found}"


BAD = [
    "session.execute(update(Patient).where(Patient.id == 1).values(phone='x'))",
    "session.execute(delete(Course).where(Course.id == 1))",
    "session.execute(sa.update(models.Patient).values(phone='x'))",
    "connection.execute(Patient.__table__.update().values(phone='x'))",
    "connection.execute(db.models.StaffUser.__table__.delete())",
    "session.query(VisitRow).filter(VisitRow.id > 3).update({'note': ''})",
    "session.query(Patient).delete()",
    "connection.exec_driver_sql('UPDATE patients SET phone = NULL')",
    "text('delete from \"staff_users\" where id = 1')",
]
GOOD = [
    "session.execute(delete(WorklistEntry).where(WorklistEntry.course_id == 1))",
    "session.execute(update(AuditEntry))",
    "row.update(created_at=now)",
    "days.update({1, 2})",
    "settings.__dict__.update(state)",
    "session.query(Patient).filter(Patient.id == 1).one()",
    "text('UPDATE worklist_entries SET kind = 1')",
    "message = 'Update the patient record, then delete the draft'",
]


@pytest.mark.parametrize("line", BAD)
def test_the_scan_finds_each_kind_of_bulk_write(line: str) -> None:
    assert bulk_writes(line, versioned_models()) == [1]


@pytest.mark.parametrize("line", GOOD)
def test_the_scan_leaves_other_updates_alone(line: str) -> None:
    assert bulk_writes(line, versioned_models()) == []
