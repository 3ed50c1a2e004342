"""`manage.py export_payroll`: the pay-differential export of one period, as .xlsx or CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates import exports
from certificates.management.commands.close_pay_period import period_starting
from certificates.management.commands.tier_status import parse_day

CANNOT_WRITE = "cannot write {path}: {reason}"


class Command(BaseCommand):
    help = "Writes the pay-differential export of the period starting on PERIOD_START."

    def add_arguments(self, parser):
        parser.add_argument("--period-start", type=parse_day, required=True, help="YYYY-MM-DD")
        parser.add_argument("--output", type=Path, required=True, help="the file to write")
        parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
        parser.add_argument(
            "--changes-only", action="store_true", help="leave out the rows whose change is SAME"
        )

    def handle(self, *args, period_start, output, format, changes_only=False, **options):
        period = period_starting(period_start)
        file = exports.payroll_download(period, only_changes=changes_only, as_csv=format == "csv")
        try:
            output.write_bytes(file.body)
        except OSError as error:
            raise CommandError(CANNOT_WRITE.format(path=output, reason=error.strerror)) from error
        state = "closed" if period.is_closed else "open"
        self.stdout.write(f"Wrote {file.rows} rows of the {state} period {period} to {output}.")
