"""Validation problems: what a check found wrong, tied to the field a nurse must fix."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a draft. `field` names the draft field (the UI focuses it)."""

    field: str
    message: str


def first_problem_for(problems: tuple[Problem, ...], field: str) -> Problem | None:
    return next((p for p in problems if p.field == field), None)
