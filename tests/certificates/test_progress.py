"""One employee's progress: pay and its lapse, the day pay would drop, what the page lists."""

import datetime
from decimal import Decimal

import pytest

from certificates.progress import progress_extras, progress_get
from tests.factories.buddies import BuddyPairingFactory
from tests.factories.certificates import PayPeriodFactory
from tests.factories.skills import EmployeeFactory, SignoffFactory
from tests.factories.training import AttendanceFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = D(2026, 6, 15)


def test_progress_get_reports_pay_lapse_with_its_reason(tier_world, lapser):
    # From 1 Aug the Tier II sign-off has expired: the period starting then pays Tier I.
    PayPeriodFactory(start=D(2026, 8, 1), end=D(2026, 8, 14))
    progress = progress_get(lapser, D(2026, 8, 5))
    assert (progress.status.eligible_rank, progress.certified_rank) == (1, 2)
    assert (progress.paid.rank, progress.paid.lapsed) == (1, True)
    assert progress.paid.reason == (
        "Tier II lapsed: 0 of 1 other-side skills at level 3 "
        "(BILL-DISP level 3 sign-off of 20 Jul 2025 expired on 20 Jul 2026)"
    )
    assert progress.paid_differential == Decimal("0.50")
    assert progress.next_tier.name == "Tier II"
    assert progress.next_tier_adds == Decimal("0.50")


def test_progress_get_warns_of_the_day_pay_would_drop(tier_world, lapser):
    progress = progress_get(lapser, DAY)
    assert (progress.paid.rank, progress.lapse_on, progress.lapse_to) == (2, D(2026, 7, 20), 1)
    assert progress.lapse_tier.name == "Tier I"
    renewed = progress_get(lapser, D(2026, 5, 1))  # 80 days before the expiry: not yet
    assert renewed.lapse_on is None


def test_progress_get_lists_what_the_page_shows(tier_world, lapser):
    w = tier_world
    buddy = EmployeeFactory(department=w["back"])
    BuddyPairingFactory(seeker=lapser, buddy=buddy, started_on=D(2026, 3, 1))
    home_session = TrainingSessionFactory(
        host_department=w["front"], date=D(2026, 3, 5), duration_hours=2
    )
    AttendanceFactory(session=home_session, employee=lapser, hours=Decimal(2))
    progress = progress_get(lapser, DAY)
    assert [(b.code, b.hours, b.is_home) for b in progress.hours_by_department] == [
        ("BO-BILL", Decimal(4), False),
        ("CC-GEN", Decimal(2), True),
    ]
    assert progress.chart_total == Decimal(4)
    assert [e.skill_code for e in progress.expiring] == ["BILL-DISP"]
    assert [m.code for m in progress.modules_passed] == ["WF-101"]
    assert [(s.code, s.level) for s in progress.skills] == [("BILL-DISP", 3), ("DEESC", 3)]
    assert progress_extras(lapser, DAY)["buddy"].buddy == buddy
    assert progress.next_tier is None  # Tier II is the top tier of this world


@pytest.mark.parametrize("extra", [0, 10])
def test_progress_get_query_count_does_not_grow(
    tier_world, lapser, extra, django_assert_max_num_queries
):
    for n in range(extra):
        SignoffFactory(employee=lapser, skill=tier_world["deesc"], assessed_on=D(2026, 1, 2 + n))
        session = TrainingSessionFactory(host_department=tier_world["back"], date=D(2026, 2, 1 + n))
        AttendanceFactory(session=session, employee=lapser)
    with django_assert_max_num_queries(17):
        progress_get(lapser, DAY)
