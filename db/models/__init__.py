"""ORM models, one module per area. Importing this package registers every table."""

from db.models.audit import AuditEntry
from db.models.clinic import ClinicSettings
from db.models.patient import Patient
from db.models.user import StaffUser

__all__ = ["AuditEntry", "ClinicSettings", "Patient", "StaffUser"]
