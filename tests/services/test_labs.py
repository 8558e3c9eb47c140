"""Lab entries: orders, draws, every analyte of a panel with its unit and the lab's own range,
the flags they raise (domain.md §3.4), and flagged results on the worklist."""

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from db.models import AuditEntry, LabResultRow
from desktop.rules.lab_analytes import Analyte, AnalyteResult, LabUnit
from desktop.rules.labs import FLAG_LEVEL_RANK, FlagLevel, LabDuePurpose, LabPanel, LabResults
from desktop.rules.worklist import Severity, WorkKind
from desktop.services.context import Context
from desktop.services.course_dosing import start_course
from desktop.services.course_lifecycle import list_courses
from desktop.services.course_overview import get_course_labs, get_course_overview
from desktop.services.errors import NotFound, ValidationFailed
from desktop.services.labs import LabEntryDraft, list_labs, record_lab
from desktop.services.patients import register_patient
from desktop.services.printing_visit import visit_summary_data
from desktop.services.visits import record_visit
from desktop.services.worklist import load_worklist
from tests.conftest import patient_draft
from tests.printing_setup import visit_draft
from tests.services.test_courses import course_draft

D = Decimal
A = Analyte
MG, UL = LabUnit.MG_DL, LabUnit.U_L
DRAWN = date(2026, 11, 16)


@pytest.fixture
def course_id(nurse_ctx: Context, prescriber_ctx: Context) -> int:
    patient = register_patient(nurse_ctx, patient_draft())
    return start_course(nurse_ctx, course_draft(nurse_ctx, patient.id)).id


def _lipids(*results: AnalyteResult) -> LabResults:
    return LabResults(results)


@pytest.mark.parametrize(
    ("panel", "results", "level"),
    [
        (LabPanel.LIPIDS, LabResults(triglycerides_mg_dl=D(149)), None),
        (LabPanel.LIPIDS, LabResults(triglycerides_mg_dl=D(150)), FlagLevel.INFO),
        (LabPanel.LIPIDS, LabResults(triglycerides_mg_dl=D(500)), FlagLevel.ALERT),
        (LabPanel.LIPIDS, LabResults(triglycerides_mg_dl=D(801)), FlagLevel.URGENT),
        (LabPanel.LFT, LabResults(alt_u_l=D(100), alt_uln_u_l=D(40)), FlagLevel.INFO),
        (LabPanel.LFT, LabResults(alt_u_l=D(121), alt_uln_u_l=D(40)), FlagLevel.ALERT),
        (LabPanel.LIPIDS, _lipids(AnalyteResult(A.TRIGLYCERIDES, D(170), MG, None, D(200))), None),
        (LabPanel.LIPIDS, _lipids(AnalyteResult(A.HDL, D(30), MG, D(40))), FlagLevel.INFO),
        (LabPanel.CBC, LabResults([AnalyteResult(A.PLATELETS, D(90), LabUnit.THOUSAND_PER_UL,
                                                 D(150), D(450))]), FlagLevel.INFO),
    ],
)  # fmt: skip
def test_results_are_flagged_by_the_protocol(
    nurse_ctx: Context,
    course_id: int,
    panel: LabPanel,
    results: LabResults,
    level: FlagLevel | None,
) -> None:
    saved = record_lab(nurse_ctx, LabEntryDraft(course_id, panel, None, DRAWN, results))
    assert [f.level for f in saved.flags] == ([level] if level else [])
    assert list_labs(nurse_ctx, course_id)[0].flags == saved.flags


FULL_LIPIDS = LabResults(
    [
        AnalyteResult(A.TOTAL_CHOLESTEROL, D("5.20"), LabUnit.MMOL_L, None, D("5.2")),
        AnalyteResult(A.LDL, D("130.0"), MG, D(0), D(130)),
        AnalyteResult(A.HDL, D(45), MG, D(40)),
        AnalyteResult(A.TRIGLYCERIDES, D("182.000"), MG, None, D(150)),
    ]
)


def test_every_value_unit_and_limit_is_kept_as_typed(nurse_ctx: Context, course_id: int) -> None:
    saved = record_lab(
        nurse_ctx, LabEntryDraft(course_id, LabPanel.LIPIDS, DRAWN, DRAWN, FULL_LIPIDS)
    )
    (listed,) = list_labs(nurse_ctx, course_id)
    assert listed.results == FULL_LIPIDS
    assert [str(r.value) for r in listed.results.values] == ["5.20", "130.0", "45", "182.000"]
    assert [(f.analyte, f.level) for f in listed.flags] == [(A.TRIGLYCERIDES, FlagLevel.INFO)]
    with nurse_ctx.sessions.read() as session:
        row = session.get(LabResultRow, saved.id)
        assert row is not None
        stored = json.loads(row.results_json)
        query = select(AuditEntry.new_values).where(AuditEntry.action == "lab.record")
        audited = session.scalars(query).one()
    assert stored["hdl"] == {"value": "45", "unit": "mg/dL", "lower_limit": "40"}
    assert stored["total_cholesterol"] == {"value": "5.20", "unit": "mmol/L", "upper_limit": "5.2"}
    assert json.loads(audited)["results"] == stored


