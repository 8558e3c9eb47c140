"""Property-based fuzz of every data-entry form (issue 6 item 14): each text box gets
generated text (any Unicode, control characters, huge pastes, or near-valid numbers and
dates), each choice and toggle a random setting, then Save. Never an uncaught exception;
either the dialog accepted and what the services stored reads back as the dialog showed it,
or the dialog stayed open with a message and not one row changed anywhere (audit included).

EXAMPLES_PER_FORM × 25 forms = 2,500 examples. One dialog serves many examples: it is
reopened only after an accepted save that leaves it unusable (a new course version, a
stopped medication, a paused course, a voided signature …). The figures per form and in all
reach the CI log."""

# pytest-qt builds QtBot's methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

import time
import traceback
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desktop.ui import messages
from tests.conftest import PASSWORD, TODAY
from tests.ui.form_drivers import (
    FORMS,
    Form,
    Kind,
    Ward,
    click_save,
    error_shown,
    open_ward,
    put,
    row_counts,
    text_no_database_holds,
    widget,
)

pytestmark = pytest.mark.sqlite_only

EXAMPLES_PER_FORM = 100
"""25 forms × 100 = 2,500 examples (issue 6 asks for 2,000)."""
REQUIRED_EXAMPLES = 2_000

NASTY = (
    "", " ", "\t", "\n", "\x00", "\x1b[2J", "\u202e", "\ufeff", "\u200b", "\u00a0",
    "NaN", "-NaN", "sNaN", "inf", "-Infinity", "1e999999", "1E-999999", "9" * 5000,
    "0" * 5000 + "30",
    "²", "½", "³⁰", "٣٠", "３０", "𝟗𝟗", "1_000", "0x1F", "0b101", "-0", "+0", "−5", "٫",
    "'; DROP TABLE patients; --", "<b>Zoë</b> & Co", "Zoë O'Brien-Núñez", "%s%n", "{0}",
    "2026-02-29", "2024-02-29", "0000-00-00", "9999-12-31", "00/00/0000", "2/30/2026",
    "2026-11-20T10:00", "5/14/07", "14/05/07", "72,5", "1,000", "1.000", "72 kg", "160lbs",
)  # fmt: skip
"""Known troublemakers, offered to every box whatever its kind."""

any_text = st.one_of(
    st.text(),  # any code point but lone surrogates, control characters included
    st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Nd", "No", "Nl"])),
    st.text(max_size=12).map(lambda piece: piece * 400),  # a huge paste
    st.sampled_from(NASTY),
)


def _decimals(low: int, high: int, places: int) -> st.SearchStrategy[str]:
    numbers = st.one_of(
        *(
            st.decimals(min_value=low, max_value=high, places=p, allow_nan=False)
            for p in range(places + 1)
        )
    )
    return st.tuples(numbers, st.booleans()).map(
        lambda pair: f"{pair[0]:f}".replace(".", ",") if pair[1] else f"{pair[0]:f}"
    )


near_number = st.from_regex(
    r"[ \t\u00a0]?[-+−]?[0-9]{0,4}([.,][0-9]{0,5})?([eE][-+]?[0-9]{1,3})?"
    r"[ \u00a0]?(kg|KG|lb|lbs|pounds|mg/kg|mg/kg/day|st)?[ \t\n]?",
    fullmatch=True,
)
some_date = st.dates(min_value=date(1890, 1, 1), max_value=date(2110, 12, 31))
near_today = st.integers(min_value=-400, max_value=400).map(lambda n: TODAY + timedelta(days=n))
course_day = st.integers(min_value=-40, max_value=20).map(lambda n: TODAY + timedelta(days=n))
"""The ward's course started 18 days before today: its days, and the weeks either side."""
typed_date = st.one_of(
    st.one_of(some_date, near_today, course_day).map(date.isoformat),
    st.one_of(some_date, near_today).map(lambda d: f"{d.month}/{d.day}/{d.year}"),
    st.from_regex(r"\s?[0-9]{1,5}-[0-9]{1,3}-[0-9]{1,3}(T[0-9]{2}:[0-9]{2})?\s?", fullmatch=True),
    st.from_regex(r"[0-9]{1,3}/[0-9]{1,3}/[0-9]{1,5}", fullmatch=True),
)
missed_days = st.lists(
    st.one_of(
        course_day.map(date.isoformat),
        st.tuples(course_day, st.integers(min_value=-3, max_value=70)).map(
            lambda pair: f"{pair[0]} to {pair[0] + timedelta(days=pair[1])}"
        ),
        typed_date,
    ),
    max_size=4,
).flatmap(lambda pieces: st.sampled_from([", ", ";", ",", " , "]).map(lambda s: s.join(pieces)))

