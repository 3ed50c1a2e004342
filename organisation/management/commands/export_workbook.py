"""`manage.py export_workbook PATH`: the whole organisation as an organisation workbook.

The format is the import's (DOMAIN.md "Spreadsheet formats"), so importing the file into an
empty database and exporting again gives the same workbook, and importing it again into the
same database reports every row unchanged.
"""

from django.core.management.base import BaseCommand

from core.spreadsheets.writing import write_workbook
from organisation.workbook import workbook_sheets


class Command(BaseCommand):
    help = "Writes the whole organisation to an .xlsx workbook in the import's format."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .xlsx file to write")

    def handle(self, *args, path: str, **options):
        sheets = workbook_sheets()
        counted = []
        for sheet in sheets:
            rows = list(sheet.rows)
            counted.append((sheet, rows))
        write_workbook(
            path,
            [
                type(sheet)(sheet.title, sheet.headers, rows, sheet.number_formats, sheet.widths)
                for sheet, rows in counted
            ],
        )
        for sheet, rows in counted:
            self.stdout.write(f"{sheet.title}: {len(rows)} rows")
        self.stdout.write(f"Wrote {path}")