@pytest.mark.parametrize(
    ("stored", "expected", "level"),
    [
        pytest.param(
            '{"triglycerides_mg_dl": "412"}',
            [AnalyteResult(A.TRIGLYCERIDES, D(412), MG)],
            FlagLevel.INFO,
            id="tg-mg-dl",
        ),
        pytest.param(
            '{"triglycerides_mmol_l": "9.2"}',
            [AnalyteResult(A.TRIGLYCERIDES, D("9.2"), LabUnit.MMOL_L)],
            FlagLevel.URGENT,
            id="tg-mmol-l",
        ),
        pytest.param(
            '{"alt_u_l": "130", "alt_uln_u_l": "40", "ast_u_l": "30", "ast_uln_u_l": "35"}',
            [
                AnalyteResult(A.ALT, D(130), UL, None, D(40)),
                AnalyteResult(A.AST, D(30), UL, None, D(35)),
            ],
            FlagLevel.ALERT,
            id="enzymes-with-uln",
        ),
        pytest.param(
            '{"alt_u_l": "52"}',
            [AnalyteResult(A.ALT, D(52), UL)],
            FlagLevel.INFO,  # the lab's upper limit is asked for
            id="alt-without-uln",
        ),
        pytest.param(
            '{"triglycerides": {"value": "140", "unit": "mg/dL", "upper_limit": "150"}}',
            [AnalyteResult(A.TRIGLYCERIDES, D(140), MG, None, D(150))],
            None,
            id="catalogue-shape-without-lower-limit",
        ),
    ],
)
def test_rows_saved_before_the_catalogue_still_read(
    nurse_ctx: Context,
    course_id: int,
    stored: str,
    expected: list[AnalyteResult],
    level: FlagLevel | None,
) -> None:
    with nurse_ctx.sessions.write() as session:
        session.add(
            LabResultRow(
                course_id=course_id,
                panel="lft" if "alt" in stored else "lipids",
                ordered_on=None,
                drawn_on=DRAWN,
                results_json=stored,
                recorded_at=nurse_ctx.now(),
                recorded_by_name="Nina Nurse",
            )
        )
    (record,) = list_labs(nurse_ctx, course_id)
    assert record.results.values == tuple(expected)
    assert record.is_resulted
    top = max((f.level for f in record.flags), key=FLAG_LEVEL_RANK.__getitem__, default=None)
    assert top == level


def test_an_order_without_results_is_kept(nurse_ctx: Context, course_id: int) -> None:
    saved = record_lab(nurse_ctx, LabEntryDraft(course_id, LabPanel.CBC, date(2026, 11, 19), None))
    assert not saved.is_resulted
    assert saved.flags == ()


@pytest.mark.parametrize(
    ("draft_changes", "field", "words"),
    [
        ({"ordered_on": None, "drawn_on": None}, "drawn_on", "order date or the draw date"),
        ({"drawn_on": date(2026, 12, 1)}, "drawn_on", "future"),
        ({"drawn_on": None, "results": LabResults(triglycerides_mg_dl=D(90))}, "drawn_on",
         "date the blood was drawn"),
        ({"results": LabResults(triglycerides_mg_dl=D(-1))}, "triglycerides", "negative"),
        ({"results": _lipids(AnalyteResult(A.HDL, D(45), MG, D(-1)))}, "hdl.lower_limit",
         "negative"),
        ({"results": _lipids(AnalyteResult(A.HDL, D(45), MG, None, D(0)))}, "hdl.upper_limit",
         "more than 0"),
        ({"results": _lipids(AnalyteResult(A.HDL, D(45), MG, D(60), D(40)))}, "hdl.lower_limit",
         "above the upper limit"),
        ({"results": LabResults(alt_u_l=D(30))}, "alt", "belongs to the liver function tests"),
        ({"results": _lipids(AnalyteResult(A.LDL, D(3), LabUnit.G_L))}, "ldl",
         "mg/dL, mmol/L"),
    ],
)  # fmt: skip
def test_bad_entries_name_the_field(
    nurse_ctx: Context, course_id: int, draft_changes: dict[str, object], field: str, words: str
) -> None:
    fields: dict[str, object] = {
        "course_id": course_id,
        "panel": LabPanel.LIPIDS,
        "ordered_on": date(2026, 11, 1),
        "drawn_on": date(2026, 11, 2),
    }
    fields.update(draft_changes)
    with pytest.raises(ValidationFailed) as refused:
        record_lab(nurse_ctx, LabEntryDraft(**fields))  # type: ignore[arg-type]
    problem = refused.value.problems[0]
    assert (problem.field, words in problem.message) == (field, True), problem
    assert list_labs(nurse_ctx, course_id) == ()


