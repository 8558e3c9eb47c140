"""Strict reading of parsed JSON: each value checked, each problem named by its path."""

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from desktop.rules.dates import plausible_date
from desktop.rules.problems import Problem

_T = TypeVar("_T")
_E = TypeVar("_E", bound=StrEnum)

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def child(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class Reader:
    """Collects every problem instead of stopping at the first, so one run lists them all."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def table(
        self,
        data: object,
        path: str,
        *,
        keys: Sequence[str],
        required: Sequence[str] | None = None,
    ) -> Mapping[str, Any] | None:
        """An object with only `keys`; None when it is not one or lacks a required key."""
        if not isinstance(data, dict):
            self.fail(path or "(top level)", "Expected an object: {...}.")
            return None
        expected = ", ".join(keys)
        for key in data:
            if key not in keys:
                self.fail(child(path, str(key)), f"Unknown key. Expected one of: {expected}.")
        missing = [k for k in (keys if required is None else required) if k not in data]
        for key in missing:
            self.fail(child(path, key), "This key is required.")
        return None if missing else data

    def array(self, value: object, path: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(path, "Expected a list: [...] (it may be empty).")
            return []
        return value

    def day(self, value: object, path: str) -> date | None:
        if not isinstance(value, str) or ISO_DATE.fullmatch(value) is None:
            self.fail(path, f"Expected a date as YYYY-MM-DD, got {value!r}.")
            return None
        try:
            day = date.fromisoformat(value)
        except ValueError:
            self.fail(path, f"{value!r} is not a calendar date.")
            return None
        if (problem := plausible_date(path, day)) is not None:
            self.fail(path, problem.message)
            return None
        return day

    def positive(self, value: object, path: str) -> Decimal | None:
        number = self._number(value, path)
        if number is not None and number <= 0:
            self.fail(path, "Must be more than zero.")
            return None
        return number

    def not_negative(self, value: object, path: str) -> Decimal | None:
        number = self._number(value, path)
        if number is not None and number < 0:
            self.fail(path, "Cannot be negative (0 is allowed).")
            return None
        return number

    def whole_number(self, value: object, path: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"Expected a whole number, got {value!r}.")
            return None
        return value

    def boolean(self, value: object, path: str) -> bool | None:
        if not isinstance(value, bool):
            self.fail(path, f"Expected true or false, got {value!r}.")
            return None
        return value

    def text(self, value: object, path: str) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"Expected a non-empty text, got {value!r}.")
            return None
        return value

    def choice(
        self, value: object, path: str, choices: type[_E], *, case_blind: bool = False
    ) -> _E | None:
        """One of the enum's values; `case_blind` accepts "IUD" for "iud" (DESIGN.md example)."""
        allowed = [c.value for c in choices]
        if isinstance(value, str):
            wanted = value.lower() if case_blind else value
            if wanted in allowed:
                return choices(wanted)
        self.fail(path, f"Unknown value {value!r}. Expected one of: {', '.join(allowed)}.")
        return None

    def optional(
        self, value: object, path: str, parse: Callable[[object, str], _T | None]
    ) -> _T | None:
        """A key that may be missing or null: None then, else parsed."""
        return None if value is None else parse(value, path)

    def optional_choice(
        self,
        table: Mapping[str, Any],
        key: str,
        path: str,
        choices: type[_E],
        *,
        case_blind: bool = False,
    ) -> _E | None:
        value = table.get(key)
        if value is None:
            return None
        return self.choice(value, child(path, key), choices, case_blind=case_blind)

    def ascending(self, key: str, leaf: str, days: Sequence[date], *, strictly: bool) -> None:
        """Each date after (or, if not `strictly`, not before) the previous one."""
        for index in range(1, len(days)):
            earlier, later = days[index - 1], days[index]
            if later < earlier or (strictly and later == earlier):
                where = f"{key}[{index}]" + (f".{leaf}" if leaf else "")
                relation = "after" if strictly else "on or after"
                self.fail(where, f"Must be {relation} {key}[{index - 1}] ({earlier.isoformat()}).")

    def _number(self, value: object, path: str) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self.fail(path, f"Expected a number, got {value!r}.")
            return None
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        if not number.is_finite():
            self.fail(path, "Expected a finite number.")
            return None
        return number
