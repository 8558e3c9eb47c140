"""The patient list's columns: name, MRN, date of birth with age, risk category, status."""

from datetime import date

from desktop.rules.ages import age_on
from desktop.rules.patients import RISK_CATEGORY_LABELS, RiskCategory, fold_for_search
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


class PatientsTableModel(RecordTableModel[PatientListRow]):
    """Ages are worked out for `today`, the clinic's date."""

    def __init__(self, today: date) -> None:
        super().__init__(
            (
                Column(
                    "Name",
                    lambda r: name_with_preferred(r.legal_name, r.preferred_name),
                    sort_key=lambda r: fold_for_search(r.legal_name),
                ),
                Column("MRN", lambda r: r.mrn, sort_key=lambda r: r.mrn.casefold()),
                Column(
                    "Date of birth (age)",
                    lambda r: birth_date_and_age(r.birth_date, today),
                    sort_key=lambda r: r.birth_date,
                ),
                Column("Risk category", lambda r: risk_category_label(r.risk_category)),
                Column("Status", lambda r: r.status),
            )
        )
