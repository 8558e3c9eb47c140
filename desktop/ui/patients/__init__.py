"""The patient list and the patient form."""
