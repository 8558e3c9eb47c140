"""The staff list's columns: username, name, role, and whether the account may sign in."""

from desktop.services.records import StaffRecord
from desktop.services.roles import Role
from desktop.ui.table_model import Column, RecordTableModel

ROLE_LABELS = {
    Role.NURSE: "Nurse",
    Role.PRESCRIBER: "Prescriber",
    Role.ADMIN: "Administrator",
}


class StaffTableModel(RecordTableModel[StaffRecord]):
    """Names sort without regard to case, as people read them."""

    def __init__(self) -> None:
        super().__init__(
            (
                Column("Username", lambda r: r.username),
                Column(
                    "Name", lambda r: r.display_name, sort_key=lambda r: r.display_name.casefold()
                ),
                Column("Role", lambda r: ROLE_LABELS[r.role]),
                Column("Status", lambda r: "Active" if r.is_active else "Deactivated"),
            )
        )
