"""A nurse takes a new patient who can get pregnant from enrolment through three monthly
visits to post-course follow-up, using only the app (issue 4, "Done when"), and reads her
worklist after every step to see the item she dealt with go and the next one come.

The clinic's clock moves from day to day. Dr Park, the prescriber, signs her counselling
confirmations at the nurse's workstation: Ctrl+L, her own sign-in, the item from her
worklist, her password in the signature prompt, Ctrl+L and the nurse again. Every dialog,
prompt and question is the real one, answered while it is open; only `messages.show_error`
is replaced, to collect any error the app would have shown instead of waiting on it."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.rules.counseling_topics import CounselingTopic
from desktop.rules.ipledge import IpledgeStep
from desktop.rules.side_effects import SIDE_EFFECT_LABELS, SideEffect
from desktop.rules.units import format_weight
from desktop.services.context import Context, FixedClock
from desktop.ui import messages
from desktop.ui.chart.chart_tab import ChartTab
from desktop.ui.chart.patient_chart_view import PatientChartView
from desktop.ui.consents.consent_sign_dialog import ConsentSignDialog
from desktop.ui.consents.consents_panel import ConsentsPanel
from desktop.ui.course.course_action_dialog import CourseActionDialog
from desktop.ui.course.course_panel import CoursePanel
from desktop.ui.course.start_course_dialog import StartCourseDialog
from desktop.ui.ipledge.contraception_dialog import ContraceptionDialog
from desktop.ui.ipledge.fill_dialog import FillDialog
from desktop.ui.ipledge.ipledge_panel import IpledgePanel
from desktop.ui.ipledge.pregnancy_test_dialog import PregnancyTestDialog
from desktop.ui.ipledge.steps_table_model import DONE, STEP_LABELS
from desktop.ui.main_window import MainWindow
from desktop.ui.patients.patient_dialog import PatientDialog
from desktop.ui.visit.visit_dialog import VisitDialog
from desktop.ui.visit.visits_panel import VisitsPanel
from tests.conftest import PASSWORD
from tests.ui.conftest import Screenshot
from tests.ui.keyboard import type_text
from tests.ui.workstation import CTRL, Row, Workstation, choose, retype, status_of

MRN = "J-3107"
ENROLLED = date(2026, 11, 20)
CONTRACEPTION_FROM = date(2026, 11, 6)
"""Combined pill and condoms, begun two weeks before enrolment."""
FIRST_DOSE = date(2026, 12, 10)
"""Screening + 20 days (≥ 19, domain.md §1.3) and contraception + 34 days (≥ 30)."""
Visit = tuple[date, str, tuple[int, int], dict[str, str], tuple[str, ...]]
"""Visit day, weight in kg, PHQ-2 answers, side effects and their severity, topics."""
MONTHS: tuple[Visit, ...] = (
    (date(2027, 1, 7), "61.5", (0, 0), {"dry_lips": "mild"}, ("sun_protection", "no_sharing")),
    (date(2027, 2, 4), "62", (1, 0), {"dry_lips": "moderate", "dry_skin": "mild"}, ()),
    (date(2027, 3, 4), "62.4", (0, 1), {"dry_eyes": "mild"}, ("no_blood_donation",)),
)
"""Four weeks apart, each two days before the last fill runs out."""
NEXT_VISIT = timedelta(weeks=4)
LAST_DOSE = date(2027, 4, 2)
"""The last of the third monthly fill's 30 days."""
LAST_VISIT: Visit = (LAST_DOSE, "62.1", (0, 0), {"dry_lips": "mild"}, ("contraception",))
"""A day after the date the third visit set: the course ends at this one."""
POST_COURSE_DUE = date(2027, 5, 2)
"""One calendar month after the last dose (domain.md §1.7), a Sunday: seen on Monday."""
THIS_WEEK, DUE_TODAY, OVERDUE = "This week", "Due today", "Overdue"
SCREENING = "Screening pregnancy test needed"
CONTRACEPTION = "No acceptable contraception on record"
CONFIRMATION = "Confirmation pregnancy test"
COUNSELLING = "Prescriber to confirm counselling"
QUESTIONS = "Patient to answer the iPLEDGE comprehension questions"
MONTHLY_TEST = "Monthly pregnancy test"
WINDOW = "Prescription to be filled by"
VISIT = "Monthly visit due"
CONSENT = "No signed"
END_TEST = "End-of-course pregnancy test due"
POST_TEST = "Pregnancy test due 1 month after the last dose"
IPLEDGE_ITEMS = (
    SCREENING,
    CONTRACEPTION,
    CONFIRMATION,
    COUNSELLING,
    QUESTIONS,
    MONTHLY_TEST,
    WINDOW,
    END_TEST,
    POST_TEST,
)
"""Everything but labs, which follow the course's lab protocol on their own dates."""
IPLEDGE_MONTH = (MONTHLY_TEST, COUNSELLING, QUESTIONS)


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Errors the app would have shown in a message box (none are expected)."""
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda _p, e: shown.append(messages.describe(e)))
    return shown


@pytest.fixture
def desk(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context, clock: FixedClock
) -> Workstation:
    """Nina, the nurse, signed in on the enrolment day with her worklist in front of her."""
    window = MainWindow(nurse_ctx)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):  # shortcuts reach only the active window
        window.activateWindow()
    desk = Workstation(qtbot, window, clock, MRN)
    desk.go_to_day(ENROLLED)
    return desk


def statuses(rows: list[Row], *items: str) -> tuple[str | None, ...]:
    return tuple(status_of(rows, item) for item in items)


def open_tab(desk: Workstation, tab: ChartTab) -> QWidget:
    """Click the tab; its panel is built once the chart has loaded."""
    chart = desk.chart()
    bar = chart.tabs.tabBar()
    index = list(ChartTab).index(tab)
    desk.qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert chart.current_tab() is tab
    return chart.panels[tab]


def ipledge_panel(desk: Workstation) -> IpledgePanel:
    panel = desk.chart().panels[ChartTab.IPLEDGE]
    assert isinstance(panel, IpledgePanel)
    return panel


def course_panel(desk: Workstation) -> CoursePanel:
    panel = desk.chart().panels[ChartTab.COURSE]
    assert isinstance(panel, CoursePanel)
    return panel


def steps_shown(panel: IpledgePanel) -> dict[str, str]:
    model = panel.cycle_panel.steps_model
    return {
        model.data(model.index(r, 0)): model.data(model.index(r, 1))
        for r in range(model.rowCount())
    }


# --- enrolment day -----------------------------------------------------------------------------


def register_patient(desk: Workstation) -> PatientChartView:
    """Ctrl+2, Ctrl+N, the form typed in, Save; Enter on her row opens her chart."""
    qtbot = desk.qtbot
    desk.shortcut(Qt.Key.Key_2)
    patients = desk.window.patients_view

    def fill(dialog: PatientDialog) -> None:
        form = dialog.form
        qtbot.keyClicks(form.mrn_input, MRN)
        type_text(form.legal_name_input, "Maëlle O'Brien-Núñez")  # the PHI canary
        qtbot.keyClicks(form.birth_date_input, "1999-04-23")
        choose(form.sex_input, "female")
        choose(form.risk_category_input, "can_get_pregnant")
        qtbot.keyClicks(form.ipledge_id_input, "7001234567")
        qtbot.keyClicks(form.phone_input, "+1 555 010 4410")
        desk.click(dialog.save_button)

    desk.answer(PatientDialog, fill, lambda: qtbot.keyClick(patients.table, Qt.Key.Key_N, CTRL))
    assert patients.model.rowCount() == 1
    qtbot.keyClick(patients.table, Qt.Key.Key_Return)
    return desk.chart()


def start_course(desk: Workstation) -> None:
    """Course tab, Start course: first dose on the confirmation day, 61 kg, 0.5 mg/kg/day."""
    panel = open_tab(desk, ChartTab.COURSE)
    assert isinstance(panel, CoursePanel)
    qtbot = desk.qtbot

    def fill(dialog: StartCourseDialog) -> None:
        retype(qtbot, dialog.start_date_input, FIRST_DOSE.isoformat())
        assert dialog.prescriber_input.currentText() == "Dr Priya Park"  # the only one
        qtbot.keyClicks(dialog.ipledge_date_input, ENROLLED.isoformat())
        qtbot.keyClicks(dialog.weight_input.number_edit, "61")
        choose(dialog.weight_input.unit_input, "kg")
        qtbot.keyClicks(dialog.mg_per_kg_day_input, "0.5")
        desk.click(dialog.save_button)

    desk.answer(StartCourseDialog, fill, lambda: desk.click(panel.start_button))
    assert panel.model.rowCount() == 1


def sign_consents(desk: Workstation, count: int) -> list[str]:
    """Consents tab, Record signature: the first form still missing, signed with the
    nurse's password, `count` times. Returns the forms still missing."""
    panel = open_tab(desk, ChartTab.CONSENTS)
    assert isinstance(panel, ConsentsPanel)
    for _ in range(count):

        def fill(dialog: ConsentSignDialog) -> None:
            assert dialog.prescriber_input.text() == "Dr Priya Park"  # the course's
            desk.qtbot.keyClicks(dialog.password_input, PASSWORD)
            desk.click(dialog.save_button)

        desk.answer(ConsentSignDialog, fill, lambda: desk.click(panel.sign_button))
    return [need.title for need in panel.model.records() if need.signed is None]


