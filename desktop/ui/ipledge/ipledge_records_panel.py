"""What was recorded for the course's iPLEDGE steps: pregnancy tests, contraception changes,
confirmations and fills, newest first."""

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QGroupBox, QTableView, QVBoxLayout, QWidget

from desktop.rules.worklist import CourseFacts
from desktop.services.course_records import FillRecord
from desktop.ui.ipledge.confirmations_table_model import ConfirmationsTableModel, confirmations
from desktop.ui.ipledge.contraception_table_model import (
    ContraceptionTableModel,
    contraception_changes,
)
from desktop.ui.ipledge.fact_table import FactTable
from desktop.ui.ipledge.fills_table_model import FillsTableModel
from desktop.ui.ipledge.pregnancy_tests_table_model import PregnancyTestsTableModel


class IpledgeRecordsPanel(QWidget):
    """`show_facts` fills the tables; the pregnancy and contraception sections can be hidden
    for a patient who cannot get pregnant."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pregnancy_tests_model = PregnancyTestsTableModel()
        self.contraception_model = ContraceptionTableModel()
        self.confirmations_model = ConfirmationsTableModel()
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

    def _section(self, title: str, model: QAbstractItemModel) -> tuple[QGroupBox, FactTable]:
        """The box and its table made in place (IpledgePanel._make_widgets says why)."""
        box = QGroupBox(title, self)
        table = FactTable(model, box)
        QVBoxLayout(box).addWidget(table)
        return box, table

    def tables(self) -> tuple[QTableView, ...]:
        return (
            self.pregnancy_tests_table,
            self.contraception_table,
            self.confirmations_table,
            self.fills_table,
        )

    def show_facts(self, facts: CourseFacts, fills: tuple[FillRecord, ...]) -> None:
        """`fills` as recorded, with the capsules dispensed (the rules' facts leave them
        out)."""
        tests = sorted(facts.pregnancy_tests, key=lambda t: t.specimen_on, reverse=True)
        self.pregnancy_tests_model.set_records(tests)
        self.contraception_model.set_records(contraception_changes(facts.contraception))
        self.confirmations_model.set_records(
            confirmations(facts.counseling_confirmations, facts.comprehension_answers)
        )
        self.fills_model.set_records(sorted(fills, key=lambda f: f.filled_on, reverse=True))

    def show_pregnancy_sections(self, shown: bool) -> None:
        self.pregnancy_tests_box.setVisible(shown)
        self.contraception_box.setVisible(shown)
