"""ORM models, one module per area. Importing this package registers every table."""

from db.models.audit import AuditEntry
from db.models.clinic import ClinicSettings
from db.models.clinic_documents import ClinicFormRow, ConsentTemplateVersionRow
from db.models.consent import ConsentSignatureRow, PrintedDocumentRow
from db.models.course import Course, CoursePause, DosePeriodRow, MissedDoseRow, WeightRow
from db.models.ipledge import (
    ComprehensionRow,
    ContraceptionRow,
    CounselingConfirmationRow,
    FillRow,
    PregnancyTestRow,
)
from db.models.lab import LabResultRow
from db.models.medication import PatientMedication
from db.models.patient import Patient
from db.models.user import StaffUser
from db.models.visit import VisitFollowUpRow, VisitRow
from db.models.worklist import WorklistComputation, WorklistEntry

__all__ = [
    "AuditEntry",
    "ClinicFormRow",
    "ClinicSettings",
    "ComprehensionRow",
    "ConsentSignatureRow",
    "ConsentTemplateVersionRow",
    "ContraceptionRow",
    "CounselingConfirmationRow",
    "Course",
    "CoursePause",
    "DosePeriodRow",
    "FillRow",
    "LabResultRow",
    "MissedDoseRow",
    "Patient",
    "PatientMedication",
    "PregnancyTestRow",
    "PrintedDocumentRow",
    "StaffUser",
    "VisitFollowUpRow",
    "VisitRow",
    "WeightRow",
    "WorklistComputation",
    "WorklistEntry",
]
