"""The patient list's columns: name, MRN, date of birth with age, risk category, status."""

from datetime import date

from PySide6.QtCore import Qt

from desktop.rules.ages import age_on
from desktop.rules.patients import RISK_CATEGORY_LABELS, RiskCategory
from desktop.services.patients import PatientSort
from desktop.services.records import PatientListRow
from desktop.ui.table_model import Column, RecordTableModel

NOT_YET_ASSIGNED = "Not yet assigned"


def risk_category_label(category: RiskCategory | None) -> str:
    return NOT_YET_ASSIGNED if category is None else RISK_CATEGORY_LABELS[category]


def name_with_preferred(legal_name: str, preferred_name: str) -> str:
    """The legal name, and the name the patient goes by when it differs."""
    if preferred_name.strip() and preferred_name.strip() != legal_name.strip():
        return f"{legal_name} (“{preferred_name}”)"
    return legal_name


def birth_date_and_age(birth_date: date, today: date) -> str:
    return f"{birth_date.isoformat()} (age {age_on(birth_date, today)})"


SORT_BY_COLUMN = (
    PatientSort.NAME,
    PatientSort.MRN,
    PatientSort.BIRTH_DATE,
    PatientSort.RISK_CATEGORY,
    PatientSort.STATUS,
)
"""What a click on each column's header sorts by."""


class PatientsTableModel(RecordTableModel[PatientListRow]):
    """Ages are worked out for `today`, the clinic's date. Rows are shown in the order the
    service sorted them: the list may hold only the first of many matching patients, so a
    header click asks the service again (PatientsView) instead of sorting what is here."""

    def __init__(self, today: date) -> None:
        super().__init__(
            (
                Column("Name", lambda r: name_with_preferred(r.legal_name, r.preferred_name)),
                Column("MRN", lambda r: r.mrn),
                Column("Date of birth (age)", lambda r: birth_date_and_age(r.birth_date, today)),
                Column("Risk category", lambda r: risk_category_label(r.risk_category)),
                Column("Status", lambda r: r.status),
            )
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The view's header calls this; the rows already arrive in the order asked for."""
