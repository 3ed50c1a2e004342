"""Writing .xlsx workbooks; domain-free.

`write_workbook` / `write_xlsx` write typed cells in write-only mode; every string is a text
cell, so no cell the tracker writes is ever read as a formula. Every sheet is a table to work
in unless told otherwise: the header row bold and frozen, a filter on every column, and each
column as wide as its header and the values of its first rows.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

BOLD = Font(bold=True)
# Columns are fitted to the header and the first rows (write-only sheets take widths before
# their rows), within these bounds, in characters.
FIT_ROWS = 500
# The content type of every .xlsx the tracker sends.
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIN_WIDTH, MAX_WIDTH = 8, 60
# A spreadsheet program reads a cell starting with one of these as a formula (or a DDE call).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class SheetData:
    """One sheet to write: headers, rows of plain values, optional number formats by column and
    widths (the others are fitted)."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    number_formats: Mapping[int, str] = field(default_factory=dict)
    widths: Mapping[int, float] = field(default_factory=dict)
    # A table to work in: the header row bold and frozen, with a filter on every column (False
    # for a sheet that is not one table, such as a summary).
    table_header: bool = True


def text_cell(worksheet, value: str) -> WriteOnlyCell:
    """A cell that holds `value` as text, never as a formula (even "=1+1", "+44…", "@x")."""
    cell = WriteOnlyCell(worksheet, value=value)
    cell.data_type = "s"
    return cell


def write_workbook(target: Any, sheets: Iterable[SheetData]) -> None:
    """Writes typed cells in write-only mode to a path or binary file object.

    Strings are text cells; dates are date cells (yyyy-mm-dd); numbers are numbers, with the
    sheet's number format for their column when one is given; None is an empty cell.
    """
    book = openpyxl.Workbook(write_only=True)
    for data in sheets:
        worksheet = book.create_sheet(title=data.title)
        rows_iter = iter(data.rows)
        first = list(itertools.islice(rows_iter, FIT_ROWS))
        widths = {**fitted_widths(data.headers, first), **data.widths}
        for index, width in widths.items():
            worksheet.column_dimensions[get_column_letter(index + 1)].width = width
        if data.table_header:
            worksheet.freeze_panes = "A2"
        headers = []
        for h in data.headers:
            cell = None if h is None else text_cell(worksheet, str(h))
            if cell is not None and data.table_header:
                cell.font = BOLD
            headers.append(cell)
        worksheet.append(headers)
        formats = dict(data.number_formats)
        rows = 1
        for row in itertools.chain(first, rows_iter):
            worksheet.append(
                [_cell(worksheet, value, formats.get(i)) for i, value in enumerate(row)]
            )
            rows += 1
        if data.table_header and data.headers:
            worksheet.auto_filter.ref = f"A1:{get_column_letter(len(data.headers))}{rows}"
    book.save(target)


def shown_length(value: Any) -> int:
    """About how many characters a value takes in its cell."""
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, bool):
        return 5
    return max((len(line) for line in str(value).splitlines()), default=0)


def fitted_widths(headers: Sequence[Any], rows: Sequence[Sequence[Any]]) -> dict[int, float]:
    """Each column's width: its longest header or value, plus room for the filter button."""
    longest = [shown_length(h) for h in headers]
    for row in rows:
        for index, value in enumerate(row):
            length = shown_length(value)
            if index >= len(longest):
                longest.append(length)
            elif length > longest[index]:
                longest[index] = length
    return {i: float(min(MAX_WIDTH, max(MIN_WIDTH, n + 3))) for i, n in enumerate(longest)}


def _cell(worksheet, value: Any, number_format: str | None) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        return text_cell(worksheet, value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = number_format or "yyyy-mm-dd"
        return cell
    if number_format is not None and isinstance(value, (int, float, Decimal)):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = number_format
        return cell
    return value


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Sheet1",
    number_formats: Mapping[int, str] | None = None,
) -> bytes:
    """One-sheet workbook as bytes (for downloads), with the same typed cells."""
    buffer = io.BytesIO()
    write_workbook(buffer, [SheetData(title, headers, rows, number_formats=number_formats or {})])
    return buffer.getvalue()


def csv_safe(value: Any) -> Any:
    """A value for a CSV cell that a spreadsheet program will not evaluate as a formula.

    Text starting with =, +, -, @, a tab or a carriage return gets a leading apostrophe, the
    usual neutralisation: spreadsheet programs show the text as typed and payroll imports
    that read the file as data see the apostrophe, which is documented. Dates are ISO.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else value


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text, for payroll imports: encode it as UTF-8 (no byte-order mark, which some
    imports reject); every cell through `csv_safe`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_safe(h) for h in headers])
    for row in rows:
        writer.writerow([csv_safe(value) for value in row])
    return buffer.getvalue()
