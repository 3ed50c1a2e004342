"""Two clerks closing the same period, or adding periods, at the same moment (PostgreSQL)."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from certificates import services
from certificates.models import PayPeriod, PayrollRow
from tests.factories.certificates import CertificationFactory, TierFactory
from tests.factories.skills import EmployeeFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; SQLite has one writer",
    ),
]


def at_once(work, times=2):
    """Runs `work` in `times` threads, each on its own database connection, released together."""
    barrier = threading.Barrier(times)
    outcomes = []

    def run():
        try:
            barrier.wait()
            outcomes.append(("ok", work()))
        except ValidationError as error:
            outcomes.append(("refused", error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_simultaneous_closes_freeze_the_rows_once():
    tier = TierFactory(rank=1)
    for n in range(3):
        person = EmployeeFactory(employee_number=f"E{n}")
        CertificationFactory(employee=person, tier=tier, certified_on=datetime.date(2025, 6, 1))
    period = PayPeriod.objects.create(
        start=datetime.date(2026, 1, 1), end=datetime.date(2026, 1, 14)
    )

    outcomes = at_once(lambda: len(services.pay_period_close(period=period)))

    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    frozen = next(value for kind, value in outcomes if kind == "ok")
    assert PayrollRow.objects.filter(period=period).count() == frozen


def test_two_clerks_adding_the_same_periods_add_them_once():
    PayPeriod.objects.create(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 1, 14))

    outcomes = at_once(
        lambda: services.pay_periods_create(
            first_start=datetime.date(2026, 1, 15), days=14, count=2
        )
    )

    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    assert PayPeriod.objects.count() == 3


def test_two_clerks_adding_the_first_periods_add_them_once():
    first = datetime.date(2026, 1, 1)

    outcomes = at_once(lambda: services.pay_periods_create(first_start=first, days=14, count=2))

    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    refused = next(value for kind, value in outcomes if kind == "refused")
    # Whichever way the timing falls, the second clerk is told why in words.
    assert refused == [services.ADDED_MEANWHILE.format(start=first)] or all(
        "overlaps the period" in message for message in refused
    )
    assert PayPeriod.objects.count() == 2
