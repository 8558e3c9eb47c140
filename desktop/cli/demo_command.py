"""`isotrack demo-data`: load synthetic patients (never real people) for training."""

import argparse
from datetime import date

from desktop.cli.session import add_user_option, signed_in
from desktop.services.demo_data import create_demo_patients
from desktop.services.errors import InputError


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser("demo-data", help="load synthetic demo patients")
    parser.add_argument("--patients", type=int, default=50, metavar="N")
    parser.add_argument("--seed", type=int, default=1, metavar="S")
    parser.add_argument(
        "--on",
        metavar="YYYY-MM-DD",
        help="the demo clinic's date: ages and courses count back from it (default: today; "
        "the same seed and date give the same patients and dates)",
    )
    add_user_option(parser)
    parser.set_defaults(handler=_load)


def _demo_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError("--on: write the date as YYYY-MM-DD, for example 2026-11-20.") from None


def _load(args: argparse.Namespace) -> int:
    on = _demo_date(args.on)
    ctx = signed_in(args)
    try:
        count = create_demo_patients(ctx, args.patients, args.seed, on=on)
    finally:
        ctx.clinic.close()
    print(f"Loaded {count} synthetic demo patients (seed {args.seed}).")
    return 0
