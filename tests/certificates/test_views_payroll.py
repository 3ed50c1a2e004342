"""The payroll page: a period's rows, filters, totals, downloads, closing, adding periods."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from certificates import services
from certificates.models import PayPeriod, PayrollRow
from certificates.pay import PAYROLL_COLUMNS
from core.roles import Role
from tests.certificates.conftest import PAY_WALK_START as FIRST

pytestmark = pytest.mark.django_db

D = datetime.date
PAGE = reverse("certificates:payroll")
EXPORT = reverse("certificates:payroll-export")


@pytest.fixture
def clerk(client, role_users):
    client.force_login(role_users[Role.PAYROLL])
    return client


def shown(response) -> list[tuple]:
    return [
        (row.record.employee_number, row.record.paid_tier, row.record.change)
        for row in response.context["table"].paginated_rows
    ]


def test_payroll_page_shows_the_period_with_its_rows_and_totals(clerk, walk):
    page = clerk.get(PAGE, {"period": "2026-01-29"})

    assert page.status_code == 200
    assert shown(page) == [("E1", 0, "REMOVED")]
    assert "TONE: level 0 of 3 needed" in page.content.decode()
    assert page.context["may_close"] is False, "the period before is still open"
    points = [row["point"] for row in page.context["trend"]["rows"]]
    assert [(p.start, p.known, p.total) for p in points] == [
        (D(2026, 1, 1), False, 0),  # another open period: not worked out on this page
        (D(2026, 1, 15), False, 0),
        (D(2026, 1, 29), True, 0),
    ]
    services.pay_period_close(period=PayPeriod.objects.get(start=FIRST))
    closed = clerk.get(PAGE, {"period": "2026-01-29"}).context["trend"]["rows"][0]["point"]
    assert (closed.known, closed.total) == (True, 1)


def test_payroll_page_filters_lapsed_rows_and_changes(clerk, walk):
    assert shown(clerk.get(PAGE, {"period": "2026-01-29", "lapsed": "on"})) == [
        ("E1", 0, "REMOVED")
    ]
    assert shown(clerk.get(PAGE, {"period": "2026-01-15", "changed": "on"})) == []
    assert shown(clerk.get(PAGE, {"period": "2026-01-15", "tier": 1})) == [("E1", 1, "SAME")]
    first = clerk.get(PAGE, {"period": "2026-01-01"})
    assert [(t.rank, t.people) for t in first.context["totals"]] == [(1, 1)]


def test_payroll_downloads_are_the_export(clerk, walk):
    xlsx = clerk.get(EXPORT, {"period": "2026-01-01"})
    assert xlsx["Content-Disposition"] == 'attachment; filename="pay-differentials-2026-01-01.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["Pay differentials"]
    assert [c.value for c in sheet[1]] == list(PAYROLL_COLUMNS)

    text = clerk.get(EXPORT, {"period": "2026-01-15", "format": "csv", "changes": "1"})
    assert text["Content-Disposition"].endswith('-2026-01-15-changes.csv"')
    assert list(csv.reader(io.StringIO(text.content.decode()))) == [list(PAYROLL_COLUMNS)]


def test_payroll_closes_periods_in_order_on_the_page(clerk, walk):
    second = clerk.post(reverse("certificates:payroll-close", args=["2026-01-15"]), follow=True)
    assert "Close the period 2026-01-01 – 2026-01-14 first" in second.content.decode()

    done = clerk.post(reverse("certificates:payroll-close", args=["2026-01-01"]), follow=True)

    assert "1 rows frozen" in done.content.decode()
    period = PayPeriod.objects.get(start=FIRST)
    assert period.is_closed and period.closed_by.username == f"user-{Role.PAYROLL}"
    assert PayrollRow.objects.filter(period=period).count() == 1


def test_payroll_adds_the_next_periods(clerk):
    services.pay_periods_create(first_start=FIRST, days=14, count=1)

    clerk.post(reverse("certificates:payroll-add-periods"), {"count": 2})

    assert list(PayPeriod.objects.order_by("start").values_list("start", flat=True)) == [
        D(2026, 1, 1),
        D(2026, 1, 15),
        D(2026, 1, 29),
    ]


def test_payroll_page_without_periods_says_what_to_do(clerk):
    page = clerk.get(PAGE)
    assert "create_pay_periods" in page.content.decode()


@pytest.mark.parametrize("people", [1, 8])
def test_payroll_page_query_count_does_not_grow(clerk, walk, people, django_assert_max_num_queries):
    from certificates.models import Tier
    from tests.factories.certificates import CertificationFactory
    from tests.factories.skills import EmployeeFactory, SignoffFactory

    for n in range(people):
        other = EmployeeFactory(employee_number=f"E6{n:02d}", hire_date=D(2025, 1, 1))
        SignoffFactory(employee=other, skill=walk["tone"], level=3, assessed_on=D(2025, 12, 1))
        CertificationFactory(
            employee=other,
            tier=Tier.objects.get(rank=1),
            certified_by=walk["manager"],
            certified_on=D(2025, 12, 20),
        )
    with django_assert_max_num_queries(28):
        page = clerk.get(PAGE, {"period": "2026-01-15"})
    assert len(page.context["table"].rows) == people + 1


def test_payroll_page_shows_what_the_export_writes(clerk, walk):
    page = clerk.get(PAGE, {"period": "2026-01-29"})
    book = openpyxl.load_workbook(io.BytesIO(clerk.get(EXPORT, {"period": "2026-01-29"}).content))
    exported = [
        (r[0], r[6], r[10])
        for r in book["Pay differentials"].iter_rows(min_row=2, values_only=True)
    ]
    assert shown(page) == exported


def test_payroll_page_of_an_unchanged_open_period_is_not_worked_out_again(clerk, walk, monkeypatch):
    from certificates import payroll_page, selectors

    first = clerk.get(PAGE, {"period": "2026-01-15"})
    calls = []

    def counting(period, employee_ids=None):
        calls.append((period.start, employee_ids))
        return selectors.payroll_lines(period, employee_ids=employee_ids)

    monkeypatch.setattr(payroll_page, "payroll_lines", counting)
    again = clerk.get(PAGE, {"period": "2026-01-15"})
    assert calls == [] and shown(again) == shown(first)

    walk["person"].last_name = "Changed"
    walk["person"].save()  # any write moves the data version
    changed = clerk.get(PAGE, {"period": "2026-01-15"})

    assert calls == [(D(2026, 1, 15), {walk["person"].pk})], "only the person changed"
    assert changed.context["table"].rows[0].record.last_name == "Changed"


def test_a_large_payroll_download_runs_as_a_job_with_the_same_file(
    clerk, walk, settings, django_capture_on_commit_callbacks
):
    from core.models import Job

    query = {"period": "2026-01-15", "format": "csv"}
    direct = clerk.get(EXPORT, query)
    settings.TRACKER = {**settings.TRACKER, "JOB_ABOVE_ROWS": 0}
    with django_capture_on_commit_callbacks(execute=True):
        started = clerk.get(EXPORT, query)
    job = Job.objects.get()
    assert started["Location"] == reverse("core:job", args=[job.token])
    assert (job.status, job.kind, job.done, job.total) == ("done", "payroll-download", 2, 2)
    assert job.title == "Payroll export for 15 Jan 2026 – 28 Jan 2026 (CSV)"
    assert job.back_url == f"{PAGE}?period=2026-01-15"
    download = clerk.get(reverse("core:job-download", args=[job.token]))
    assert download["Content-Disposition"] == direct["Content-Disposition"]
    assert download.content == direct.content


def test_the_job_threshold_counts_at_least_the_rows_the_export_writes(walk):
    from certificates.selectors import payroll_lines, payroll_rows_at_most

    for period in PayPeriod.objects.order_by("start"):
        assert payroll_rows_at_most(period) >= len(payroll_lines(period)), period
    services.pay_period_close(period=PayPeriod.objects.get(start=FIRST))
    closed = PayPeriod.objects.get(start=FIRST)
    assert payroll_rows_at_most(closed) == len(payroll_lines(closed))
