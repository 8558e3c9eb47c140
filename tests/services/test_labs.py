"""Lab entries: orders, draws, results and the flags they raise (domain.md §3.4)."""

from datetime import date
from decimal import Decimal

import pytest

from desktop.rules.labs import FlagLevel, LabPanel, LabResults
from desktop.services.context import Context
from desktop.services.course_dosing import start_course
from desktop.services.errors import ValidationFailed
from desktop.services.labs import LabEntryDraft, list_labs, record_lab
from desktop.services.patients import register_patient
from tests.conftest import patient_draft
from tests.services.test_courses import course_draft


@pytest.fixture
def course_id(nurse_ctx: Context, prescriber_ctx: Context) -> int:
    patient = register_patient(nurse_ctx, patient_draft())
    return start_course(nurse_ctx, course_draft(nurse_ctx, patient.id)).id


@pytest.mark.parametrize(
    ("results", "level"),
    [
        (LabResults(triglycerides_mg_dl=Decimal(149)), None),
        (LabResults(triglycerides_mg_dl=Decimal(150)), FlagLevel.INFO),
        (LabResults(triglycerides_mg_dl=Decimal(500)), FlagLevel.ALERT),
        (LabResults(triglycerides_mg_dl=Decimal(801)), FlagLevel.URGENT),
        (LabResults(alt_u_l=Decimal(100), alt_uln_u_l=Decimal(40)), FlagLevel.INFO),
        (LabResults(alt_u_l=Decimal(121), alt_uln_u_l=Decimal(40)), FlagLevel.ALERT),
    ],
)
def test_results_are_flagged_by_the_protocol(
    nurse_ctx: Context, course_id: int, results: LabResults, level: FlagLevel | None
) -> None:
    panel = LabPanel.LIPIDS if results.triglycerides_mg_dl else LabPanel.LFT
    saved = record_lab(
        nurse_ctx, LabEntryDraft(course_id, panel, None, date(2026, 11, 16), results)
    )
    assert [f.level for f in saved.flags] == ([level] if level else [])
    assert list_labs(nurse_ctx, course_id)[0].flags == saved.flags


def test_an_order_without_results_is_kept(nurse_ctx: Context, course_id: int) -> None:
    saved = record_lab(nurse_ctx, LabEntryDraft(course_id, LabPanel.CBC, date(2026, 11, 19), None))
    assert not saved.is_resulted
    assert saved.flags == ()


@pytest.mark.parametrize(
    ("draft_changes", "field"),
    [
        ({"ordered_on": None, "drawn_on": None}, "drawn_on"),
        ({"drawn_on": date(2026, 12, 1)}, "drawn_on"),
        ({"drawn_on": None, "results": LabResults(triglycerides_mg_dl=Decimal(90))}, "drawn_on"),
        ({"results": LabResults(triglycerides_mg_dl=Decimal(-1))}, "triglycerides_mg_dl"),
    ],
)
def test_bad_entries_name_the_field(
    nurse_ctx: Context, course_id: int, draft_changes: dict[str, object], field: str
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
    assert refused.value.problems[0].field == field
