"""A nurse takes a new patient who can get pregnant from enrolment through three monthly
visits to post-course follow-up, using only the app (issue 4, "Done when"), and reads her
worklist after every step: every row but the lab draws, exactly as shown (what to do and its
status), so the item she dealt with goes, the next one comes, and nothing else appears.

The clinic's clock moves from day to day. On enrolment day the patient is registered from
the Patients page (Ctrl+N) and her course started on the Course tab; two consents are signed,
then her contraception and the screening test, each opened with Enter from its worklist item
on the tab it names. A week before the first dose the confirmation test, counselling, the
questions and the last consent come up; on the first-dose day the consent is signed and the
confirmation test (CLIA-certified lab) recorded, which opens the 7-day fill window shown on
the iPLEDGE tab. Dr Park, the prescriber, signs her counselling confirmations at the nurse's
workstation: Ctrl+L, her own sign-in, the item from her worklist, her password in the
signature prompt, Ctrl+L and the nurse again. The patient answers the comprehension
questions (Yes in the real question box) and the prescription is filled.

Each of the three monthly visits is recorded in the visit dialog: weight (in kg, and once in
lb), the PHQ-2 (once positive, so the dialog requires the PHQ-9, scored in the dialog), side
effects with their severity, counselling topics and the dose kept; the Visits tab lists
every visit as saved (date, both units, mood scores, side effects, dose decision, next visit,
who recorded it). Each month's pregnancy test, counselling, questions and fill follow. On the
last dose day the last visit is recorded and the course ended: the Course tab lists the
duties after the course (both pregnancy tests, contraception, blood donation, breastfeeding,
skin procedures, the earliest next course). The end-of-course test is recorded at once and
the 1-month test when it falls due; found again by MRN from the Patients page search, her
Course tab shows both tests done.

Every dialog, prompt and question is the real one, answered while it is open; only
`messages.show_error` is replaced, to collect any error the app would have shown instead of
waiting on it. A modal the test does not answer is closed by the workstation and fails the
next step (tests/ui/workstation.py)."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.rules.counseling_topics import CounselingTopic
from desktop.rules.ipledge import IpledgeStep
from desktop.rules.mood import PHQ2_ITEM_COUNT
from desktop.rules.side_effects import SideEffect
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
from desktop.ui.visit.mood_panel import PHQ9_REQUIRED
from desktop.ui.visit.visit_dialog import VisitDialog
from desktop.ui.visit.visits_panel import VisitsPanel
from tests.conftest import PASSWORD
from tests.ui.conftest import Screenshot
from tests.ui.keyboard import type_text
from tests.ui.workstation import CTRL, Row, Workstation, choose, retype

MRN = "J-3107"
ENROLLED = date(2026, 11, 20)
CONTRACEPTION_FROM = date(2026, 11, 6)
"""Combined pill and condoms, begun two weeks before enrolment."""
FIRST_DOSE = date(2026, 12, 10)
"""Screening + 20 days (≥ 19, domain.md §1.3) and contraception + 34 days (≥ 30)."""
NEXT_VISIT = timedelta(weeks=4)


@dataclass(frozen=True)
class Visit:
    """What the nurse types at one visit, and the row the Visits tab then lists."""

    day: date
    weight: str
    unit: str
    phq: tuple[int, ...]
    """The PHQ-2's two answers, or all nine when it is positive (domain.md §4.2)."""
    effects: tuple[tuple[str, str], ...]
    """Side effects and their severity (domain.md §4.1)."""
    topics: tuple[str, ...]
    listed: tuple[str, ...]
    """Date, weight in both units, mood, side effects, dose decision, next visit, by whom."""


