"""Staff roles and what each may do, enforced in services (not only by hiding buttons)."""

from enum import StrEnum

from desktop.services.errors import NotAllowed


class Role(StrEnum):
    NURSE = "nurse"
    PRESCRIBER = "prescriber"
    ADMIN = "admin"


class Permission(StrEnum):
    EDIT_PATIENTS = "edit_patients"
    MANAGE_STAFF = "manage_staff"
    EDIT_CLINIC_SETTINGS = "edit_clinic_settings"


_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.NURSE: frozenset({Permission.EDIT_PATIENTS}),
    Role.PRESCRIBER: frozenset({Permission.EDIT_PATIENTS}),
    Role.ADMIN: frozenset(Permission),
}

_REFUSALS = {
    Permission.EDIT_PATIENTS: "change patient records",
    Permission.MANAGE_STAFF: "manage staff accounts",
    Permission.EDIT_CLINIC_SETTINGS: "change the clinic settings",
}


def can(role: Role, permission: Permission) -> bool:
    return permission in _GRANTS[role]


def require(role: Role, permission: Permission) -> None:
    if not can(role, permission):
        raise NotAllowed(f"A {role} account cannot {_REFUSALS[permission]}; ask an administrator.")
