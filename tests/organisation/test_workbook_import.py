"""workbook_import and the import_workbook / export_workbook commands: one transaction, upserts,
history with the importing user as author, and the exact round trip of an exported workbook."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.db import transaction

from buddies.models import BuddyPairing
from certificates.models import Certification, PayPeriod, Tier, TierSkillRequirement
from core.spreadsheets.writing import write_workbook
from organisation.services import workbook_import
from organisation.workbook import workbook_sheets
from skills.models import Department, Employee, Signoff, Skill
from tests.organisation.test_workbook_support import SAMPLE, org, xlsx
from training.models import Attendance, ModuleCompletion, TrainingSession, WorkflowModule

pytestmark = pytest.mark.django_db

MODELS = (
    Department,
    Employee,
    Skill,
    WorkflowModule,
    Tier,
    TierSkillRequirement,
    TrainingSession,
    Attendance,
    Signoff,
    ModuleCompletion,
    Certification,
    BuddyPairing,
    PayPeriod,
)
SAMPLE_COUNTS = [
    ("Departments", 5),
    ("Employees", 40),
    ("Skills", 9),
    ("Modules", 3),
    ("Tiers", 3),
    ("Sessions", 222),
    ("Attendance", 908),
    ("Signoffs", 170),
    ("Completions", 62),
    ("Certifications", 16),
    ("Pairings", 5),
    ("PayPeriods", 26),
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def history_counts() -> dict[str, int]:
    return {model.__name__: model.history.count() for model in MODELS}


def exported() -> bytes:
    buffer = io.BytesIO()
    write_workbook(buffer, workbook_sheets())
    return buffer.getvalue()


def cells(data: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_sample_workbook_imports_cleanly(make_user):
    admin = make_user("importer", "administrator")

    result = workbook_import(
        data=SAMPLE.read_bytes(), file_name=SAMPLE.name, user=admin, change_reason="upload"
    )

    assert result.problems == [] and result.warnings == []
    assert result.written
    assert [(c.sheet, c.created, c.updated, c.unchanged) for c in result.summary] == [
        (sheet, n, 0, 0) for sheet, n in SAMPLE_COUNTS
    ]
    # Blank attendance hours became the session's duration; blank pass mark became 80.
    session = TrainingSession.objects.get(session_ref="S-00000")
    assert Attendance.objects.get(session=session, employee__employee_number="E10028").hours == (
        session.duration_hours
    )
    assert WorkflowModule.objects.get(code="SVC-110").pass_mark == 80
    assert WorkflowModule.objects.get(code="WF-101").version == "3"


def test_second_import_reports_everything_unchanged_and_writes_no_history():
    workbook_import(data=SAMPLE.read_bytes(), file_name=SAMPLE.name)
    before = history_counts()

    result = workbook_import(data=SAMPLE.read_bytes(), file_name=SAMPLE.name)

    assert [(c.sheet, c.created, c.updated, c.unchanged) for c in result.summary] == [
        (sheet, 0, 0, n) for sheet, n in SAMPLE_COUNTS
    ]
    assert history_counts() == before


def test_history_names_the_importing_user_also_for_bulk_writes(make_user):
    admin = make_user("importer", "administrator")

    workbook_import(data=xlsx(org()), file_name="org.xlsx", user=admin, change_reason="upload x")

    for model in MODELS:
        rows = model.objects.count()
        records = model.history.filter(history_type="+")
        assert rows > 0, model
        assert records.count() >= rows, model
        assert set(records.values_list("history_user", "history_change_reason")) == {
            (admin.pk, "upload x")
        }, model
    # Many-to-many sets are in the history too (a session's skills, a tier's modules).
    session = TrainingSession.history.get(session_ref="S-1")
    assert [row.skill.code for row in session.skills.all()] == ["BILL-DISP"]
    tier = Tier.history.filter(rank=2).latest("history_date")
    assert [row.workflowmodule.code for row in tier.required_modules.all()] == ["WF-101"]
    # Who recorded a new record, for the models that keep it.
    assert {s.recorded_by for s in Signoff.objects.all()} == {admin}


def test_command_import_is_authored_by_the_command(tmp_path):
    path = tmp_path / "org.xlsx"
    path.write_bytes(xlsx(org("Departments", "Employees")))

    call_command("import_workbook", str(path), stdout=io.StringIO())

    records = Employee.history.all()
    assert set(records.values_list("history_user", "history_change_reason")) == {
        (None, "import_workbook org.xlsx")
    }


def test_changed_rows_are_updated_with_history(make_user):
    admin = make_user("importer", "administrator")
    workbook_import(data=xlsx(org()), file_name="org.xlsx")
    sheets = org()
    sheets["Employees"][2][2] = "Ødegård-Hansen"
    sheets["Attendance"][3][2] = 3
    sheets["Sessions"][1][6] = "BILL-DISP, DEESC"
    sheets["Tiers"][2][7] = "DEESC:2, BILL-DISP:1"
    sheets["Pairings"][1][3] = "2025-06-30"

    result = workbook_import(data=xlsx(sheets), file_name="v2.xlsx", user=admin)

    updated = {c.sheet: c.updated for c in result.summary if c.updated}
    assert updated == {"Employees": 1, "Attendance": 1, "Sessions": 1, "Tiers": 1, "Pairings": 1}
    assert Employee.objects.get(employee_number="E101").last_name == "Ødegård-Hansen"
    change = Employee.history.filter(history_type="~").get()
    assert (change.history_user, change.last_name) == (admin, "Ødegård-Hansen")
    assert Attendance.objects.get(
        employee__employee_number="E101", session__session_ref="S-2"
    ).hours == Decimal("3")
    session = TrainingSession.objects.get(session_ref="S-1")
    assert sorted(session.skills.values_list("code", flat=True)) == ["BILL-DISP", "DEESC"]
    latest = TrainingSession.history.filter(session_ref="S-1").latest("history_id")
    assert sorted(r.skill.code for r in latest.skills.all()) == ["BILL-DISP", "DEESC"]
    assert sorted(
        TierSkillRequirement.objects.filter(tier__rank=2).values_list("skill__code", "min_level")
    ) == [("BILL-DISP", 1), ("DEESC", 2)]
    assert BuddyPairing.objects.get().ended_on.isoformat() == "2025-06-30"


def test_nothing_is_written_when_any_row_has_a_problem():
    sheets = org()
    sheets["PayPeriods"][2][1] = "2026-13-01"

    result = workbook_import(data=xlsx(sheets), file_name="org.xlsx")

    assert result.problems == ["PayPeriods!B3 (end): 2026-13-01 is not a date"]
    assert not result.written
    assert set(counts().values()) == {0}


def test_dry_run_reports_without_writing():
    result = workbook_import(data=xlsx(org()), file_name="org.xlsx", dry_run=True)

    assert result.ok and not result.written
    assert sum(c.created for c in result.summary) > 0
    assert set(counts().values()) == {0}


def test_managers_who_manage_each_other_are_created():
    sheets = org("Departments", "Employees")
    sheets["Employees"][1][9] = "E101"  # E100 and E101 manage each other

    result = workbook_import(data=xlsx(sheets), file_name="org.xlsx")

    assert result.written
    managers = dict(Employee.objects.values_list("employee_number", "manager__employee_number"))
    assert managers == {"E100": "E101", "E101": "E100", "E102": "E101", "E103": None}


def test_export_round_trip_is_exact():
    workbook_import(data=SAMPLE.read_bytes(), file_name=SAMPLE.name)
    first = exported()
    with transaction.atomic():
        for model in reversed(MODELS):
            model.objects.all().delete()
        assert set(counts().values()) == {0}

        result = workbook_import(data=first, file_name="export.xlsx")
        assert result.written and result.warnings == []

        assert cells(exported()) == cells(first)
        again = workbook_import(data=first, file_name="export.xlsx")
        assert {c.created + c.updated for c in again.summary} == {0}
        transaction.set_rollback(True)


def test_export_writes_site_as_stored_and_leaves_revoked_records_out():
    workbook_import(data=xlsx(org()), file_name="org.xlsx")
    Signoff.objects.filter(skill__code="DEESC").update(
        revoked_on="2025-05-01", revoke_reason="wrong person"
    )

    sheets = cells(exported())

    employees = {row[0]: row for row in sheets["Employees"][1:]}
    assert employees["E100"][5] is None  # blank site: the department's site, kept blank
    assert employees["E101"][5] == "Cork"
    assert [row[1] for row in sheets["Signoffs"][1:]] == ["BILL-DISP"]


# --- The commands --------------------------------------------------------------------------


def test_import_command_prints_summary_and_exits_0(tmp_path):
    path = tmp_path / "org.xlsx"
    path.write_bytes(xlsx(org("Departments", "Employees")))
    out = io.StringIO()

    call_command("import_workbook", str(path), stdout=out)

    assert out.getvalue().splitlines() == [
        "Departments: 2 created, 0 updated, 0 unchanged",
        "Employees:   4 created, 0 updated, 0 unchanged",
    ]


def test_import_command_prints_every_problem_and_exits_1(tmp_path):
    sheets = org()
    sheets["Employees"][3][7] = "2026-13-01"
    sheets["Attendance"][2][1] = "E99999"
    path = tmp_path / "org.xlsx"
    path.write_bytes(xlsx(sheets))
    err = io.StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("import_workbook", str(path), stdout=io.StringIO(), stderr=err)

    assert exit_.value.code == 1
    assert err.getvalue().splitlines() == [
        "Employees!H4 (hire_date): 2026-13-01 is not a date",
        "Attendance!B3 (employee_number): unknown employee E99999",
    ]
    assert set(counts().values()) == {0}


def test_import_command_dry_run(tmp_path):
    path = tmp_path / "org.xlsx"
    path.write_bytes(xlsx(org("Departments")))
    out = io.StringIO()

    call_command("import_workbook", str(path), "--dry-run", stdout=out)

    assert out.getvalue().splitlines() == [
        "Departments: 2 created, 0 updated, 0 unchanged",
        "Dry run: nothing was written.",
    ]
    assert Department.objects.count() == 0


def test_import_command_refuses_a_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_text("employee_number,first_name\nE1,Ana\n")
    err = io.StringIO()

    with pytest.raises(SystemExit):
        call_command("import_workbook", str(path), stdout=io.StringIO(), stderr=err)

    assert len(err.getvalue().splitlines()) == 1
    assert "not an .xlsx workbook" in err.getvalue()


def test_import_command_warns_about_unknown_sheets_and_columns(tmp_path):
    sheets = org("Departments")
    sheets["Departments"][0].append("colour")
    sheets["Notes"] = [["x"], ["y"]]
    path = tmp_path / "org.xlsx"
    path.write_bytes(xlsx(sheets))
    out = io.StringIO()

    call_command("import_workbook", str(path), stdout=out)

    assert out.getvalue().splitlines()[:2] == [
        "Warning: Departments!E1: unknown column colour, ignored",
        "Warning: Notes: unknown sheet, ignored",
    ]


def test_export_command_writes_the_workbook(tmp_path):
    workbook_import(data=xlsx(org()), file_name="org.xlsx")
    path = tmp_path / "out.xlsx"
    out = io.StringIO()

    call_command("export_workbook", str(path), stdout=out)

    assert "Employees: 4 rows" in out.getvalue()
    assert [ws.title for ws in openpyxl.load_workbook(path).worksheets] == [
        sheet for sheet, _n in SAMPLE_COUNTS
    ]


# --- Hostile and broken files through the command: one line each, nothing written ------------


def hostile_files() -> dict:
    import os
    import zipfile

    from tests.core.test_spreadsheets import BILLION_LAUGHS, SHEET1, rewrite

    good = xlsx(org("Departments"))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            for _ in range(32):
                entry.write(b"\0" * (1024 * 1024))
    return {
        "csv named .xlsx": b"code,name,side\nCC-GEN,Contact Centre,front\n",
        "random bytes": os.urandom(3000),
        "password-protected": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(3000),
        "zip bomb": bomb.getvalue(),
        "xml bomb": rewrite(good, SHEET1, lambda xml: BILLION_LAUGHS + xml),
        "over the size limit": good + b"\0" * 200_000,
    }


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("csv named .xlsx", "The file is not an .xlsx workbook"),
        ("random bytes", "The file is not an .xlsx workbook"),
        ("password-protected", "The workbook is password-protected"),
        ("zip bomb", "The workbook would expand to 32.0 MB when opened"),
        ("xml bomb", "The workbook contains XML with a document type declaration"),
        ("over the size limit", "The file is 0.2 MB; the largest workbook accepted is 0.1 MB."),
    ],
)
def test_import_command_refuses_hostile_files_in_one_line(tmp_path, settings, name, start):
    settings.MAX_UPLOAD_BYTES = 100_000
    settings.TRACKER = {
        **settings.TRACKER,
        "WORKBOOK": {**settings.TRACKER["WORKBOOK"], "MAX_UNCOMPRESSED_BYTES": 10_000_000},
    }
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(hostile_files()[name])
    err = io.StringIO()

    with pytest.raises(SystemExit):
        call_command("import_workbook", str(path), stdout=io.StringIO(), stderr=err)

    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith(start), lines
    assert set(counts().values()) == {0}


def test_import_formula_without_saved_value_is_a_cell_problem():
    from tests.core.test_spreadsheets import SHEET1, rewrite

    def formula(xml: str) -> str:
        start = xml.index('<c r="B3"')
        end = xml.index("</c>", start) + len("</c>")
        return xml[:start] + '<c r="B3"><f>UPPER(A3)</f></c>' + xml[end:]

    data = rewrite(xlsx(org("Departments")), SHEET1, formula)

    result = workbook_import(data=data, file_name="org.xlsx")

    assert result.problems == [
        "Departments!B3 (name): =UPPER(A3) is a formula without a saved value: paste values "
        "(copy the cells, then Paste Special > Values) and upload again"
    ]
    assert Department.objects.count() == 0


def test_import_sheet_claiming_a_million_rows_imports_its_real_rows():
    from tests.core.test_spreadsheets import SHEET1, rewrite

    data = rewrite(
        xlsx(org("Departments")),
        SHEET1,
        lambda xml: xml.replace("<sheetData>", '<dimension ref="A1:J1048576"/><sheetData>', 1),
    )

    result = workbook_import(data=data, file_name="org.xlsx")

    assert result.written
    assert Department.objects.count() == 2
