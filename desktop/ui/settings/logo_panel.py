"""The clinic logo in the settings form: a preview, Choose PNG… and Remove."""

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.services.clinic_logo import MAX_LOGO_BYTES, check_logo

PREVIEW_WIDTH_PX = 240
PREVIEW_HEIGHT_PX = 80
NO_LOGO = "No logo: printouts carry the clinic's name only."
UNREADABLE = "This PNG cannot be read as an image; choose another file."
TOO_BIG = "The file is over 1 MB; choose a smaller PNG."


def ask_png_path(parent: QWidget) -> str | None:
    """The one place that asks for a file, so tests can answer instead."""
    path, _filter = QFileDialog.getOpenFileName(
        parent, "Choose the clinic logo", "", "PNG images (*.png)"
    )
    return path or None


class LogoPanel(QWidget):
    """Holds the chosen PNG (`png`, None for no logo) until the dialog saves. Emits
    `problem_found(message)` when a chosen file cannot be the logo; the logo shown stays."""

    problem_found = Signal(str)

    def __init__(self, png: bytes | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.png = png
        self.preview_label = QLabel()
        self.preview_label.setObjectName("hint")
        self.preview_label.setMinimumHeight(PREVIEW_HEIGHT_PX)
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.choose_button = QPushButton("C&hoose PNG…")
        self.remove_button = QPushButton("Re&move")
        for button in (self.choose_button, self.remove_button):
            button.setAutoDefault(False)  # Enter saves the form, never opens a file chooser
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview_label)
        layout.addLayout(buttons)
        self.setTabOrder(self.choose_button, self.remove_button)
        self.setFocusProxy(self.choose_button)
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self._show(png)

    def load_file(self, path: str) -> str | None:
        """Take the PNG at `path` as the new logo; the problem to show if it cannot be."""
        file = Path(path)
        try:
            if file.stat().st_size > MAX_LOGO_BYTES:
                return TOO_BIG
            data = file.read_bytes()
        except OSError:
            return "This file cannot be read; choose another one."
        if problems := check_logo(data):
            return problems[0].message
        pixmap = QPixmap()
        if not pixmap.loadFromData(data, "PNG"):
            return UNREADABLE
        self._show(data, pixmap)
        return None

    def _on_choose_button_clicked(self) -> None:
        path = ask_png_path(self)
        if path is not None and (problem := self.load_file(path)) is not None:
            self.problem_found.emit(problem)

    def _on_remove_button_clicked(self) -> None:
        self._show(None)
        self.choose_button.setFocus()

    def _show(self, png: bytes | None, pixmap: QPixmap | None = None) -> None:
        self.png = png
        self.remove_button.setEnabled(png is not None)
        if png is None:
            self.preview_label.setPixmap(QPixmap())
            self.preview_label.setText(NO_LOGO)
            return
        if pixmap is None:
            pixmap = QPixmap()
            pixmap.loadFromData(png, "PNG")
        self.preview_label.setPixmap(
            pixmap.scaled(
                PREVIEW_WIDTH_PX,
                PREVIEW_HEIGHT_PX,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
