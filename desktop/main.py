"""Composition root: with no command `isotrack` opens the desktop app, otherwise it runs the
command line. The only module that knows both the UI and the CLI."""

import sys
from collections.abc import Sequence

from desktop import cli
from desktop.services.context import resolve_database_url


def main(argv: Sequence[str] | None = None) -> int:
    args = cli.parse(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        # Imported here so that command-line use never loads Qt.
        from desktop.ui import app

        return app.run(resolve_database_url(args.db))
    return cli.run(args)
