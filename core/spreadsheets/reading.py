"""Reading .xlsx workbooks safely; domain-free.

- `check_archive` refuses what must never reach the XML parser: files that are not zip
  archives (CSV, random bytes), OLE2 files (password-protected workbooks and old .xls),
  archives whose entries would expand beyond a limit, with too many entries, or whose XML
  declares a DTD (the door for entity-expansion bombs; defusedxml guards the parser too).
- `read_workbook` reads every sheet once in openpyxl's read-only mode: the header row is
  normalised (case and surrounding spaces do not matter), reading stops at the first fully
  empty row whatever the sheet's recorded dimensions claim, and a sheet longer than the row
  cap is refused. Formula cells are refused ("paste values") unless the file holds their
  saved value, which is then used.
- `Problem` / `Location` render a problem as `Sheet!Cell (column): problem`.
- `Row` / `bind_sheet` help the apps validate a sheet against their column specs, and the
  converters (`as_text`, `as_date`, …) turn cells into typed values with one message each.
- `Table` holds one entity's rows as the database has them and as the workbook brings them,
  so an import can tell created, updated and unchanged rows apart.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

# --- File-level refusals: one line each, nothing else is read --------------------------------

FILE_TOO_LARGE = "The file is {size}; the largest workbook accepted is {limit}."
FILE_EMPTY = "The file is empty."
NOT_XLSX = (
    "The file is not an .xlsx workbook (it is not a zip archive): save it from your "
    "spreadsheet program as an Excel Workbook (.xlsx) and upload that."
)
NOT_A_WORKBOOK = (
    "The file is a zip archive but not an .xlsx workbook: save it from your spreadsheet "
    "program as an Excel Workbook (.xlsx) and upload that."
)
PASSWORD_PROTECTED = (
    "The workbook is password-protected (or in the old .xls format): remove the password, "
    "save it as an Excel Workbook (.xlsx) and upload it again."
)
EXPANDS_TOO_MUCH = (
    "The workbook would expand to {size} when opened, more than the {limit} allowed; "
    "it cannot be a plain data workbook."
)
TOO_MANY_ENTRIES = (
    "The workbook holds {count} parts, more than the {limit} allowed for a data workbook."
)
XML_UNSAFE = (
    "The workbook contains XML with a document type declaration ({part}), which data "
    "workbooks never need; it was not opened."
)
UNREADABLE = "The workbook could not be read ({reason}): open it, save it again as .xlsx."
TOO_MANY_ROWS = "Sheet {sheet} has more than {limit} rows; split it into several workbooks."

# --- Cell and header problems --------------------------------------------------------------

FORMULA_WITHOUT_VALUE = (
    "{formula} is a formula without a saved value: paste values (copy the cells, then "
    "Paste Special > Values) and upload again"
)
MISSING_VALUE = "a value is required"
NOT_A_DATE = "{value} is not a date"
NOT_A_WHOLE_NUMBER = "{value} is not a whole number"
NOT_A_NUMBER = "{value} is not a number"
NOT_YES_NO = "{value} is not yes or no"
NOT_ONE_OF = "{value} is not one of {choices}"
MISSING_COLUMN = "the required column {name} is missing"
DUPLICATE_COLUMN = "the column {name} appears more than once"
UNKNOWN_COLUMN = "unknown column {name}, ignored"
UNKNOWN_SHEET = "unknown sheet, ignored"
DUPLICATE_KEY = "{key} is already on row {row}"

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PROLOG_BYTES = 64 * 1024
DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
WHOLE_TEXT = re.compile(r"[+-]?\d+")


class WorkbookRefused(Exception):
    """The file cannot be read as a workbook at all; the message says why in one line."""


@dataclass(frozen=True)
class Limits:
    """What a workbook may cost before and while it is read."""

    max_bytes: int
    max_uncompressed_bytes: int
    max_entries: int
    max_rows: int


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


# --- Problems -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    """Where a problem is: a cell (`Sheet!F7`), a row or the header (`Sheet!1:1`), a sheet."""

    sheet: str
    row: int | None = None
    column: str | None = None  # the column letter
    field: str | None = None  # the header name

    def __str__(self) -> str:
        if self.row is None:
            ref = self.sheet
        elif self.column is None:
            ref = f"{self.sheet}!{self.row}:{self.row}"
        else:
            ref = f"{self.sheet}!{self.column}{self.row}"
        return f"{ref} ({self.field})" if self.field else ref


@dataclass(frozen=True)
class Problem:
    message: str
    location: Location | None = None

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


# --- Archive checks ---------------------------------------------------------------------------


def check_archive(data: bytes, limits: Limits) -> None:
    """Refuses, before any parsing, what is not a small, plain .xlsx zip archive."""
    if not data:
        raise WorkbookRefused(FILE_EMPTY)
    if len(data) > limits.max_bytes:
        raise WorkbookRefused(
            FILE_TOO_LARGE.format(size=megabytes(len(data)), limit=megabytes(limits.max_bytes))
        )
    if data.startswith(OLE2_MAGIC):
        raise WorkbookRefused(PASSWORD_PROTECTED)
    if not (data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC))):
        raise WorkbookRefused(NOT_XLSX)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise WorkbookRefused(NOT_XLSX) from error
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_entries:
            raise WorkbookRefused(
                TOO_MANY_ENTRIES.format(count=len(entries), limit=limits.max_entries)
            )
        # The declared sizes bound what zipfile will ever inflate (it stops at file_size and
        # checks the CRC), so summing them is a sound check of the expanded size.
        total = sum(entry.file_size for entry in entries)
        if total > limits.max_uncompressed_bytes:
            raise WorkbookRefused(
                EXPANDS_TOO_MUCH.format(
                    size=megabytes(total), limit=megabytes(limits.max_uncompressed_bytes)
                )
            )
        if any(entry.flag_bits & 0x1 for entry in entries):
            raise WorkbookRefused(PASSWORD_PROTECTED)
        names = {entry.filename for entry in entries}
        if "[Content_Types].xml" not in names:
            raise WorkbookRefused(NOT_A_WORKBOOK)
        for entry in entries:
            if entry.filename.endswith((".xml", ".rels", ".vml")):
                _check_prolog(archive, entry)


def _check_prolog(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """Refuses an XML part that declares a DTD (entities live there) before its root element."""
    try:
        with archive.open(entry) as stream:
            head = stream.read(PROLOG_BYTES)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise WorkbookRefused(UNREADABLE.format(reason=f"{entry.filename} is damaged")) from error
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    root = re.search(rb"<[^?!]", head)
    prolog = head if root is None else head[: root.start()]
    if re.search(rb"<!(DOCTYPE|ENTITY)", prolog, re.IGNORECASE):
        raise WorkbookRefused(XML_UNSAFE.format(part=entry.filename))
    if root is None and len(head) >= PROLOG_BYTES:
        raise WorkbookRefused(UNREADABLE.format(reason=f"{entry.filename} has no root element"))


# --- Reading ------------------------------------------------------------------------------------


def normalise_header(value: Any) -> str:
    return str(value).strip().lower() if value is not None else ""


class Unreadable:
    """Stands in a cell whose value could not be read (a formula without a saved value)."""

    def __repr__(self) -> str:
        return "UNREADABLE"


UNREADABLE_CELL = Unreadable()


@dataclass
class Sheet:
    """One sheet as read: normalised headers (by position) and its data rows."""

    title: str
    headers: list[str] = field(default_factory=list)  # normalised; "" for a blank header cell
    rows: list[tuple[int, tuple]] = field(default_factory=list)  # (row number, values)
    problems: list[Problem] = field(default_factory=list)
    read: bool = True  # False for sheets skipped unread
    # Streams the rows from the file instead of `rows` (see streamed_workbook).
    stream: Callable[[], Iterator[tuple[int, tuple]]] | None = None
    # How many data rows the file says the sheet has (a progress bar's total only; count_rows).
    size: Callable[[], int] | None = None

    def iter_rows(self) -> Iterator[tuple[int, tuple]]:
        return self.stream() if self.stream is not None else iter(self.rows)


@dataclass
class Workbook:
    sheets: list[Sheet]

    def sheet(self, name: str) -> Sheet | None:
        """The sheet whose title matches `name` regardless of case and surrounding spaces."""
        wanted = normalise_header(name)
        return next((s for s in self.sheets if normalise_header(s.title) == wanted), None)


def is_blank(value: Any) -> bool:
    return value is None or (value.__class__ is str and not value.strip())


def _is_formula(value: Any) -> bool:
    if value.__class__ is str:
        return len(value) > 1 and value[0] == "="
    return isinstance(value, (ArrayFormula, DataTableFormula))


class _UnsizedSheet(ReadOnlyWorksheet):
    """A read-only sheet that never looks for its recorded dimensions.

    They may lie (a million rows, 16,384 columns), and openpyxl finds them by parsing the
    whole sheet once more when the file has no <dimension> element near its top (as files
    written in write-only mode do): reading stops at the first empty row instead.
    """

    def _get_size(self) -> None:
        self._min_column = self._min_row = 1
        self._max_column = self._max_row = None


class _Reader(ExcelReader):
    """openpyxl's reader in read-only mode, with `_UnsizedSheet` worksheets."""

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            worksheet = _UnsizedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


