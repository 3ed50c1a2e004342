"""Benchmark: `send_reminders` over a 10,000-employee organisation, e-mail to Django's locmem
backend.

Run by hand, never in the test suite:

    .venv/bin/python bench/send_reminders.py                 # builds a temporary database
    .venv/bin/python bench/send_reminders.py --db /tmp/r.db  # keeps (or reuses) that file

It builds the organisation of bench/tier_status.py (10,000 employees, 60,000 sign-offs) in a
SQLite file of its own, gives everyone an e-mail address and a manager (one per 20 people), then
times the command's first run (every reminder due: employees, managers' digests, module owners)
and a second run on the same day (nothing left to send), and prints the counts.
Target: the first run within 30 s.
"""

from __future__ import annotations

import argparse
import datetime
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import tier_status

TODAY = datetime.date(2026, 12, 3)
TARGET_SECONDS = 30.0
TEAM_SIZE = 20


def prepare() -> None:
    from django.core.management import call_command

    from skills.models import Employee

    call_command("migrate", verbosity=0)
    if not Employee.objects.exists():
        started = time.perf_counter()
        tier_status.build_org(TODAY)
        print(f"built the organisation in {time.perf_counter() - started:.0f} s")
    people = list(Employee.objects.order_by("employee_number"))
    managers = people[::TEAM_SIZE]
    for index, person in enumerate(people):
        person.email = person.email or f"{person.employee_number.lower()}@example.test"
        boss = managers[index // TEAM_SIZE]
        person.manager = boss if boss.pk != person.pk else None
    Employee.objects.bulk_update(people, ["email", "manager"], batch_size=2000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="SQLite file to build or reuse")
    args = parser.parse_args()
    db = args.db or Path(tempfile.mkdtemp(prefix="reminders-")) / "bench.sqlite3"
    tier_status.setup_django(db)
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command

    from organisation.models import Reminder

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    prepare()
    Reminder.objects.all().delete()
    mail.outbox = []
    for label in ("first run", "second run"):
        out = io.StringIO()
        started = time.perf_counter()
        call_command("send_reminders", "--date", TODAY.isoformat(), stdout=out)
        seconds = time.perf_counter() - started
        print(f"{label}: {seconds:.1f} s · {out.getvalue().strip().splitlines()[-1]}")
        if label == "first run":
            first = seconds
            kinds = {
                k: Reminder.objects.filter(kind=k).count() for k in ("signoff", "digest", "review")
            }
            print(f"  e-mails in the outbox: {len(mail.outbox)}; by kind: {kinds}")
    verdict = "met" if first <= TARGET_SECONDS else "NOT met"
    print(f"target (first run within {TARGET_SECONDS:.0f} s): {verdict}")
    return 0 if first <= TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