def record_contraception(desk: Workstation) -> None:
    panel = ipledge_panel(desk)
    qtbot = desk.qtbot

    def fill(dialog: ContraceptionDialog) -> None:
        retype(qtbot, dialog.starts_input, CONTRACEPTION_FROM.isoformat())
        assert dialog.two_methods_choice.isChecked()
        choose(dialog.primary_input, "combination_pill")
        choose(dialog.secondary_input, "condom")
        desk.click(dialog.save_button)

    desk.answer(ContraceptionDialog, fill, lambda: desk.click(panel.contraception_button))


def record_test(desk: Workstation, purpose: str, *, suggested: str | None = None) -> None:
    """Record pregnancy test: today's specimen, negative. The purpose is the one the panel
    suggests (`suggested` when the nurse has to change it)."""
    panel = ipledge_panel(desk)
    today = desk.today().isoformat()
    tests = panel.records_panel.pregnancy_tests_model
    before = tests.rowCount()

    def fill(dialog: PregnancyTestDialog) -> None:
        assert dialog.purpose_input.currentData() == (suggested or purpose)
        choose(dialog.purpose_input, purpose)
        assert dialog.specimen_input.text() == today
        choose(dialog.setting_input, "medical")
        choose(dialog.method_input, "urine")
        choose(dialog.result_input, "negative")
        desk.click(dialog.save_button)

    desk.answer(PregnancyTestDialog, fill, lambda: desk.click(panel.pregnancy_test_button))
    assert tests.rowCount() == before + 1  # listed in the panel at once


