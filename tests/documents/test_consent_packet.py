"""Consent packet: the right forms and signers per category and age, on every page the patient
band and "Page X of Y", the form version in the footer, merged attachments, metadata, fonts."""

import re
from dataclasses import replace

import pytest

from desktop.documents.consent_packet import build_consent_packet
from desktop.documents.data import ClinicAttachment, ConsentPacketData, DocumentAssets
from desktop.documents.page import DocumentError
from tests.documents import pdf_reading, samples

PAGE_NUMBER = re.compile(r"Page (\d+) of (\d+)")


@pytest.fixture(scope="module")
def teen_pdf(assets: DocumentAssets) -> bytes:
    return build_consent_packet(samples.teen_packet(attachments=2), assets)


@pytest.fixture(scope="module")
def adult_pdf(assets: DocumentAssets) -> bytes:
    return build_consent_packet(samples.adult_packet(), assets)


def _labels_by_page(pdf: bytes) -> list[str]:
    found = []
    for text in pdf_reading.page_texts(pdf):
        labels = re.findall(
            r"[a-z-]+ v\d{4}\.\d+|Cover sheet|Clinic form: [^\n]+?\(\d+/\d+\)", text
        )
        found.append(labels[-1] if labels else "")
    return found


def test_minor_who_can_get_pregnant_gets_all_three_forms_with_guardian_lines(
    teen_pdf: bytes,
) -> None:
    text = "\n".join(pdf_reading.page_texts(teen_pdf))
    for label in (
        "informed-consent v2026.1",
        "pregnancy-prevention v2026.1",
        "contraception-counseling v2026.2",
    ):
        assert label in text
    statements = 19 + 12 + 6
    assert text.count("Patient initials") == statements
    assert text.count("Guardian initials") == statements
    assert text.count("Parent or legal guardian") == 3
    assert text.count("Printed name: Ángela Nakamura-Świątkowska") == 3


def test_adult_who_cannot_get_pregnant_gets_informed_consent_only_and_no_guardian_lines(
    adult_pdf: bytes,
) -> None:
    text = "\n".join(pdf_reading.page_texts(adult_pdf))
    assert "informed-consent v2026.1" in text
    assert "pregnancy-prevention" not in text
    assert "contraception-counseling" not in text
    assert "Guardian initials" not in text
    assert "guardian" not in text.lower().replace("parent or guardian reads", "")
    assert text.count("Patient initials") == 19


@pytest.mark.parametrize("which", ["teen_pdf", "adult_pdf"])
def test_patient_band_is_on_every_page(which: str, request: pytest.FixtureRequest) -> None:
    pdf: bytes = request.getfixturevalue(which)
    patient = samples.TEEN if which == "teen_pdf" else samples.ADULT
    born = "Mar 14, 2010" if which == "teen_pdf" else "Jul 2, 1990"
    for text in pdf_reading.page_texts(pdf):
        squashed = pdf_reading.squash(text)
        assert pdf_reading.squash(patient.name) in squashed
        assert pdf_reading.squash(f"DOB {born}") in squashed
        assert pdf_reading.squash(f"MRN {patient.mrn}") in squashed


@pytest.mark.parametrize("which", ["teen_pdf", "adult_pdf"])
def test_every_page_says_page_x_of_y_including_attached_pages(
    which: str, request: pytest.FixtureRequest
) -> None:
    pdf: bytes = request.getfixturevalue(which)
    texts = pdf_reading.page_texts(pdf)
    numbers = [PAGE_NUMBER.findall(text) for text in texts]
    assert numbers == [[(str(n), str(len(texts)))] for n in range(1, len(texts) + 1)]
    assert all("Printed Nov 20, 2026" in text for text in texts)


def test_every_page_of_a_form_names_the_form_and_version(teen_pdf: bytes) -> None:
    labels = _labels_by_page(teen_pdf)
    assert labels[0] == "Cover sheet"
    order = [label for n, label in enumerate(labels) if n == 0 or label != labels[n - 1]]
    assert order == [
        "Cover sheet",
        "informed-consent v2026.1",
        "pregnancy-prevention v2026.1",
        "contraception-counseling v2026.2",
        "Clinic form: Clinic photo consent 1 (1/1)",
        "Clinic form: Clinic photo consent 2 (1/2)",
        "Clinic form: Clinic photo consent 2 (2/2)",
    ]


def test_attached_pages_are_merged_in_order_after_the_forms(teen_pdf: bytes) -> None:
    texts = pdf_reading.page_texts(teen_pdf)
    assert "Photo consent 1 — clinic page 1" in texts[-3]
    assert "Photo consent 2 — clinic page 1" in texts[-2]
    assert "Photo consent 2 — clinic page 2" in texts[-1]


def test_each_form_has_signature_lines_for_its_signers(teen_pdf: bytes, adult_pdf: bytes) -> None:
    teen = "\n".join(pdf_reading.page_texts(teen_pdf))
    adult = "\n".join(pdf_reading.page_texts(adult_pdf))
    assert teen.count("By signing I confirm") == 3
    assert (
        pdf_reading.squash(teen).count(pdf_reading.squash(f"Printed name: {samples.TEEN.name}"))
        == 3
    )
    assert teen.count("Printed name: Dr. Priya Raman-Lindqvist") == 3
    assert adult.count("By signing I confirm") == 1
    assert adult.count("Printed name: Marcus Oyelaran") == 1
    assert "Witness" not in teen + adult


