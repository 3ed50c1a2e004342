"""Benchmark: the whole-team .xlsx of 10,000 people as a background job.

Run by hand, never in the test suite:

    .venv/bin/python bench/team_download_job.py                 # builds a temporary database
    .venv/bin/python bench/team_download_job.py --db /tmp/t.db  # keeps (or reuses) that file

It builds the organisation of bench/tier_status.py in a SQLite file of its own, then times:
the workbook built directly (what the request did before, the floor, after one warm-up run);
the download request, which now only starts a job (database task backend); and a db_worker
running that job (the command, and the task from start to finish). Prints each, the task's time
against the floor, and checks that both files have the same rows.
Targets: the request within 1 s; the job within 10 % of the floor.
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


def rows_of(data: bytes) -> list:
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="SQLite file to build or reuse")
    args = parser.parse_args()
    db = args.db or Path(tempfile.mkdtemp(prefix="teamjob-")) / "bench.sqlite3"
    tier_status.setup_django(db)
    from django.core.management import call_command
    from django.http import QueryDict
    from django.test import Client, override_settings
    from django.urls import reverse
    from django_tasks_db.models import DBTaskResult

    from certificates.team_download import team_workbook
    from core.models import Job
    from skills.models import Employee

    call_command("migrate", verbosity=0)
    if not Employee.objects.exists():
        tier_status.build_org(TODAY)
    call_command("createcachetable", verbosity=0)
    call_command("warm_caches", verbosity=0, stdout=io.StringIO())

    team_workbook(QueryDict())  # once to warm up: the worker's job finds its process warm too
    started = time.perf_counter()
    direct, _ = team_workbook(QueryDict())
    floor = time.perf_counter() - started
    print(f"workbook built directly (the floor): {floor:.2f} s, {len(rows_of(direct)) - 1:,} rows")

    tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=tasks, ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.login(username=tier_status.MANAGER_LOGIN, password=tier_status.PASSWORD)
        started = time.perf_counter()
        response = client.get(reverse("certificates:team-export"))
        request = time.perf_counter() - started
        job = Job.objects.order_by("-created_at").first()
        print(
            f"download request (starts the job): {request:.2f} s -> {response.status_code} "
            f"{response.get('Location', '')}"
        )
        started = time.perf_counter()
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        worker = time.perf_counter() - started
    job.refresh_from_db()
    task = DBTaskResult.objects.order_by("-enqueued_at").first()
    ran = (task.finished_at - task.started_at).total_seconds()
    print(f"db_worker command: {worker:.2f} s ({job.status}, {job.done:,} of {job.total:,})")
    print(f"  of which the job itself (task started to finished): {ran:.2f} s")
    same = rows_of(bytes(job.result)) == rows_of(direct)
    ratio = ran / floor
    print(f"job / floor: {ratio:.2f}x; same rows as the direct workbook: {same}")
    good = request <= 1.0 and ratio <= 1.10 and same and job.status == "done"
    verdict = "met" if good else "NOT met"
    print(f"targets (request within 1 s, job within 10 % of the floor): {verdict}")
    return 0 if good else 1


if __name__ == "__main__":
    raise SystemExit(main())
