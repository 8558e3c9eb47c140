"""What every printed document is headed with: the clinic's letterhead and the patient band,
read once for the consent packet and the visit summary alike."""

from sqlalchemy.orm import Session

from db.models import ClinicSettings, Patient
from db.models.clinic import CLINIC_ROW_ID
from desktop.documents.data import ClinicLetterhead, PatientBand
from desktop.services.errors import NotFound


def letterhead(session: Session) -> ClinicLetterhead:
    row = session.get(ClinicSettings, CLINIC_ROW_ID)
    if row is None:
        raise NotFound("The clinic has not been set up yet.")
    lines = tuple(line.strip() for line in row.address.splitlines() if line.strip())
    return ClinicLetterhead(row.clinic_name, lines, row.phone, row.logo_png)


def patient_band(patient: Patient) -> PatientBand:
    return PatientBand(
        patient.legal_name, patient.birth_date, patient.mrn, patient.preferred_name or None
    )


def load_patient(session: Session, patient_id: int) -> Patient:
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise NotFound("This patient no longer exists.")
    return patient
