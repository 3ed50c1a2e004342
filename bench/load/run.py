"""Load test: gunicorn with production settings on PostgreSQL, the 10,000-employee organisation,
each role's pages and writes from locust; run by hand, never in the test suite.

    .venv/bin/pip install -r bench/load/requirements.txt
    createdb tracker_load_bench
    .venv/bin/python bench/load/run.py --postgres postgres://postgres@127.0.0.1:5432/tracker_load_bench

It builds the organisation of bench/tier_status.py in that database (once; it is reused), adds
trainer, employee and payroll logins, collects the static files into a temporary directory,
then for 2 and 4 gunicorn workers warms the day's caches (as the deployment's daily
`warm_caches` does), starts gunicorn and a background worker (`db_worker`, which runs the large
payroll downloads) and runs locust headless (USERS users, two signing in a second, for SECONDS
seconds), and prints requests per second, p50/p95/p99 per page and the
errors. After each run it checks that every session the load sent is in the database exactly
once (recorded ones once, refused ones not at all). Target: 0 errors, 0 lost or doubled
writes, p95 under 500 ms for the pages.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "load-password-2026"
PORT = 8123


def prepare(env: dict) -> dict:
    """Builds (or reuses) the organisation and its logins, with the production settings the
    servers run (their password hashers, their static files); returns the load's plan."""
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from certificates.selectors import current_period, employees_active_on
    from skills.models import Department, Employee, Skill

    today = timezone.localdate()
    call_command("migrate", verbosity=0)
    if not Employee.objects.exists():
        started = time.perf_counter()
        from bench import tier_status

        tier_status.build_org(today)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"built the organisation in {time.perf_counter() - started:.0f} s")
    call_command("createcachetable", verbosity=0)

    active = employees_active_on(today)
    logins: dict[str, list[str]] = {"trainer": [], "employee": [], "manager": [], "payroll": []}
    trainers = {}
    back = list(active.filter(department__side=Department.Side.BACK, user__isnull=True)[:10])
    people = list(active.filter(department__side=Department.Side.FRONT, user__isnull=True)[:40])
    for role, employees in (("trainer", back), ("employee", people[:20])):
        for n, free in enumerate(employees):
            username = f"load-{role}-{n}"
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=role))
            employee = Employee.objects.filter(user=user).first()  # from an earlier run
            if employee is None:
                Employee.objects.filter(pk=free.pk).update(user=user)
                employee = free
            logins[role].append(username)
            if role == "trainer":
                skill = Skill.objects.filter(department=employee.department).first()
                trainers[username] = {
                    "number": employee.employee_number,
                    "department": employee.department_id,
                    "skill": skill.pk,
                }
    for role in ("manager", "payroll"):
        for n in range(3):
            username = f"load-{role}-{n}"
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=role))
            logins[role].append(username)
    trainer_numbers = {t["number"] for t in trainers.values()}
    attendees = [
        number
        for number in active.filter(department__side=Department.Side.FRONT)
        .order_by("?")
        .values_list("employee_number", flat=True)[:3000]
        if number not in trainer_numbers
    ]
    period = current_period(today)
    plan = {
        "password": PASSWORD,
        "logins": logins,
        "trainers": trainers,
        "attendees": attendees,
        "today": today.isoformat(),
        "period": period.start.isoformat() if period else "",
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    connection.close()
    return plan


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:  # not up yet
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url}")


def run(workers: int, env: dict, plan_file: Path, users: int, seconds: int, workdir: Path):
    # As deployed (README): warm_caches has ranked the day before the first request.
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "warm_caches"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    # As deployed: a background worker runs the jobs (large downloads). On the web servers'
    # machine it runs at a lower CPU priority (README), so a job never slows the pages.
    worker = subprocess.Popen(
        [
            "nice",
            "-n",
            "10",
            str(ROOT / ".venv/bin/python"),
            "manage.py",
            "db_worker",
            "--interval",
            "0.5",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    sent = workdir / f"sent-{workers}.jsonl"
    sent.unlink(missing_ok=True)
    prefix = workdir / f"stats-{workers}"
    try:
        wait_for(f"http://127.0.0.1:{PORT}/health/")
        subprocess.run(
            [
                str(ROOT / ".venv/bin/locust"),
                "-f",
                str(Path(__file__).with_name("locustfile.py")),
                "--headless",
                "--users",
                str(users),
                # People sign in one after another, not all in the same second: a burst of
                # password hashes would queue every page behind it on a small machine.
                "--spawn-rate",
                "2",
                "--run-time",
                f"{seconds}s",
                "--host",
                f"http://127.0.0.1:{PORT}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={**env, "LOAD_PLAN": str(plan_file), "LOAD_SENT": str(sent)},
            check=False,
        )
    finally:
        for process in (server, worker):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
    return prefix, sent


def report(workers: int, prefix: Path, sent: Path) -> bool:
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))  # noqa: SIM115
    print(f"\n== {workers} gunicorn workers")
    print(f"{'page':28} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    good = True
    for row in rows:
        name = row["Name"] or "Aggregated"
        p95 = float(row["95%"] or 0)
        print(
            f"{name[:28]:28} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7}"
        )
        if name == "Aggregated":
            print(f"requests per second: {float(row['Requests/s']):.1f}")
            good &= int(row["Failure Count"]) == 0
        elif p95 > 500 and name not in ("payroll export", "record a session", "sign in"):
            good = False
    return good & check_writes(sent)


def check_writes(sent: Path) -> bool:
    """Each recorded session once, each refused one not at all."""
    from training.models import TrainingSession

    lines = [json.loads(line) for line in sent.read_text().splitlines()] if sent.exists() else []
    found = {}
    notes = [line["note"] for line in lines]
    for note in TrainingSession.objects.filter(notes__in=notes).values_list("notes", flat=True):
        found[note] = found.get(note, 0) + 1
    recorded = [line for line in lines if line["status"] == 302]
    lost = [line["note"] for line in recorded if found.get(line["note"], 0) != 1]
    stray = [line["note"] for line in lines if line["status"] != 302 and found.get(line["note"])]
    print(
        f"sessions sent {len(lines)}, recorded {len(recorded)}, "
        f"lost or doubled {len(lost)}, recorded though refused {len(stray)}"
    )
    return not lost and not stray


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True, metavar="URL", help="a database of its own")
    parser.add_argument("--users", type=int, default=40, help="simulated people at once")
    parser.add_argument("--seconds", type=int, default=60, help="each run's length")
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4])
    args = parser.parse_args()
    if "bench" not in args.postgres.rsplit("/", 1)[-1]:
        raise SystemExit("give the load test a database of its own, with 'bench' in its name")
    workdir = Path(tempfile.mkdtemp(prefix="load-"))
    static = workdir / "static"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DATABASE_URL": args.postgres,
        "SECRET_KEY": "load-test-only-secret-key",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "STATIC_ROOT": str(static),
        "AXES_FAILURE_LIMIT": "1000",
    }
    plan = prepare(env)
    plan_file = workdir / "plan.json"
    plan_file.write_text(json.dumps(plan))
    good = True
    for workers in args.workers:
        prefix, sent = run(workers, env, plan_file, args.users, args.seconds, workdir)
        good &= report(workers, prefix, sent)
    verdict = "met" if good else "NOT met"
    print(f"\ntargets (0 errors, writes exactly once, page p95 < 500 ms): {verdict}")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
