"""A patient's consent forms: which are needed now, which are signed, and signing one."""
