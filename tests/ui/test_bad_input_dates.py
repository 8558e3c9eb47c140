"""Bad input for every date box (issue 6 item 14). Each row is what a nurse might type or
paste and either the exact date read or words of the problem shown; a date is never guessed
(no two-digit years, no day-first reading of 14/05/2007, no cutting of pasted text).

One documented reading whatever the locale: YYYY-MM-DD, or M/D/YYYY as in the US (iPLEDGE
is a US programme); a four-digit year from 1900 to 2099. Digits of any script are read as
the digits they are ("２０２６" is 2026): that is exact, not a guess.
"""

# pytest-qt builds QtBot's methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot

from desktop.ui.course.missed_days_input import MissedDaysInput
from desktop.ui.widgets.date_input import DateInput

NBSP = "\u00a0"
FORMAT = "Type the date as YYYY-MM-DD (or M/D/YYYY)."
SHORT_YEAR = "four digits"
NO_SUCH_DATE = "There is no such date"
YEAR = "a year from 1900 to 2099"


class Refused(str):
    """Words of the problem shown for a date that is not read."""


D = date

DATES = [
    pytest.param("2026-11-20", D(2026, 11, 20), id="iso"),
    pytest.param("2026-1-2", D(2026, 1, 2), id="iso-single-digits"),
    pytest.param("11/20/2026", D(2026, 11, 20), id="us"),
    pytest.param("1/2/2026", D(2026, 1, 2), id="us-month-first-documented"),
    pytest.param("05/14/1930", D(1930, 5, 14), id="1930-four-digit-year"),
    pytest.param(" 2026-11-20 ", D(2026, 11, 20), id="spaces-around-not-cut"),
    pytest.param("\t2026-11-20\n", D(2026, 11, 20), id="pasted-tab-newline"),
    pytest.param(f"{NBSP}11/20/2026{NBSP}", D(2026, 11, 20), id="pasted-nbsp"),
    pytest.param("2024-02-29", D(2024, 2, 29), id="29-february-leap-year"),
    pytest.param("2000-02-29", D(2000, 2, 29), id="29-february-2000-leap"),
    pytest.param("2/29/2028", D(2028, 2, 29), id="29-february-us-leap"),
    pytest.param("2026-02-29", Refused(NO_SUCH_DATE), id="29-february-non-leap"),
    pytest.param("1900-02-29", Refused(NO_SUCH_DATE), id="29-february-1900-not-leap"),
    pytest.param("2026-04-31", Refused(NO_SUCH_DATE), id="31-april"),
    pytest.param("4/31/2026", Refused(NO_SUCH_DATE), id="31-april-us"),
    pytest.param("2026-13-01", Refused(NO_SUCH_DATE), id="month-13"),
    pytest.param("2026-00-10", Refused(NO_SUCH_DATE), id="month-0"),
    pytest.param("2026-11-00", Refused(NO_SUCH_DATE), id="day-0"),
    pytest.param("14/05/2007", Refused(NO_SUCH_DATE), id="day-first-not-guessed"),
    pytest.param("00/00/0000", Refused(YEAR), id="all-zeros-us"),
    pytest.param("0000-00-00", Refused(YEAR), id="all-zeros-iso"),
    pytest.param("5/14/07", Refused(SHORT_YEAR), id="two-digit-year-us"),
    pytest.param("14/05/07", Refused(SHORT_YEAR), id="two-digit-year-day-first"),
    pytest.param("5/14/30", Refused(SHORT_YEAR), id="two-digit-year-1930-or-2030"),
    pytest.param("5/14/207", Refused(SHORT_YEAR), id="three-digit-year"),
    pytest.param("1899-12-31", Refused(YEAR), id="before-1900"),
    pytest.param("0207-05-14", Refused(YEAR), id="year-207"),
    pytest.param("9999-12-31", Refused(YEAR), id="year-9999"),
    pytest.param("2099-12-31", D(2099, 12, 31), id="last-year-accepted"),
    pytest.param("2100-01-01", Refused(YEAR), id="year-2100"),
    pytest.param("2027-06-01", D(2027, 6, 1), id="future-read-the-form-decides"),
    pytest.param("2026-11-20T10:00", Refused(FORMAT), id="iso-with-time"),
    pytest.param("2026-11-20 10:00", Refused(FORMAT), id="iso-space-time"),
    pytest.param("2026-11-20T00:00:00Z", Refused(FORMAT), id="iso-with-zone"),
    pytest.param("2026-11-201", Refused(FORMAT), id="extra-digit-not-cut"),
    pytest.param("2026/11/20", Refused(FORMAT), id="slashes-year-first"),
    pytest.param("20.11.2026", Refused(FORMAT), id="german-dots"),
    pytest.param("20-11-2026", Refused(FORMAT), id="day-month-year-dashes"),
    pytest.param("Nov 20 2026", Refused(FORMAT), id="month-name"),
    pytest.param("2026-11-20.", Refused(FORMAT), id="trailing-point"),
    pytest.param("+2026-11-20", Refused(FORMAT), id="leading-plus"),
    pytest.param("2026-11-20\n2026-11-21", Refused(FORMAT), id="two-pasted-lines"),
    pytest.param("2026-11-20\x00", Refused(FORMAT), id="nul"),
    pytest.param("20261120", Refused(FORMAT), id="no-separators"),
    pytest.param("1e3", Refused(FORMAT), id="exponent"),
    pytest.param("NaN", Refused(FORMAT), id="nan"),
    pytest.param("２０２６-１１-２０", D(2026, 11, 20), id="full-width-digits-read-exactly"),
    pytest.param("", None, id="empty-is-no-date"),
    pytest.param("   ", None, id="only-spaces-is-no-date"),
]


