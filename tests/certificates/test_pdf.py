"""The certificate renderer: plain data in, one landscape page out, readable in every script,
with a QR code that decodes to the verification address (no database)."""

import dataclasses
import datetime
import io

import pypdf
import pypdfium2
import pytest
import zxingcpp

from certificates.pdf import CertificateData, render

NAMES = {
    "latin": "Zoë Ødegård-Dvořáková",
    "vietnamese": "Nguyễn Thị Hương",
    "greek": "Κωνσταντίνος Παπαδόπουλος",
    "cyrillic": "Оксана Коваленко",
}
URL = "https://tracker.example.com/verify/7KQ2M9XD4HTAP3VW/"


def certificate(**changes) -> CertificateData:
    data = CertificateData(
        organisation="Northwind Contact Services",
        full_name=NAMES["vietnamese"],
        tier_name="Tier II",
        tier_rank=2,
        certified_on=datetime.date(2026, 11, 30),
        certified_by="Ольга Смирнова",
        number="CT-2026-000042",
        code="7KQ2-M9XD-4HTA-P3VW",
        verify_url=URL,
        skills=("Billing disputes (BILL-DISP), level 3",),
        modules=("Where work comes from (WF-101)",),
        other_requirements=("12 cross-training hours",),
    )
    return dataclasses.replace(data, **changes)


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


@pytest.mark.parametrize("script", NAMES)
def test_the_name_reads_back_in_every_script(script):
    text = text_of(render(certificate(full_name=NAMES[script])))
    assert NAMES[script] in text
    for printed in ("Tier II (rank 2)", "CT-2026-000042", "7KQ2-M9XD-4HTA-P3VW", "Ольга Смирнова"):
        assert printed in text
    assert "30 November 2026" in text
    assert "Billing disputes (BILL-DISP), level 3" in text
    assert "Where work comes from (WF-101)" in text


def test_names_typed_with_combining_marks_print_as_the_letters():
    decomposed = "Nguye\u0302\u0303n Thi\u0323 Hu\u031bo\u031bng"
    assert NAMES["vietnamese"] in text_of(render(certificate(full_name=decomposed)))


def test_the_qr_code_decodes_to_the_verification_address():
    page = pypdfium2.PdfDocument(render(certificate()))[0]
    image = page.render(scale=2).to_pil()
    found = zxingcpp.read_barcodes(image)
    assert [barcode.text for barcode in found] == [URL]


def test_the_same_certificate_renders_to_the_same_bytes():
    assert render(certificate()) == render(certificate())


def test_it_is_one_small_landscape_page_with_its_metadata():
    pdf = render(certificate())
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    meta = reader.metadata
    assert meta.title == f"Certificate CT-2026-000042: {NAMES['vietnamese']}, Tier II"
    assert meta.author == "Northwind Contact Services"
    assert "CT-2026-000042" in meta.subject
    assert len(pdf) < 100_000, "the font is subset"


def test_letter_paper_by_setting():
    box = pypdf.PdfReader(io.BytesIO(render(certificate(page_size="LETTER")))).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (792, 612)


def test_a_very_long_name_shrinks_to_fit_the_page_and_is_printed_whole():
    name = "Александра-Мария Константиновна Вишневецкая-Ødegård-Παπαδοπούλου-Nguyễn Thị Hương"
    pdf = render(certificate(full_name=name))
    assert name in text_of(pdf)
    # The name's words all land on the page, within its width (pdfium reports their boxes).
    page = pypdfium2.PdfDocument(pdf)[0]
    text = page.get_textpage()
    start = text.get_text_range().index(name[:10])
    boxes = [text.get_charbox(start + i) for i in range(len(name)) if name[i] != " "]
    assert min(b[0] for b in boxes) > 28 and max(b[2] for b in boxes) < 842 - 28


def test_a_revoked_certificate_carries_the_mark_and_its_date():
    text = text_of(render(certificate(revoked_on=datetime.date(2026, 12, 2))))
    assert "REVOKED" in text
    assert "on 2 December 2026" in text
    assert "REVOKED" not in text_of(render(certificate()))


def test_many_requirements_end_in_and_so_many_more():
    skills = tuple(f"Skill number {n} (S{n}), level 2" for n in range(12))
    text = text_of(render(certificate(skills=skills)))
    assert "Skill number 0 (S0), level 2" in text
    assert "and 6 more" in text
