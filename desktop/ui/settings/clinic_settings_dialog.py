"""Clinic settings for administrators: the letterhead (name, address, phone, logo), the time
zone, the iPLEDGE 2026 modification date and the idle lock; Enter saves, Esc cancels."""

from itertools import pairwise
from zoneinfo import available_timezones

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.problems import Problem
from desktop.services.clinic_logo import get_clinic_logo, set_clinic_logo
from desktop.services.clinic_setup import (
    ClinicSettingsDraft,
    get_clinic_settings,
    update_clinic_settings,
)
from desktop.services.context import Context
from desktop.services.errors import IsoTrackError, ValidationFailed
from desktop.services.records import ClinicSettingsRecord
from desktop.ui.field_problems import FieldProblems
from desktop.ui.settings.logo_panel import LogoPanel
from desktop.ui.widgets.date_input import DateInput

ADDRESS_LINES = 3
IPLEDGE_NOTE = (
    "iPLEDGE has not fixed a go-live date for its 2026 changes; use the date your clinic "
    "follows. The worklist and the iPLEDGE tab apply the new rules from this day."
)
TIME_ZONE_NOTE = "A new time zone applies from each user's next sign-in."
MINUTES_PROBLEM = "Type whole minutes, from 1 to 120."
MAX_MINUTES_DIGITS = 6
DATE_REQUIRED = "Enter the date the 2026 iPLEDGE changes take effect for this clinic."


