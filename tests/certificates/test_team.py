"""The team table's rows: they agree with the engine, pay, lapsing, tier filters, name order."""

import datetime
from decimal import Decimal

import pytest

from certificates import selectors as selectors_module
from certificates import team as team_module
from certificates.selectors import employees_active_on, tier_status_list
from certificates.team import (
    TeamRow,
    lapsing_candidates,
    team_counts,
    team_member_list,
    team_row_list,
    team_rows_of,
    team_rows_rank,
    team_table_ranks,
    team_table_rows,
)
from tests.factories.certificates import PayPeriodFactory
from tests.factories.skills import EmployeeFactory, SignoffFactory
from tests.factories.training import AttendanceFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = D(2026, 6, 15)


def by_number(rows):
    return {r.employee_number: r for r in rows}


def test_team_rows_rank_agrees_with_the_engine_on_all_the_records(add_people, tier_world, lapser):
    add_people(3)
    w = tier_world
    # Below the required level: the gap must still read the real level.
    SignoffFactory(
        employee=EmployeeFactory(employee_number="E40000", department=w["front"]),
        skill=w["deesc"],
        level=2,
        assessed_on=D(2026, 3, 1),
    )
    # Hours in the home department do not count.
    home = EmployeeFactory(employee_number="E40001", department=w["back"])
    session = TrainingSessionFactory(
        host_department=w["back"], date=D(2026, 1, 5), duration_hours=6
    )
    AttendanceFactory(session=session, employee=home, hours=Decimal(6))
    rows = by_number(team_row_list(DAY, employees_active_on(DAY)))
    for status in tier_status_list(DAY):
        row = rows[status.employee_number]
        assert row.eligible_rank == status.eligible_rank, status.employee_number
        assert row.cross_training_hours == status.cross_training_hours
        assert row.gaps == status.next_tier_gaps, status.employee_number
    assert rows["E40000"].gaps == ["0 of 4 cross-training hours", "module WF-101 not passed"]
    assert rows["E40001"].cross_training_hours == 0


def test_team_rows_rank_same_answers_when_whole_tables_are_read(add_people, lapser, monkeypatch):
    add_people(3)
    few = [(r.employee_number, r.eligible_rank, r.paid_rank, r.lapsing, r.cross_training_hours)
           for r in team_row_list(DAY, employees_active_on(DAY))]  # fmt: skip
    monkeypatch.setattr(selectors_module, "SCAN_ABOVE", 0)
    many = [(r.employee_number, r.eligible_rank, r.paid_rank, r.lapsing, r.cross_training_hours)
            for r in team_row_list(DAY, employees_active_on(DAY))]  # fmt: skip
    assert few == many


def test_team_rows_rank_without_hours_for_all_ranks_the_same(add_people, tier_world, lapser):
    add_people(3)
    EmployeeFactory(employee_number="E40002", department=tier_world["front"])  # no tier at all
    active = employees_active_on(DAY)
    fields = ("eligible_rank", "certified_rank", "paid_rank", "lapsing")
    full = {r.employee_number: [getattr(r, f) for f in fields] for r in team_row_list(DAY, active)}
    pruned = team_row_list(DAY, active, hours=False)
    assert {r.employee_number: [getattr(r, f) for f in fields] for r in pruned} == full
    skipped = [r for r in pruned if not r.complete]
    assert "E40002" in [r.employee_number for r in skipped], "no Tier I even with hours: skipped"
    assert all(isinstance(r, TeamRow) and r.status is None and r.gaps == [] for r in skipped)


def test_team_row_certified_paid_ready_and_lapsing(add_people, lapser):
    add_people(1)  # E20000: eligible Tier I, never certified: ready to certify
    rows = by_number(team_row_list(DAY, employees_active_on(DAY)))
    ready, lapsing = rows["E20000"], rows["E30000"]
    assert (ready.eligible_rank, ready.certified_rank, ready.paid_rank) == (1, 0, 0)
    assert ready.ready_to_certify and not ready.lapsing
    assert (lapsing.eligible_rank, lapsing.certified_rank, lapsing.paid_rank) == (2, 2, 2)
    assert lapsing.lapsing and not lapsing.ready_to_certify
    assert (lapsing.eligible_name, lapsing.certified_name) == ("Tier II", "Tier II")


@pytest.mark.parametrize(
    ("rule", "renewal_on", "day", "lapsing"),
    [
        ("expiry on day 35 of the window: lapsing", None, DAY, True),
        ("renewed before the expiry: not lapsing", D(2026, 6, 1), DAY, False),
        ("expiry beyond the 60 days: not yet", None, D(2026, 5, 20), False),
    ],
)
def test_lapsing_looks_at_each_expiry_date_in_the_window(
    tier_world, lapser, rule, renewal_on, day, lapsing
):
    if renewal_on:
        SignoffFactory(
            employee=lapser, skill=tier_world["billing"], level=3, assessed_on=renewal_on
        )
    [row] = team_row_list(day, employees_active_on(day).filter(pk=lapser.pk))
    assert row.lapsing is lapsing, rule
    in_sql = lapsing_candidates(day, employees_active_on(day)).filter(pk=lapser.pk).exists()
    assert in_sql or not lapsing, "the SQL pre-filter never drops someone who lapses"


