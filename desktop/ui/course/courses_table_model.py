"""A patient's courses, newest first: number, status, product, dates, target, prescriber."""

from desktop.rules.units import format_decimal
from desktop.services.course_records import CourseRecord
from desktop.ui.course.regimen_text import product_display_name
from desktop.ui.table_model import Column, RecordTableModel

COURSE_COLUMNS: tuple[Column[CourseRecord], ...] = (
    Column("Course", lambda c: str(c.number), sort_key=lambda c: c.number),
    Column("Status", lambda c: c.status.value.capitalize()),
    Column("Product", lambda c: product_display_name(c.product)),
    Column("Started", lambda c: c.start_on.isoformat(), sort_key=lambda c: c.start_on),
    Column(
        "Last dose",
        lambda c: c.last_dose_on.isoformat() if c.last_dose_on else "",
        sort_key=lambda c: (c.last_dose_on is not None, c.last_dose_on),
    ),
    Column("Target", lambda c: f"{format_decimal(c.target_mg_per_kg)} mg/kg"),
    Column("Prescriber", lambda c: c.prescriber_name),
)


class CoursesTableModel(RecordTableModel[CourseRecord]):
    def __init__(self) -> None:
        super().__init__(COURSE_COLUMNS)