MONTHS = (
    Visit(
        date(2027, 1, 7), "61.5", "kg", (0, 0), (("dry_lips", "mild"),),
        ("sun_protection", "no_sharing"),
        ("2027-01-07", "61.5 kg (135.6 lb)", "PHQ-2 0", "Dry, chapped lips (mild)",
         "continue current dose", "2027-02-04", "Nina Nurse"),
    ),
    Visit(
        date(2027, 2, 4), "136", "lb", (2, 1, 1, 0, 1, 0, 0, 0, 0),
        (("dry_lips", "moderate"), ("dry_skin", "mild")), (),
        ("2027-02-04", "61.7 kg (136.0 lb)", "PHQ-2 3 (positive) · PHQ-9 5 (mild)",
         "Dry, chapped lips (moderate), Dry skin (mild)", "continue current dose",
         "2027-03-04", "Nina Nurse"),
    ),
    Visit(
        date(2027, 3, 4), "62.4", "kg", (0, 1), (("dry_eyes", "mild"),),
        ("no_blood_donation",),
        ("2027-03-04", "62.4 kg (137.6 lb)", "PHQ-2 1", "Dry eyes / contact lens trouble (mild)",
         "continue current dose", "2027-04-01", "Nina Nurse"),
    ),
)  # fmt: skip
"""Four weeks apart, each two days before the last fill runs out."""
LAST_DOSE = date(2027, 4, 2)
"""The last of the third monthly fill's 30 days."""
LAST_VISIT = Visit(
    LAST_DOSE, "62.1", "kg", (0, 0), (("dry_lips", "mild"),), ("contraception",),
    ("2027-04-02", "62.1 kg (136.9 lb)", "PHQ-2 0", "Dry, chapped lips (mild)",
     "continue current dose", "2027-04-30", "Nina Nurse"),
)  # fmt: skip
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
ITEMS = (
    SCREENING,
    CONTRACEPTION,
    CONFIRMATION,
    COUNSELLING,
    QUESTIONS,
    MONTHLY_TEST,
    WINDOW,
    VISIT,
    CONSENT,
    END_TEST,
    POST_TEST,
)
"""The items this journey meets; any other row is shown in full and fails the comparison."""
LAB_DRAWS = ("Baseline ", "Repeat ", "Recheck ")
"""Lab draws follow the course's lab protocol on their own dates, and no results are entered
here (tests/ui/test_labs_panel.py enters them): their rows are left out until the course
ends, when none is left."""
IPLEDGE_MONTH = (MONTHLY_TEST, COUNSELLING, QUESTIONS)
AFTER_THE_COURSE = {
    "End-of-course pregnancy test": "Due Fri 2027-04-02 (today)",
    "Pregnancy test 1 month after": "Due Sun 2027-05-02 (in 30 days)",
    "Contraception until": "Sun 2027-05-02 (in 30 days)",
    "No blood donation until": "Sun 2027-05-02 (in 30 days)",
    "No breastfeeding until": "Sun 2027-05-02 (in 30 days)",
    "No waxing, laser or skin procedures until": "Sat 2027-10-02 (in 183 days)",
    "Earliest next course": "Wed 2027-06-02 (in 61 days)",
}
"""The Course tab on the last dose day (domain.md §1.7)."""


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


def work(rows: list[Row]) -> dict[str, str]:
    """Our patient's rows but the lab draws, each by the item its 'What to do' starts with
    (the whole text when it is none of ours) → its status."""
    shown: dict[str, str] = {}
    for row in rows:
        if row.what_to_do.startswith(LAB_DRAWS):
            continue
        item = next((i for i in ITEMS if row.what_to_do.startswith(i)), row.what_to_do)
        assert item not in shown, f"two rows start with {item!r}"
        shown[item] = row.status
    return shown


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