def open_workbook(data: bytes, *, data_only: bool = False):
    """The workbook in read-only mode, for streaming its rows (as openpyxl.load_workbook)."""
    reader = _Reader(
        io.BytesIO(data),
        read_only=True,
        keep_vba=False,
        data_only=data_only,
        keep_links=False,
        rich_text=False,
    )
    reader.read()
    return reader.wb


@contextlib.contextmanager
def streamed_workbook(
    data: bytes, limits: Limits, wanted: Callable[[str], bool] | None = None
) -> Iterator[Workbook]:
    """The workbook's sheets (or those `wanted` by title) with their headers read and their
    rows streamed from the file as they are iterated; raises WorkbookRefused, here or while
    the rows are read.

    Nothing but the row being checked sits in memory, and a check that stops early (too many
    problems) never reads the rest of the file.
    """
    check_archive(data, limits)
    try:
        book = open_workbook(data)
    except WorkbookRefused:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise WorkbookRefused(_reason(error)) from error
    twins: list[Any] = []  # the data-only twin, opened once if some sheet has formulas

    def twin():
        if not twins:
            twins.append(open_workbook(data, data_only=True))
        return twins[0]

    try:
        sheets = []
        for worksheet in book.worksheets:
            if wanted is not None and not wanted(worksheet.title):
                sheets.append(Sheet(worksheet.title, read=False))
                continue
            sheets.append(_open_sheet(worksheet, limits, twin))
        yield Workbook(sheets)
    except WorkbookRefused:
        raise
    except Exception as error:
        raise WorkbookRefused(_reason(error)) from error
    finally:
        book.close()
        for book_twin in twins:
            book_twin.close()


