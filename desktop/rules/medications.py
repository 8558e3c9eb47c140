"""The patient's other medications as typed on the chart: what a saved entry must hold.
The interactions themselves are judged by desktop.rules.interactions (domain.md §6)."""

from dataclasses import dataclass
from datetime import date

from desktop.rules.problems import Problem

NAME_REQUIRED = "Type the medication or supplement, brand or generic name."
BEFORE_BIRTH = "This date is before the patient's date of birth."
STARTED_IN_FUTURE = "A start date cannot be in the future: record it once it has started."
STOPPED_IN_FUTURE = "A stop date cannot be in the future: record it on the day it stops."
STOPPED_BEFORE_START = "The stop date is before the start date."
STOP_DATE_REQUIRED = "Type the day the patient stopped taking it."
STOP_REASON_REQUIRED = "Say why it was stopped (e.g. 'prescriber stopped: interaction')."


@dataclass(frozen=True, slots=True)
class MedicationDraft:
    """What the nurse typed: the name as the patient or label gives it, dose and notes as
    free text, and when it started if known."""

    name: str
    dose: str = ""
    started_on: date | None = None


def check_medication(
    draft: MedicationDraft, *, birth_date: date, today: date, stopped_on: date | None = None
) -> tuple[Problem, ...]:
    """`stopped_on` is the entry's stop date when an already stopped entry is edited."""
    problems = []
    if not draft.name.strip():
        problems.append(Problem("name", NAME_REQUIRED))
    started = draft.started_on
    if started is not None:
        if started < birth_date:
            problems.append(Problem("started_on", BEFORE_BIRTH))
        elif started > today:
            problems.append(Problem("started_on", STARTED_IN_FUTURE))
        elif stopped_on is not None and stopped_on < started:
            problems.append(Problem("started_on", STOPPED_BEFORE_START))
    return tuple(problems)


def check_stop(
    stopped_on: date | None,
    reason: str,
    *,
    started_on: date | None,
    birth_date: date,
    today: date,
) -> tuple[Problem, ...]:
    problems = []
    if stopped_on is None:
        problems.append(Problem("stopped_on", STOP_DATE_REQUIRED))
    elif stopped_on < birth_date:
        problems.append(Problem("stopped_on", BEFORE_BIRTH))
    elif stopped_on > today:
        problems.append(Problem("stopped_on", STOPPED_IN_FUTURE))
    elif started_on is not None and stopped_on < started_on:
        problems.append(Problem("stopped_on", STOPPED_BEFORE_START))
    if not reason.strip():
        problems.append(Problem("stop_reason", STOP_REASON_REQUIRED))
    return tuple(problems)
