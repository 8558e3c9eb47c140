"""Starting the desktop app: Qt application, fonts and style, then setup or sign-in, then work.

`run(url, quit_after_ms=N)` is the non-interactive smoke check: everything starts as usual
(fonts, style sheet, database opened and upgraded, first dialog shown), and after N ms any
open dialog is cancelled and the app quits with status 0. Tests and CI use it to prove the
app comes up without a person at the keyboard.
"""

import logging
import sys

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog

from desktop.services.catalog import FONT_FILES, font_file, read_text
from desktop.services.clinic_setup import needs_setup
from desktop.services.context import APP_NAME, Clinic, Context, open_clinic
from desktop.services.errors import IsoTrackError
from desktop.ui import messages, tasks
from desktop.ui.login.login_dialog import LoginDialog
from desktop.ui.login.setup_dialog import SetupDialog
from desktop.ui.main_window import MainWindow

APP_FONT_FAMILY = "DejaVu Sans"
APP_FONT_POINTS = 10
MAX_NESTED_DIALOGS = 5
_log = logging.getLogger(__name__)


def application() -> QApplication:
    """The one QApplication, named before anything asks Qt for a settings or data path
    (TECH-NOTES §1.3), with the bundled fonts and the style sheet."""
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    _load_fonts(app)
    app.setStyleSheet(read_text("styles", "app.qss"))
    return app


def load_bundled_fonts() -> dict[str, tuple[str, ...]]:
    """Register every bundled face with Qt: {face: the font families Qt read from its
    file}. A face Qt cannot load is left out and logged as a warning (shown on stderr when
    nothing else handles logging), so a broken install is never silent."""
    loaded: dict[str, tuple[str, ...]] = {}
    for face in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(font_file(face))
        if font_id < 0:
            _log.warning("Could not load the bundled %s font (%s)", face, FONT_FILES[face])
            continue
        loaded[face] = tuple(QFontDatabase.applicationFontFamilies(font_id))
    return loaded


def _load_fonts(app: QApplication) -> None:
    """Bundled DejaVu covers every name (ë, ñ, ł, ő …) even on a machine with no fonts,
    where Qt would otherwise draw boxes without a warning (TECH-NOTES §0.5)."""
    loaded = load_bundled_fonts()
    if APP_FONT_FAMILY not in loaded.get("regular", ()):
        _log.warning("%s is not available: names may be drawn in another font", APP_FONT_FAMILY)
    app.setFont(QFont(APP_FONT_FAMILY, APP_FONT_POINTS))


def _quit_soon(app: QApplication, after_ms: int) -> None:
    def close_everything() -> None:
        for _ in range(MAX_NESTED_DIALOGS):
            modal = QApplication.activeModalWidget()
            if not isinstance(modal, QDialog):
                break
            modal.reject()
        app.closeAllWindows()
        app.quit()

    QTimer.singleShot(after_ms, app, close_everything)


def _first_context(clinic: Clinic) -> Context | None:
    """The setup dialog signs the new administrator in; otherwise everyone signs in."""
    if needs_setup(clinic):
        return SetupDialog.ask(clinic)
    return LoginDialog.ask(clinic)


def run(database_url: str, *, quit_after_ms: int | None = None) -> int:
    """Open the clinic at `database_url` and run the app; the exit status is returned."""
    app = application()
    if quit_after_ms is not None:
        _quit_soon(app, quit_after_ms)
    try:
        clinic = open_clinic(database_url)
    except IsoTrackError as error:  # DatabaseNotReady: newer schema, or needs an upgrade
        messages.show_error(None, error)
        return error.exit_status
    except Exception as error:  # unreachable server, unreadable file: a reference code only
        messages.show_error(None, error)
        return 1
    try:
        ctx = _first_context(clinic)
        if ctx is None:
            return 0
        window = MainWindow(ctx)
        window.show()
        window.raise_()
        window.activateWindow()
        return app.exec()
    finally:
        tasks.finish_background_work()
        clinic.close()