def test_paid_tier_uses_the_current_pay_period_start(tier_world, lapser):
    # The period started on 1 Feb 2026: the certification of that day is not paid yet.
    PayPeriodFactory(start=D(2026, 2, 1), end=D(2026, 6, 30))
    [row] = team_row_list(DAY, employees_active_on(DAY).filter(pk=lapser.pk))
    assert (row.certified_rank, row.paid_rank, row.lapsing) == (2, 0, False)


def test_team_table_rows_filters_on_the_engine_answers(add_people, lapser):
    add_people(2)
    active = employees_active_on(DAY)
    numbers = lambda rows: sorted(r.employee_number for r in rows)  # noqa: E731
    assert numbers(team_table_rows(DAY, active, ready=True)) == ["E20000", "E20001"]
    assert numbers(team_table_rows(DAY, active, lapsing=True)) == ["E30000"]
    assert numbers(team_table_rows(DAY, active, eligible_tier=2)) == ["E30000"]
    unranked = team_table_rows(DAY, active)
    assert not any(isinstance(r, TeamRow) for r in unranked), (
        "without a tier filter, only the page is ranked"
    )


@pytest.mark.parametrize("people", [2, 12])
def test_team_row_list_query_count_does_not_grow(add_people, people, django_assert_max_num_queries):
    add_people(people)
    with django_assert_max_num_queries(10):
        rows = team_row_list(DAY, employees_active_on(DAY))
    with django_assert_max_num_queries(0):
        assert all(r.gaps is not None for r in rows)
    assert len(rows) >= people


def test_team_rows_rank_of_no_rows_asks_nothing(django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        team_rows_rank(DAY, [])


def test_team_member_list_orders_names_without_accents_on_every_database(tier_world):
    # Only these three: the fixture's other people have random names that may start with D too.
    ids = [
        EmployeeFactory(last_name=last, department=tier_world["front"]).pk
        for last in ("Dvořáková", "Dąbrowska", "Davies")
    ]
    rows = team_member_list(employees_active_on(DAY).filter(pk__in=ids))
    assert [r.last_name for r in rows] == ["Dąbrowska", "Davies", "Dvořáková"]
    assert [r.name_position for r in rows] == [0, 1, 2]


@pytest.mark.parametrize(
    "filters",
    [{}, {"ready": True}, {"lapsing": True}, {"eligible_tier": 1}, {"eligible_tier": 0}],
)
def test_team_table_ranks_agree_with_the_full_rows(add_people, lapser, filters, monkeypatch):
    add_people(4)
    active = employees_active_on(DAY)
    full = [
        (r.employee_number, r.eligible_rank, r.certified_rank, r.paid_rank, r.lapsing)
        for r in team_table_rows(DAY, active, hours=True, **filters)
    ]
    for above in (10_000, 0):  # computed directly, then through the shared rank cache
        monkeypatch.setattr(team_module, "RANK_CACHE_ABOVE", above)
        ranks = team_table_ranks(DAY, active, **filters)
        rows = team_rows_of(DAY, active, ranks)
        assert all(r.complete for r in rows)
        built = [
            (r.employee_number, r.eligible_rank, r.certified_rank, r.paid_rank, r.lapsing)
            for r in rows
        ]
        assert built == full
        assert [(r.eligible_rank, r.certified_rank) for r in ranks] == [b[1:3] for b in built]


def test_a_tier_paid_below_its_certification_is_lapsed_with_the_payroll_reason(tier_world, lapser):
    # From 1 Aug the Tier II sign-off has expired: the period starting then pays Tier I.
    PayPeriodFactory(start=D(2026, 8, 1), end=D(2026, 8, 14))
    day = D(2026, 8, 5)
    [row] = team_row_list(day, employees_active_on(day).filter(pk=lapser.pk))
    assert (row.certified_rank, row.paid_rank, row.lapsed) == (2, 1, True)
    assert row.lapsed_reason == (
        "Tier II lapsed: 0 of 1 other-side skills at level 3 "
        "(BILL-DISP level 3 sign-off of 20 Jul 2025 expired on 20 Jul 2026)"
    )
    # Before the expiry nothing has lapsed yet (it is lapsing).
    [before] = team_row_list(DAY, employees_active_on(DAY).filter(pk=lapser.pk))
    assert (before.lapsed, before.lapsing, before.lapsed_reason) == (False, True, "")


def test_the_lapsed_filter_keeps_only_lapsed_people(add_people, tier_world, lapser):
    add_people(3)
    PayPeriodFactory(start=D(2026, 8, 1), end=D(2026, 8, 14))
    day = D(2026, 8, 5)
    rows = team_table_rows(day, employees_active_on(day), lapsed=True)
    assert [r.employee_number for r in rows] == ["E30000"]
    ranks = team_table_ranks(day, employees_active_on(day), lapsed=True)
    assert [r.employee_id for r in ranks] == [lapser.pk]
    assert team_counts(day, employees_active_on(day)).lapsed == 1
