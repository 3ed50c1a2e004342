"""The certificate as a PDF: plain data in, bytes out, no database access.

One landscape page, A4 or Letter. The text is set in Noto Sans (installed with the
`fontpkg-noto-sans` package, SIL Open Font Licence), which covers Latin with every
diacritic, Vietnamese, Greek and Cyrillic; reportlab embeds only the glyphs used, so a
certificate stays small. Text is NFC-normalised first: reportlab places one glyph per
character and does not position combining marks, and the precomposed letters are in the font.

The QR code of the verification address is drawn as one vector path of its dark modules
(segno makes the matrix); the canvas is invariant (fixed creation date and document id), so
rendering the same certificate twice gives the same bytes.
"""

from __future__ import annotations

import datetime
import functools
import io
import unicodedata
from dataclasses import dataclass

import segno
from fontpkg_noto_sans import ROOT as FONT_ROOT
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT = "NotoSans"
FONT_FILE = FONT_ROOT / "files" / "NotoSans[wdth,wght].ttf"
PAGE_SIZES = {"A4": landscape(A4), "LETTER": landscape(letter)}

INK = colors.HexColor("#1f2a37")
MUTED = colors.HexColor("#5b6675")
ACCENT = colors.HexColor("#1d4ed8")
RULE = colors.HexColor("#c7d2fe")
REVOKED_RED = colors.HexColor("#b91c1c")

NAME_SIZE = 34
NAME_MIN_SIZE = 9
LIST_LINES = 7  # requirement lines per column, "and N more" included
LIST_SIZE = 9.5
LIST_LEADING = 12.5
COLUMN_WIDTH = 230
COLUMN_GAP = 16
# segno tries all eight QR masks and keeps the best scored; that search was most of the cost of
# a certificate. Any mask gives a valid code, and this one decodes reliably (tested). The error
# correction starts at L and segno raises it as far as the same size allows: a verification
# address fits a version 3 symbol, whose modules print about a millimetre wide.
QR_MASK = 4


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on one certificate, as plain values."""

    organisation: str
    full_name: str
    tier_name: str
    tier_rank: int
    certified_on: datetime.date
    certified_by: str
    number: str
    code: str  # shown grouped, e.g. 7KQ2-M9XD-4HTA-P3VW
    verify_url: str
    skills: tuple[str, ...] = ()  # e.g. "Billing disputes (BILL), level 3"
    modules: tuple[str, ...] = ()
    other_requirements: tuple[str, ...] = ()  # hours, other-side skills, tenure
    revoked_on: datetime.date | None = None
    page_size: str = "A4"


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


@functools.cache
def register_font() -> str:
    """Registers the font once per process (a font, not data) and returns its name."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE)))
    return FONT


def fitted_size(text: str, width: float, size: float, minimum: float) -> float:
    """The largest size from `size` down to `minimum` at which `text` fits in `width`."""
    natural = pdfmetrics.stringWidth(text, FONT, size)
    if natural <= width:
        return size
    return max(minimum, size * width / natural)