def test_witness_line_prints_only_when_the_clinic_uses_one(assets: DocumentAssets) -> None:
    data = replace(samples.adult_packet(), include_witness=True)
    text = "\n".join(pdf_reading.page_texts(build_consent_packet(data, assets)))
    assert text.count("Witness") == 1


def test_minor_without_a_recorded_guardian_gets_blank_guardian_lines(
    assets: DocumentAssets,
) -> None:
    data = samples.packet_data(samples.TEEN, can_get_pregnant=False)
    text = "\n".join(pdf_reading.page_texts(build_consent_packet(data, assets)))
    assert text.count("Guardian initials") == 19
    assert "record one before signing" in text
    assert "Relationship:____" in pdf_reading.squash(text)


def test_metadata_names_the_document_and_clinic_but_not_the_patient(teen_pdf: bytes) -> None:
    info = pdf_reading.reader(teen_pdf).metadata
    assert info is not None
    assert info.title == "Isotretinoin consent packet"
    assert info.author == samples.CLINIC.name
    assert str(info["/Creator"]) == "IsoTrack"
    assert "pregnancy-prevention v2026.1" in (info.subject or "")
    assert "consent" in str(info["/Keywords"])
    assert str(info["/CreationDate"]).startswith("D:20261120")
    everything = " ".join(str(value) for value in info.values())
    assert "Zoë" not in everything
    assert samples.TEEN.mrn not in everything


@pytest.mark.parametrize("which", ["teen_pdf", "adult_pdf"])
def test_only_embedded_dejavu_fonts(which: str, request: pytest.FixtureRequest) -> None:
    used = pdf_reading.fonts(request.getfixturevalue(which))
    assert used
    assert all(font.is_embedded and "DejaVuSans" in font.name for font in used), used


def test_same_input_gives_the_same_bytes(assets: DocumentAssets, adult_pdf: bytes) -> None:
    assert build_consent_packet(samples.adult_packet(), assets) == adult_pdf


def test_landscape_attachment_is_shrunk_onto_one_page(assets: DocumentAssets) -> None:
    landscape = samples.attachment_pdf("Wide form", 1, size=(842, 595))
    data = replace(samples.adult_packet(), attachments=(ClinicAttachment("Wide", landscape),))
    texts = pdf_reading.page_texts(build_consent_packet(data, assets))
    assert "Wide form — clinic page 1" in texts[-1]
    assert PAGE_NUMBER.findall(texts[-1]) == [(str(len(texts)), str(len(texts)))]


def test_unreadable_attachment_is_refused_by_name(assets: DocumentAssets) -> None:
    data: ConsentPacketData = replace(
        samples.adult_packet(), attachments=(ClinicAttachment("Photo consent", b"not a pdf"),)
    )
    with pytest.raises(DocumentError, match="Photo consent"):
        build_consent_packet(data, assets)


def test_clinic_logo_is_drawn_on_every_page(assets: DocumentAssets) -> None:
    clinic = replace(samples.CLINIC, logo_png=samples.logo_png())
    pdf = build_consent_packet(replace(samples.adult_packet(), clinic=clinic), assets)
    for page in pdf_reading.reader(pdf).pages:
        assert len(page.images) == 1


def test_unreadable_logo_is_refused(assets: DocumentAssets) -> None:
    clinic = replace(samples.CLINIC, logo_png=b"\x89PNG not really")
    with pytest.raises(DocumentError, match="logo"):
        build_consent_packet(replace(samples.adult_packet(), clinic=clinic), assets)


@pytest.mark.parametrize("phone", ["(555) 010-0199", ""])
def test_the_forms_never_send_the_patient_to_a_number_that_is_not_printed(
    assets: DocumentAssets, phone: str
) -> None:
    data = replace(samples.teen_packet(), clinic=replace(samples.CLINIC, phone=phone))
    text = pdf_reading.squash(" ".join(pdf_reading.page_texts(build_consent_packet(data, assets))))
    assert "numberatthetopofthispage" not in text
    assert pdf_reading.squash("I will call the clinic or my prescriber the same day") in text
    shown = pdf_reading.squash(f"The clinic's phone number: {phone}")
    if phone:
        assert text.count(shown) == len(data.templates)  # once on every form
        assert pdf_reading.squash(f"Phone {phone}") in text  # and in the letterhead
    else:
        assert "phonenumber:" not in text
        assert "Phone" not in text


@pytest.mark.parametrize("which", ["teen_pdf", "adult_pdf"])
def test_a_signature_block_never_stands_alone_on_its_page(
    which: str, request: pytest.FixtureRequest
) -> None:
    """The last statements go over the page with the signatures: a page holding only
    signature lines once followed a full page of statements."""
    pdf: bytes = request.getfixturevalue(which)
    signature_pages = [t for t in pdf_reading.page_texts(pdf) if "By signing I confirm" in t]
    assert signature_pages
    for text in signature_pages:
        before = text[: text.index("By signing I confirm")]
        last = re.findall(r"statements 1 to (\d+)", text)[0]
        assert "Patient initials" in before
        assert re.search(rf"\b{last}\.", before), f"statement {last} is not above its signatures"
