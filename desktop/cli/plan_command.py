"""`isotrack plan COURSE.json [--on DATE] [--json]`: the plan for a course description.

Pure computation: no database is opened (a global --db is accepted and ignored)."""

import argparse
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from desktop.rules.ipledge_rule_sets import DEFAULT_MODIFICATION_EFFECTIVE_ON
from desktop.services.errors import InputError
from desktop.services.planning import plan_from_json_text


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser(
        "plan",
        help="cumulative dose, projection, iPLEDGE window, labs and tests due for a course file",
        description=(
            "Compute a course's plan from a course description (JSON). Nothing is read from "
            "or written to a database."
        ),
    )
    parser.add_argument("course_file", metavar="COURSE.json", help="course description file")
    parser.add_argument("--on", metavar="DATE", help="plan as of this date (default: today)")
    parser.add_argument("--json", action="store_true", help="print JSON (isotrack.plan/1)")
    parser.add_argument(
        "--ipledge-change-date",
        metavar="DATE",
        help=(
            "effective date of the 2026 iPLEDGE modification, a clinic setting "
            f"(default {DEFAULT_MODIFICATION_EFFECTIVE_ON.isoformat()})"
        ),
    )
    parser.set_defaults(handler=run_plan)


def run_plan(args: argparse.Namespace) -> int:
    on = _date_option(args.on, "--on") or _today()
    change = _date_option(args.ipledge_change_date, "--ipledge-change-date")
    plan = plan_from_json_text(
        _read(args.course_file),
        on=on,
        ipledge_modification_effective_on=change or DEFAULT_MODIFICATION_EFFECTIVE_ON,
    )
    if args.json:
        print(json.dumps(plan, indent=2, ensure_ascii=False))
    else:
        print("\n".join(summary_lines(plan)))
    return 0


def _read(file_name: str) -> str:
    try:
        return Path(file_name).read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"Cannot read {file_name}: {error.strerror or error}.") from None
    except UnicodeDecodeError:
        raise InputError(f"{file_name} is not UTF-8 text.") from None


def _today() -> date:
    """The workstation's local date: the CLI is an edge and may read the clock."""
    return datetime.now(UTC).astimezone().date()


def _date_option(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option}: expected a date as YYYY-MM-DD, got {text!r}.") from None


def summary_lines(plan: dict[str, Any]) -> list[str]:
    """The plan in sentences a nurse can scan; the JSON keys are the source of truth."""
    lines = [
        f"Plan as of {plan['as_of']} (iPLEDGE rules: {plan['rule_set']})",
        *_dose_lines(plan),
        *_ipledge_lines(plan),
    ]
    if plan["labs_due"]:
        lines.append("Labs due:")
        lines += [f"  {d['due_date']}  {d['panel']} ({d['purpose']})" for d in plan["labs_due"]]
    lines += _post_course_lines(plan["post_course"])
    lines.append("To do:" if plan["due"] else "To do: nothing due in the next days.")
    lines += [
        f"  {i['due_date']}  {i['status']:<8} {i['severity']:<7} {i['message']}"
        for i in plan["due"]
    ]
    lines += [f"Lab flag ({f['level']}, {f['date']}): {f['message']}" for f in plan["lab_flags"]]
    lines += [f"Warning: {w}" for w in plan["warnings"]]
    return lines


def _dose_lines(plan: dict[str, Any]) -> list[str]:
    per_kg = plan["cumulative_mg_per_kg"]
    dose = f"Cumulative dose: {plan['cumulative_mg']} mg"
    if per_kg is not None:
        dose += f" = {per_kg:.2f} mg/kg of a {plan['target_mg_per_kg']} mg/kg target"
    lines = [dose]
    remaining, days = plan["remaining_mg"], plan["days_to_target"]
    last = plan["projected_last_dose_date"]
    if remaining == 0:
        lines.append("The target is reached.")
    elif days is not None:
        lines.append(
            f"Remaining: {remaining} mg; at the current dose the target is reached in {days} "
            f"days (last dose {last})."
        )
    if days is None and last is not None:
        short = "" if remaining == 0 else f"; {remaining} mg short of the target"
        lines.append(f"Last dose {last}{short}.")
    return lines


def _ipledge_lines(plan: dict[str, Any]) -> list[str]:
    lines = []
    window = plan["fill_window"]
    if window is not None:
        basis = "clinic policy" if window["basis"] == "clinic_policy" else "iPLEDGE"
        lines.append(f"Fill window: {window['opens']} to {window['closes']} ({basis}).")
    if plan["first_course"] is not None:
        earliest = plan["first_course"]["earliest_confirmation_test"]
        lines.append(f"First course: confirmation test not before {earliest}.")
    if plan["next_confirmation_test_not_before"] is not None:
        lines.append(
            "First fill window missed: next confirmation test not before "
            f"{plan['next_confirmation_test_not_before']}."
        )
    return lines


def _post_course_lines(post: dict[str, str | None] | None) -> list[str]:
    if post is None:
        return []
    labels = (
        ("pregnancy_test_due", "Pregnancy test 1 month after the last dose"),
        ("contraception_until", "Contraception until"),
        ("no_blood_donation_until", "No blood donation until"),
        ("no_breastfeeding_until", "No breastfeeding until"),
        ("no_cosmetic_procedures_until", "No waxing, laser or skin procedures until"),
        ("earliest_next_course", "Earliest next course"),
    )
    return ["After the course:"] + [
        f"  {label}: {post[key]}" for key, label in labels if post.get(key) is not None
    ]