class ClinicSettingsDialog(QDialog):
    """Opens on the settings as saved now; on success `result_record` holds the new ones.
    A refused save keeps everything typed, with the problem beside its field."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        settings = get_clinic_settings(ctx)
        self._settings = settings
        self._saved_logo = get_clinic_logo(ctx)
        self.result_record: ClinicSettingsRecord | None = None
        self.setWindowTitle("Clinic settings")
        self._make_inputs(settings)
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.problems = FieldProblems(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save")
        self.buttons.accepted.connect(self._on_save_button_clicked)
        self.buttons.rejected.connect(self.reject)
        self.logo_input.problem_found.connect(self._on_logo_input_problem_found)
        self._lay_out()

    def _make_inputs(self, settings: ClinicSettingsRecord) -> None:
        self.clinic_name_input = QLineEdit(settings.clinic_name)
        self.address_input = QPlainTextEdit(settings.address)
        self.address_input.setTabChangesFocus(True)
        line = self.address_input.fontMetrics().lineSpacing()
        self.address_input.setFixedHeight(line * ADDRESS_LINES + 16)
        self.phone_input = QLineEdit(settings.phone)
        self.logo_input = LogoPanel(self._saved_logo)
        self.time_zone_input = QComboBox()
        self.time_zone_input.setEditable(True)
        self.time_zone_input.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.time_zone_input.addItems(sorted(available_timezones()))
        self.time_zone_input.setCurrentText(settings.time_zone)
        completer = QCompleter(self.time_zone_input.model(), self.time_zone_input)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # "Chicago" finds America/Chicago
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.time_zone_input.setCompleter(completer)
        self.ipledge_date_input = DateInput()
        self.ipledge_date_input.set_date(settings.ipledge_2026_effective_on)
        self.idle_minutes_input = QLineEdit(str(settings.idle_lock_minutes))

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        rows = (
            ("Clinic &name", "clinic_name", self.clinic_name_input, ""),
            ("A&ddress", "address", self.address_input, ""),
            ("&Phone", "phone", self.phone_input, ""),
            ("&Logo", "logo", self.logo_input, ""),
            ("Time &zone", "time_zone", self.time_zone_input, TIME_ZONE_NOTE),
            ("iPLEDGE &2026 changes from", "ipledge_2026_effective_on",
             self.ipledge_date_input, IPLEDGE_NOTE),
            ("&Idle lock after", "idle_lock_minutes", self._minutes_row(), ""),
        )  # fmt: skip
        for text, field, widget, note in rows:
            label = QLabel(text)
            label.setBuddy(widget.focusProxy() or widget)
            form.addRow(label, self.problems.wrap(field, _with_note(widget, note)))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        # Once in the dialog: set earlier, Qt would also make the first push button after
        # the focused field a default, and Enter would open the file chooser.
        self.save_button.setDefault(True)
        order = (
            self.clinic_name_input,
            self.address_input,
            self.phone_input,
            self.logo_input.choose_button,
            self.logo_input.remove_button,
            self.time_zone_input,
            self.ipledge_date_input,
            self.idle_minutes_input,
            self.save_button,
        )
        for first, second in pairwise(order):
            self.setTabOrder(first, second)
        self.setMinimumWidth(600)
        self.clinic_name_input.setFocus()

    def _minutes_row(self) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self.idle_minutes_input.setFixedWidth(self.fontMetrics().horizontalAdvance("0000") + 24)
        layout.addWidget(self.idle_minutes_input)
        layout.addWidget(QLabel("minutes without keyboard or mouse use"))
        layout.addStretch(1)
        row.setFocusProxy(self.idle_minutes_input)
        return row

    @classmethod
    def ask(cls, ctx: Context, parent: QWidget | None = None) -> ClinicSettingsRecord | None:
        dialog = cls(ctx, parent)
        dialog.exec()
        return dialog.result_record

    def _on_logo_input_problem_found(self, message: str) -> None:
        self.problems.show([Problem("logo", message)])

    def _draft(self) -> ClinicSettingsDraft | tuple[Problem, ...]:
        """The form as a draft, or the problems only the form can see (unreadable text)."""
        problems = []
        effective_on = self.ipledge_date_input.date_value()
        if (date_problem := self.ipledge_date_input.problem()) is not None:
            problems.append(Problem("ipledge_2026_effective_on", date_problem))
        elif effective_on is None:
            problems.append(Problem("ipledge_2026_effective_on", DATE_REQUIRED))
        minutes_text = self.idle_minutes_input.text().strip()
        # No length limit on the box: Qt would cut a paste silently ("   30" became 3). A
        # number too long to be minutes is refused here; the service judges the range.
        too_long = len(minutes_text.lstrip("0")) > MAX_MINUTES_DIGITS
        if not minutes_text.isascii() or not minutes_text.isdigit() or too_long:
            problems.append(Problem("idle_lock_minutes", MINUTES_PROBLEM))
        if problems or effective_on is None:
            return tuple(problems)
        return ClinicSettingsDraft(
            self.clinic_name_input.text().strip(),
            self.address_input.toPlainText().strip(),
            self.phone_input.text().strip(),
            self.time_zone_input.currentText().strip(),
            effective_on,
            int(minutes_text.lstrip("0") or "0"),  # zeros pasted in front never count
        )

    def _on_save_button_clicked(self) -> None:
        draft = self._draft()
        if isinstance(draft, tuple):
            self.problems.show(draft)
            return
        try:
            saved = update_clinic_settings(self._ctx, draft, self._settings.version)
            self._settings = saved  # a second Save after a refused logo is not stale
            if self.logo_input.png != self._saved_logo:
                saved = set_clinic_logo(self._ctx, self.logo_input.png, saved.version)
                self._settings, self._saved_logo = saved, self.logo_input.png
        except ValidationFailed as refused:
            self.problems.show(refused.problems)
            return
        except IsoTrackError as error:  # StaleEdit names who saved and when; NotAllowed
            self.problems.show_message(error.user_message())
            return
        self.result_record = saved
        self.accept()


def _with_note(widget: QWidget, note: str) -> QWidget:
    """The field with a grey line of explanation under it."""
    if not note:
        return widget
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    hint = QLabel(note)
    hint.setObjectName("hint")
    hint.setWordWrap(True)
    layout.addWidget(widget)
    layout.addWidget(hint)
    box.setFocusProxy(widget)
    return box