def prescriber_confirms_counselling(desk: Workstation) -> None:
    """Dr Park at the nurse's desk: Ctrl+L, her sign-in, the item on her worklist, her
    password to sign; then the desk goes back to the nurse."""
    desk.sign_in_as("drpark")
    desk.open_item(COUNSELLING, ChartTab.IPLEDGE)
    panel = ipledge_panel(desk)
    assert panel.counseling_button.isEnabled()

    def sign(prompt: QInputDialog) -> None:
        assert "Type your password to sign." in prompt.labelText()
        box = prompt.findChild(QLineEdit)
        assert box is not None
        assert box.echoMode() is QLineEdit.EchoMode.Password
        desk.qtbot.keyClicks(box, PASSWORD)
        desk.qtbot.keyClick(box, Qt.Key.Key_Return)

    desk.answer(QInputDialog, sign, lambda: desk.click(panel.counseling_button), accepted=None)
    assert steps_shown(panel)[STEP_LABELS[IpledgeStep.COUNSELING_CONFIRMATION]] == DONE
    desk.back()
    assert status_of(desk.worklist(), COUNSELLING) is None  # gone from her list too
    desk.sign_in_as("nina")


def comprehension_and_fill(desk: Workstation) -> None:
    """The patient answers the questions (Yes in the real question box), then the fill:
    today, 30 days, the capsules counted."""
    panel = ipledge_panel(desk)

    def yes(box: QMessageBox) -> None:
        assert box.text().startswith("Record that the patient answered")
        desk.click(box.button(QMessageBox.StandardButton.Yes))

    desk.answer(QMessageBox, yes, lambda: desk.click(panel.comprehension_button), accepted=None)
    today = desk.today().isoformat()

    def fill(dialog: FillDialog) -> None:
        assert dialog.filled_input.text() == today
        assert dialog.days_supply_input.text() == "30"
        desk.qtbot.keyClicks(dialog.capsules_input, "60")
        desk.click(dialog.save_button)

    fills = panel.records_panel.fills_model
    before = fills.rowCount()
    desk.answer(FillDialog, fill, lambda: desk.click(panel.fill_button))
    assert fills.rowCount() == before + 1


# --- a monthly visit ----------------------------------------------------------------------------


