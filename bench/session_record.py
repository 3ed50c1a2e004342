"""Benchmark: saving a 30-attendee session with its sign-offs in one request; trainer pages.

Run by hand, never in the test suite:

    .venv/bin/python bench/session_record.py                 # builds a temp database, then measures
    .venv/bin/python bench/session_record.py --db /tmp/s.db  # keeps (or reuses) that database file

It builds an organisation in a SQLite file of its own (never db.sqlite3): 10,000 employees in 40
departments, 168 skills, 5,000 past sessions with 50,000 attendance rows and 20,000 sign-offs,
and a trainer login. Then, through Django's test client (warm: median of several runs), it
prints for each request its time and number of queries:

- the blank session form; saving it with 30 attendees and 30 sign-offs (one POST; target
  300 ms), and with 3 attendees and 3 sign-offs (the number of queries must be the same);
- a refused 30-attendee save (one bad row: the whole submission comes back with the message);
- the sessions list, a session's detail, the attendee picker's search and the trainer's home.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

EMPLOYEES = 10_000
DEPARTMENTS_PER_SIDE = 20
SKILLS_PER_DEPARTMENT = 4
SESSIONS = 5_000
ATTENDEES_PER_SESSION = 10
SIGNOFFS = 20_000
BATCH = 2000
TRAINER_LOGIN = "bench-trainer"
RUNS = 7
TARGET_MS = 300


def setup_django(db_path: Path) -> None:
    if db_path.resolve() == (ROOT / "db.sqlite3").resolve():
        sys.exit("The benchmark never touches db.sqlite3: give it a path of its own.")
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build_org(today: datetime.date, seed: int = 5) -> None:
    """Writes the organisation with bulk_create (no history: only the measured save needs it)."""
    from django.contrib.auth.models import Group, User
    from django.db import transaction

    from skills.models import Department, Employee, Signoff, Skill
    from training.models import Attendance, TrainingSession

    rng = random.Random(seed)
    with transaction.atomic():
        departments = Department.objects.bulk_create(
            Department(
                code=f"{'CC' if side == 'front' else 'BO'}-{n:02d}",
                name=f"{side} team {n}",
                side=side,
                site="Leeds",
            )
            for side in ("front", "back")
            for n in range(1, DEPARTMENTS_PER_SIDE + 1)
        )
        skills = Skill.objects.bulk_create(
            Skill(code=f"{d.code}-S{k}", name=f"{d.name} skill {k}", department=d, recert_months=12)
            for d in departments
            for k in range(1, SKILLS_PER_DEPARTMENT + 1)
        )
        shifts = ["day"] * 6 + ["evening"] * 3 + ["night"]
        people = Employee.objects.bulk_create(
            (
                Employee(
                    employee_number=f"E{100000 + n}",
                    first_name=rng.choice(("Ada", "Bao", "Chiara", "Dmitri", "Eilidh", "Femi")),
                    last_name=f"Person{n}",
                    department=rng.choice(departments),
                    shift=rng.choice(shifts),
                    hire_date=today - datetime.timedelta(days=rng.randint(400, 3650)),
                )
                for n in range(EMPLOYEES)
            ),
            batch_size=BATCH,
        )
        sessions = TrainingSession.objects.bulk_create(
            (
                TrainingSession(
                    session_ref=f"TS-{n:06d}",
                    date=today - datetime.timedelta(days=rng.randint(1, 360)),
                    host_department=rng.choice(departments),
                    kind="classroom",
                    trainer=rng.choice(people),
                    duration_hours=2,
                )
                for n in range(SESSIONS)
            ),
            batch_size=BATCH,
        )
        rows = []
        for session in sessions:
            for person in rng.sample(people, ATTENDEES_PER_SESSION):
                if person.pk != session.trainer_id:
                    rows.append(Attendance(session=session, employee=person, hours=2))
        Attendance.objects.bulk_create(rows, batch_size=BATCH)
        signoffs, seen = [], set()
        while len(signoffs) < SIGNOFFS:
            employee, assessor, skill = rng.choice(people), rng.choice(people), rng.choice(skills)
            day = today - datetime.timedelta(days=rng.randint(1, 360))
            key = (employee.pk, skill.pk, day)
            if employee.pk == assessor.pk or key in seen:
                continue
            seen.add(key)
            signoffs.append(
                Signoff(
                    employee=employee,
                    skill=skill,
                    level=rng.randint(1, 4),
                    assessed_on=day,
                    assessor=assessor,
                )
            )
        Signoff.objects.bulk_create(signoffs, batch_size=BATCH)
        user = User.objects.create_user(TRAINER_LOGIN, password="bench-password-2026")
        user.groups.add(Group.objects.get(name="trainer"))
        trainer = people[0]
        trainer.user = user
        trainer.save(update_fields=["user"])


def timed(client, method: str, url: str, data=None) -> tuple[float, int, int]:
    """Median milliseconds of RUNS requests, the queries of the last one, and its status."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, status = [], 0, 0
    for index in range(RUNS):
        payload = data(index) if callable(data) else data
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = getattr(client, method)(url, payload)
            times.append((time.perf_counter() - start) * 1000)
        queries, status = len(captured), response.status_code
    return statistics.median(times), queries, status


