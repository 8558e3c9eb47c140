"""The chart: the header (who, course and dose, progress, most urgent item, warnings), the
tabs with their panels bound to the selected course, and the history newest first."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.rules.labs import LabPanel, LabResults
from desktop.services.context import Context
from desktop.services.course_dosing import start_course
from desktop.services.course_lifecycle import end_course
from desktop.services.labs import LabEntryDraft, record_lab
from desktop.services.patients import register_patient, update_patient
from desktop.services.printing import (
    print_consent_packet,
    record_documents_printed,
    record_documents_saved,
)
from desktop.services.records import AuditRecord, FieldChange
from desktop.ui.chart.chart_tab import ChartTab
from desktop.ui.chart.history_table_model import describe_changes
from desktop.ui.chart.patient_chart_view import NO_COURSE_YET, PatientChartView
from desktop.ui.consents.consents_panel import ConsentsPanel
from desktop.ui.course.course_panel import CoursePanel
from desktop.ui.course.start_course_dialog import StartCourseDialog
from desktop.ui.ipledge.ipledge_panel import IpledgePanel
from desktop.ui.labs.labs_panel import LabsPanel
from desktop.ui.patients.patient_dialog import PatientDialog
from desktop.ui.printing.print_preview_dialog import PrintPreviewDialog
from desktop.ui.visit.visits_panel import VisitsPanel
from tests.conftest import NOW, patient_draft
from tests.services.test_courses import course_draft
from tests.ui.conftest import Screenshot
from tests.ui.courses import start_test_course
from tests.ui.keyboard import answer_modal

CLICK = Qt.MouseButton.LeftButton


def _chart(qtbot: QtBot, ctx: Context, patient_id: int, **options: object) -> PatientChartView:
    chart = PatientChartView(ctx, patient_id, **options)  # type: ignore[arg-type]
    qtbot.addWidget(chart)
    chart.resize(1000, 700)
    chart.show()
    return chart


def _history_row(chart: PatientChartView, row: int) -> list[str]:
    model = chart.history_model
    return [model.data(model.index(row, column)) for column in range(model.columnCount())]


def _empty_state(chart: PatientChartView, tab: ChartTab) -> str:
    labels = chart.pages[tab].findChildren(QLabel)
    return labels[0].text() if labels else ""


def test_header_shows_name_age_mrn_category_and_hard_stops(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    patient = register_patient(
        nurse_ctx,
        patient_draft(
            has_retinoid_allergy=True, is_pregnant_or_breastfeeding=True, allergies="Penicillin"
        ),
    )
    chart = _chart(qtbot, nurse_ctx, patient.id)
    header = chart.header
    assert header.name_label.text() == "Zoë O'Brien-Núñez (“Zo”)"
    assert header.summary_label.text() == (
        "2001-03-14 (age 25)  ·  MRN MRN-1001  ·  Patient who can get pregnant"
    )
    assert header.course_label.text() == "No course yet"
    assert header.flag_texts() == [
        "Pregnant or breastfeeding — hard stop",
        "Retinoid / vitamin A allergy — hard stop",
        "Allergies: Penicillin",
    ]
    assert [label.objectName() for label in header.flag_labels] == [
        "hardStopFlag",
        "hardStopFlag",
        "warningFlag",
    ]
    assert chart.overview_values["phone"].text() == "+1 555 010 2000"
    assert chart.overview_values["guardian_name"].text() == "—"


def test_no_flags_when_none_apply(qtbot: QtBot, nurse_ctx: Context) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    chart = _chart(qtbot, nurse_ctx, patient.id)
    assert chart.header.flag_texts() == []


def test_header_shows_course_dose_progress_and_the_most_urgent_item(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context, screenshot: Screenshot
) -> None:
    course = start_test_course(nurse_ctx)
    chart = _chart(qtbot, nurse_ctx, course.patient_id)
    header = chart.header
    assert header.course_label.text() == (
        "Course 1 (active)  ·  Isotretinoin (generic) 10 mg AM · 20 mg PM  ·  9.5 of 150 mg/kg (6%)"
    )
    first = header.flag_texts()[0]
    assert first.startswith("Overdue since Sat 2026-10-03: No acceptable contraception on record")
    assert first.endswith("(+8 more on the worklist)")
    assert header.flag_labels[0].objectName() == "warningFlag"
    assert "Screening pregnancy test needed" in header.flag_labels[0].toolTip()
    screenshot(chart, "chart-overview")


def test_header_warns_of_an_urgent_lab_until_a_later_normal_draw(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    course = start_test_course(nurse_ctx)

    def lipids(drawn_on: date, mg_dl: int) -> None:
        results = LabResults(triglycerides_mg_dl=Decimal(mg_dl))
        record_lab(nurse_ctx, LabEntryDraft(course.id, LabPanel.LIPIDS, None, drawn_on, results))

    lipids(date(2026, 11, 10), 900)
    chart = _chart(qtbot, nurse_ctx, course.patient_id)
    urgent = [t for t in chart.header.flag_texts() if t.startswith("Lab URGENT")]
    assert urgent == [
        "Lab URGENT (2026-11-10): Triglycerides above 800 mg/dL: prescriber review today."
    ]
    lipids(date(2026, 11, 18), 140)
    chart.reload()
    assert not [t for t in chart.header.flag_texts() if t.startswith("Lab")]


def test_tabs_in_order_each_with_its_panel(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context, screenshot: Screenshot
) -> None:
    course = start_test_course(nurse_ctx)
    chart = _chart(qtbot, nurse_ctx, course.patient_id)
    titles = [chart.tabs.tabText(i).replace("&", "") for i in range(chart.tabs.count())]
    assert titles == ["Overview", "Course", "Visits", "iPLEDGE", "Labs", "Consents", "History"]
    assert chart.panels == {}  # built when first shown, so the chart opens fast
    screenshot(chart, "chart-tab-overview")
    expected = {
        ChartTab.COURSE: CoursePanel,
        ChartTab.VISITS: VisitsPanel,
        ChartTab.IPLEDGE: IpledgePanel,
        ChartTab.LABS: LabsPanel,
        ChartTab.CONSENTS: ConsentsPanel,
    }
    for tab, kind in expected.items():
        chart.show_tab(tab)
        panel = chart.panels[tab]
        assert isinstance(panel, kind)
        assert panel.isVisible()
        screenshot(chart, f"chart-tab-{tab.value.lower()}")
    ipledge = chart.panels[ChartTab.IPLEDGE]
    labs = chart.panels[ChartTab.LABS]
    assert isinstance(ipledge, IpledgePanel)
    assert ipledge.course_id == course.id
    assert isinstance(labs, LabsPanel)
    assert labs.course_id == course.id
    chart.show_tab("History")
    assert chart.history_table.isVisible()
    screenshot(chart, "chart-tab-history")


def test_without_a_course_ipledge_and_labs_point_to_the_course_tab(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    chart = _chart(qtbot, nurse_ctx, patient.id, tab=ChartTab.IPLEDGE)
    assert _empty_state(chart, ChartTab.IPLEDGE) == NO_COURSE_YET
    assert NO_COURSE_YET == "No course yet: start one on the Course tab."
    chart.show_tab(ChartTab.LABS)
    assert _empty_state(chart, ChartTab.LABS) == NO_COURSE_YET
    chart.show_tab(ChartTab.COURSE)
    course_panel = chart.panels[ChartTab.COURSE]
    assert isinstance(course_panel, CoursePanel)

    def start(dialog: StartCourseDialog) -> None:
        qtbot.keyClicks(dialog.weight_input.number_edit, "60")
        qtbot.keyClicks(dialog.mg_per_kg_day_input, "0.5")
        qtbot.mouseClick(dialog.save_button, CLICK)

    answer_modal(StartCourseDialog, start)
    with qtbot.waitSignal(chart.record_changed):
        qtbot.mouseClick(course_panel.start_button, CLICK)
    assert chart.header.course_label.text().startswith("Course 1 (active)")
    chart.show_tab(ChartTab.IPLEDGE)
    assert isinstance(chart.panels[ChartTab.IPLEDGE], IpledgePanel)
    actions = [_history_row(chart, row)[3] for row in range(chart.history_model.rowCount())]
    assert "Course started" in actions


def test_selecting_an_earlier_course_rebinds_ipledge_and_labs(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    first = start_course(nurse_ctx, course_draft(nurse_ctx, patient.id, start_on=date(2026, 3, 2)))
    end_course(nurse_ctx, first.id, first.version, date(2026, 8, 31))
    second = start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))
    chart = _chart(qtbot, nurse_ctx, patient.id, tab=ChartTab.LABS)
    labs = chart.panels[ChartTab.LABS]
    assert isinstance(labs, LabsPanel)
    assert labs.course_id == second.id
    chart.show_tab(ChartTab.COURSE)
    course_panel = chart.panels[ChartTab.COURSE]
    assert isinstance(course_panel, CoursePanel)
    course_panel.courses_table.setFocus()
    qtbot.keyClick(course_panel.courses_table, Qt.Key.Key_Down)
    assert course_panel.selected_course_id() == first.id
    assert chart.header.course_label.text().startswith(
        "Course 1 (ended, last dose 2026-08-31)  ·  Isotretinoin (generic)  ·  "
    )  # no dose "current" after the last one
    chart.show_tab(ChartTab.LABS)
    rebound = chart.panels[ChartTab.LABS]
    assert isinstance(rebound, LabsPanel)
    assert rebound.course_id == first.id


def test_opened_for_a_worklist_item_the_chart_shows_that_course(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    first = start_course(nurse_ctx, course_draft(nurse_ctx, patient.id, start_on=date(2026, 3, 2)))
    end_course(nurse_ctx, first.id, first.version, date(2026, 8, 31))
    start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))
    chart = _chart(qtbot, nurse_ctx, patient.id, tab=ChartTab.IPLEDGE, course_id=first.id)
    assert chart.current_tab() is ChartTab.IPLEDGE
    ipledge = chart.panels[ChartTab.IPLEDGE]
    assert isinstance(ipledge, IpledgePanel)
    assert ipledge.course_id == first.id
    chart.show_tab(ChartTab.COURSE)
    course_panel = chart.panels[ChartTab.COURSE]
    assert isinstance(course_panel, CoursePanel)
    assert course_panel.selected_course_id() == first.id


def test_a_save_in_a_tab_refreshes_header_and_history_and_is_announced(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    course = start_test_course(nurse_ctx)
    chart = _chart(qtbot, nurse_ctx, course.patient_id, tab=ChartTab.LABS)
    labs = chart.panels[ChartTab.LABS]
    assert isinstance(labs, LabsPanel)
    results = LabResults(triglycerides_mg_dl=Decimal(600))
    record_lab(
        nurse_ctx, LabEntryDraft(course.id, LabPanel.LIPIDS, None, date(2026, 11, 19), results)
    )
    with qtbot.waitSignal(chart.record_changed):
        labs.course_changed.emit(course.id)  # as the panel does after its dialog saves
    assert any(t.startswith("Lab alert (2026-11-19)") for t in chart.header.flag_texts())
    assert _history_row(chart, 0)[3] == "Lab recorded"


def test_history_shows_the_edit_first_with_old_and_new_values(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context, screenshot: Screenshot
) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    update_patient(prescriber_ctx, patient.id, patient.version, patient_draft(phone="555 123 4567"))
    chart = _chart(qtbot, nurse_ctx, patient.id)
    chart.show_tab(ChartTab.HISTORY)
    assert chart.tabs.tabText(chart.tabs.currentIndex()) == "&History"
    assert chart.history_model.rowCount() == 2
    when, who, workstation, action, changes = _history_row(chart, 0)
    assert when == "2026-11-20 10:30"  # 15:30 UTC, shown in the clinic's New York time
    assert (who, workstation, action) == ("Dr Priya Park", "test-workstation", "Edited")
    assert changes == "Phone: +1 555 010 2000 → 555 123 4567"
    registered = _history_row(chart, 1)
    assert registered[1:4] == ["Nina Nurse", "test-workstation", "Registered"]
    assert "Legal name: Zoë O'Brien-Núñez" in registered[4]
    assert "Sex assigned at birth: Female" in registered[4]
    screenshot(chart, "patient-chart-history")


def test_edit_button_opens_the_form_and_the_chart_shows_the_change(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    chart = _chart(qtbot, nurse_ctx, patient.id)

    def change_phone(dialog: PatientDialog) -> None:
        dialog.form.phone_input.clear()
        qtbot.keyClicks(dialog.form.phone_input, "555 222 3333")
        qtbot.keyClick(dialog.form.phone_input, Qt.Key.Key_Return)

    answer_modal(PatientDialog, change_phone)
    with qtbot.waitSignals([chart.patient_changed, chart.record_changed]):
        qtbot.mouseClick(chart.edit_button, CLICK)
    assert chart.overview_values["phone"].text() == "555 222 3333"
    assert _history_row(chart, 0)[4] == "Phone: +1 555 010 2000 → 555 222 3333"


def test_ctrl_e_edits_the_patient(qtbot: QtBot, nurse_ctx: Context) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    chart = _chart(qtbot, nurse_ctx, patient.id)
    with qtbot.waitActive(chart):
        chart.activateWindow()
    seen = answer_modal(PatientDialog, lambda dialog: dialog.reject())
    qtbot.keyClick(chart, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert seen


def test_print_menu_previews_the_consent_packet_from_the_chart(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    patient = register_patient(nurse_ctx, patient_draft(mrn="PRINT-1"))
    chart = _chart(qtbot, nurse_ctx, patient.id)
    titles = [a.text().replace("&", "") for a in chart.print_button.menu().actions()]
    assert titles == [
        "Consent packet…",
        "Visit summary for the patient…",
        "Visit summary for the chart…",
    ]
    chart.print_button.menu().actions()[0].trigger()
    dialog = chart.findChild(PrintPreviewDialog, "print_preview_dialog")
    assert isinstance(dialog, PrintPreviewDialog)
    assert dialog.page_count == dialog.printed.pages >= 3
    dialog.close()


def test_history_names_documents_prepared_printed_and_saved_in_plain_words(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    packet = print_consent_packet(nurse_ctx, patient.id)
    record_documents_printed(nurse_ctx, [packet], printer="Front desk laser")
    record_documents_saved(nurse_ctx, [packet])
    chart = _chart(qtbot, nurse_ctx, patient.id)
    rows = [_history_row(chart, row)[3:] for row in range(3)]
    fingerprint = f"Fingerprint: {packet.sha256[:12]}…"
    assert rows == [
        [
            "Document saved to a file",
            f"Document: Consent packet\nPages: {packet.pages}\n{fingerprint}",
        ],
        [
            "Document printed",
            f"Document: Consent packet\nPages: {packet.pages}\nPrinter: Front desk laser\n"
            f"{fingerprint}",
        ],
        [
            "Document prepared",
            f"Document: Consent packet\nPages: {packet.pages}\nConsent wording: "
            "informed-consent v2026.1, pregnancy-prevention v2026.1, "
            f"contraception-counseling v2026.2\n{fingerprint}",
        ],
    ]


def test_a_visit_summary_entry_names_the_visit_and_the_clinics_own_forms() -> None:
    forms = [{"title": "Photo consent", "sha256": "ab" * 32}, {"title": "Fees", "sha256": "cd"}]
    entry = AuditRecord(
        7, NOW, "Nina Nurse", "desk-1", "document.prepare", "printed_document", 3,
        (
            FieldChange("kind", "", "visit-summary-chart"),
            FieldChange("visit_on", "", "2026-11-20"),
            FieldChange("pages", "", "2"),
            FieldChange("clinic_forms", "", str(forms)),
            FieldChange("sha256", "", "0123456789abcdef" * 4),
        ),
        "",
    )  # fmt: skip
    assert describe_changes(entry) == (
        "Document: Visit record (chart copy)\nVisit of 2026-11-20\nPages: 2\n"
        "Clinic forms: Photo consent, Fees\nFingerprint: 0123456789ab…"
    )


def test_a_long_legal_name_wraps_instead_of_widening_the_window(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    """An 86-character name with its preferred name: the chart still fits a 1,400-pixel
    screen (it needed 1,911), the name shown whole, wrapping where it must."""
    name = "Maria-Chiara Núñez de Castañeda y Ölçüm-Łukasiewicz Ďurišová-Thérèse Å. Bjørnstad-Øyen"
    patient = register_patient(nurse_ctx, patient_draft(legal_name=name, preferred_name="Chiara"))
    chart = PatientChartView(nurse_ctx, patient.id)
    qtbot.addWidget(chart)
    chart.show()
    label = chart.header.name_label
    qtbot.waitUntil(lambda: name in label.text())
    assert chart.minimumSizeHint().width() <= 1400
    # In whatever font the style sheet gives it, the name may take less than its own width.
    assert label.minimumSizeHint().width() < label.fontMetrics().horizontalAdvance(name) / 2
    assert label.text() == f"{name} (“Chiara”)"  # whole, never cut short
