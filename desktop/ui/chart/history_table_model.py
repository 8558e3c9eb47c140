"""A patient's audit trail as a table: when, who, where, what, and each field's old → new."""

from zoneinfo import ZoneInfo

from desktop.rules.patients import RISK_CATEGORY_LABELS, RiskCategory
from desktop.services.records import AuditRecord, FieldChange
from desktop.ui.patients.patient_form_panel import field_title
from desktop.ui.table_model import Column, RecordTableModel

ACTION_LABELS = {
    "patient.create": "Registered",
    "patient.update": "Edited",
}
EMPTY_VALUE = "(blank)"


def _shown_value(field: str, value: str) -> str:
    """Stored codes in the words the form uses."""
    if not value:
        return EMPTY_VALUE
    if field == "risk_category" and value in set(RiskCategory):
        return RISK_CATEGORY_LABELS[RiskCategory(value)]
    if field == "sex_at_birth":
        return value.capitalize()
    return value


def describe_change(change: FieldChange, is_creation: bool) -> str:
    title = field_title(change.field)
    new = _shown_value(change.field, change.new)
    if is_creation:
        return f"{title}: {new}"
    return f"{title}: {_shown_value(change.field, change.old)} → {new}"


def describe_changes(record: AuditRecord) -> str:
    is_creation = record.action.endswith(".create")
    shown = [c for c in record.changes if not (is_creation and not c.new)]
    return "\n".join(describe_change(c, is_creation) for c in shown)


class HistoryTableModel(RecordTableModel[AuditRecord]):
    """Times are shown in the clinic's time zone; the records stay in UTC."""

    def __init__(self, time_zone: ZoneInfo) -> None:
        super().__init__(
            (
                Column(
                    "When",
                    lambda r: r.at.astimezone(time_zone).strftime("%Y-%m-%d %H:%M"),
                    sort_key=lambda r: r.at,
                ),
                Column("Who", lambda r: r.actor_name),
                Column("Workstation", lambda r: r.workstation),
                Column("Action", lambda r: ACTION_LABELS.get(r.action, r.action)),
                Column("Changes", describe_changes),
            )
        )