def record_visit(desk: Workstation, visit: Visit, screenshot: Screenshot) -> None:
    """Course tab, Record visit: weight, PHQ-2, side effects with severity, topics, the dose
    kept; the next visit four weeks on as the dialog proposes."""
    day, weight, phq2, effects, topics = visit
    panel = course_panel(desk)
    qtbot = desk.qtbot

    def fill(dialog: VisitDialog) -> None:
        assert dialog.seen_on_input.text() == day.isoformat()
        qtbot.keyClicks(dialog.weight_input.number_edit, weight)
        choose(dialog.weight_input.unit_input, "kg")
        for box, answer in zip(dialog.mood_panel.question_inputs, phq2, strict=False):
            choose(box, answer)
        side_effects = dialog.side_effects_panel
        for effect, severity in effects.items():
            side_effects.checkboxes[SideEffect(effect)].setChecked(True)
            choose(side_effects.severity_inputs[SideEffect(effect)], severity)
        for topic in topics:
            dialog.counseling_panel.checkboxes[CounselingTopic(topic)].setChecked(True)
        dialog.dose_decision_panel.continue_input.setChecked(True)
        assert dialog.next_visit_input.text() == (day + NEXT_VISIT).isoformat()
        assert not dialog.urgent_banner.isVisible()
        screenshot(dialog, f"journey-visit-{day.isoformat()}")
        desk.click(dialog.save_button)

    desk.answer(VisitDialog, fill, lambda: desk.click(panel.visit_button))
    visits = open_tab(desk, ChartTab.VISITS)
    assert isinstance(visits, VisitsPanel)
    newest = [visits.model.data(visits.model.index(0, c)) for c in range(4)]
    assert newest[:2] == [day.isoformat(), format_weight(Decimal(weight))]
    assert newest[2].startswith(f"PHQ-2 {sum(phq2)}")
    assert newest[3] == ", ".join(
        f"{SIDE_EFFECT_LABELS[SideEffect(e)]} ({level})" for e, level in effects.items()
    )


def end_course(desk: Workstation) -> None:
    """Course tab, End course: the last dose today."""
    open_tab(desk, ChartTab.COURSE)
    panel = course_panel(desk)

    def fill(dialog: CourseActionDialog) -> None:
        assert dialog.date_input.text() == LAST_DOSE.isoformat()
        desk.click(dialog.save_button)

    desk.answer(CourseActionDialog, fill, lambda: desk.click(panel.end_button))


# --- the journey ------------------------------------------------------------------------------


