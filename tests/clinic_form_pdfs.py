"""Small synthetic PDFs standing in for a clinic's own forms: each page prints a marker text
that a test finds again in the packet."""

from io import BytesIO

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas


def form_pdf(marker: str, pages: int = 1) -> bytes:
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=letter)
    for number in range(1, pages + 1):
        canvas.drawString(72, 700, f"{marker} page {number}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
