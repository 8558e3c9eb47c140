"""Pregnancy tests as a table, and the words used for their purposes, settings and methods."""

from desktop.rules.pregnancy_tests import (
    PregnancyTest,
    PregnancyTestMethod,
    PregnancyTestPurpose,
    PregnancyTestResult,
    PregnancyTestSetting,
    VerificationMethod,
)
from desktop.ui.table_model import Column, RecordTableModel

PURPOSE_LABELS = {
    PregnancyTestPurpose.SCREENING: "Screening",
    PregnancyTestPurpose.CONFIRMATION: "Confirmation",
    PregnancyTestPurpose.MONTHLY: "Monthly",
    PregnancyTestPurpose.END_OF_COURSE: "End of course",
    PregnancyTestPurpose.POST_COURSE: "Post-course",
}
PURPOSE_HINTS = {
    PregnancyTestPurpose.SCREENING: "before enrolment",
    PregnancyTestPurpose.CONFIRMATION: "before the first prescription",
    PregnancyTestPurpose.POST_COURSE: "1 month after the last dose",
}
"""The dialog's longer wording: label and hint, e.g. "Confirmation (before the first
prescription)"; the table keeps the label alone so that it fits a chart tab."""
SETTING_LABELS = {
    PregnancyTestSetting.MEDICAL: "Medical setting",
    PregnancyTestSetting.HOME: "Home test",
}
SETTING_HINTS = {PregnancyTestSetting.MEDICAL: "office, clinic or lab"}
METHOD_LABELS = {
    PregnancyTestMethod.URINE: "Urine",
    PregnancyTestMethod.SERUM: "Serum (blood)",
}
RESULT_LABELS = {
    PregnancyTestResult.NEGATIVE: "Negative",
    PregnancyTestResult.POSITIVE: "POSITIVE",
    PregnancyTestResult.INVALID: "Invalid",
}
VERIFICATION_LABELS = {
    VerificationMethod.STAFF_PERFORMED: "Done by clinic staff",
    VerificationMethod.LAB_REPORT: "Laboratory report",
    VerificationMethod.WITNESSED_REMOTELY: "Witnessed remotely (video)",
    VerificationMethod.PHOTO: "Photo of the test",
}
NOT_RECORDED = "—"


def with_hint(label: str, hint: str | None) -> str:
    """ "Confirmation (before the first prescription)", for the dialog's choices."""
    return label if hint is None else f"{label} ({hint})"


def _verified(test: PregnancyTest) -> str:
    how = VERIFICATION_LABELS.get(test.verification_method) if test.verification_method else ""
    parts = [p for p in (test.verified_by.strip(), how) if p]
    return " · ".join(parts) or NOT_RECORDED


class PregnancyTestsTableModel(RecordTableModel[PregnancyTest]):
    """Newest specimen first is the caller's order; a positive result shouts in capitals."""

    def __init__(self) -> None:
        super().__init__(
            (
                Column("Purpose", lambda t: PURPOSE_LABELS[t.purpose]),
                Column(
                    "Specimen",
                    lambda t: t.specimen_on.isoformat(),
                    sort_key=lambda t: t.specimen_on,
                ),
                Column(
                    "Setting",
                    lambda t: SETTING_LABELS[t.setting] if t.setting else NOT_RECORDED,
                ),
                Column("Method", lambda t: METHOD_LABELS[t.method] if t.method else NOT_RECORDED),
                Column("Result", lambda t: RESULT_LABELS[t.result]),
                Column("Verified by", _verified),
            )
        )
