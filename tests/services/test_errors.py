"""Messages a nurse reads when a save is refused: the stale-edit wording and its time."""

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

import pytest

from desktop.services.errors import StaleEdit

SAVED_AT = datetime(2026, 7, 1, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("what", "time_zone", "expected"),
    [
        (
            "course",
            ZoneInfo("America/New_York"),
            "This course was changed by Dr Priya Park at 2026-07-01 11:30 EDT after you opened "
            "it. Your changes were not saved; reopen it to see theirs, then edit again.",
        ),
        (
            "clinic settings",
            ZoneInfo("Europe/Dublin"),
            "These clinic settings were changed by Dr Priya Park at 2026-07-01 16:30 IST after "
            "you opened them. Your changes were not saved; reopen them to see theirs, then edit "
            "again.",
        ),
        (
            "patient",
            UTC,
            "This patient was changed by Dr Priya Park at 2026-07-01 15:30 UTC after you opened "
            "it. Your changes were not saved; reopen it to see theirs, then edit again.",
        ),
    ],
)
def test_a_stale_edit_says_who_and_when_in_the_clinics_time(
    what: str, time_zone: tzinfo, expected: str
) -> None:
    refused = StaleEdit(what, "Dr Priya Park", SAVED_AT).in_time_zone(time_zone)
    assert refused.user_message() == expected
    assert refused.changed_at == SAVED_AT  # the instant itself stays in UTC
