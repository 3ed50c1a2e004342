"""The shared rank cache: the same ranks as computing them, and never stale after a write."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates import rank_cache
from certificates import team as team_module
from certificates.selectors import employees_active_on
from certificates.team import TeamRow, team_row_list
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
    monkeypatch.setattr(team_module, "RANK_CACHE_ABOVE", 0)
    first = ranks(team_row_list(DAY, employees_active_on(DAY), hours=False))
    second = ranks(team_row_list(DAY, employees_active_on(DAY), hours=False))
    assert first == computed
    assert second == computed


def test_rank_cache_second_request_reads_no_sign_offs(add_people, monkeypatch):
    add_people(4)
    monkeypatch.setattr(team_module, "RANK_CACHE_ABOVE", 0)
    team_row_list(DAY, employees_active_on(DAY), hours=False)
    with CaptureQueriesContext(connection) as queries:
        rows = team_row_list(DAY, employees_active_on(DAY), hours=False)
    assert all(isinstance(r, TeamRow) and not r.complete for r in rows)
    reads = [q["sql"] for q in queries.captured_queries if "SELECT MAX" not in q["sql"]]
    assert not [sql for sql in reads if '"skills_signoff"' in sql]


def test_rank_cache_is_not_read_after_a_record_changes(add_people, monkeypatch):
    add_people(2)
    monkeypatch.setattr(team_module, "RANK_CACHE_ABOVE", 0)
    before = ranks(team_row_list(DAY, employees_active_on(DAY), hours=False))
    assert before["E20000"][0] == 1
    version = rank_cache.data_versions()
    signoff = Signoff.objects.get(employee__employee_number="E20000")
    signoff.revoked_on, signoff.revoke_reason = datetime.date(2026, 3, 1), "wrong person"
    signoff.save()
    assert rank_cache.data_versions() != version
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
    version = rank_cache.data_versions()
    session = TrainingSession.objects.first()
    person = Signoff.objects.first().assessor
    bulk_create_with_history(
        [Attendance(session=session, employee=person, hours=Decimal("1"))], Attendance
    )
    assert rank_cache.data_versions() != version


# --- after a write, only the people whose records changed are ranked again ------------------


@pytest.fixture
def ranked_calls(monkeypatch):
    """The employee numbers of every _rank_rows call, with the cache used for any head count."""
    monkeypatch.setattr(team_module, "RANK_CACHE_ABOVE", 0)
    calls: list[set[str]] = []
    original = team_module._rank_rows

    def spy(day, rows, *, hours):
        # Only the people of add_people: factories add trainers and assessors of their own.
        calls.append({r.employee_number for r in rows if r.employee_number.startswith("E2")})
        return original(day, rows, hours=hours)

    monkeypatch.setattr(team_module, "_rank_rows", spy)
    return calls


def team_ranks():
    return ranks(team_row_list(DAY, employees_active_on(DAY), hours=False))


def fresh_ranks(monkeypatch):
    monkeypatch.setattr(team_module, "RANK_CACHE_ABOVE", 10_000)
    try:
        return team_ranks()
    finally:
        monkeypatch.setattr(team_module, "RANK_CACHE_ABOVE", 0)


def test_a_new_sign_off_ranks_only_its_employee_again(add_people, ranked_calls, monkeypatch):
    add_people(4)
    team_ranks()
    assert ranked_calls == [{"E20000", "E20001", "E20002", "E20003"}]
    person = Signoff.objects.get(employee__employee_number="E20002").employee
    assessor = Signoff.objects.get(employee__employee_number="E20000").employee
    SignoffFactory(employee=person, skill=Skill.objects.get(code="DEESC"), level=3,
                   assessed_on=datetime.date(2026, 4, 1), assessor=assessor)  # fmt: skip
    after = team_ranks()
    assert ranked_calls[1:] == [{"E20002"}]
    assert after["E20002"][0] == 2
    assert after == fresh_ranks(monkeypatch)
    calls = len(ranked_calls)
    team_ranks()
    assert len(ranked_calls) == calls, "up to date again: nothing to rank"


def test_a_sign_off_moved_to_another_person_ranks_both(add_people, ranked_calls, monkeypatch):
    add_people(3)
    team_ranks()
    signoff = Signoff.objects.get(employee__employee_number="E20000")
    signoff.employee = Signoff.objects.get(employee__employee_number="E20001").employee
    signoff.level = 4  # E20001 already holds the same sign-off at level 3
    signoff.save()
    after = team_ranks()
    assert ranked_calls[1:] == [{"E20000", "E20001"}]
    assert after == fresh_ranks(monkeypatch)


def test_a_session_moved_in_time_ranks_its_attendees(add_people, ranked_calls, monkeypatch):
    from training.models import TrainingSession

    add_people(3)
    before = team_ranks()
    session = TrainingSession.objects.get(attendances__employee__employee_number="E20001")
    session.date = datetime.date(2026, 9, 1)  # after DAY: its hours no longer count
    session.save()
    after = team_ranks()
    assert ranked_calls[1:] == [{"E20001"}]
    assert before["E20001"][0] == 1 and after["E20001"][0] == 0
    assert after == fresh_ranks(monkeypatch)


def test_a_tier_change_ranks_everyone_again(add_people, ranked_calls, monkeypatch):
    from certificates.models import Tier

    add_people(3)
    team_ranks()
    tier = Tier.objects.get(rank=1)
    tier.min_cross_training_hours = Decimal("40")
    tier.save()
    after = team_ranks()
    assert ranked_calls[1:] == [{"E20000", "E20001", "E20002"}]
    assert {rank[0] for rank in after.values()} == {0}
    assert after == fresh_ranks(monkeypatch)


def test_changed_employees_gives_up_when_versions_do_not_line_up(db):
    versions = rank_cache.data_versions()
    assert rank_cache.changed_employees(versions, versions) == set()
    assert rank_cache.changed_employees(versions[:-1], versions) is None
    lower = tuple(max(v - 1, 0) for v in versions)
    assert rank_cache.changed_employees(versions, lower) in (None, set())


def test_team_counts_agree_with_the_team_rows_with_and_without_the_cache(
    add_people, lapser, monkeypatch
):
    from certificates.team import team_counts

    add_people(3)
    active = employees_active_on(DAY)
    rows = team_row_list(DAY, active)
    expected = (
        len(rows),
        sum(1 for r in rows if r.ready_to_certify),
        sum(1 for r in rows if r.lapsing),
    )
    assert expected[1] and expected[2], "the world has someone ready and someone lapsing"
    direct = team_counts(DAY, active)
    monkeypatch.setattr(team_module, "RANK_CACHE_ABOVE", 0)
    first, second = team_counts(DAY, active), team_counts(DAY, active)
    for counts in (direct, first, second):
        assert (counts.people, counts.ready, counts.lapsing) == expected


def test_remember_recomputes_when_a_record_changes(add_people):
    add_people(1)
    calls = []

    def compute():
        calls.append(1)
        return Signoff.objects.count()

    assert rank_cache.remember("test", DAY, compute) == 1
    assert rank_cache.remember("test", DAY, compute) == 1
    assert len(calls) == 1
    person = Signoff.objects.get().employee
    assessor = Signoff.objects.get().assessor
    SignoffFactory(employee=person, assessor=assessor, skill=Skill.objects.get(code="DEESC"))
    assert rank_cache.remember("test", DAY, compute) == 2
    assert len(calls) == 2


# --- warm_caches ----------------------------------------------------------------------------


def test_warm_caches_command_fills_the_ranks_so_the_day_reads_no_sign_offs(add_people, monkeypatch):
    from django.core.management import call_command

    from certificates.home import organisation_counts

    add_people(3)
    monkeypatch.setattr(team_module, "RANK_CACHE_ABOVE", 0)
    out = io.StringIO()
    call_command("warm_caches", "--date", DAY.isoformat(), stdout=out)
    assert f"for {DAY:%Y-%m-%d}" in out.getvalue()
    with CaptureQueriesContext(connection) as queries:
        ranks(team_row_list(DAY, employees_active_on(DAY), hours=False))
        organisation_counts(DAY)
    reads = [q["sql"] for q in queries.captured_queries if "SELECT MAX" not in q["sql"]]
    assert not [sql for sql in reads if '"skills_signoff"' in sql]


def test_warm_caches_refuses_a_bad_date(db):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("warm_caches", "--date", "31/12/2026")


def test_changed_employees_is_one_query_whatever_changed(add_people, django_assert_num_queries):
    from training.models import TrainingSession

    add_people(2)
    old = rank_cache.data_versions()
    signoff = Signoff.objects.get(employee__employee_number="E20000")
    signoff.level = 4
    signoff.save()
    session = TrainingSession.objects.get(attendances__employee__employee_number="E20001")
    session.duration_hours = Decimal("5")
    session.save()
    new = rank_cache.data_versions()
    with django_assert_num_queries(1):
        changed = rank_cache.changed_employees(old, new)
    numbers = set(
        Signoff.objects.filter(employee_id__in=changed).values_list(
            "employee__employee_number", flat=True
        )
    )
    assert numbers == {"E20000", "E20001"}
