"""Every error a user can meet, each with a message a nurse can act on.

Messages never carry patient data beyond what the user just typed on their own screen,
because the command line prints them to stderr and the app may log their class names.
"""

from datetime import UTC, datetime, tzinfo

from desktop.rules.problems import Problem


class IsoTrackError(Exception):
    """Base of the errors services raise on purpose. `exit_status` is the CLI's status."""

    exit_status = 1

    def user_message(self) -> str:
        return str(self)


class ValidationFailed(IsoTrackError):
    """The draft breaks a rule; nothing was saved. `problems` name the fields to fix."""

    exit_status = 2

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))

    def user_message(self) -> str:
        # Each message is a sentence of its own.
        return " ".join(p.message for p in self.problems)


PLURAL_RECORDS = frozenset({"clinic settings"})
"""What a stale-edit message names in the plural ("These clinic settings were changed")."""


class StaleEdit(IsoTrackError):
    """Someone saved this record after it was opened here; their change is kept. The time
    is shown in `time_zone` (the unit of work gives the clinic's) and the zone is named."""

    def __init__(
        self, what: str, changed_by: str, changed_at: datetime, time_zone: tzinfo = UTC
    ) -> None:
        self.what = what
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.time_zone = time_zone
        local = changed_at.astimezone(time_zone)
        this, was, it = (
            ("These", "were", "them") if what in PLURAL_RECORDS else ("This", "was", "it")
        )
        super().__init__(
            f"{this} {what} {was} changed by {changed_by} at {local:%Y-%m-%d %H:%M} "
            f"{local.tzname()} after you opened {it}. Your changes were not saved; reopen {it} "
            "to see theirs, then edit again."
        )

    def in_time_zone(self, time_zone: tzinfo) -> "StaleEdit":
        """The same refusal with its time in `time_zone`."""
        return StaleEdit(self.what, self.changed_by, self.changed_at, time_zone)


class NotFound(IsoTrackError):
    exit_status = 3


class NotAllowed(IsoTrackError):
    """The signed-in user's role may not do this (DESIGN.md: roles enforced in services)."""

    exit_status = 4


class AuthenticationFailed(IsoTrackError):
    exit_status = 5


class DatabaseNotReady(IsoTrackError):
    """The database cannot be used as it is: newer than this app, or needs an upgrade."""

    exit_status = 6


class InputError(IsoTrackError):
    """A file or option given on the command line is not usable (names the key or option)."""

    exit_status = 2


class DatabaseBusy(IsoTrackError):
    """Another workstation held the database longer than the busy timeout."""

    exit_status = 75

    def __init__(self) -> None:
        super().__init__(
            "The clinic database is busy with another workstation's save. Nothing was saved; "
            "try again in a moment."
        )
