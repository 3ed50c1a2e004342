"""`manage.py create_pay_periods`: add contiguous pay periods beside the existing ones."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from certificates.management.commands.tier_status import parse_day
from certificates.services import pay_periods_create


class Command(BaseCommand):
    help = "Adds COUNT contiguous pay periods of DAYS days, the first starting on FIRST_START."

    def add_arguments(self, parser):
        parser.add_argument("--first-start", type=parse_day, required=True, help="YYYY-MM-DD")
        parser.add_argument("--days", type=int, default=14, help="days in each period (14)")
        parser.add_argument("--count", type=int, default=1, help="how many periods (1)")

    def handle(self, *args, first_start, days, count, **options):
        try:
            periods = pay_periods_create(first_start=first_start, days=days, count=count)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"Added {len(periods)} pay periods: {periods[0].start} – {periods[-1].end}."
        )
