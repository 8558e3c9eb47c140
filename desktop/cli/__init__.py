"""The `isotrack` command line (DESIGN.md, public CLI): subcommands talk to services only.

Each command module exposes `register(subparsers)`, which adds its parser and sets
`handler`, a function `(args) -> int` returning the exit status.
"""

import argparse
import os
import secrets
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from desktop.services.errors import IsoTrackError, ValidationFailed

PROGRAM = "isotrack"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROGRAM,
        description="IsoTrack: isotretinoin programme tracking. With no command, opens the app.",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: ISOTRACK_DATABASE_URL, else the local clinic file)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    # Imported here so that `isotrack` with no command does not pay for every command module.
    from desktop.cli.commands import REGISTRATIONS

    for register in REGISTRATIONS:
        register(subparsers)
    _accept_db_everywhere(parser)
    return parser


def _accept_db_everywhere(parser: argparse.ArgumentParser) -> None:
    """DESIGN.md: every subcommand takes `--db URL`, before or after its name. Subcommand
    parsers leave it unset unless given, so a top-level `--db` is not overwritten."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in set(action.choices.values()):
                if not any("--db" in a.option_strings for a in command._actions):
                    command.add_argument(
                        "--db", metavar="URL", default=argparse.SUPPRESS, help="database URL"
                    )
                _accept_db_everywhere(command)


def parse(argv: Sequence[str]) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def run(args: argparse.Namespace) -> int:
    """Run a parsed subcommand; errors a nurse can act on go to stderr with status 1 or 2."""
    try:
        status: int = args.handler(args)
    except ValidationFailed as error:
        # On the command line the field is named: there is no form to point at.
        for problem in error.problems:
            print(f"{PROGRAM}: {problem.field}: {problem.message}", file=sys.stderr)
        return error.exit_status
    except IsoTrackError as error:
        print(f"{PROGRAM}: {error.user_message()}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        print(f"{PROGRAM}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`isotrack worklist | head`): stop quietly, as Unix tools do.
        sys.stdout = Path(os.devnull).open("w")  # noqa: SIM115  (replaces the closed stream)
        return 141
    except Exception as error:
        # Exception text can carry patient data, so only its kind and a reference code are
        # shown; ISOTRACK_DEBUG=1 prints the traceback for a developer on a test database.
        reference = secrets.token_hex(4).upper()
        print(
            f"{PROGRAM}: unexpected error {type(error).__name__} (reference {reference}); "
            "nothing was saved. Tell your administrator the reference.",
            file=sys.stderr,
        )
        if os.environ.get("ISOTRACK_DEBUG") == "1":
            traceback.print_exc()
        return 70
    return status


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        build_parser().print_help()
        return 2
    return run(args)
