"""Document fixtures: the shipped fonts and styles, loaded once."""

import pytest

from desktop.documents.data import DocumentAssets
from desktop.services.catalog.consent_templates import load_document_assets


@pytest.fixture(scope="session")
def assets() -> DocumentAssets:
    return load_document_assets()
