"""Record a pregnancy test: purpose, specimen date, setting, method, result and who verified
it (domain.md §1.4 Model). A positive result is saved, and its hard stop shows at once."""

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from desktop.rules.pregnancy_tests import (
    HARD_STOP_MESSAGE,
    PregnancyTest,
    PregnancyTestMethod,
    PregnancyTestPurpose,
    PregnancyTestResult,
    PregnancyTestSetting,
    VerificationMethod,
)
from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.ipledge_steps import record_pregnancy_test
from desktop.ui.ipledge.pregnancy_tests_table_model import (
    METHOD_LABELS,
    PURPOSE_HINTS,
    PURPOSE_LABELS,
    RESULT_LABELS,
    SETTING_HINTS,
    SETTING_LABELS,
    VERIFICATION_LABELS,
    with_hint,
)
from desktop.ui.ipledge.step_dialog import CHOOSE, StepDialog, chosen
from desktop.ui.widgets.date_input import DateInput

NOT_RECORDED = "Not recorded"
CLIA_CHOICES: tuple[tuple[str, bool | None], ...] = (
    (NOT_RECORDED, None),
    ("Yes", True),
    ("No", False),
)
RESULT_PROBLEM = "Choose the result."
SPECIMEN_PROBLEM = "Enter the date the specimen was collected."


def _combo(choices: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    for text, value in choices:
        combo.addItem(text, value)
    return combo


class PregnancyTestDialog(StepDialog[PregnancyTest, PregnancyTest]):
    """The result starts unchosen, so a test is never saved as negative by default."""

    def __init__(
        self,
        ctx: Context,
        course_id: int,
        parent: QWidget | None = None,
        purpose: PregnancyTestPurpose = PregnancyTestPurpose.MONTHLY,
    ) -> None:
        super().__init__(ctx, course_id, "Record pregnancy test", parent)
        self.purpose_input = _combo(
            [
                (with_hint(PURPOSE_LABELS[p], PURPOSE_HINTS.get(p)), p.value)
                for p in PregnancyTestPurpose
            ]
        )
        self.purpose_input.setCurrentIndex(self.purpose_input.findData(purpose.value))
        self.specimen_input = DateInput()
        self.specimen_input.set_date(ctx.today())
        self.setting_input = _combo(
            [
                (with_hint(SETTING_LABELS[s], SETTING_HINTS.get(s)), s.value)
                for s in PregnancyTestSetting
            ]
        )
        self.method_input = _combo(
            [(NOT_RECORDED, None), *((METHOD_LABELS[m], m.value) for m in PregnancyTestMethod)]
        )
        self.result_input = _combo(
            [
                (CHOOSE, None),
                *((RESULT_LABELS[r].capitalize(), r.value) for r in PregnancyTestResult),
            ]
        )
        self.hard_stop_label = QLabel(HARD_STOP_MESSAGE)
        self.hard_stop_label.setObjectName("hardStopFlag")
        self.hard_stop_label.setWordWrap(True)
        self.verified_by_input = QLineEdit(ctx.actor.display_name)
        self.verification_input = _combo(
            [(NOT_RECORDED, None), *((VERIFICATION_LABELS[v], v.value) for v in VerificationMethod)]
        )
        self.clia_input = _combo(list(CLIA_CHOICES))
        self._lay_out()
        self.purpose_input.currentIndexChanged.connect(self._on_purpose_input_changed)
        self.result_input.currentIndexChanged.connect(self._on_result_input_changed)
        self._on_purpose_input_changed()
        self._on_result_input_changed()

    def _lay_out(self) -> None:
        self.row("purpose", "&Purpose", self.purpose_input)
        self.row("specimen_on", "&Specimen date", self.specimen_input)
        self.row("setting", "Se&tting", self.setting_input)
        self.row("method", "&Method", self.method_input)
        self.row("result", "&Result", self.result_input)
        self.form.addRow("", self.hard_stop_label)
        self.row("verified_by", "&Verified by", self.verified_by_input)
        self.row("verification_method", "&How it was verified", self.verification_input)
        self._clia_row = self.row("clia_certified_lab", "&CLIA-certified lab", self.clia_input)
        chain = (
            self.purpose_input, self.specimen_input, self.setting_input, self.method_input,
            self.result_input, self.verified_by_input, self.verification_input, self.clia_input,
        )  # fmt: skip
        self.finish_layout(chain)
        self.setMinimumWidth(560)

    @classmethod
    def ask(
        cls,
        ctx: Context,
        course_id: int,
        parent: QWidget | None = None,
        purpose: PregnancyTestPurpose = PregnancyTestPurpose.MONTHLY,
    ) -> PregnancyTest | None:
        dialog = cls(ctx, course_id, parent, purpose)
        dialog.exec()
        return dialog.result_record

    def _on_purpose_input_changed(self) -> None:
        """The CLIA question only concerns confirmation tests (domain.md §1.3)."""
        purpose = chosen(self.purpose_input, PregnancyTestPurpose)
        self.form.setRowVisible(self._clia_row, purpose is PregnancyTestPurpose.CONFIRMATION)

    def _on_result_input_changed(self) -> None:
        result = chosen(self.result_input, PregnancyTestResult)
        self.hard_stop_label.setVisible(result is PregnancyTestResult.POSITIVE)

    def typed(self) -> PregnancyTest | Problem:
        specimen_on = self.specimen_input.date_value()
        if problem := self.specimen_input.problem():
            return Problem("specimen_on", problem)
        if specimen_on is None:
            return Problem("specimen_on", SPECIMEN_PROBLEM)
        result = chosen(self.result_input, PregnancyTestResult)
        purpose = chosen(self.purpose_input, PregnancyTestPurpose)
        if result is None or purpose is None:
            return Problem("result", RESULT_PROBLEM)
        is_confirmation = purpose is PregnancyTestPurpose.CONFIRMATION
        return PregnancyTest(
            purpose=purpose,
            specimen_on=specimen_on,
            result=result,
            setting=chosen(self.setting_input, PregnancyTestSetting),
            method=chosen(self.method_input, PregnancyTestMethod),
            verified_by=self.verified_by_input.text().strip(),
            verification_method=chosen(self.verification_input, VerificationMethod),
            clia_certified_lab=self.clia_input.currentData() if is_confirmation else None,
        )

    def save(self, value: PregnancyTest) -> PregnancyTest:
        record_pregnancy_test(self._ctx, self._course_id, value)
        return value