def session_form(people, skill, host, trainer_number: str, size: int, run: int, bad: bool) -> dict:
    """The POST of the session form: `size` attendees from `people`, each signed off."""
    chosen = people[run * size : (run + 1) * size]
    data = {
        "action": "save",
        "date": datetime.date.today().isoformat(),
        "host_department": str(host.pk),
        "kind": "classroom",
        "trainer_number": trainer_number,
        "duration_hours": "2.5",
        "skills": [str(skill.pk)],
        "attendees-TOTAL_FORMS": str(size),
        "attendees-INITIAL_FORMS": "0",
        "signoffs-TOTAL_FORMS": str(size),
        "signoffs-INITIAL_FORMS": "0",
    }
    for i, person in enumerate(chosen):
        data[f"attendees-{i}-employee"] = person.employee_number
        data[f"attendees-{i}-hours"] = "3" if bad and i == size - 1 else ""
        data[f"signoffs-{i}-employee"] = person.employee_number
        data[f"signoffs-{i}-skill"] = str(skill.pk)
        data[f"signoffs-{i}-level"] = "3"
    return data


def measure() -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from skills.models import Employee, Skill
    from training.models import TrainingSession

    setup_test_environment()  # the test client's host, in-memory mail
    client = Client()
    client.force_login(get_user_model().objects.get(username=TRAINER_LOGIN))
    trainer = Employee.objects.get(user__username=TRAINER_LOGIN)
    skill = Skill.objects.filter(department=trainer.department).first()
    # People without today's sign-off on the skill, so a reused database measures saves too.
    learners = list(
        Employee.objects.exclude(department=trainer.department)
        .exclude(signoffs__skill=skill, signoffs__assessed_on=datetime.date.today())
        .order_by("employee_number")[:600]
    )
    create = reverse("training:session-create")

    def form(first: int, size: int, bad: bool = False):
        # Each run takes people of its own, so no sign-off is ever given twice.
        return lambda run: session_form(
            learners[first:], skill, trainer.department, trainer.employee_number, size, run, bad
        )

    def line(label: str, result: tuple[float, int, int], expect: int = 200):
        ms, queries, status = result
        if status != expect:
            sys.exit(f"{label}: HTTP {status}, not {expect}; the measure is meaningless")
        print(f"{label:<46} {ms:>10.1f} {queries:>8} {status:>7}")
        return result

    print(f"{'request':<46} {'median ms':>10} {'queries':>8} {'status':>7}")
    line("session form, blank", timed(client, "get", create))
    big = line(
        "save session: 30 attendees + 30 sign-offs", timed(client, "post", create, form(0, 30)), 302
    )
    small = line(
        "save session: 3 attendees + 3 sign-offs", timed(client, "post", create, form(300, 3)), 302
    )
    line(
        "refused save: 30 attendees, one bad row",
        timed(client, "post", create, form(350, 30, True)),
    )
    latest = TrainingSession.objects.order_by("-pk").first()
    line("sessions list", timed(client, "get", reverse("training:session-list")))
    line(
        f"session detail ({latest.attendances.count()} attendees)",
        timed(client, "get", reverse("training:session-detail", args=[latest.session_ref])),
    )
    line(
        "attendee picker search ('ada')",
        timed(client, "get", reverse("training:employee-search"), {"q": "ada"}),
    )
    line("trainer home", timed(client, "get", reverse("core:home")))
    print()
    print(
        f"30-attendee save: {big[0]:.1f} ms (target {TARGET_MS} ms: "
        f"{'met' if big[0] <= TARGET_MS else 'NOT met'}); {big[1]} queries for 30 attendees, "
        f"{small[1]} for 3 ({'constant' if big[1] == small[1] else 'NOT constant'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="SQLite file to build or reuse")
    args = parser.parse_args()
    keep = args.db is not None
    db_path = args.db or Path(tempfile.mkdtemp()) / "bench.sqlite3"
    fresh = not db_path.exists()
    setup_django(db_path)
    from django.core.management import call_command

    if fresh:
        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        build_org(datetime.date.today())
        print(f"Built the organisation in {time.perf_counter() - start:.1f} s ({db_path})")
    measure()
    if not keep:
        db_path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
