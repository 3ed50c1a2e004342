"""Benchmark: the pay-differential export of one period over a 10,000-employee organisation.

Run by hand, never in the test suite:

    .venv/bin/python bench/export_payroll.py --db /tmp/b.db   # the tier-status benchmark's file

It builds (or reuses) the organisation of bench/tier_status.py, then prints for the current
pay period, still open: the seconds of `export_payroll` (rows and .xlsx), of the eligibility
evaluation inside it (the rows alone), the floor (openpyxl in write-only mode writing the same
number of rows and columns of constant values) and the query count; then the same once the
period is closed (frozen rows), in a transaction rolled back so the file stays reusable.
Targets: open within the evaluation plus 2x the floor; closed within 2x the floor; a constant
number of queries whatever the head count.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.tier_status import build_org, count_queries, setup_django, timed


def floor(rows: int, columns: int) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Pay differentials")
    for _ in range(rows + 1):
        sheet.append(["E10001"] * columns)
    book.save(io.BytesIO())


def payroll_page_timer(period):
    """A function timing the payroll page of `period` through the test client, as payroll."""
    from django.contrib.auth.models import Group, User
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    user, _ = User.objects.get_or_create(username="bench-payroll")
    user.groups.add(Group.objects.get(name="payroll"))
    client = Client()
    client.force_login(user)
    url = f"/tiers/payroll/?period={period.start.isoformat()}"

    def run() -> float:
        client.get(url)
        started = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return time.perf_counter() - started

    return run


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="SQLite file to build (or reuse if it exists)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per figure (median)")
    args = parser.parse_args(argv)
    db_path = args.db or Path(tempfile.mkdtemp(prefix="payroll-bench-")) / "bench.sqlite3"
    setup_django(db_path)

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from certificates.exports import payroll_xlsx
    from certificates.models import PayPeriod
    from certificates.pay import PAYROLL_COLUMNS
    from certificates.selectors import payroll_lines
    from certificates.services import pay_period_close
    from skills.models import Employee

    today = timezone.localdate()
    call_command("migrate", verbosity=0)
    if not Employee.objects.exists():
        started = time.perf_counter()
        build_org(today)
        print(f"Built the organisation in {time.perf_counter() - started:.1f} s: {db_path}")
    period = PayPeriod.objects.filter(start__lte=today, end__gte=today).first()
    PayPeriod.objects.filter(start__lt=period.start).update(closed_at=None)

    def export():
        return payroll_xlsx(payroll_lines(PayPeriod.objects.get(pk=period.pk)))

    rows = len(payroll_lines(period))
    evaluation, _ = timed(lambda: payroll_lines(PayPeriod.objects.get(pk=period.pk)), args.runs)
    whole, _ = timed(export, args.runs)
    base, _ = timed(lambda: floor(rows, len(PAYROLL_COLUMNS)), args.runs)
    queries = count_queries(export)
    print(f"Open period {period} ({rows:,} rows, {Employee.objects.count():,} employees):")
    print(f"  export_payroll : {whole:.2f} s, {queries} queries")
    print(f"  evaluation     : {evaluation:.2f} s (the rows alone: both eves' tiers)")
    print(f"  floor          : {base:.2f} s (openpyxl write-only, same size)")
    verdict = "met" if whole <= evaluation + 2 * base else "MISSED"
    print(f"  target evaluation + 2x floor = {evaluation + 2 * base:.2f} s: {verdict}")

    page = payroll_page_timer(period)
    print(f"  payroll page   : {page():.2f} s (target 300 ms when unchanged since last computed)")

    with transaction.atomic():
        previous = PayPeriod.objects.filter(end__lt=period.start).order_by("start")
        PayPeriod.objects.filter(pk__in=previous.values("pk")).update(closed_at=timezone.now())
        pay_period_close(period=period)
        closed, _ = timed(export, args.runs)
        queries = count_queries(export)
        verdict = "met" if closed <= 2 * base else "MISSED"
        print(f"Closed (frozen): {closed:.2f} s, {queries} queries; target 2x floor: {verdict}")
        print(f"  payroll page   : {page():.2f} s (target 300 ms)")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
