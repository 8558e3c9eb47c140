"""`isotrack demo-data`: load synthetic patients (never real people) for training."""

import argparse

from desktop.cli.session import add_user_option, signed_in
from desktop.services.demo_data import create_demo_patients


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser("demo-data", help="load synthetic demo patients")
    parser.add_argument("--patients", type=int, default=50, metavar="N")
    parser.add_argument("--seed", type=int, default=1, metavar="S")
    add_user_option(parser)
    parser.set_defaults(handler=_load)


def _load(args: argparse.Namespace) -> int:
    ctx = signed_in(args)
    try:
        count = create_demo_patients(ctx, args.patients, args.seed)
    finally:
        ctx.clinic.close()
    print(f"Loaded {count} synthetic demo patients (seed {args.seed}).")
    return 0