@pytest.fixture
def date_input(qtbot: QtBot) -> DateInput:
    box = DateInput()
    qtbot.addWidget(box)
    return box


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_date_box(date_input: DateInput, text: str, expected: date | Refused | None) -> None:
    date_input.setText(text)  # a paste: any characters, the whole text kept
    assert date_input.text() == text
    if isinstance(expected, Refused):
        assert date_input.date_value() is None
        problem = date_input.problem()
        assert problem is not None
        assert expected in problem
    else:
        assert (date_input.date_value(), date_input.problem()) == (expected, None)


@pytest.fixture(params=["en_US", "de_DE"])
def locale(request: pytest.FixtureRequest) -> Iterator[str]:
    """The offscreen test run starts in the C locale; a clinic machine may be in either."""
    before = QLocale()
    QLocale.setDefault(QLocale(request.param))
    yield request.param
    QLocale.setDefault(before)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/2/2026", D(2026, 1, 2)),
        ("2026-11-20", D(2026, 11, 20)),
        ("20.11.2026", None),
        ("14/05/2007", None),
    ],
)
def test_dates_read_the_same_in_any_locale(
    date_input: DateInput, locale: str, text: str, expected: date | None
) -> None:
    assert QLocale().name() == locale
    date_input.setText(text)
    assert date_input.date_value() == expected
    assert (date_input.problem() is None) == (expected is not None)


# --- missed days: dates and ranges in one box ----------------------------------------------

NOV = 11
MISSED_DAYS = [
    pytest.param("2026-11-08", (8,), id="one-day"),
    pytest.param("2026-11-08, 2026-11-10", (8, 10), id="two-days"),
    pytest.param("2026-11-08;2026-11-10", (8, 10), id="semicolon"),
    pytest.param("2026-11-08,,2026-11-10,", (8, 10), id="empty-pieces-skipped"),
    pytest.param("2026-11-10, 2026-11-08", (8, 10), id="any-order"),
    pytest.param("2026-11-08, 2026-11-08", (8,), id="duplicate-once"),
    pytest.param("2026-11-08 to 2026-11-10", (8, 9, 10), id="range-to"),
    pytest.param("2026-11-08 TO 2026-11-10", (8, 9, 10), id="range-to-upper-case"),
    pytest.param("2026-11-08..2026-11-10", (8, 9, 10), id="range-dots"),
    pytest.param("11/8/2026 to 11/9/2026", (8, 9), id="range-us"),
    pytest.param("2026-11-08 to 2026-11-08", (8,), id="range-of-one-day"),
    pytest.param(" 2026-11-08 ,\n2026-11-09\t", (8, 9), id="pasted-whitespace"),
    pytest.param(f"2026-11-08{NBSP}to{NBSP}2026-11-09", (8, 9), id="nbsp-around-to"),
    pytest.param("2026-11-10 to 2026-11-08", Refused("ends before it starts"), id="backwards"),
    pytest.param("2026-09-01 to 2026-11-10", Refused("more than 62 days"), id="too-long"),
    pytest.param("2026-11-01 to 2026-11-02 to 2026-11-03", Refused("one start"), id="3-ends"),
    pytest.param("2026-11-08 to", Refused(FORMAT), id="range-without-end"),
    pytest.param("to 2026-11-08", Refused(FORMAT), id="range-without-start"),
    pytest.param("2026-11-08..", Refused("type a date"), id="dots-without-end"),
    pytest.param("2026-11-08 - 2026-11-09", Refused(FORMAT), id="hyphen-range"),
    pytest.param("2026-11-08 2026-11-09", Refused(FORMAT), id="space-separated"),
    pytest.param("2026-02-29", Refused(NO_SUCH_DATE), id="29-february-non-leap"),
    pytest.param("2026-04-31", Refused(NO_SUCH_DATE), id="31-april"),
    pytest.param("11/8/26", Refused(SHORT_YEAR), id="two-digit-year"),
    pytest.param("9999-12-31", Refused(YEAR), id="year-9999"),
    pytest.param("2026-11-08T08:00", Refused(FORMAT), id="with-time"),
    pytest.param("8 Nov", Refused(FORMAT), id="words"),
    pytest.param("2026-11-08, 0", Refused(FORMAT), id="zero-piece"),
    pytest.param("2026-11-08, -1", Refused(FORMAT), id="negative-piece"),
    pytest.param("1,000", Refused(FORMAT), id="thousands"),
    pytest.param("２０２６-１１-０８", (8,), id="full-width-digits-read-exactly"),
    pytest.param("", (), id="empty"),
    pytest.param(" , ; ", (), id="only-separators"),
]


@pytest.mark.parametrize(("text", "expected"), MISSED_DAYS)
def test_missed_days_box(qtbot: QtBot, text: str, expected: tuple[int, ...] | Refused) -> None:
    box = MissedDaysInput()
    qtbot.addWidget(box)
    box.dates_edit.setText(text)
    if isinstance(expected, Refused):
        assert box.days() == ()
        problem = box.problem()
        assert problem is not None
        assert expected in problem
        assert expected in box.summary_label.text()  # shown under the box as it is typed
    else:
        assert box.problem() is None
        assert box.days() == tuple(D(2026, NOV, day) for day in expected)


def test_every_date_table_has_at_least_30_rows() -> None:
    assert len(DATES) >= 30
    assert len(MISSED_DAYS) >= 30


# Every date box of every dialog, through its Save: tests/ui/test_bad_input_every_box.py runs
# DATES above (and the days either side of today and of the course start) through each.
