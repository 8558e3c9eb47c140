"""What was recorded for the course's iPLEDGE steps: pregnancy tests, contraception changes,
confirmations and fills, newest first. Voided counselling confirmations stay listed, and a
standing one can be chosen for correction (issue 6, item 11)."""

from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.worklist import CourseFacts
from desktop.services.course_records import FillRecord
from desktop.services.ipledge_steps import PRESCRIBER_ONLY_CORRECTION
from desktop.services.records import CounselingConfirmationRecord
from desktop.ui.ipledge.confirmations_table_model import ConfirmationsTableModel, confirmations
from desktop.ui.ipledge.contraception_table_model import (
    ContraceptionTableModel,
    contraception_changes,
)
from desktop.ui.ipledge.fact_table import FactTable
from desktop.ui.ipledge.fills_table_model import FillsTableModel
from desktop.ui.ipledge.pregnancy_tests_table_model import PregnancyTestsTableModel

CORRECT_TIP = (
    "Correct the day of the selected counselling confirmation, or void one recorded in "
    "error: it stays on file, struck through with your reason."
)


class IpledgeRecordsPanel(QWidget):
    """`show_facts` fills the tables; the pregnancy and contraception sections can be hidden
    for a patient who cannot get pregnant. The owner connects `correct_counseling_button`
    and reads `selected_counseling()`."""

    def __init__(self, time_zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._may_correct = False
        self.pregnancy_tests_model = PregnancyTestsTableModel()
        self.contraception_model = ContraceptionTableModel()
        self.confirmations_model = ConfirmationsTableModel(time_zone)
        self.fills_model = FillsTableModel()
        self.pregnancy_tests_box, self.pregnancy_tests_table = self._section(
            "Pregnancy tests", self.pregnancy_tests_model
        )
        self.contraception_box, self.contraception_table = self._section(
            "Contraception", self.contraception_model
        )
        confirmations_box, self.confirmations_table = self._section(
            "Counselling and comprehension", self.confirmations_model
        )
        self.correct_counseling_button = self._correction_row(confirmations_box)
        fills_box, self.fills_table = self._section("Prescription fills", self.fills_model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for box in (
            self.pregnancy_tests_box,
            self.contraception_box,
            confirmations_box,
            fills_box,
        ):
            layout.addWidget(box)
        self.confirmations_table.selectionModel().selectionChanged.connect(
            self._on_confirmations_table_selection_changed
        )
        self.allow_counseling_corrections(False)

    def _section(self, title: str, model: QAbstractItemModel) -> tuple[QGroupBox, FactTable]:
        """The box and its table made in place (IpledgePanel._make_widgets says why)."""
        box = QGroupBox(title, self)
        table = FactTable(model, box)
        QVBoxLayout(box).addWidget(table)
        return box, table

    def _correction_row(self, box: QGroupBox) -> QPushButton:
        """Under the confirmations, as the consents' correction sits under their list."""
        self.confirmations_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        button = QPushButton("Correct counselling confir&mation…", box)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(button)
        layout = box.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addLayout(row)
        return button

    def focus_chain(self) -> tuple[QWidget, ...]:
        """The tables in order, the correction button right after the confirmations."""
        return (
            self.pregnancy_tests_table,
            self.contraception_table,
            self.confirmations_table,
            self.correct_counseling_button,
            self.fills_table,
        )

    def show_facts(
        self,
        facts: CourseFacts,
        fills: tuple[FillRecord, ...],
        counseling: tuple[CounselingConfirmationRecord, ...] = (),
    ) -> None:
        """`fills` as recorded, with the capsules dispensed, and `counseling` with the
        voided confirmations (the rules' facts leave both out)."""
        tests = sorted(facts.pregnancy_tests, key=lambda t: t.specimen_on, reverse=True)
        self.pregnancy_tests_model.set_records(tests)
        self.contraception_model.set_records(contraception_changes(facts.contraception))
        self.confirmations_model.set_records(confirmations(counseling, facts.comprehension_answers))
        self.fills_model.set_records(sorted(fills, key=lambda f: f.filled_on, reverse=True))
        self._update_correct_button()

    def show_pregnancy_sections(self, shown: bool) -> None:
        self.pregnancy_tests_box.setVisible(shown)
        self.contraception_box.setVisible(shown)

    def allow_counseling_corrections(self, allowed: bool) -> None:
        """Only a prescriber corrects or voids a counselling confirmation (domain.md §1.4):
        for anyone else the button stays disabled and its tooltip says why."""
        self._may_correct = allowed
        self.correct_counseling_button.setToolTip(
            CORRECT_TIP if allowed else PRESCRIBER_ONLY_CORRECTION
        )
        self._update_correct_button()

    def selected_counseling(self) -> CounselingConfirmationRecord | None:
        """The selected counselling confirmation while it stands; None for a voided one or
        a comprehension answer (nothing to correct)."""
        rows = self.confirmations_table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.confirmations_model.record_at(rows[0].row()).correctable

    def _update_correct_button(self) -> None:
        self.correct_counseling_button.setEnabled(
            self._may_correct and self.selected_counseling() is not None
        )

    def _on_confirmations_table_selection_changed(self, *_: object) -> None:
        self._update_correct_button()