def test_the_labs_tab_of_a_course_that_no_longer_exists_says_so(nurse_ctx: Context) -> None:
    with pytest.raises(NotFound, match="no longer exists"):
        get_course_labs(nurse_ctx, 999_999)


def _flagged_rows(ctx: Context) -> list[tuple[Severity, str]]:
    rows = load_worklist(ctx, kinds=frozenset({WorkKind.LAB})).rows
    return [(r.severity, r.message) for r in rows if "drawn" in r.message]


def test_an_urgent_result_is_on_the_worklist_until_a_later_normal_one(
    nurse_ctx: Context, course_id: int
) -> None:
    def lipids(drawn_on: date, mg_dl: int) -> None:
        results = _lipids(AnalyteResult(A.TRIGLYCERIDES, D(mg_dl), MG, None, D(150)))
        record_lab(nurse_ctx, LabEntryDraft(course_id, LabPanel.LIPIDS, None, drawn_on, results))

    lipids(date(2026, 11, 10), 900)
    assert _flagged_rows(nurse_ctx) == [
        (
            Severity.URGENT,
            "Triglycerides 900 mg/dL drawn 2026-11-10: Triglycerides above 800 mg/dL: "
            "prescriber review today.",
        )
    ]
    lipids(date(2026, 11, 18), 140)
    assert _flagged_rows(nurse_ctx) == []


def test_minimal_peak_books_a_recheck_after_an_abnormal_alt(
    nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    """§3.3 "more only if abnormal": ALT 70 with the lab's ULN 40 is 1.75 × ULN (§3.4 info:
    recheck), so a recheck is due 28 days after the draw (minimal-peak.toml [P])."""
    patient = register_patient(nurse_ctx, patient_draft())
    course = start_course(
        nurse_ctx, course_draft(nurse_ctx, patient.id, lab_protocol="minimal-peak")
    )
    alt = LabResults([AnalyteResult(A.ALT, D(70), UL, D(7), D(40))])
    record_lab(nurse_ctx, LabEntryDraft(course.id, LabPanel.LFT, None, date(2026, 10, 20), alt))
    due = {d.panel: d for d in get_course_overview(nurse_ctx, course.id).labs_due}
    assert (due[LabPanel.LFT].purpose, due[LabPanel.LFT].due_on) == (
        LabDuePurpose.RECHECK,
        date(2026, 11, 17),
    )
    labs_tab = get_course_labs(nurse_ctx, course.id)
    assert labs_tab.due == get_course_overview(nurse_ctx, course.id).labs_due
    assert labs_tab.labs == list_labs(nurse_ctx, course.id)
    assert labs_tab.on == nurse_ctx.today()
    messages = [r.message for r in load_worklist(nurse_ctx, kinds=frozenset({WorkKind.LAB})).rows]
    assert (
        "Recheck liver function tests due: ALT abnormal on 2026-10-20 (minimal-peak protocol: "
        "more only if abnormal)."
    ) in messages


def test_the_visit_summary_lists_each_value_with_its_unit_range_and_flag(
    nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    """The chart copy's labs table (documents.visit_chart) reads these rows."""
    patient_id = register_patient(nurse_ctx, patient_draft()).id
    course_id = start_course(nurse_ctx, course_draft(nurse_ctx, patient_id)).id
    record_lab(nurse_ctx, LabEntryDraft(course_id, LabPanel.LIPIDS, None, DRAWN, FULL_LIPIDS))
    blood_count = LabResults(
        [AnalyteResult(A.HEMOGLOBIN, D("11.4"), LabUnit.G_DL, D(12), D("15.5"))]
    )
    record_lab(nurse_ctx, LabEntryDraft(course_id, LabPanel.CBC, None, DRAWN, blood_count))
    (course,) = [c for c in list_courses(nurse_ctx, patient_id) if c.id == course_id]
    record_visit(
        nurse_ctx,
        visit_draft(course),
    )
    data = visit_summary_data(nurse_ctx, course.patient_id)
    rows = {(r.name, r.value, r.unit, r.reference, r.flag) for r in data.lab_results}
    assert rows == {
        ("Total cholesterol", "5.20", "mmol/L", "≤ 5.2", None),
        ("LDL cholesterol", "130.0", "mg/dL", "0–130", None),
        ("HDL cholesterol", "45", "mg/dL", "≥ 40", None),
        ("Triglycerides", "182.000", "mg/dL", "≤ 150",
         "Triglycerides above normal: keep to the planned rechecks."),
        ("Haemoglobin", "11.4", "g/dL", "12–15.5",
         "Haemoglobin 11.4 g/dL is outside the lab's reference range (12–15.5 g/dL): for the "
         "prescriber's review (clinic policy)."),
    }  # fmt: skip
