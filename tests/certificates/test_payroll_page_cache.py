"""The payroll page's cached rows follow each write by delta: only the people whose records
changed are worked out again, and the rows always equal a fresh computation."""

import datetime

import pytest
from django.core.cache import cache

from certificates import payroll_page, selectors
from certificates.models import PayPeriod
from tests.certificates.conftest import PAY_WALK_START
from tests.factories.certificates import CertificationFactory
from tests.factories.skills import EmployeeFactory, SignoffFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def recomputed(monkeypatch):
    """The employee ids each payroll computation was asked for (None: everyone)."""
    calls = []
    real = selectors.payroll_lines

    def spy(period, employee_ids=None):
        calls.append(None if employee_ids is None else set(employee_ids))
        return real(period, employee_ids=employee_ids)

    monkeypatch.setattr(payroll_page, "payroll_lines", spy)
    cache.clear()
    return calls


def test_a_write_recomputes_only_the_people_it_touched(walk, recomputed):
    period = PayPeriod.objects.get(start=PAY_WALK_START)
    other = EmployeeFactory(employee_number="E2", hire_date=D(2025, 1, 1))
    SignoffFactory(employee=other, skill=walk["tone"], level=3, assessed_on=D(2025, 11, 20))
    CertificationFactory(employee=other, tier=walk["tier2"].__class__.objects.get(rank=1),
                         certified_by=walk["manager"], certified_on=D(2025, 12, 20))  # fmt: skip

    first = payroll_page.page_lines(period)
    assert recomputed == [None]
    assert payroll_page.page_lines(period) == first and recomputed == [None], "unchanged: cached"

    # E2's Tier I sign-off is revoked before the period: only E2 is worked out again.
    signoff = other.signoffs.get()
    signoff.revoked_on, signoff.revoke_reason = D(2025, 11, 21), "Wrong skill."
    signoff.save()
    lines = payroll_page.page_lines(period)
    assert recomputed[-1] == {other.pk}
    assert lines == selectors.payroll_lines(period)
    assert [line.employee_number for line in first] == ["E1", "E2"]
    assert [line.employee_number for line in lines] == ["E1"], "E2 is no longer paid a tier"


def test_a_change_every_row_reads_starts_afresh(walk, recomputed):
    period = PayPeriod.objects.get(start=PAY_WALK_START)
    payroll_page.page_lines(period)
    walk["tier2"].differential_per_hour = walk["tier2"].differential_per_hour + 1
    walk["tier2"].save()
    assert payroll_page.page_lines(period) == selectors.payroll_lines(period)
    assert recomputed == [None, None]
