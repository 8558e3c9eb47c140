"""A patient's registration details and the checks a new or edited patient must pass."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from desktop.rules.ages import age_on, is_minor_on
from desktop.rules.problems import Problem

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
MRN_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]{0,39}")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE_PATTERN = re.compile(r"\+?[0-9 ()\-.]{7,30}")
IPLEDGE_ID_PATTERN = re.compile(r"[A-Za-z0-9\-]{1,40}")
MAX_NAME_LENGTH = 200


class SexAtBirth(StrEnum):
    FEMALE = "female"
    MALE = "male"
    INTERSEX = "intersex"


class RiskCategory(StrEnum):
    """iPLEDGE risk category since 2021-12-13, assigned by the prescriber and never derived
    from sex (domain.md §1.2)."""

    CAN_GET_PREGNANT = "can_get_pregnant"
    CANNOT_GET_PREGNANT = "cannot_get_pregnant"


RISK_CATEGORY_LABELS = {
    RiskCategory.CAN_GET_PREGNANT: "Patient who can get pregnant",
    RiskCategory.CANNOT_GET_PREGNANT: "Patient who cannot get pregnant",
}
RISK_CATEGORY_EXPLANATIONS = {
    RiskCategory.CAN_GET_PREGNANT: (
        "Monthly pregnancy tests and two forms of contraception (or abstinence); "
        "7-day window to fill each prescription."
    ),
    RiskCategory.CANNOT_GET_PREGNANT: (
        "No pregnancy tests; assigned by the prescriber (for example after hysterectomy, "
        "removal of both ovaries, or confirmed menopause)."
    ),
}


@dataclass(frozen=True, slots=True)
class PatientDraft:
    """What the patient form produced; checked by `check_patient` before anything is saved."""

    mrn: str
    legal_name: str
    birth_date: date | None
    sex_at_birth: SexAtBirth | None
    risk_category: RiskCategory | None = None
    preferred_name: str = ""
    ipledge_patient_id: str = ""
    phone: str = ""
    email: str = ""
    allergies: str = ""
    has_retinoid_allergy: bool = False
    is_pregnant_or_breastfeeding: bool = False
    guardian_name: str = ""
    guardian_relationship: str = ""


def check_patient(draft: PatientDraft, *, today: date) -> tuple[Problem, ...]:
    return (
        *_check_identity(draft),
        *_check_birth_date(draft.birth_date, today),
        *_check_contact(draft),
        *_check_guardian(draft, today),
    )


def _check_identity(draft: PatientDraft) -> list[Problem]:
    problems = []
    if not draft.mrn.strip():
        problems.append(Problem("mrn", "Enter the medical record number (MRN)."))
    elif not MRN_PATTERN.fullmatch(draft.mrn.strip()):
        problems.append(
            Problem("mrn", "MRN: use letters, digits and hyphens only (up to 40 characters).")
        )
    if not draft.legal_name.strip():
        problems.append(Problem("legal_name", "Enter the patient's legal name."))
    names = {"legal_name": draft.legal_name, "preferred_name": draft.preferred_name}
    for field, value in names.items():
        if len(value.strip()) > MAX_NAME_LENGTH:
            problems.append(Problem(field, f"Names can be at most {MAX_NAME_LENGTH} characters."))
    if draft.sex_at_birth is None:
        problems.append(Problem("sex_at_birth", "Choose the sex assigned at birth."))
    return problems


def _check_birth_date(birth_date: date | None, today: date) -> list[Problem]:
    if birth_date is None:
        return [Problem("birth_date", "Enter the date of birth (YYYY-MM-DD).")]
    if birth_date > today:
        return [Problem("birth_date", "The date of birth cannot be in the future.")]
    if birth_date < EARLIEST_BIRTH_DATE:
        return [Problem("birth_date", "Check the year: the date of birth is before 1900.")]
    return []


def _check_contact(draft: PatientDraft) -> list[Problem]:
    problems = []
    if draft.email.strip() and not EMAIL_PATTERN.fullmatch(draft.email.strip()):
        problems.append(Problem("email", "Email: enter an address like name@example.org."))
    if draft.phone.strip() and not PHONE_PATTERN.fullmatch(draft.phone.strip()):
        problems.append(Problem("phone", "Phone: digits, spaces, +, ( ) and - only; 7 or more."))
    ipledge_id = draft.ipledge_patient_id.strip()
    if ipledge_id and not IPLEDGE_ID_PATTERN.fullmatch(ipledge_id):
        problems.append(Problem("ipledge_patient_id", "iPLEDGE ID: letters and digits only."))
    return problems


def _check_guardian(draft: PatientDraft, today: date) -> list[Problem]:
    """Under 18 a parent or guardian reads, initials and signs the consents (domain.md §5)."""
    if draft.birth_date is None or draft.birth_date > today:
        return []
    if not is_minor_on(draft.birth_date, today):
        return []
    age = age_on(draft.birth_date, today)
    problems = []
    if not draft.guardian_name.strip():
        problems.append(
            Problem("guardian_name", f"The patient is {age}: enter the parent or guardian's name.")
        )
    if not draft.guardian_relationship.strip():
        problems.append(
            Problem("guardian_relationship", "Enter the guardian's relationship to the patient.")
        )
    return problems


def fold_for_search(text: str) -> str:
    """Lower case without accents, so "zoe" finds "Zoë" and "nunez" finds "Núñez"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
