"""`manage.py import_workbook PATH [--dry-run]`: import the organisation workbook (DOMAIN.md).

On success it prints, per sheet, the rows created, updated and unchanged, and exits 0. On any
problem it writes nothing, prints every problem on its own line as `Sheet!Cell (column):
problem` (on standard error) and exits 1. Warnings (unknown sheets or columns) are printed
either way and do not stop the import.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from certificates.home import warm_caches
from core.spreadsheets.reading import FILE_TOO_LARGE, megabytes
from organisation.services import ImportResult, workbook_import, workbook_limits

CANNOT_READ = "Cannot read {path}: {reason}"


class Command(BaseCommand):
    help = (
        "Imports an organisation workbook (.xlsx): creates new rows, updates changed ones and "
        "leaves unchanged ones alone, all in one transaction; a workbook with any problem is "
        "refused whole."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .xlsx workbook")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, but write nothing"
        )
        parser.add_argument(
            "--blank-clears",
            action="store_true",
            help="a blank cell clears an existing record's value (by default it keeps it)",
        )
        parser.add_argument(
            "--list-changes",
            action="store_true",
            help="print every value of an existing record that changes, cleared ones marked",
        )

    def handle(
        self,
        *args,
        path: str,
        dry_run: bool = False,
        blank_clears: bool = False,
        list_changes: bool = False,
        **options,
    ):
        file = Path(path)
        limit = workbook_limits().max_bytes
        try:
            size = file.stat().st_size
            if size > limit:
                self.fail([FILE_TOO_LARGE.format(size=megabytes(size), limit=megabytes(limit))])
            data = file.read_bytes()
        except OSError as error:
            self.fail([CANNOT_READ.format(path=path, reason=error.strerror or error)])
        result = workbook_import(
            data=data,
            file_name=file.name,
            dry_run=dry_run,
            change_reason=f"import_workbook {file.name}",
            blank_clears=blank_clears,
        )
        for warning in result.warnings:
            self.stdout.write(f"Warning: {warning}")
        if not result.ok:
            self.fail(result.problems)
        if list_changes:
            self.print_changes(result)
        self.print_summary(result, dry_run)
        if result.written:
            # Many people's records may have changed: rank them now, not on a user's request.
            warm_caches(timezone.localdate())

    def print_summary(self, result: ImportResult, dry_run: bool) -> None:
        width = max((len(count.sheet) for count in result.summary), default=0)
        for count in result.summary:
            self.stdout.write(
                f"{count.sheet + ':':<{width + 1}} {count.created} created, "
                f"{count.updated} updated, {count.unchanged} unchanged"
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")

    def print_changes(self, result: ImportResult) -> None:
        for change in result.changes:
            mark = " (cleared)" if change.cleared else " (terminated)" if change.terminated else ""
            self.stdout.write(
                f"{change.sheet}!{change.row} {change.record}: {change.column} "
                f"{change.before or '(blank)'} -> {change.after or '(blank)'}{mark}"
            )

    def fail(self, problems: list[str]) -> None:
        for problem in problems:
            self.stderr.write(problem)
        sys.exit(1)
