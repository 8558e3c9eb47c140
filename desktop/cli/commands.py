"""The list of subcommand modules: each contributes `register(subparsers)`."""

import argparse
from collections.abc import Callable

Registration = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]

REGISTRATIONS: tuple[Registration, ...] = ()
