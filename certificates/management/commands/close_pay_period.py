"""`manage.py close_pay_period`: freeze a pay period's export rows and close it."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from certificates.management.commands.tier_status import parse_day
from certificates.models import PayPeriod
from certificates.services import pay_period_close

NO_SUCH_PERIOD = "{day} is not the start of a pay period"


def period_starting(day) -> PayPeriod:
    period = PayPeriod.objects.filter(start=day).first()
    if period is None:
        raise CommandError(NO_SUCH_PERIOD.format(day=day))
    return period


class Command(BaseCommand):
    help = "Closes the pay period starting on PERIOD_START: its rows are frozen as exported."

    def add_arguments(self, parser):
        parser.add_argument("--period-start", type=parse_day, required=True, help="YYYY-MM-DD")

    def handle(self, *args, period_start, **options):
        period = period_starting(period_start)
        try:
            rows = pay_period_close(period=period)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Closed {period}: {len(rows)} rows frozen.")
