"""The visit the printing tests summarise: one shared draft instead of a copy in each test."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from desktop.rules.units import WeightUnit
from desktop.services.course_records import CourseRecord
from desktop.services.visits import VisitDraft

VISIT_ON = date(2026, 11, 20)


def visit_draft(course: CourseRecord, **changes: object) -> VisitDraft:
    """A visit to `course` (at its current version) on 20 November 2026 at 60 kg with a
    clear mood screen; override any field."""
    draft = VisitDraft(
        course_id=course.id,
        course_version=course.version,
        seen_on=VISIT_ON,
        weight=Decimal(60),
        weight_unit=WeightUnit.KG,
        phq2_items=(0, 0),
    )
    return replace(draft, **changes)  # type: ignore[arg-type]