def after_the_course(desk: Workstation) -> dict[str, str]:
    """The Course tab's list of what follows the course, title → text as shown."""
    panel = open_tab(desk, ChartTab.COURSE)
    assert isinstance(panel, CoursePanel)
    dose_panel = panel.dose_panel
    assert dose_panel is not None
    assert dose_panel.post_course_panel.isVisible()
    return dose_panel.post_course_panel.shown_rows()


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
    assert panel.placeholder_label.isVisible()  # no course yet
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
    """Record pregnancy test: today's specimen, negative; a confirmation test from a
    CLIA-certified lab (the question is asked for no other, domain.md §1.3). The purpose is
    the one the panel suggests (`suggested` when the nurse has to change it)."""
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
        assert dialog.clia_input.isVisible() is (purpose == "confirmation")
        if purpose == "confirmation":
            choose(dialog.clia_input, True)
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
    assert COUNSELLING not in work(desk.worklist())  # gone from her list too
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
    """Course tab, Record visit: weight, PHQ-2 (and the PHQ-9 it asks for when positive),
    side effects with severity, topics, the dose kept; the next visit four weeks on as the
    dialog proposes. The Visits tab then lists it first, as typed."""
    panel = course_panel(desk)
    qtbot = desk.qtbot

    def fill(dialog: VisitDialog) -> None:
        assert dialog.seen_on_input.text() == visit.day.isoformat()
        choose(dialog.weight_input.unit_input, visit.unit)
        qtbot.keyClicks(dialog.weight_input.number_edit, visit.weight)
        assert dialog.weight_input.both_units_label.text() == visit.listed[1]
        mood = dialog.mood_panel
        phq2, rest = visit.phq[:PHQ2_ITEM_COUNT], visit.phq[PHQ2_ITEM_COUNT:]
        for box, answer in zip(mood.question_inputs, phq2, strict=False):
            choose(box, answer)
        assert mood.phq9_box.isVisible() is bool(rest)  # asked only after a positive PHQ-2
        if rest:
            assert mood.phq9_toggle.text() == PHQ9_REQUIRED
            assert not mood.phq9_toggle.isEnabled()
            for box, answer in zip(mood.question_inputs[PHQ2_ITEM_COUNT:], rest, strict=True):
                choose(box, answer)
            assert mood.phq9_result_label.text() == f"PHQ-9: {sum(visit.phq)} of 27 (mild)."
        side_effects = dialog.side_effects_panel
        for effect, severity in visit.effects:
            side_effects.checkboxes[SideEffect(effect)].setChecked(True)
            choose(side_effects.severity_inputs[SideEffect(effect)], severity)
        for topic in visit.topics:
            dialog.counseling_panel.checkboxes[CounselingTopic(topic)].setChecked(True)
        dialog.dose_decision_panel.continue_input.setChecked(True)
        assert dialog.next_visit_input.text() == (visit.day + NEXT_VISIT).isoformat()
        assert not dialog.urgent_banner.isVisible()
        screenshot(dialog, f"journey-visit-{visit.day.isoformat()}")
        desk.click(dialog.save_button)

    desk.answer(VisitDialog, fill, lambda: desk.click(panel.visit_button))
    visits = open_tab(desk, ChartTab.VISITS)
    assert isinstance(visits, VisitsPanel)
    model = visits.model
    newest = tuple(model.data(model.index(0, c)) for c in range(model.columnCount()))
    assert newest == (*visit.listed, "")  # a quiet visit: no follow-up to record


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
    assert work(desk.worklist()) == {CONTRACEPTION: OVERDUE, SCREENING: THIS_WEEK}
    desk.shortcut(Qt.Key.Key_2)  # back to her chart
    missing = sign_consents(desk, 2)  # the third when she comes for the confirmation test
    assert len(missing) == 1

    # Her contraception, then the screening test, each from its worklist item.
    desk.open_item(CONTRACEPTION, ChartTab.IPLEDGE)
    record_contraception(desk)
    desk.back()
    assert work(desk.worklist()) == {SCREENING: THIS_WEEK}
    desk.open_item(SCREENING, ChartTab.IPLEDGE)
    record_test(desk, "screening")
    desk.back()
    assert work(desk.worklist()) == {}

    # A week before the first dose: the confirmation test, the enrolment steps and the
    # consent not yet signed come up.
    desk.go_to_day(FIRST_DOSE - timedelta(days=7))
    assert work(desk.worklist()) == dict.fromkeys(
        (CONFIRMATION, COUNSELLING, QUESTIONS, CONSENT), THIS_WEEK
    )

    # First-dose day: the last consent signed, then the confirmation test, which opens the
    # 7-day fill window.
    desk.go_to_day(FIRST_DOSE)
    assert work(desk.worklist()) == dict.fromkeys(
        (CONFIRMATION, COUNSELLING, QUESTIONS, CONSENT), DUE_TODAY
    )
    desk.open_item(CONSENT, ChartTab.CONSENTS)
    assert sign_consents(desk, 1) == []
    desk.back()
    assert CONSENT not in work(desk.worklist())
    desk.open_item(CONFIRMATION, ChartTab.IPLEDGE)
    record_test(desk, "confirmation")
    window = ipledge_panel(desk).cycle_panel.window_label.text()
    assert window == "Window open, closes in 6 days: Wed 16 Dec"
    desk.back()
    rows = desk.worklist()
    assert work(rows) == {COUNSELLING: DUE_TODAY, QUESTIONS: DUE_TODAY, WINDOW: THIS_WEEK}
    assert "2026-12-16" in next(r.what_to_do for r in rows if r.what_to_do.startswith(WINDOW))
    screenshot(desk.window, "journey-worklist-first-dose")

    # Counselling confirmed by Dr Park; the questions and the first fill by the nurse.
    prescriber_confirms_counselling(desk)
    assert work(desk.worklist()) == {QUESTIONS: DUE_TODAY, WINDOW: THIS_WEEK}
    desk.open_item(QUESTIONS, ChartTab.IPLEDGE)
    comprehension_and_fill(desk)
    screenshot(desk.window, "journey-ipledge-after-first-fill")
    desk.back()
    assert work(desk.worklist()) == {}

    # Three monthly visits, each with its test, counselling, questions and fill. The first
    # visit is due a month after the first dose (seen three days early), later ones on the
    # day the last visit booked.
    for month, visit in enumerate(MONTHS):
        desk.go_to_day(visit.day - timedelta(days=3))
        assert work(desk.worklist()) == dict.fromkeys((*IPLEDGE_MONTH, VISIT), THIS_WEEK)
        desk.go_to_day(visit.day)
        assert work(desk.worklist()) == {
            **dict.fromkeys(IPLEDGE_MONTH, THIS_WEEK),
            VISIT: THIS_WEEK if month == 0 else DUE_TODAY,
        }, month
        desk.open_item(VISIT, ChartTab.COURSE)
        record_visit(desk, visit, screenshot)
        desk.back()
        assert work(desk.worklist()) == dict.fromkeys(IPLEDGE_MONTH, THIS_WEEK)
        desk.open_item(MONTHLY_TEST, ChartTab.IPLEDGE)
        record_test(desk, "monthly")
        desk.back()
        assert work(desk.worklist()) == dict.fromkeys((COUNSELLING, QUESTIONS, WINDOW), THIS_WEEK)
        prescriber_confirms_counselling(desk)
        assert work(desk.worklist()) == dict.fromkeys((QUESTIONS, WINDOW), THIS_WEEK)
        desk.open_item(QUESTIONS, ChartTab.IPLEDGE)
        comprehension_and_fill(desk)
        desk.back()
        assert work(desk.worklist()) == {}, month

    # The last dose: the last visit (a day late) and the course ended there; the monthly
    # steps go and the end-of-course test is due today.
    desk.go_to_day(LAST_DOSE)
    assert work(desk.worklist()) == {VISIT: OVERDUE, **dict.fromkeys(IPLEDGE_MONTH, THIS_WEEK)}
    desk.open_item(VISIT, ChartTab.COURSE)
    record_visit(desk, LAST_VISIT, screenshot)
    visits = desk.chart().panels[ChartTab.VISITS]
    assert isinstance(visits, VisitsPanel)
    assert visits.model.rowCount() == len(MONTHS) + 1  # every visit listed, newest first
    for row, visit in enumerate(reversed((*MONTHS, LAST_VISIT))):
        listed = tuple(visits.model.data(visits.model.index(row, c)) for c in range(7))
        assert listed == visit.listed
    end_course(desk)
    assert after_the_course(desk) == AFTER_THE_COURSE
    screenshot(desk.window, "journey-course-ended")
    desk.back()
    assert work(desk.worklist()) == {END_TEST: DUE_TODAY}
    desk.open_item(END_TEST, ChartTab.IPLEDGE)
    record_test(desk, "end_of_course")
    desk.back()
    assert work(desk.worklist()) == {}

    # A month after the last dose: the post-course test, overdue by a day (a Sunday).
    desk.go_to_day(POST_COURSE_DUE - timedelta(days=7))
    assert work(desk.worklist()) == {POST_TEST: THIS_WEEK}
    desk.go_to_day(POST_COURSE_DUE + timedelta(days=1))
    assert work(desk.worklist()) == {POST_TEST: OVERDUE}
    desk.open_item(POST_TEST, ChartTab.IPLEDGE)
    record_test(desk, "post_course", suggested="end_of_course")
    desk.back()
    assert desk.worklist() == []  # nothing left for her: labs end with the course too

    # Found again by her MRN: the Course tab shows both tests done.
    desk.find_patient()
    after = after_the_course(desk)
    assert after["End-of-course pregnancy test"] == "Done: negative, specimen Fri 2027-04-02"
    assert after["Pregnancy test 1 month after"] == "Done: negative, specimen Mon 2027-05-03"
    assert after["Earliest next course"] == "Wed 2027-06-02 (in 30 days)"
    assert errors == []
