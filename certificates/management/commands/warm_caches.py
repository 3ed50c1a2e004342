"""manage.py warm_caches [--date YYYY-MM-DD]: rank everyone ahead of the day's first request."""

from __future__ import annotations

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from certificates.home import warm_caches


class Command(BaseCommand):
    help = (
        "Fill the shared cache with everyone's tier ranks and the manager's counts for a day, "
        "so the first request of the day does not wait for them. Run it just after midnight "
        "(cron, a systemd timer or a scheduled job) and after bulk imports."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to warm (YYYY-MM-DD); default today")

    def handle(self, *args, date: str | None = None, **options):
        day = timezone.localdate()
        if date:
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date {date!r} is not a date: use YYYY-MM-DD.") from None
        started = time.perf_counter()
        people = warm_caches(day)
        seconds = time.perf_counter() - started
        self.stdout.write(f"Ranked {people} people for {day:%Y-%m-%d} in {seconds:.1f} s.")
