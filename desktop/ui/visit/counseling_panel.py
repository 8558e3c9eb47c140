"""Counselling topics covered at the visit (domain.md §6), ticked as they are discussed."""

from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QWidget

from desktop.rules.counseling_topics import COUNSELING_TOPIC_LABELS, CounselingTopic

COLUMNS = 2


class CounselingPanel(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Co&unselling topics covered", parent)
        self.checkboxes: dict[CounselingTopic, QCheckBox] = {}
        grid = QGridLayout(self)
        rows = (len(CounselingTopic) + COLUMNS - 1) // COLUMNS
        for index, topic in enumerate(CounselingTopic):
            checkbox = QCheckBox(COUNSELING_TOPIC_LABELS[topic])
            grid.addWidget(checkbox, index % rows, index // rows)
            self.checkboxes[topic] = checkbox
        self.setFocusProxy(self.checkboxes[next(iter(CounselingTopic))])

    def topics(self) -> tuple[CounselingTopic, ...]:
        return tuple(t for t, box in self.checkboxes.items() if box.isChecked())

    def tab_chain(self) -> tuple[QWidget, ...]:
        return tuple(self.checkboxes.values())
