"""`manage.py seed_demo`: loads the demo organisation once and prints the demo logins."""

import datetime
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from organisation.demo_writer import DemoConflict, DemoResult, demo_seed

DEMO_REFUSED = (
    "seed_demo creates logins with published passwords and is refused here "
    "(set ALLOW_DEMO_DATA=true to allow it)."
)

SUMMARY_LINES: tuple[tuple[str, ...], ...] = (
    ("departments", "front-office departments", "back-office departments", "sites"),
    ("employees", "active today", "terminated"),
    ("skills", "universal skills", "workflow modules", "tiers"),
    ("training sessions", "attendance rows"),
    ("sign-offs", "expired sign-offs", "revoked sign-offs"),
    ("module completions", "failed completions"),
    ("certifications", "migrated certifications"),
    ("pay periods", "buddy pairings"),
)


def parse_date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


class Command(BaseCommand):
    help = (
        "Builds the demo organisation (dated relative to today) and one login per role, then "
        "prints the logins. Running it again adds nothing and only re-ensures the logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=parse_date,
            default=None,
            help="Date the demo is built around (YYYY-MM-DD); default: today in TIME_ZONE.",
        )

    def handle(self, *args: Any, today: datetime.date | None = None, **options: Any) -> None:
        if not settings.ALLOW_DEMO_DATA:
            raise CommandError(DEMO_REFUSED)
        started = time.perf_counter()
        try:
            result = demo_seed(today=today or timezone.localdate())
        except DemoConflict as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo organisation as of {result.today} in {elapsed:.1f} s:"
                )
            )
            for keys in SUMMARY_LINES:
                self.stdout.write("  " + ", ".join(f"{result.counts[k]} {k}" for k in keys))
        else:
            self.stdout.write(
                "The demo organisation is already loaded; nothing was added. "
                "The demo logins and their passwords are ensured."
            )
        self.stdout.write("")
        self.stdout.write(self.logins_table(result))

    @staticmethod
    def logins_table(result: DemoResult) -> str:
        header = ("username", "password", "role", "employee")
        rows = [header] + [(r.username, r.password, r.role, r.employee) for r in result.logins]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
        lines = ["Demo logins (demo use only):"]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            lines.append("  " + "  ".join([*cells, row[-1]]).rstrip())
        return "\n".join(lines)