def test_a_nurse_takes_a_new_patient_from_enrolment_to_post_course_follow_up(
    desk: Workstation, errors: list[str], screenshot: Screenshot
) -> None:
    assert desk.worklist() == []

    # Enrolment day: the patient registered, her chart, the course (first dose planned on
    # the confirmation day), the consents her category and age need.
    register_patient(desk)
    start_course(desk)
    rows = desk.worklist()
    assert statuses(rows, CONTRACEPTION, SCREENING) == (OVERDUE, THIS_WEEK)
    assert statuses(rows, CONFIRMATION, COUNSELLING, QUESTIONS) == (None, None, None)
    desk.shortcut(Qt.Key.Key_2)  # back to her chart
    missing = sign_consents(desk, 2)  # the third when she comes for the confirmation test
    assert len(missing) == 1

    # Her contraception, then the screening test, each from its worklist item.
    desk.open_item(CONTRACEPTION, ChartTab.IPLEDGE)
    record_contraception(desk)
    desk.back()
    assert statuses(desk.worklist(), CONTRACEPTION, SCREENING) == (None, THIS_WEEK)
    desk.open_item(SCREENING, ChartTab.IPLEDGE)
    record_test(desk, "screening")
    desk.back()
    rows = desk.worklist()
    assert [r.what_to_do for r in rows if r.what_to_do.startswith(IPLEDGE_ITEMS)] == []

    # A week before the first dose: the confirmation test, the enrolment steps and the
    # consent not yet signed come up.
    desk.go_to_day(FIRST_DOSE - timedelta(days=7))
    rows = desk.worklist()
    assert statuses(rows, CONFIRMATION, COUNSELLING, QUESTIONS, CONSENT) == (THIS_WEEK,) * 4

    # First-dose day: the last consent signed, then the confirmation test, which opens the
    # 7-day fill window.
    desk.go_to_day(FIRST_DOSE)
    assert statuses(desk.worklist(), CONFIRMATION, COUNSELLING, CONSENT) == (DUE_TODAY,) * 3
    desk.open_item(CONSENT, ChartTab.CONSENTS)
    assert sign_consents(desk, 1) == []
    desk.back()
    assert status_of(desk.worklist(), CONSENT) is None
    desk.open_item(CONFIRMATION, ChartTab.IPLEDGE)
    record_test(desk, "confirmation")
    desk.back()
    rows = desk.worklist()
    assert statuses(rows, CONFIRMATION, WINDOW) == (None, THIS_WEEK)
    assert "2026-12-16" in next(r.what_to_do for r in rows if r.what_to_do.startswith(WINDOW))
    screenshot(desk.window, "journey-worklist-first-dose")

    # Counselling confirmed by Dr Park; the questions and the first fill by the nurse.
    prescriber_confirms_counselling(desk)
    assert statuses(desk.worklist(), COUNSELLING, QUESTIONS) == (None, DUE_TODAY)
    desk.open_item(QUESTIONS, ChartTab.IPLEDGE)
    comprehension_and_fill(desk)
    screenshot(desk.window, "journey-ipledge-after-first-fill")
    desk.back()
    rows = desk.worklist()
    assert [r.what_to_do for r in rows if r.what_to_do.startswith(IPLEDGE_ITEMS)] == []

    # Three monthly visits, each with its test, counselling, questions and fill.
    for month, (day, *_visit) in enumerate(MONTHS):
        desk.go_to_day(day)
        rows = desk.worklist()
        assert statuses(rows, *IPLEDGE_MONTH) == (THIS_WEEK,) * 3, month
        assert status_of(rows, VISIT) == (THIS_WEEK if month == 0 else DUE_TODAY)
        desk.open_item(VISIT, ChartTab.COURSE)
        record_visit(desk, MONTHS[month], screenshot)
        desk.back()
        assert status_of(desk.worklist(), VISIT) is None
        desk.open_item(MONTHLY_TEST, ChartTab.IPLEDGE)
        record_test(desk, "monthly")
        desk.back()
        assert statuses(desk.worklist(), MONTHLY_TEST, WINDOW) == (None, THIS_WEEK)
        prescriber_confirms_counselling(desk)
        desk.open_item(QUESTIONS, ChartTab.IPLEDGE)
        comprehension_and_fill(desk)
        desk.back()
        rows = desk.worklist()
        assert statuses(rows, *IPLEDGE_MONTH, WINDOW, VISIT) == (None,) * 5, month

    # The last dose: the last visit (a day late) and the course ended there; the monthly
    # steps go and the end-of-course test is due today.
    desk.go_to_day(LAST_DOSE)
    rows = desk.worklist()
    assert status_of(rows, VISIT) == OVERDUE
    assert statuses(rows, *IPLEDGE_MONTH) == (THIS_WEEK,) * 3
    desk.open_item(VISIT, ChartTab.COURSE)
    record_visit(desk, LAST_VISIT, screenshot)
    end_course(desk)
    post_course = course_panel(desk).dose_panel
    assert post_course is not None
    after = post_course.post_course_panel.shown_rows()
    assert after["End-of-course pregnancy test"] == "Due Fri 2027-04-02 (today)"
    assert after["Pregnancy test 1 month after"] == "Due Sun 2027-05-02 (in 30 days)"
    assert after["Contraception until"] == "Sun 2027-05-02 (in 30 days)"
    screenshot(desk.window, "journey-course-ended")
    desk.back()
    rows = desk.worklist()
    assert statuses(rows, VISIT, *IPLEDGE_MONTH) == (None,) * 4
    assert statuses(rows, END_TEST, POST_TEST) == (DUE_TODAY, None)
    desk.open_item(END_TEST, ChartTab.IPLEDGE)
    record_test(desk, "end_of_course")
    desk.back()
    assert status_of(desk.worklist(), END_TEST) is None

    # A month after the last dose: the post-course test, overdue by a day (a Sunday).
    desk.go_to_day(POST_COURSE_DUE - timedelta(days=7))
    assert status_of(desk.worklist(), POST_TEST) == THIS_WEEK
    desk.go_to_day(POST_COURSE_DUE + timedelta(days=1))
    assert status_of(desk.worklist(), POST_TEST) == OVERDUE
    desk.open_item(POST_TEST, ChartTab.IPLEDGE)
    record_test(desk, "post_course", suggested="end_of_course")
    desk.back()
    assert desk.worklist() == []  # nothing left for her: labs end with the course too
    assert errors == []