def read_workbook(
    data: bytes, limits: Limits, wanted: Callable[[str], bool] | None = None
) -> Workbook:
    """Reads every sheet (or those `wanted` by title) whole, into memory; raises
    WorkbookRefused."""
    with streamed_workbook(data, limits, wanted) as book:
        for sheet in book.sheets:
            sheet.rows = list(sheet.iter_rows())
            sheet.stream = None
    return book


def _reason(error: Exception) -> str:
    name = type(error).__name__
    if name in {"EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden"}:
        return XML_UNSAFE.format(part="a sheet")
    detail = str(error).splitlines()[0][:120] if str(error) else name
    return UNREADABLE.format(reason=detail)


def _open_sheet(worksheet, limits: Limits, twin: Callable[[], Any]) -> Sheet:
    """The sheet with its header row read; its data rows stream when iterated."""
    sheet = Sheet(worksheet.title)
    header = next(worksheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    headers = [normalise_header(value) for value in header]
    while headers and not headers[-1]:
        headers.pop()
    sheet.headers = headers
    if headers:
        sheet.stream = lambda: _stream_rows(sheet, worksheet, limits, twin)
        sheet.size = lambda: min(
            max((worksheet.max_row or _last_row_number(worksheet)) - 1, 0), limits.max_rows
        )
    return sheet


_ROW_NUMBER = re.compile(rb"row\b[^>]*?\sr=\"(\d+)\"")


def _last_row_number(worksheet) -> int:
    """The number of the sheet's last row, for a file without a dimension (openpyxl's own
    write-only files): the sheet's XML read once for its last `<row r="…">` (a fraction of the
    time the rows then take to read). 1 when it cannot tell."""
    last = 1
    tail = b""
    try:
        with worksheet._get_source() as source:
            while chunk := source.read(1 << 20):
                text = tail + chunk
                start = max(text.rfind(b"<row "), text.rfind(b":row "))
                if start >= 0 and (found := _ROW_NUMBER.match(text, start + 1)):
                    last = int(found.group(1))
                tail = text[-200:]
    except Exception:  # a damaged sheet is reported when its rows are read
        return 1
    return last


def count_rows(book: Workbook, progress: Callable[[int, int, str], None]) -> None:
    """Makes the streamed sheets of `book` tell `progress(rows read, rows in all, "Reading
    sheet …")` of each row as it is read: sheet by sheet, against the file's own row counts."""
    sheets = [sheet for sheet in book.sheets if sheet.stream is not None]
    total = sum(sheet.size() for sheet in sheets if sheet.size is not None)
    done = 0

    def counted(sheet: Sheet, stream: Callable[[], Iterator[tuple[int, tuple]]]):
        def rows() -> Iterator[tuple[int, tuple]]:
            nonlocal done
            stage = f"Reading sheet {sheet.title}"
            progress(done, total, stage)
            for row in stream():
                done += 1
                progress(done, total, stage)
                yield row

        return rows

    for sheet in sheets:
        sheet.stream = counted(sheet, sheet.stream)


def _stream_rows(
    sheet: Sheet, worksheet, limits: Limits, twin: Callable[[], Any]
) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of each data row up to the first fully empty one."""
    width = len(sheet.headers)
    limit = limits.max_rows
    saved = _SavedValues(sheet, twin)
    number = 1
    try:
        for values in worksheet.iter_rows(min_row=2, max_col=width, values_only=True):
            number += 1
            filled = False
            formulas: list[int] | None = None
            for index, value in enumerate(values):
                if value is None:
                    continue
                if value.__class__ is str:
                    if len(value) > 1 and value[0] == "=":
                        formulas = [*(formulas or ()), index]
                    elif not value.strip():
                        continue
                elif isinstance(value, (ArrayFormula, DataTableFormula)):
                    formulas = [*(formulas or ()), index]
                filled = True
            if not filled:
                return
            if number - 1 > limit:
                raise WorkbookRefused(TOO_MANY_ROWS.format(sheet=sheet.title, limit=f"{limit:,}"))
            if formulas:
                values = saved.resolve(number, values, formulas)
            yield number, values
    except WorkbookRefused:
        raise
    except Exception as error:
        raise WorkbookRefused(_reason(error)) from error


class _SavedValues:
    """Replaces a row's formulas by their saved values, or reports them ("paste values").

    The data-only twin of the sheet is read in step with the sheet, once, and only from the
    first row that has a formula. A text cell that merely starts with "=" reads the same in
    both modes and is kept as text.
    """

    def __init__(self, sheet: Sheet, twin: Callable[[], Any]):
        self.sheet = sheet
        self.twin = twin
        self.rows: Iterator[tuple] | None = None
        self.number = 1  # the twin's row last read

    def resolve(self, number: int, values: tuple, formulas: list[int]) -> tuple:
        sheet = self.sheet
        if self.rows is None:
            self.rows = self.twin()[sheet.title].iter_rows(
                min_row=2, max_col=len(sheet.headers), values_only=True
            )
        twin_values: tuple = ()
        while self.number < number:
            twin_values = next(self.rows, ())
            self.number += 1
        values = list(values)
        for index in formulas:
            formula = values[index]
            value = twin_values[index] if index < len(twin_values) else None
            if value is not None and value == formula:
                continue  # text that starts with "="
            if is_blank(value) or _is_formula(value):
                text = formula.text if isinstance(formula, ArrayFormula) else str(formula)
                sheet.problems.append(
                    Problem(
                        FORMULA_WITHOUT_VALUE.format(formula=text),
                        Location(
                            sheet.title, number, get_column_letter(index + 1), sheet.headers[index]
                        ),
                    )
                )
                values[index] = UNREADABLE_CELL
            else:
                values[index] = value
        return tuple(values)


# --- Binding a sheet to its columns -----------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False


@dataclass(frozen=True)
class SheetSpec:
    """A sheet of a workbook format: its title, columns (in order) and natural key."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def headers(self) -> list[str]:
        return [c.name for c in self.columns]


class CellError(ValueError):
    """A cell's value is wrong; `message` says how (None: already reported)."""

    def __init__(self, message: str | None):
        super().__init__(message or "")
        self.message = message


# Validation stops at this many problems: a garbage file of a quarter of a million rows would
# otherwise take minutes to list them all, and nobody reads past the first screens.
MAX_PROBLEMS = 1000
STOPPED_AT = (
    "Checking stopped after the first {count:,} problems; correct these and upload again to "
    "see any others."
)


class TooManyProblems(Exception):
    """Raised by ProblemList when the limit is reached: the check stops there."""


class ProblemList(list):
    """The problems found, up to MAX_PROBLEMS: the one past the limit stops the check."""

    limit = MAX_PROBLEMS

    def append(self, item) -> None:
        super().append(item)
        if len(self) >= self.limit:
            raise TooManyProblems

    def stopped(self) -> None:
        """Adds the closing note that checking stopped (past the limit, without raising)."""
        super().append(Problem(STOPPED_AT.format(count=len(self))))


@dataclass
class Report:
    """What validation found: problems refuse the workbook, warnings do not."""

    problems: list[Problem] = field(default_factory=ProblemList)
    warnings: list[Problem] = field(default_factory=list)


class BoundSheet:
    """A sheet whose headers were matched to a spec: gives rows that know their cells."""

    def __init__(self, sheet: Sheet, spec: SheetSpec, report: Report):
        self.sheet = sheet
        self.spec = spec
        self.report = report
        self.index: dict[str, int] = {}
        self.letters: dict[str, str] = {}
        known = {c.name for c in spec.columns}
        for position, name in enumerate(sheet.headers):
            if not name:
                continue
            letter = get_column_letter(position + 1)
            if name in self.index:
                report.problems.append(
                    Problem(DUPLICATE_COLUMN.format(name=name), Location(sheet.title, 1, letter))
                )
            elif name in known:
                self.index[name] = position
                self.letters[name] = letter
            else:
                report.warnings.append(
                    Problem(UNKNOWN_COLUMN.format(name=name), Location(sheet.title, 1, letter))
                )
        self.missing = [c.name for c in spec.columns if c.required and c.name not in self.index]
        for name in self.missing:
            report.problems.append(
                Problem(MISSING_COLUMN.format(name=name), Location(sheet.title, 1, field=name))
            )
        self.take_problems()

    def take_problems(self) -> None:
        """Moves the problems found while reading the sheet (formulas) into the report."""
        problems = self.sheet.problems
        while problems:
            self.report.problems.append(problems.pop(0))

    @property
    def usable(self) -> bool:
        """False when a required column is missing: its rows are not checked one by one."""
        return not self.missing

    def rows(self) -> Iterator[Row]:
        problems = self.sheet.problems
        for number, values in self.sheet.iter_rows():
            if problems:
                self.take_problems()
            yield Row(self, number, values)

    def location(self, number: int, name: str) -> Location:
        return Location(self.sheet.title, number, self.letters.get(name), name)


class Row:
    """One data row: typed access to its cells, each problem reported at its cell."""

    __slots__ = ("absent", "blank", "bound", "number", "ok", "values")

    def __init__(self, bound: BoundSheet, number: int, values: tuple):
        self.bound = bound
        self.number = number
        self.values = values
        self.ok = True
        self.blank: list[str] = []  # columns of the sheet whose cell is blank on this row
        self.absent: list[str] = []  # columns taken that the sheet does not have

    def raw(self, name: str) -> Any:
        position = self.bound.index.get(name)
        if position is None or position >= len(self.values):
            return None
        return self.values[position]

    def take(
        self,
        name: str,
        convert: Callable[[Any], Any],
        *,
        required: bool = False,
        default: Any = None,
    ) -> Any:
        """The cell converted; blank gives `default` (or a problem when required)."""
        value = self.raw(name)
        if value is None or (value.__class__ is str and not value.strip()):
            if required:
                self.fail(name, MISSING_VALUE)
            elif name in self.bound.index:
                self.blank.append(name)
            else:
                self.absent.append(name)
            return default
        try:
            return convert(value)
        except CellError as error:
            self.fail(name, error.message)
            return default

    def fail(self, name: str, message: str | None) -> None:
        self.ok = False
        if message:
            self.bound.report.problems.append(
                Problem(message, self.bound.location(self.number, name))
            )

    def where(self, name: str) -> Location:
        return self.bound.location(self.number, name)


# --- Converters: raw cell value -> typed value, or CellError ---------------------------------


def show(value: Any) -> str:
    """A cell's value as the person typed it, for messages."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return value.strip()
    return str(value)


def _check_readable(value: Any) -> None:
    if value is UNREADABLE_CELL:
        raise CellError(None)


def as_text(value: Any) -> str:
    _check_readable(value)
    if value.__class__ is str:
        return value.strip()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return show(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def as_date(value: Any) -> datetime.date:
    _check_readable(value)
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if value.__class__ is str:
        text = value.strip()
        if DATE_TEXT.fullmatch(text):
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                pass
    raise CellError(NOT_A_DATE.format(value=show(value)))


def as_int(value: Any) -> int:
    _check_readable(value)
    if isinstance(value, bool):
        raise CellError(NOT_A_WHOLE_NUMBER.format(value=show(value)))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    if value.__class__ is str and WHOLE_TEXT.fullmatch(value.strip()):
        return int(value.strip())
    raise CellError(NOT_A_WHOLE_NUMBER.format(value=show(value)))


def as_decimal(value: Any) -> Decimal:
    _check_readable(value)
    if isinstance(value, bool):
        raise CellError(NOT_A_NUMBER.format(value=show(value)))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    elif value.__class__ is str:
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise CellError(NOT_A_NUMBER.format(value=show(value))) from None
    else:
        raise CellError(NOT_A_NUMBER.format(value=show(value)))
    if not number.is_finite():
        raise CellError(NOT_A_NUMBER.format(value=show(value)))
    return number


YES = frozenset({"yes", "y", "true"})
NO = frozenset({"no", "n", "false"})


def as_yes_no(value: Any) -> bool:
    _check_readable(value)
    if isinstance(value, bool):
        return value
    text = as_text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(NOT_YES_NO.format(value=show(value)))


def as_choice(*choices: str) -> Callable[[Any], str]:
    """A converter accepting one of `choices`, whatever the case."""
    allowed = {c.lower(): c for c in choices}
    listed = ", ".join(choices)

    def convert(value: Any) -> str:
        text = as_text(value)
        try:
            return allowed[text.lower()]
        except KeyError:
            raise CellError(NOT_ONE_OF.format(value=text, choices=listed)) from None

    return convert


def as_list(value: Any) -> tuple[str, ...]:
    """Comma-separated text as its non-blank items, in order."""
    return tuple(item.strip() for item in as_text(value).split(",") if item.strip())


# --- One entity's rows: in the database and in the workbook --------------------------------

Key = Hashable


@dataclass
class Table:
    """The rows of one entity, keyed by natural key: what the database holds (`existing`, with
    `pks`) and what the workbook brings (`incoming`, with the row each came from). Keys of rows
    that failed validation go to `broken`, so rows referring to them are not reported again."""

    name: str
    existing: dict[Key, tuple] = field(default_factory=dict)
    pks: dict[Key, int] = field(default_factory=dict)
    incoming: dict[Key, tuple] = field(default_factory=dict)
    rows: dict[Key, int] = field(default_factory=dict)
    broken: set[Key] = field(default_factory=set)
    present: bool = False  # the workbook had this sheet

    def get(self, key: Key) -> tuple | None:
        record = self.incoming.get(key)
        return record if record is not None else self.existing.get(key)

    def knows(self, key: Key) -> bool:
        return key in self.incoming or key in self.existing or key in self.broken

    def merged(self) -> dict[Key, tuple]:
        return {**self.existing, **self.incoming}

    def created(self) -> list[Key]:
        return [key for key in self.incoming if key not in self.existing]

    def updated(self) -> list[Key]:
        existing = self.existing
        return [
            key
            for key, record in self.incoming.items()
            if key in existing and existing[key] != record
        ]

    def counts(self) -> tuple[int, int, int]:
        """(created, updated, unchanged) for the rows the workbook brings."""
        created = updated = 0
        existing = self.existing
        for key, record in self.incoming.items():
            old = existing.get(key)
            if old is None:
                created += 1
            elif old != record:
                updated += 1
        return created, updated, len(self.incoming) - created - updated
