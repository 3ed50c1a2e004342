"""core/spreadsheets.py without the database: hostile files, reading, converters, the writer.

Every hostile file is built here, in the test: a CSV and random bytes named .xlsx, an OLE2
(password-protected) file, a zip bomb, a billion-laughs XML bomb, a sheet whose dimensions
claim a million rows, formula cells with and without a saved value, and an over-size file.
"""

import datetime
import io
import os
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from core.spreadsheets import reading as sp
from core.spreadsheets.reading import Limits, Location, Problem, WorkbookRefused, read_workbook
from core.spreadsheets.writing import (
    MAX_WIDTH,
    SheetData,
    fitted_widths,
    write_workbook,
    write_xlsx,
)

LIMITS = Limits(
    max_bytes=1024 * 1024, max_uncompressed_bytes=10 * 1024 * 1024, max_entries=50, max_rows=100
)


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    buffer = io.BytesIO()
    write_workbook(buffer, [SheetData(t, rows[0], rows[1:]) for t, rows in sheets.items()])
    return buffer.getvalue()


def rewrite(data: bytes, part: str, change) -> bytes:
    """The same archive with one part's XML text changed by `change`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == part:
                content = change(content.decode()).encode()
            target.writestr(entry.filename, content)
    return buffer.getvalue()


SIMPLE = {"People": [["number", "name"], ["E1", "Ana"], ["E2", "Zoë"], ["E3", "Kwame"]]}
SHEET1 = "xl/worksheets/sheet1.xml"


def refusal(data: bytes, limits: Limits = LIMITS) -> str:
    with pytest.raises(WorkbookRefused) as caught:
        read_workbook(data, limits)
    message = str(caught.value)
    assert "\n" not in message  # one line
    return message


# --- Hostile and broken files -----------------------------------------------------------


def test_read_workbook_refuses_csv_named_xlsx():
    assert refusal(b"employee_number,first_name\nE1,Ana\n") == sp.NOT_XLSX


def test_read_workbook_refuses_random_bytes():
    assert refusal(os.urandom(4096)) == sp.NOT_XLSX


def test_read_workbook_refuses_empty_file():
    assert refusal(b"") == sp.FILE_EMPTY


def test_read_workbook_refuses_ole2_file_as_password_protected():
    # Excel stores a password-protected workbook as an OLE2 compound file (so is an old .xls).
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(2048)
    assert refusal(data) == sp.PASSWORD_PROTECTED


def test_read_workbook_refuses_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert refusal(buffer.getvalue()) == sp.NOT_A_WORKBOOK


def test_read_workbook_refuses_zip_bomb_before_inflating_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(64):  # 64 MB of zeros: a few dozen KB once compressed
                entry.write(chunk)
    data = buffer.getvalue()
    assert len(data) < LIMITS.max_bytes

    message = refusal(data)

    assert message == sp.EXPANDS_TOO_MUCH.format(size="64.0 MB", limit="10.0 MB")


def test_read_workbook_refuses_too_many_parts():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for n in range(60):
            archive.writestr(f"xl/part{n}.bin", "x")
    assert refusal(buffer.getvalue()) == sp.TOO_MANY_ENTRIES.format(count=61, limit=50)


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'
        for n in range(1, 10)
    )
    + "]>\n"
)


def test_read_workbook_refuses_billion_laughs_in_a_sheet():
    data = rewrite(
        workbook_bytes(SIMPLE),
        SHEET1,
        lambda xml: BILLION_LAUGHS + xml.replace("<t>Ana</t>", "<t>&lol9;</t>"),
    )
    assert refusal(data) == sp.XML_UNSAFE.format(part=SHEET1)


def test_openpyxl_parses_with_defusedxml():
    # The second guard behind the prolog check: openpyxl uses defusedxml when it is installed.
    assert openpyxl.DEFUSEDXML is True


def test_read_workbook_refuses_over_size_file():
    data = workbook_bytes(SIMPLE)
    small = Limits(len(data) - 1, LIMITS.max_uncompressed_bytes, 50, 100)
    assert refusal(data, small) == sp.FILE_TOO_LARGE.format(
        size=sp.megabytes(len(data)), limit=sp.megabytes(len(data) - 1)
    )


def test_read_workbook_ignores_dimensions_claiming_a_million_rows():
    def claim(xml: str) -> str:
        return xml.replace("<sheetData>", '<dimension ref="A1:J1048576"/><sheetData>', 1)

    data = rewrite(workbook_bytes(SIMPLE), SHEET1, claim)
    assert 'ref="A1:J1048576"' in zipfile.ZipFile(io.BytesIO(data)).read(SHEET1).decode()

    sheet = read_workbook(data, LIMITS).sheets[0]

    assert [values for _n, values in sheet.rows] == [("E1", "Ana"), ("E2", "Zoë"), ("E3", "Kwame")]


def test_read_workbook_refuses_more_rows_than_the_cap():
    rows = [["number"]] + [[f"E{n}"] for n in range(101)]
    message = refusal(workbook_bytes({"People": rows}))
    assert message == sp.TOO_MANY_ROWS.format(sheet="People", limit="100")


def test_streamed_workbook_reads_rows_only_as_far_as_they_are_taken():
    rows = [["number"]] + [[f"E{n}"] for n in range(150)]
    with sp.streamed_workbook(workbook_bytes({"People": rows}), LIMITS) as book:
        sheet = book.sheets[0]
        assert sheet.headers == ["number"] and sheet.rows == []
        stream = sheet.iter_rows()
        assert [next(stream) for _ in range(2)] == [(2, ("E0",)), (3, ("E1",))]
        # Past the cap the refusal comes while reading, not before: a check that stops early
        # (too many problems) never reaches it.
        with pytest.raises(WorkbookRefused, match="more than 100 rows"):
            list(stream)


def test_streamed_workbook_resolves_formulas_row_by_row():
    data = rewrite(workbook_bytes(SIMPLE), SHEET1, lambda x: formula_cell(x, "UPPER(A1)", "ZOË"))
    with sp.streamed_workbook(data, LIMITS) as book:
        sheet = book.sheets[0]
        assert list(sheet.iter_rows()) == [
            (2, ("E1", "Ana")),
            (3, ("E2", "ZOË")),
            (4, ("E3", "Kwame")),
        ]
        assert sheet.problems == []


def test_read_workbook_stops_at_the_first_fully_empty_row():
    rows = [["number", "name"], ["E1", "Ana"], [None, "   "], ["E9", "after the gap"]]
    sheet = read_workbook(workbook_bytes({"People": rows}), LIMITS).sheets[0]
    assert [number for number, _values in sheet.rows] == [2]


def formula_cell(xml: str, formula: str, cached: str | None) -> str:
    value = f"<v>{cached}</v>" if cached is not None else ""
    cell = f'<c r="B3" t="str"><f>{formula}</f>{value}</c>' if cached else None
    cell = cell or f'<c r="B3"><f>{formula}</f>{value}</c>'
    start = xml.index('<c r="B3"')
    end = xml.index("</c>", start) + len("</c>")
    return xml[:start] + cell + xml[end:]


def test_read_workbook_refuses_formula_without_saved_value():
    data = rewrite(workbook_bytes(SIMPLE), SHEET1, lambda xml: formula_cell(xml, "UPPER(A3)", None))
    sheet = read_workbook(data, LIMITS).sheets[0]

    assert [str(p) for p in sheet.problems] == [
        "People!B3 (name): " + sp.FORMULA_WITHOUT_VALUE.format(formula="=UPPER(A3)")
    ]
    assert "paste values" in sp.FORMULA_WITHOUT_VALUE
    assert sheet.rows[1][1][1] is sp.UNREADABLE_CELL


def test_read_workbook_uses_a_formulas_saved_value():
    data = rewrite(
        workbook_bytes(SIMPLE), SHEET1, lambda xml: formula_cell(xml, 'LOWER("ZOË")', "zoë")
    )
    sheet = read_workbook(data, LIMITS).sheets[0]

    assert sheet.problems == []
    assert sheet.rows[1][1] == ("E2", "zoë")


def test_read_workbook_keeps_text_that_starts_with_equals():
    rows = [["number", "note"], ["E1", "=not a formula"], ["E2", "+44 113 496 0000"]]
    sheet = read_workbook(workbook_bytes({"People": rows}), LIMITS).sheets[0]

    assert sheet.problems == []
    assert [values for _n, values in sheet.rows] == [
        ("E1", "=not a formula"),
        ("E2", "+44 113 496 0000"),
    ]


def test_read_workbook_normalises_headers():
    rows = [["  Employee_Number ", "NAME", None, " Extra "], ["E1", "Ana", None, "x"]]
    sheet = read_workbook(workbook_bytes({"People": rows}), LIMITS).sheets[0]
    assert sheet.headers == ["employee_number", "name", "", "extra"]


def test_read_workbook_skips_unwanted_sheets_unread():
    book = read_workbook(
        workbook_bytes({**SIMPLE, "Notes": [["x"], ["y"]]}), LIMITS, wanted=lambda t: t == "Notes"
    )
    assert [(s.title, s.read) for s in book.sheets] == [("People", False), ("Notes", True)]
    assert book.sheet(" notes ").rows == [(2, ("y",))]


# --- Binding headers to a spec ------------------------------------------------------------

SPEC = sp.SheetSpec("People", (sp.Column("number", True), sp.Column("name", True)), ("number",))


def bind(rows):
    report = sp.Report()
    sheet = read_workbook(workbook_bytes({"People": rows}), LIMITS).sheets[0]
    return sp.BoundSheet(sheet, SPEC, report), report


def test_bound_sheet_reports_missing_duplicate_and_unknown_columns():
    bound, report = bind([["NUMBER", "number", "nickname"], ["E1", "E1", "Al"]])

    assert [str(p) for p in report.problems] == [
        "People!B1: " + sp.DUPLICATE_COLUMN.format(name="number"),
        "People!1:1 (name): " + sp.MISSING_COLUMN.format(name="name"),
    ]
    assert [str(w) for w in report.warnings] == [
        "People!C1: " + sp.UNKNOWN_COLUMN.format(name="nickname")
    ]
    assert not bound.usable


def test_row_take_reports_at_the_cell():
    bound, report = bind([["name", "number"], ["Ana", None], ["Zoë", "E2"]])
    first, second = list(bound.rows())

    assert first.take("number", sp.as_text, required=True) is None
    assert second.take("number", sp.as_text, required=True) == "E2"
    assert [str(p) for p in report.problems] == ["People!B2 (number): " + sp.MISSING_VALUE]
    assert (first.ok, second.ok) == (False, True)


# --- Problems and converters ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "text"),
    [
        (Location("Employees", 7, "F", "hire_date"), "Employees!F7 (hire_date)"),
        (Location("Employees", 1, None, "hire_date"), "Employees!1:1 (hire_date)"),
        (Location("Notes"), "Notes"),
    ],
)
def test_location_renders_like_a_spreadsheet_reference(location, text):
    assert str(location) == text


def test_problem_renders_sheet_cell_column_and_problem():
    problem = Problem("2026-13-01 is not a date", Location("Employees", 7, "F", "hire_date"))
    assert str(problem) == "Employees!F7 (hire_date): 2026-13-01 is not a date"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.datetime(2026, 1, 5), datetime.date(2026, 1, 5)),
        (datetime.date(2026, 1, 5), datetime.date(2026, 1, 5)),
        (" 2026-01-05 ", datetime.date(2026, 1, 5)),
    ],
)
def test_as_date_accepts_real_dates_and_iso_text(value, expected):
    assert sp.as_date(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-13-01", "2026-13-01 is not a date"),
        ("05/01/2026", "05/01/2026 is not a date"),
        (45000, "45000 is not a date"),
        ("2026-1-5", "2026-1-5 is not a date"),
    ],
)
def test_as_date_refuses_anything_else(value, message):
    with pytest.raises(sp.CellError) as caught:
        sp.as_date(value)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("convert", "value", "expected"),
    [
        (sp.as_text, 3.0, "3"),
        (sp.as_text, 1.5, "1.5"),
        (sp.as_text, "  E10001 ", "E10001"),
        (sp.as_int, 12.0, 12),
        (sp.as_int, " 12 ", 12),
        (sp.as_decimal, 0.1, Decimal("0.1")),
        (sp.as_decimal, "2.25", Decimal("2.25")),
        (sp.as_yes_no, "Yes", True),
        (sp.as_yes_no, "no", False),
        (sp.as_yes_no, True, True),
        (sp.as_choice("front", "back"), " Front ", "front"),
        (sp.as_list, "WF-101, WF-201,,", ("WF-101", "WF-201")),
    ],
)
def test_converters_accept(convert, value, expected):
    assert convert(value) == expected


@pytest.mark.parametrize(
    ("convert", "value", "message"),
    [
        (sp.as_int, 1.5, "1.5 is not a whole number"),
        (sp.as_int, "twelve", "twelve is not a whole number"),
        (sp.as_int, True, "True is not a whole number"),
        (sp.as_decimal, "abc", "abc is not a number"),
        (sp.as_decimal, "NaN", "NaN is not a number"),
        (sp.as_yes_no, "maybe", "maybe is not yes or no"),
        (sp.as_choice("front", "back"), "middle", "middle is not one of front, back"),
    ],
)
def test_converters_refuse_with_one_message(convert, value, message):
    with pytest.raises(sp.CellError) as caught:
        convert(value)
    assert caught.value.message == message


# --- Writing ----------------------------------------------------------------------------------

HOSTILE_TEXT = ["=1+1", '=HYPERLINK("http://x")', "+44 113", "-2+3", "@SUM(A1)", "\tx"]


def test_write_workbook_writes_every_string_as_text_never_a_formula():
    rows = [["text"], *([value] for value in HOSTILE_TEXT)]
    data = workbook_bytes({"Sheet": rows})

    sheet = openpyxl.load_workbook(io.BytesIO(data))["Sheet"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]

    assert [cell.value for cell in cells] == HOSTILE_TEXT
    assert {cell.data_type for cell in cells} == {"s"}
    assert "<f>" not in zipfile.ZipFile(io.BytesIO(data)).read(SHEET1).decode()


def test_write_workbook_types_dates_and_numbers():
    rows = [["day", "hours", "count"], [datetime.date(2026, 1, 5), Decimal("1.25"), 3]]
    buffer = io.BytesIO()
    write_workbook(buffer, [SheetData("S", rows[0], rows[1:], number_formats={1: "0.00"})])

    day, hours, count = next(
        openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["S"].iter_rows(min_row=2)
    )

    assert (day.value.date(), day.is_date, day.number_format) == (
        datetime.date(2026, 1, 5),
        True,
        "yyyy-mm-dd",
    )
    assert (hours.value, hours.data_type, hours.number_format) == (1.25, "n", "0.00")
    assert (count.value, count.data_type) == (3, "n")


def test_write_xlsx_gives_bytes_of_one_sheet():
    data = write_xlsx(["a", "b"], [["=x", 1]], title="Export")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Export"]
    assert [c.value for c in sheet[2]] == ["=x", 1]
    assert sheet["A2"].data_type == "s"


def test_every_sheet_is_a_table_to_work_in_unless_told_otherwise():
    long_name = "Bích Ngọc Nguyễn-Ødegård"
    data = workbook_bytes({"People": [["number", "name"], ["E1", long_name], ["E2", "Al"]]})
    sheet = openpyxl.load_workbook(io.BytesIO(data))["People"]

    assert [c.font.b for c in sheet[1]] == [True, True]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:B3"
    assert sheet.column_dimensions["A"].width == len("number") + 3
    assert sheet.column_dimensions["B"].width == len(long_name) + 3

    buffer = io.BytesIO()
    write_workbook(buffer, [SheetData("Summary", ["a"], [["b"]], table_header=False)])
    summary = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["Summary"]
    assert summary.freeze_panes is None and summary.auto_filter.ref is None
    assert not summary["A1"].font.b


def test_fitted_widths_are_bounded_and_read_dates_and_lines():
    widths = fitted_widths(
        ["a", "b", "c"], [[datetime.date(2026, 1, 1), "x" * 500, "one\ntwo lines here"]]
    )
    assert widths == {0: 13.0, 1: float(MAX_WIDTH), 2: 17.0}
    assert fitted_widths(["a"], [["b", "longer value"]])[1] == 15.0


# --- Tables ---------------------------------------------------------------------------------


def test_table_counts_created_updated_unchanged():
    table = sp.Table("T", existing={"a": ("a", 1), "b": ("b", 2)})
    table.incoming = {"a": ("a", 1), "b": ("b", 3), "c": ("c", 1)}

    assert table.counts() == (1, 1, 1)
    assert (table.created(), table.updated()) == (["c"], ["b"])
    assert table.get("b") == ("b", 3) and table.get("zz") is None
