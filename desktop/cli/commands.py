"""The list of subcommand modules: each contributes `register(subparsers)`."""

import argparse
from collections.abc import Callable

from desktop.cli import (
    audit_command,
    backup_command,
    course_command,
    db_command,
    demo_command,
    dose_command,
    patient_command,
    plan_command,
    print_command,
    user_command,
    worklist_command,
)

Registration = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]

REGISTRATIONS: tuple[Registration, ...] = (
    db_command.register,
    user_command.register,
    patient_command.register,
    demo_command.register,
    audit_command.register,
    backup_command.register,
    dose_command.register,
    plan_command.register,
    course_command.register,
    worklist_command.register,
    print_command.register,
)