def fitted_text(text: str, width: float, size: float) -> str:
    """`text` cut with an ellipsis where it is wider than `width` even at the smallest size."""
    if pdfmetrics.stringWidth(text, FONT, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def qr_runs(url: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The QR code of `url`: its width in modules, and its dark modules as (row, first
    column, length) runs along each row."""
    qr = segno.make(url, error="l", micro=False, mask=QR_MASK)
    runs = []
    count = 0
    for row_index, row in enumerate(qr.matrix):  # each row a bytearray of 0 and 1
        count = len(row)
        start = row.find(1)
        while start != -1:
            end = row.find(0, start)
            if end == -1:
                end = count
            runs.append((row_index, start, end - start))
            start = row.find(1, end)
    return count, runs


def qr_path(c: canvas.Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code of `url` as one filled path, `size` points square, lower left at (x, y).

    The path is written in module units under one transformation (rows counted downwards), so
    its operators are whole numbers: one `re` per run of dark modules, then one fill.
    """
    count, runs = qr_runs(url)
    quiet = 2  # modules of quiet zone inside the square (the page around it is white too)
    module = size / (count + 2 * quiet)
    c.saveState()
    c.setFillColor(colors.black)
    c.transform(module, 0, 0, -module, x + quiet * module, y + size - quiet * module)
    c.addLiteral(" ".join(f"{col} {row} {length} 1 re" for row, col, length in runs) + " f")
    c.restoreState()


def render(data: CertificateData) -> bytes:
    """The certificate as the bytes of a one-page PDF."""
    register_font()
    page_width, page_height = PAGE_SIZES[data.page_size.upper()]
    buffer = io.BytesIO()
    title = f"Certificate {data.number}: {nfc(data.full_name)}, {nfc(data.tier_name)}"
    c = canvas.Canvas(buffer, pagesize=(page_width, page_height), invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setAuthor(nfc(data.organisation))
    c.setSubject(f"Tier certification {data.number}, verification code {data.code}")
    c.setCreator(nfc(data.organisation))
    c.setKeywords(["certificate", data.number, data.code])

    margin = 28
    # Frame: an accent line and a thin inner rule.
    c.setStrokeColor(ACCENT)
    c.setLineWidth(3)
    c.rect(margin, margin, page_width - 2 * margin, page_height - 2 * margin)
    c.setStrokeColor(RULE)
    c.setLineWidth(0.8)
    c.rect(margin + 7, margin + 7, page_width - 2 * margin - 14, page_height - 2 * margin - 14)

    inner = margin + 40
    width = page_width - 2 * inner
    centre = page_width / 2
    y = page_height - margin - 58

    def centred(text: str, size: float, colour=INK, gap: float = 0) -> None:
        nonlocal y
        y -= gap
        c.setFont(FONT, size)
        c.setFillColor(colour)
        c.drawCentredString(centre, y, fitted_text(nfc(text), width, size))

    centred(data.organisation.upper(), 11, MUTED)
    centred("Certificate of tier certification", 26, ACCENT, gap=38)
    centred("This certifies that", 12, MUTED, gap=36)

    name = nfc(data.full_name)
    size = fitted_size(name, width, NAME_SIZE, NAME_MIN_SIZE)
    y -= 14 + size
    c.setFont(FONT, size)
    c.setFillColor(INK)
    c.drawCentredString(centre, y, fitted_text(name, width, size))
    c.setStrokeColor(RULE)
    c.setLineWidth(0.8)
    half = max(200, min(width, pdfmetrics.stringWidth(name, FONT, size)) / 2 + 20)
    c.line(centre - half, y - 10, centre + half, y - 10)

    centred("has met the requirements of, and was certified at,", 12, MUTED, gap=34)
    centred(f"{data.tier_name} (rank {data.tier_rank})", 20, INK, gap=28)
    centred(f"on {long_date(data.certified_on)}", 12, MUTED, gap=22)

    # What the tier required: up to three columns, centred under the tier, long items wrapped
    # onto a second line rather than cut.
    columns = [
        ("Skills required", data.skills),
        ("Modules required", data.modules),
        ("Also required", data.other_requirements),
    ]
    columns = [(heading, items) for heading, items in columns if items]
    top = y - 44
    column_width = min(COLUMN_WIDTH, width / max(1, len(columns)))
    left = centre - column_width * len(columns) / 2
    for index, (heading, items) in enumerate(columns):
        x = left + index * column_width + COLUMN_GAP / 2
        text_width = column_width - COLUMN_GAP
        c.setFont(FONT, 9)
        c.setFillColor(ACCENT)
        c.drawString(x, top, heading.upper())
        c.setFillColor(INK)
        c.setFont(FONT, LIST_SIZE)
        line_y = top - 15
        lines_left = LIST_LINES
        for position, item in enumerate(items):
            more = len(items) - position
            lines = simpleSplit(nfc(item), FONT, LIST_SIZE, text_width)[:2]
            if len(lines) == 2:
                lines[1] = fitted_text(lines[1], text_width, LIST_SIZE)
            if len(lines) > lines_left - (1 if more > 1 else 0):
                c.drawString(x, line_y, f"and {more} more")
                break
            for line in lines:
                c.drawString(x, line_y, line)
                line_y -= LIST_LEADING
            lines_left -= len(lines)

    # Footer: who certified and the certificate's identity on the left, the QR code right.
    qr_size = 96
    qr_x = page_width - inner - qr_size + 6
    qr_y = margin + 22
    qr_path(c, data.verify_url, qr_x, qr_y, qr_size)
    c.setFont(FONT, 8)
    c.setFillColor(MUTED)
    c.drawRightString(qr_x - 10, qr_y + 58, "Verify this certificate at")
    c.setFillColor(INK)
    c.drawRightString(qr_x - 10, qr_y + 46, fitted_text(data.verify_url, 260, 8))
    c.setFont(FONT, 8)
    c.setFillColor(MUTED)
    c.drawRightString(qr_x - 10, qr_y + 30, "Verification code")
    c.setFont(FONT, 12)
    c.setFillColor(INK)
    c.drawRightString(qr_x - 10, qr_y + 16, data.code)

    left = inner
    c.setFont(FONT, 8)
    c.setFillColor(MUTED)
    c.drawString(left, qr_y + 58, "Certified by")
    c.setFont(FONT, 12)
    c.setFillColor(INK)
    c.drawString(left, qr_y + 44, fitted_text(nfc(data.certified_by), 300, 12))
    c.setFont(FONT, 8)
    c.setFillColor(MUTED)
    c.drawString(left, qr_y + 30, "Certificate number")
    c.setFont(FONT, 12)
    c.setFillColor(INK)
    c.drawString(left, qr_y + 16, data.number)

    if data.revoked_on is not None:
        stamp_revoked(c, data.revoked_on, page_width, page_height)

    c.showPage()
    c.save()
    return buffer.getvalue()


def stamp_revoked(
    c: canvas.Canvas, revoked_on: datetime.date, page_width: float, page_height: float
) -> None:
    """A red "REVOKED" mark with the date across the page, over everything else."""
    c.saveState()
    c.translate(page_width / 2, page_height / 2)
    c.rotate(18)
    c.setFillColor(REVOKED_RED)
    c.setFillAlpha(0.82)
    c.setStrokeColor(REVOKED_RED)
    c.setStrokeAlpha(0.82)
    c.setLineWidth(4)
    c.roundRect(-230, -52, 460, 118, 14, stroke=1, fill=0)
    c.setFont(FONT, 64)
    c.drawCentredString(0, -4, "REVOKED")
    c.setFont(FONT, 16)
    c.drawCentredString(0, -38, f"on {long_date(revoked_on)}")
    c.restoreState()
