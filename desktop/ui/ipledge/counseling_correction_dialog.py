"""Correct the day of a prescriber's signed counselling confirmation, or void one recorded in
error (issue 6, item 11; domain.md §1.4). The signed confirmation is never edited: it is
voided with the reason typed here and, for a correction, the corrected day is signed again as
a new confirmation that replaces it. Either way the prescriber's password signs the change."""

from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QLabel, QWidget

from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.ipledge_steps import (
    correct_counseling_confirmation,
    void_counseling_confirmation,
)
from desktop.services.records import CounselingConfirmationRecord
from desktop.services.signatures import COUNSELING_MEANING, VOID_MEANING
from desktop.ui.signed_record_correction_dialog import (
    CorrectionWords,
    SignedRecordCorrectionDialog,
    date_problem,
)
from desktop.ui.widgets.date_input import DateInput

VOID = "Void confirmation"
WORDS = CorrectionWords(
    title="Correct counselling confirmation",
    void=VOID,
    correct_note=(
        "The confirmation on record stays on file, struck through with your reason; the day "
        "below is signed again as a new confirmation that replaces it."
    ),
    void_note=(
        "The confirmation stays on file, struck through with your reason, and no longer "
        "counts: the month's counselling step is due again unless another confirmation "
        "stands."
    ),
    reason_example="e.g. counselled on 18 Nov, confirmed a day late",
)
CONFIRMED_PROBLEM = "Enter the day you confirmed the counselling in iPLEDGE (not in the future)."


def signed_words(record: CounselingConfirmationRecord, time_zone: ZoneInfo) -> str:
    """ "Counselling confirmed in iPLEDGE on 2026-11-19, signed by Dr Priya Park at
    2026-11-20 10:30"."""
    signed_at = record.recorded_at.astimezone(time_zone)
    return (
        f"Counselling confirmed in iPLEDGE on {record.confirmed_on.isoformat()}, signed by "
        f"{record.prescriber_name} at {signed_at:%Y-%m-%d %H:%M}"
    )


def meaning_words(voiding: bool) -> str:
    """What the password signs, shown before it is typed."""
    return f"Your signature means: {VOID_MEANING if voiding else COUNSELING_MEANING}"


class CounselingCorrectionDialog(SignedRecordCorrectionDialog[int]):
    """On a successful save `result_record` holds the new confirmation's id (a correction)
    or the voided confirmation's (a void)."""

    def __init__(
        self, ctx: Context, signed: CounselingConfirmationRecord, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, WORDS, signed_words(signed, ctx.time_zone), parent)
        self._signed = signed
        self.meaning_label = QLabel(meaning_words(False))
        self.meaning_label.setObjectName("hint")
        self.meaning_label.setWordWrap(True)
        self.confirmed_input = DateInput()
        self.confirmed_input.set_date(signed.confirmed_on)
        confirmed_row = self.row("confirmed_on", "&Confirmed in iPLEDGE on", self.confirmed_input)
        self.finish_layout(
            (confirmed_row,),
            (self.confirmed_input,),
            self.confirmed_input,
            min_width=520,
            below_form=(self.meaning_label,),
        )

    @classmethod
    def ask(
        cls, ctx: Context, signed: CounselingConfirmationRecord, parent: QWidget | None = None
    ) -> int | None:
        dialog = cls(ctx, signed, parent)
        dialog.exec()
        return dialog.result_record

    def _on_void_input_toggled(self, voiding: bool) -> None:
        super()._on_void_input_toggled(voiding)
        self.meaning_label.setText(meaning_words(voiding))

    def correction_problem(self) -> Problem | None:
        return date_problem("confirmed_on", self.confirmed_input, CONFIRMED_PROBLEM)

    def save(self, reason: str, password: str) -> int:
        signed = self._signed
        if self.is_voiding():
            return void_counseling_confirmation(self._ctx, signed.id, reason, password).id
        confirmed_on = self.confirmed_input.date_value()
        assert confirmed_on is not None  # correction_problem refused an empty or unreadable day
        return correct_counseling_confirmation(
            self._ctx, signed.id, signed.course_id, confirmed_on, reason, password
        )
