"""Mood screening at the visit (domain.md §4.2): PHQ-2 always, the rest of the PHQ-9 when
the PHQ-2 is positive or the nurse chooses to ask it, and the item 9 flag."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.mood import (
    ITEM_MAX_SCORE,
    ITEM_MIN_SCORE,
    PHQ2_ITEM_COUNT,
    PHQ2_POSITIVE_AT,
    PHQ9_ITEM_COUNT,
    SELF_HARM_ITEM,
    score_phq2,
    score_phq9,
)
from desktop.rules.problems import Problem

PHQ_INTRO = "Over the last 2 weeks, how often has the patient been bothered by:"
PHQ_QUESTIONS = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself, or that you are a failure or have let yourself or your "
    "family down",
    "Trouble concentrating on things, such as reading or watching television",
    "Moving or speaking so slowly that other people could have noticed, or the opposite: "
    "being so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead, or of hurting yourself in some way",
)
"""The PHQ-9 items in the questionnaire's order; the first two are the PHQ-2."""
PHQ_ANSWERS = ("Not at all", "Several days", "More than half the days", "Nearly every day")
"""Scored 0–3 in this order (domain.md §4.2)."""
UNANSWERED = "Choose…"
ASK_PHQ9 = "Also ask the &PHQ-9 (questions 3–9)"
PHQ9_REQUIRED = "PHQ-2 positive: the PHQ-9 (questions 3–9) is required"


class MoodPanel(QGroupBox):
    """Emits `mood_changed` on every answer. The dialog asks `self_harm_flagged()` and
    shows its banner."""

    mood_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Mood &questions (PHQ-2, PHQ-9)", parent)
        self.question_inputs = tuple(self._answer_box(n) for n in range(1, PHQ9_ITEM_COUNT + 1))
        self.phq2_box = self._questions(range(PHQ2_ITEM_COUNT))
        self.phq9_box = self._questions(range(PHQ2_ITEM_COUNT, PHQ9_ITEM_COUNT))
        self.phq2_box.setFocusProxy(self.question_inputs[0])
        self.phq9_box.setFocusProxy(self.question_inputs[PHQ2_ITEM_COUNT])
        self.phq9_box.hide()
        self.phq2_result_label = QLabel()
        self.phq9_result_label = QLabel()
        self.phq9_toggle = QCheckBox(ASK_PHQ9)
        self.phq9_toggle.toggled.connect(self._on_input_changed)
        intro = QLabel(PHQ_INTRO)
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.phq2_box)
        layout.addWidget(self.phq2_result_label)
        layout.addWidget(self.phq9_toggle)
        layout.addWidget(self.phq9_box)
        layout.addWidget(self.phq9_result_label)
        self.setFocusProxy(self.question_inputs[0])
        self._on_input_changed()

    def _answer_box(self, number: int) -> QComboBox:
        box = QComboBox()
        box.addItem(UNANSWERED, None)
        for score in range(ITEM_MIN_SCORE, ITEM_MAX_SCORE + 1):
            box.addItem(f"{score}: {PHQ_ANSWERS[score]}", score)
        box.setAccessibleName(f"PHQ question {number}")
        box.currentIndexChanged.connect(self._on_input_changed)
        return box

    def _questions(self, numbers: range) -> QWidget:
        """A grid, not a form: long wrapped questions get the width and the height they
        need (a form row clipped them), with the answer boxes in one column."""
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(0, 1)
        for row, index in enumerate(numbers):
            label = QLabel(f"{index + 1}. {PHQ_QUESTIONS[index]}")
            label.setWordWrap(True)
            label.setBuddy(self.question_inputs[index])
            if index + 1 == SELF_HARM_ITEM:
                label.setObjectName("error")
            grid.addWidget(label, row, 0)
            grid.addWidget(self.question_inputs[index], row, 1)
        return box

    def _answers(self, indexes: range) -> list[int | None]:
        return [self.question_inputs[i].currentData() for i in indexes]

    def asks_phq9(self) -> bool:
        return self.phq9_toggle.isChecked()

    def phq2_items(self) -> tuple[int, ...] | None:
        answers = self._answers(range(PHQ2_ITEM_COUNT))
        return None if None in answers else tuple(a for a in answers if a is not None)

    def phq9_items(self) -> tuple[int, ...] | None:
        """All nine answers while the PHQ-9 is asked and complete; otherwise None."""
        if not self.asks_phq9():
            return None
        answers = self._answers(range(PHQ9_ITEM_COUNT))
        return None if None in answers else tuple(a for a in answers if a is not None)

    def is_phq2_positive(self) -> bool:
        items = self.phq2_items()
        return items is not None and score_phq2(items).is_positive

    def self_harm_flagged(self) -> bool:
        """Question 9 answered above 0 (domain.md §4.2: same-day follow-up)."""
        answer = self.question_inputs[SELF_HARM_ITEM - 1].currentData()
        return self.asks_phq9() and answer is not None and answer > 0

    def problems(self) -> list[Problem]:
        """The first unanswered question of each part, with its focus target."""
        found = []
        for field, part, indexes in (
            ("phq2", "PHQ-2", range(PHQ2_ITEM_COUNT)),
            ("phq9", "PHQ-9", range(PHQ2_ITEM_COUNT, PHQ9_ITEM_COUNT)),
        ):
            if field == "phq9" and not self.asks_phq9():
                continue
            answers = zip(indexes, self._answers(indexes), strict=True)
            missing = [i + 1 for i, answer in answers if answer is None]
            if missing:
                found.append(Problem(field, f"Answer {part} question {missing[0]}."))
        return found

    def first_unanswered(self) -> QComboBox | None:
        shown = PHQ9_ITEM_COUNT if self.asks_phq9() else PHQ2_ITEM_COUNT
        return next((b for b in self.question_inputs[:shown] if b.currentData() is None), None)

    def _on_input_changed(self) -> None:
        positive = self.is_phq2_positive()
        if positive:
            self.phq9_toggle.setChecked(True)
        self.phq9_toggle.setEnabled(not positive)
        self.phq9_toggle.setText(PHQ9_REQUIRED if positive else ASK_PHQ9)
        self.phq9_box.setVisible(self.phq9_toggle.isChecked())
        self._show_scores()
        self.mood_changed.emit()

    def _show_scores(self) -> None:
        items = self.phq2_items()
        if items is None:
            self.phq2_result_label.setText("PHQ-2: answer both questions.")
        else:
            result = score_phq2(items)
            verdict = (
                f"positive (≥ {PHQ2_POSITIVE_AT}): ask questions 3–9 now"
                if result.is_positive
                else "negative"
            )
            self.phq2_result_label.setText(f"PHQ-2: {result.total} of 6, {verdict}.")
        self.phq2_result_label.setObjectName("error" if self.is_phq2_positive() else "")
        self.phq2_result_label.style().polish(self.phq2_result_label)
        nine = self.phq9_items()
        self.phq9_result_label.setVisible(self.asks_phq9())
        if nine is None:
            self.phq9_result_label.setText("PHQ-9: answer every question.")
        else:
            result9 = score_phq9(nine)
            band = result9.band.value.replace("_", " ")
            self.phq9_result_label.setText(f"PHQ-9: {result9.total} of 27 ({band}).")

    def tab_chain(self) -> tuple[QWidget, ...]:
        first, second, *rest = self.question_inputs
        return (first, second, self.phq9_toggle, *rest)
