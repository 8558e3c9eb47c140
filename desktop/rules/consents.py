"""Which consent forms a patient needs, and who signs them (domain.md §5).

The forms are IsoTrack's own plain-language templates (resources/consents/), one id per
form; the template version lives with the text, not here.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from desktop.rules.ages import is_minor_on


class ConsentForm(StrEnum):
    """Form ids; each is a folder of versioned templates in resources/consents/."""

    INFORMED_CONSENT = "informed-consent"
    """Every patient: risks and requirements of isotretinoin (domain.md §5 "for all patients")."""
    PREGNANCY_PREVENTION = "pregnancy-prevention"
    """Patients who can get pregnant: birth defects and pregnancy prevention (domain.md §5)."""
    CONTRACEPTION_COUNSELING = "contraception-counseling"
    """Patients who can get pregnant: acceptable primary and secondary methods (domain.md §1.5)."""


class SignerRole(StrEnum):
    PATIENT = "patient"
    GUARDIAN = "guardian"
    PRESCRIBER = "prescriber"
    WITNESS = "witness"


@dataclass(frozen=True, slots=True)
class ConsentRequirement:
    form: ConsentForm
    signers: tuple[SignerRole, ...]
    """Who must sign. A guardian signs and initials every item when the patient is under
    18 on the signing date (domain.md §5). A witness line is clinic practice, never required."""


def required_consent_forms(
    *, can_get_pregnant: bool, birth_date: date, on: date
) -> tuple[ConsentRequirement, ...]:
    """The forms a patient needs when signing on `on` (domain.md §5, §1.2: by risk category,
    never by sex; by age on the signing date)."""
    signers: tuple[SignerRole, ...] = (SignerRole.PATIENT,)
    if is_minor_on(birth_date, on):
        signers += (SignerRole.GUARDIAN,)
    signers += (SignerRole.PRESCRIBER,)
    forms = [ConsentForm.INFORMED_CONSENT]
    if can_get_pregnant:
        forms += [ConsentForm.PREGNANCY_PREVENTION, ConsentForm.CONTRACEPTION_COUNSELING]
    return tuple(ConsentRequirement(form, signers) for form in forms)


def missing_consent_forms(
    required: tuple[ConsentRequirement, ...], signed: frozenset[ConsentForm]
) -> tuple[ConsentForm, ...]:
    return tuple(r.form for r in required if r.form not in signed)
