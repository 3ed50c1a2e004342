"""The payroll export as files: the `.xlsx` workbook (rows and a summary) and the CSV."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings

from certificates.models import PayPeriod
from certificates.pay import PAYROLL_COLUMNS, PayChange, PayLine
from certificates.selectors import payroll_lines
from core.jobs import Progress
from core.spreadsheets.writing import XLSX_CONTENT_TYPE, SheetData, write_csv, write_workbook

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
ROWS_SHEET = "Pay differentials"
SUMMARY_SHEET = "Summary"
WIDTHS = (16, 20, 18, 16, 12, 12, 10, 16, 14, 12, 10, 60, 10)


def money_format() -> str:
    code = settings.TRACKER["CURRENCY"]
    symbol = CURRENCY_SYMBOLS.get(code)
    return f'"{symbol}"#,##0.00' if symbol else f'#,##0.00 "{code}"'


def payroll_file_name(period: PayPeriod, extension: str, *, changes_only: bool = False) -> str:
    suffix = "-changes" if changes_only else ""
    return f"pay-differentials-{period.start:%Y-%m-%d}{suffix}.{extension}"


def changes_only(lines: Sequence[PayLine]) -> list[PayLine]:
    """The rows a payroll system holding a standing pay element needs: starts, stops, changes."""
    return [line for line in lines if line.change != PayChange.SAME]


def payroll_xlsx(lines: Sequence[PayLine]) -> bytes:
    """The export workbook: the rows as typed cells, then a summary per tier and per change."""
    money = money_format()
    column = PAYROLL_COLUMNS.index
    rows = SheetData(
        ROWS_SHEET,
        PAYROLL_COLUMNS,
        [line.columns for line in lines],
        number_formats={column("differential_per_hour"): money},
        widths=dict(enumerate(WIDTHS)),
        table_header=True,
    )
    by_tier: dict[tuple[int, str, str, Decimal], int] = Counter(
        (line.paid_tier, line.tier_name, line.pay_code, line.differential_per_hour)
        for line in lines
        if line.paid_tier
    )
    changes = Counter(line.change for line in lines)
    summary_rows: list[list] = [
        [rank, name, code, count, differential]
        for (rank, name, code, differential), count in sorted(by_tier.items())
    ]
    summary_rows.append([])
    summary_rows.append(["change", "", "", "count", ""])
    summary_rows.extend(
        [change.value, "", "", changes.get(change, 0), None] for change in PayChange
    )
    summary = SheetData(
        SUMMARY_SHEET,
        ("paid_tier", "tier_name", "pay_code", "head_count", "differential_per_hour"),
        summary_rows,
        number_formats={4: money},
        widths={0: 12, 1: 16, 2: 10, 3: 12, 4: 20},
        table_header=False,
    )
    buffer = io.BytesIO()
    write_workbook(buffer, [rows, summary])
    return buffer.getvalue()


def payroll_csv(lines: Sequence[PayLine]) -> str:
    """The same columns as CSV: ISO dates, money with two decimals, formula-safe text."""
    return write_csv(
        PAYROLL_COLUMNS,
        (
            [f"{value:.2f}" if isinstance(value, Decimal) else value for value in line.columns]
            for line in lines
        ),
    )


CSV = "text/csv; charset=utf-8"


class PayrollFile(NamedTuple):
    body: bytes
    name: str
    content_type: str
    rows: int


def payroll_download(
    period: PayPeriod, *, only_changes: bool, as_csv: bool, progress: Progress | None = None
) -> PayrollFile:
    """The period's export as a file: for the page's link (in the request, or in a background
    job for a large roster: certificates.tasks) and for `export_payroll`. `progress` hears its
    two steps: the pay lines worked out, then the file written."""
    if progress:
        progress(0, 2, "Working out everyone's pay tier")
    lines = payroll_lines(period)
    if only_changes:
        lines = changes_only(lines)
    if progress:
        progress(1, 2, f"Writing {len(lines):,} rows")
    if as_csv:
        body, extension, content_type = payroll_csv(lines).encode("utf-8"), "csv", CSV
    else:
        body, extension, content_type = payroll_xlsx(lines), "xlsx", XLSX_CONTENT_TYPE
    if progress:
        progress(2, 2, "Written")
    name = payroll_file_name(period, extension, changes_only=only_changes)
    return PayrollFile(body, name, content_type, len(lines))
