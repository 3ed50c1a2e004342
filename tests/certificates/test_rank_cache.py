"""The shared rank cache: the same ranks as computing them, and never stale after a write."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates import progress as progress_module
from certificates import rank_cache
from certificates.progress import team_row_list
from certificates.selectors import employees_active_on
from skills.models import Signoff, Skill
from tests.factories.skills import SignoffFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 15)
FIELDS = ("eligible_rank", "certified_rank", "paid_rank", "lapsing")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def ranks(rows):
    return {r.employee_number: tuple(getattr(r, f) for f in FIELDS) for r in rows}


def test_rank_cache_gives_the_ranks_it_would_compute(add_people, monkeypatch):
    add_people(4)
    computed = ranks(team_row_list(DAY, employees_active_on(DAY), hours=False))
    monkeypatch.setattr(progress_module, "RANK_CACHE_ABOVE", 0)
    first = ranks(team_row_list(DAY, employees_active_on(DAY), hours=False))
    second = ranks(team_row_list(DAY, employees_active_on(DAY), hours=False))
    assert first == computed
    assert second == computed


def test_rank_cache_second_request_reads_no_sign_offs(add_people, monkeypatch):
    add_people(4)
    monkeypatch.setattr(progress_module, "RANK_CACHE_ABOVE", 0)
    team_row_list(DAY, employees_active_on(DAY), hours=False)
    with CaptureQueriesContext(connection) as queries:
        rows = team_row_list(DAY, employees_active_on(DAY), hours=False)
    assert all(r.ranked and not r.complete for r in rows)
    reads = [q["sql"] for q in queries.captured_queries if "SELECT MAX" not in q["sql"]]
    assert not [sql for sql in reads if '"skills_signoff"' in sql]


def test_rank_cache_is_not_read_after_a_record_changes(add_people, monkeypatch):
    add_people(2)
    monkeypatch.setattr(progress_module, "RANK_CACHE_ABOVE", 0)
    before = ranks(team_row_list(DAY, employees_active_on(DAY), hours=False))
    assert before["E20000"][0] == 1
    version = rank_cache.data_version()
    signoff = Signoff.objects.get(employee__employee_number="E20000")
    signoff.revoked_on, signoff.revoke_reason = datetime.date(2026, 3, 1), "wrong person"
    signoff.save()
    assert rank_cache.data_version() != version
    after = ranks(team_row_list(DAY, employees_active_on(DAY), hours=False))
    assert after["E20000"][0] == 1  # Tier I needs no other-side skill
    # Tier II needs a level 3 DEESC and one other-side skill: give it, see the rank rise at once.
    SignoffFactory(
        employee=signoff.employee,
        skill=signoff.skill,
        level=3,
        assessed_on=datetime.date(2026, 4, 1),
    )
    deesc = SignoffFactory(
        employee=signoff.employee,
        skill=Skill.objects.get(code="DEESC"),
        level=3,
        assessed_on=datetime.date(2026, 4, 1),
    )
    assert deesc.pk
    raised = ranks(team_row_list(DAY, employees_active_on(DAY), hours=False))
    assert raised["E20000"][0] == 2


def test_data_version_changes_with_bulk_writes_through_the_history_helpers(add_people):
    from simple_history.utils import bulk_create_with_history

    from training.models import Attendance, TrainingSession

    add_people(1)
    version = rank_cache.data_version()
    session = TrainingSession.objects.first()
    person = Signoff.objects.first().assessor
    bulk_create_with_history(
        [Attendance(session=session, employee=person, hours=Decimal("1"))], Attendance
    )
    assert rank_cache.data_version() != version
