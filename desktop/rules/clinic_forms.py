"""Which of the clinic's own PDF forms go into a patient's consent packet (domain.md §5)."""

from enum import StrEnum

from desktop.rules.patients import RiskCategory


class ClinicFormAudience(StrEnum):
    """Who a clinic form is for. Category forms follow the prescriber-assigned iPLEDGE risk
    category, never sex (domain.md §1.2); minor forms follow age on the print date (§5)."""

    ALL = "all"
    CAN_GET_PREGNANT = "can-get-pregnant"
    CANNOT_GET_PREGNANT = "cannot-get-pregnant"
    MINORS = "minors"


AUDIENCE_LABELS = {
    ClinicFormAudience.ALL: "All patients",
    ClinicFormAudience.CAN_GET_PREGNANT: "Patients who can get pregnant",
    ClinicFormAudience.CANNOT_GET_PREGNANT: "Patients who cannot get pregnant",
    ClinicFormAudience.MINORS: "Patients under 18",
}


def clinic_form_applies(
    audience: ClinicFormAudience, category: RiskCategory | None, *, is_minor: bool
) -> bool:
    """A patient with no risk category yet gets neither category's forms: the prescriber
    assigns it before enrolment (domain.md §1.2), and a wrong form is worse than none."""
    if audience is ClinicFormAudience.ALL:
        return True
    if audience is ClinicFormAudience.MINORS:
        return is_minor
    if audience is ClinicFormAudience.CAN_GET_PREGNANT:
        return category is RiskCategory.CAN_GET_PREGNANT
    return category is RiskCategory.CANNOT_GET_PREGNANT
