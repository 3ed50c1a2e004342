"""`manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]`: e-mails the reminders due.

Employees whose sign-offs expire (60, 30 and 7 days before, settings.TRACKER["REMINDER_DAYS"]),
managers' weekly digests and module owners' review notes (organisation.reminders). Each
reminder is sent once whatever how often this runs (daily from cron); a message the mail server
refuses is sent on the next run. People without an e-mail address are listed, not skipped.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from organisation.reminders import deliver, plan_reminders


def iso_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date must be a date written YYYY-MM-DD, not {text!r}") from None


class Command(BaseCommand):
    help = "E-mails the reminders due: expiring sign-offs, managers' digests, module reviews."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=iso_date, help="the day to run for (default: today)")
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be sent; send nothing"
        )

    def handle(self, *args, date=None, dry_run=False, **options):
        day = date or timezone.localdate()
        plan = plan_reminders(day)
        for who, about in plan.no_address:
            self.stdout.write(
                f"No e-mail address: {who.full_name} ({who.employee_number}), {about}: not sent"
            )
        if dry_run:
            for message in plan.outgoing:
                self.stdout.write(f"Would send to {message.employee.email}: {message.subject}")
            self.stdout.write(f"{len(plan.outgoing)} reminders due on {day}; none sent (dry run).")
            return
        result = deliver(plan.outgoing)
        for message, error in result.refused:
            self.stderr.write(
                f"Refused for {message.employee.email} ({message.key}): {error}; "
                "it will be sent on the next run"
            )
        self.stdout.write(
            f"{len(result.sent)} reminders sent for {day}, {len(result.refused)} refused, "
            f"{len(plan.no_address)} without an e-mail address."
        )
        if result.refused:
            raise CommandError(f"{len(result.refused)} reminders were refused by the mail server")
