"""What was recorded for the course's iPLEDGE steps: pregnancy tests, contraception changes,
confirmations and fills, newest first."""

from PySide6.QtWidgets import QGroupBox, QTableView, QVBoxLayout, QWidget

from desktop.rules.worklist import CourseFacts
from desktop.ui.ipledge.confirmations_table_model import ConfirmationsTableModel, confirmations
from desktop.ui.ipledge.contraception_table_model import (
    ContraceptionTableModel,
    contraception_changes,
)
from desktop.ui.ipledge.fact_table import FactTable
from desktop.ui.ipledge.fills_table_model import FillsTableModel
from desktop.ui.ipledge.pregnancy_tests_table_model import PregnancyTestsTableModel


def _section(title: str, table: QTableView) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.addWidget(table)
    return box


class IpledgeRecordsPanel(QWidget):
    """`show_facts` fills the tables; the pregnancy and contraception sections can be hidden
    for a patient who cannot get pregnant."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pregnancy_tests_model = PregnancyTestsTableModel()
        self.pregnancy_tests_table = FactTable(self.pregnancy_tests_model)
        self.contraception_model = ContraceptionTableModel()
        self.contraception_table = FactTable(self.contraception_model)
        self.confirmations_model = ConfirmationsTableModel()
        self.confirmations_table = FactTable(self.confirmations_model)
        self.fills_model = FillsTableModel()
        self.fills_table = FactTable(self.fills_model)
        self.pregnancy_tests_box = _section("Pregnancy tests", self.pregnancy_tests_table)
        self.contraception_box = _section("Contraception", self.contraception_table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pregnancy_tests_box)
        layout.addWidget(self.contraception_box)
        layout.addWidget(_section("Counselling and comprehension", self.confirmations_table))
        layout.addWidget(_section("Prescription fills", self.fills_table))

    def tables(self) -> tuple[QTableView, ...]:
        return (
            self.pregnancy_tests_table,
            self.contraception_table,
            self.confirmations_table,
            self.fills_table,
        )

    def show_facts(self, facts: CourseFacts) -> None:
        tests = sorted(facts.pregnancy_tests, key=lambda t: t.specimen_on, reverse=True)
        self.pregnancy_tests_model.set_records(tests)
        self.contraception_model.set_records(contraception_changes(facts.contraception))
        self.confirmations_model.set_records(
            confirmations(facts.counseling_confirmations, facts.comprehension_answers)
        )
        self.fills_model.set_records(sorted(facts.fills, key=lambda f: f.filled_on, reverse=True))

    def show_pregnancy_sections(self, shown: bool) -> None:
        self.pregnancy_tests_box.setVisible(shown)
        self.contraception_box.setVisible(shown)