NEAR_VALID = {
    Kind.DATE: typed_date,
    Kind.DAYS: missed_days,
    Kind.WEIGHT: st.one_of(_decimals(10, 700, 4), near_number),
    Kind.DOSE: st.one_of(_decimals(0, 4, 4), near_number),
    Kind.TARGET: st.one_of(_decimals(0, 400, 3), near_number),
    Kind.WHOLE: st.one_of(st.integers(min_value=-5, max_value=10**12).map(str), near_number),
    Kind.LAB: st.one_of(_decimals(0, 2000, 3), near_number),
    Kind.VERSION: st.one_of(
        st.tuples(st.integers(1990, 2110), st.integers(0, 10**22)).map(lambda p: f"{p[0]}.{p[1]}"),
        st.from_regex(r"\s?[0-9]{1,5}([.,][0-9]{0,22}){0,2}\s?", fullmatch=True),
    ),
    Kind.TEXT: st.sampled_from(
        ["Zoë O'Brien", "MRN-2002", "jlee", "name@example.org", "+1 555 010 2000", "mother"]
    ),
    Kind.PASSWORD: st.just(PASSWORD),
}


def _text_for(kind: Kind, valid: str) -> st.SearchStrategy[str]:
    return st.one_of(st.just(valid), NEAR_VALID[kind], any_text)


@pytest.fixture(scope="module")
def ward(template_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ward]:
    opened = open_ward(template_database, tmp_path_factory.mktemp("fuzz"))
    yield opened
    opened.clinic.close()


@pytest.fixture(autouse=True)
def _no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The visit's same-day flags open a message box through its single entry point."""
    monkeypatch.setattr(messages, "show_error", lambda *_args: None)


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.name)
def test_each_form_saves_its_valid_values(qtbot: QtBot, ward: Ward, form: Form) -> None:
    """The drivers themselves: valid text everywhere is accepted and reads back."""
    dialog = form.open(ward)
    qtbot.addWidget(dialog)
    dialog.show()
    form.fill(ward, dialog)
    click_save(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted, error_shown(dialog)
    form.check_saved(ward, dialog)
    form.after_save(ward, dialog)


class Tally:
    """Examples run per form and how they ended, for the report lines."""

    def __init__(self) -> None:
        self.accepted = 0
        self.refused = 0
        self.started = time.perf_counter()
        self.seconds = 0.0

    @property
    def examples(self) -> int:
        return self.accepted + self.refused


TALLIES: dict[str, Tally] = {}


def _type_example(form: Form, ward: Ward, dialog: QDialog, data: st.DataObject) -> None:
    """Half the examples fuzz one box among valid ones (so saves get through and each
    field's refusal is seen on its own); the other half fuzz every box and choice."""
    valid = form.valid(ward)
    focus = data.draw(st.one_of(st.none(), st.sampled_from(list(form.inputs))))
    if focus is None:
        for combo in form.choices(dialog):
            if combo.count():
                combo.setCurrentIndex(data.draw(st.integers(0, combo.count() - 1)))
        for toggle in form.toggles(dialog):
            toggle.setChecked(data.draw(st.booleans()))
    else:
        form.prepare(ward, dialog)
    for path, (kind, _field) in form.inputs.items():
        fuzzed = focus in (None, path)
        text = data.draw(_text_for(kind, valid[path]), label=path) if fuzzed else valid[path]
        put(widget(dialog, path), text)


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.name)
def test_fuzzed_form_accepts_exactly_or_refuses_visibly(
    qtbot: QtBot, ward: Ward, form: Form, capsys: pytest.CaptureFixture[str]
) -> None:
    dialogs: list[QDialog] = []
    tally = TALLIES[form.name] = Tally()

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    @given(data=st.data())
    def example(data: st.DataObject) -> None:
        if not dialogs:
            dialogs.append(form.open(ward))
            qtbot.addWidget(dialogs[0])
        dialog = dialogs[0]
        dialog.show()
        with qtbot.capture_exceptions() as exceptions:
            _type_example(form, ward, dialog, data)
            before = row_counts(ward.clinic)
            click_save(dialog)
        assert not exceptions, "".join(
            "".join(traceback.format_exception(error)) for _kind, error, _trace in exceptions
        )
        if dialog.isVisible():
            tally.refused += 1
            assert error_shown(dialog), "refused without a message"
            assert row_counts(ward.clinic) == before
            return
        tally.accepted += 1
        assert dialog.result() == QDialog.DialogCode.Accepted
        assert not text_no_database_holds(ward.clinic)
        form.check_saved(ward, dialog)
        form.after_save(ward, dialog)
        if form.reuse_after_save:
            dialog.setResult(QDialog.DialogCode.Rejected)
        else:
            dialogs.clear()

    example()
    tally.seconds = time.perf_counter() - tally.started
    with capsys.disabled():  # the figures for issue 6's closing note, in CI's log; no PHI
        print(  # noqa: T201
            f"\nfuzz {form.name}: {tally.examples} examples, {tally.accepted} accepted, "
            f"{tally.refused} refused, 0 uncaught exceptions, {tally.seconds:.1f} s"
        )


def test_fuzz_total(capsys: pytest.CaptureFixture[str]) -> None:
    """Runs after every form's fuzz: the total, and issue 6's bar when all of them ran."""
    examples = sum(t.examples for t in TALLIES.values())
    seconds = sum(t.seconds for t in TALLIES.values())
    with capsys.disabled():
        print(  # noqa: T201
            f"\nfuzz total: {len(TALLIES)} forms, {examples} examples, "
            f"0 uncaught exceptions, {seconds:.1f} s"
        )
    if len(TALLIES) == len(FORMS):
        assert examples >= REQUIRED_EXAMPLES
