"""This cycle's iPLEDGE steps for the patient's category, each done, to do, due or overdue."""

from dataclasses import dataclass

from desktop.rules.ipledge import IpledgeStep, monthly_steps
from desktop.rules.ipledge_cycle import CycleStatus
from desktop.rules.patients import RiskCategory
from desktop.rules.worklist_items import ItemStatus, Severity, WorkKind, WorklistItem
from desktop.ui.table_model import Column, RecordTableModel

STEP_LABELS = {
    IpledgeStep.COUNSELING_CONFIRMATION: "Prescriber confirms counselling in iPLEDGE",
    IpledgeStep.PREGNANCY_TEST: "Negative pregnancy test",
    IpledgeStep.CONTRACEPTION_ENTRY: "Two forms of contraception (or abstinence) entered",
    IpledgeStep.COMPREHENSION_QUESTIONS: "Patient answers the comprehension questions",
}
STEP_KINDS = {
    IpledgeStep.COUNSELING_CONFIRMATION: frozenset({WorkKind.COUNSELING_CONFIRMATION}),
    IpledgeStep.PREGNANCY_TEST: frozenset(
        {WorkKind.PREGNANCY_TEST, WorkKind.CONFIRMATION_TEST, WorkKind.SCREENING_TEST}
    ),
    IpledgeStep.CONTRACEPTION_ENTRY: frozenset({WorkKind.CONTRACEPTION}),
    IpledgeStep.COMPREHENSION_QUESTIONS: frozenset({WorkKind.COMPREHENSION_QUESTIONS}),
}
"""The worklist items that say when a step not yet done is due."""
DONE = "✓ Done"


@dataclass(frozen=True, slots=True)
class StepState:
    step: IpledgeStep
    state: str
    severity: Severity | None
    """None when done; otherwise the severity of the worklist item behind the state."""
    detail: str


def _state_of_item(item: WorklistItem) -> str:
    if item.status is ItemStatus.OVERDUE:
        return f"⚠ Overdue since {item.due_on.isoformat()}"
    if item.status is ItemStatus.DUE:
        return "⚠ Due today"
    return f"To do by {item.due_on.isoformat()}"


def _to_do(step: IpledgeStep, cycle: CycleStatus, items: tuple[WorklistItem, ...]) -> StepState:
    """The most urgent item of the step's kinds (items come most urgent first)."""
    item = next((i for i in items if i.kind in STEP_KINDS[step]), None)
    if item is None:
        due = cycle.prescription_due_on.isoformat()
        return StepState(step, f"To do before {due}", Severity.INFO, "")
    return StepState(step, _state_of_item(item), item.severity, item.message)


def step_states(
    category: RiskCategory, cycle: CycleStatus, items: tuple[WorklistItem, ...]
) -> tuple[StepState, ...]:
    """Every step of the patient's category under the rule set in force (domain.md §1.4)."""
    steps = monthly_steps(category, cycle.rule_set, is_enrollment=cycle.last_fill is None)
    return tuple(
        _to_do(step, cycle, items) if step in cycle.steps_to_do else StepState(step, DONE, None, "")
        for step in steps
    )


class StepsTableModel(RecordTableModel[StepState]):
    def __init__(self) -> None:
        super().__init__(
            (
                Column("Step", lambda s: STEP_LABELS[s.step], tooltip=lambda s: s.detail),
                Column("State", lambda s: s.state, tooltip=lambda s: s.detail),
            )
        )
