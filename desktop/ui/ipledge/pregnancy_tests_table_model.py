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
    PregnancyTestPurpose.SCREENING: "Screening (before enrolment)",
    PregnancyTestPurpose.CONFIRMATION: "Confirmation (before the first prescription)",
    PregnancyTestPurpose.MONTHLY: "Monthly",
    PregnancyTestPurpose.END_OF_COURSE: "End of course",
    PregnancyTestPurpose.POST_COURSE: "1 month after the last dose",
}
SETTING_LABELS = {
    PregnancyTestSetting.MEDICAL: "Medical setting (office, clinic or lab)",
    PregnancyTestSetting.HOME: "Home test",
}
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
