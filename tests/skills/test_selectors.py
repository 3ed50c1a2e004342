"""Coverage, who can help, expiring sign-offs (DOMAIN.md "Skills and sign-offs", "Coverage")."""

import datetime

import pytest

from skills.rules import add_months
from skills.selectors import (
    coverage_matrix,
    expiring_signoff_count,
    expiring_signoff_list,
    first_valid_assessment,
    helper_list,
    renews_on,
)
from tests.factories.skills import DepartmentFactory, EmployeeFactory, SignoffFactory, SkillFactory

D = datetime.date
TODAY = D(2026, 6, 15)


# --- the expiry bound, without the database -------------------------------------------------


@pytest.mark.parametrize("months", [1, 6, 12, 18, 24, 36])
@pytest.mark.parametrize(
    "day",
    [
        D(2026, 6, 15),
        D(2026, 2, 28),
        D(2026, 3, 31),
        D(2024, 2, 29),
        D(2026, 12, 31),
        D(2027, 1, 1),
    ],
)
def test_first_valid_assessment_is_the_exact_bound_of_validity(day, months):
    first = first_valid_assessment(day, months)
    assert add_months(first, months) > day, "a sign-off assessed on the bound is still valid"
    before = first - datetime.timedelta(days=1)
    assert add_months(before, months) <= day, "one assessed the day before has expired"


@pytest.mark.parametrize(
    ("rule", "day", "months", "first"),
    [
        ("12 months: a year ago to the day has expired", D(2026, 6, 15), 12, D(2025, 6, 16)),
        ("31 Jan + 1 month = 28 Feb: gone on 28 Feb", D(2026, 2, 28), 1, D(2026, 2, 1)),
        ("valid on 27 Feb when assessed 31 Jan", D(2026, 2, 27), 1, D(2026, 1, 28)),
    ],
)  # fmt: skip
def test_first_valid_assessment_follows_calendar_months(rule, day, months, first):
    assert first_valid_assessment(day, months) == first, rule


# --- coverage -------------------------------------------------------------------------------


@pytest.fixture
def billing(db):
    dept = DepartmentFactory(code="BO-BILL", side="back", site="Leeds")
    return {
        "dept": dept,
        "dispute": SkillFactory(code="BILL-DISP", department=dept, recert_months=12),
        "run": SkillFactory(code="BILL-RUN", department=dept),
        "front": DepartmentFactory(code="CC-GEN", side="front"),
    }


JAN_10 = D(2026, 1, 10)


def signoff(employee, skill, level=3, on=JAN_10, **kwargs):
    return SignoffFactory(employee=employee, skill=skill, level=level, assessed_on=on, **kwargs)


@pytest.mark.django_db
def test_coverage_counts_home_and_bench_by_shift(billing):
    home_day = EmployeeFactory(department=billing["dept"], shift="day")
    home_night = EmployeeFactory(department=billing["dept"], shift="night")
    bench_evening = EmployeeFactory(department=billing["front"], shift="evening")
    for person in (home_day, home_night, bench_evening):
        signoff(person, billing["dispute"])
    signoff(home_day, billing["dispute"], level=4, on=D(2026, 2, 1))  # counted once
    [dept] = [d for d in coverage_matrix(TODAY) if d.code == "BO-BILL"]
    dispute, run = dept.skills
    assert (dispute.code, dispute.home, dispute.bench) == ("BILL-DISP", (1, 0, 1), (0, 1, 0))
    assert (dispute.total, dispute.single_point_of_failure) == (3, False)
    assert (run.code, run.total, run.single_point_of_failure) == ("BILL-RUN", 0, True)
    assert dept.single_points_of_failure == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rule", "level", "on", "revoked", "terminated", "counted"),
    [
        ("level 3 counts", 3, D(2026, 1, 10), False, False, True),
        ("level 2 does not", 2, D(2026, 1, 10), False, False, False),
        ("expired does not (12 months)", 3, D(2025, 6, 15), False, False, False),
        ("the day before expiry still counts", 3, D(2025, 6, 16), False, False, True),
        ("revoked does not", 3, D(2026, 1, 10), True, False, False),
        ("assessed after today does not", 3, D(2026, 6, 16), False, False, False),
        ("someone who has left does not", 3, D(2026, 1, 10), False, True, False),
    ],
)
def test_coverage_counts_only_valid_level_3_of_active_people(
    billing, rule, level, on, revoked, terminated, counted
):
    person = EmployeeFactory(
        department=billing["front"], termination_date=TODAY if terminated else None
    )
    extra = {"revoked_on": D(2026, 2, 1), "revoke_reason": "Wrong person."} if revoked else {}
    signoff(person, billing["dispute"], level=level, on=on, **extra)
    [dept] = [d for d in coverage_matrix(TODAY) if d.code == "BO-BILL"]
    assert dept.skills[0].bench_total == int(counted), rule


@pytest.mark.django_db
def test_coverage_one_qualified_person_is_a_single_point_of_failure(billing):
    signoff(EmployeeFactory(department=billing["dept"]), billing["run"])
    [dept] = [d for d in coverage_matrix(TODAY) if d.code == "BO-BILL"]
    assert [s.single_point_of_failure for s in dept.skills] == [True, True]
    signoff(EmployeeFactory(department=billing["front"]), billing["run"])
    [dept] = [d for d in coverage_matrix(TODAY) if d.code == "BO-BILL"]
    assert [s.single_point_of_failure for s in dept.skills] == [True, False]


@pytest.mark.django_db
@pytest.mark.parametrize("people", [3, 15])
def test_coverage_query_count_does_not_grow(billing, people, django_assert_max_num_queries):
    for _ in range(people):
        signoff(EmployeeFactory(department=billing["front"]), billing["dispute"])
    with django_assert_max_num_queries(4):
        coverage_matrix(TODAY)


# --- who can help ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_helpers_most_skills_first_then_employee_number(billing):
    one = EmployeeFactory(employee_number="E2", department=billing["front"])
    two = EmployeeFactory(employee_number="E3", department=billing["front"])
    also_one = EmployeeFactory(employee_number="E1", department=billing["front"])
    signoff(one, billing["dispute"])
    signoff(two, billing["dispute"])
    signoff(two, billing["run"], level=4)
    signoff(also_one, billing["run"])
    helpers = helper_list(TODAY, billing["dept"])
    assert [(h.employee_number, h.skill_count) for h in helpers] == [
        ("E3", 2),
        ("E1", 1),
        ("E2", 1),
    ]
    assert helpers[0].skills == (("BILL-DISP", 3), ("BILL-RUN", 4))


@pytest.mark.django_db
def test_helpers_leave_out_the_department_itself_and_those_below_level_3(billing):
    signoff(EmployeeFactory(department=billing["dept"]), billing["dispute"])
    signoff(EmployeeFactory(department=billing["front"]), billing["dispute"], level=2)
    signoff(
        EmployeeFactory(department=billing["front"], termination_date=TODAY), billing["dispute"]
    )
    assert helper_list(TODAY, billing["dept"]) == []


@pytest.mark.django_db
@pytest.mark.parametrize("people", [2, 12])
def test_helpers_query_count_does_not_grow(billing, people, django_assert_max_num_queries):
    for _ in range(people):
        signoff(EmployeeFactory(department=billing["front"]), billing["dispute"])
    with django_assert_max_num_queries(2):
        assert len(helper_list(TODAY, billing["dept"])) == people


# --- expiring sign-offs ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rule", "on", "listed"),
    [
        ("expires in 30 days: listed", D(2025, 7, 15), True),
        ("expires on the 60th day: listed", D(2025, 8, 14), True),
        ("expires on the 61st day: not yet", D(2025, 8, 15), False),
        ("already expired: not listed", D(2025, 6, 15), False),
        ("expires tomorrow: listed", D(2025, 6, 16), True),
    ],
)
def test_expiring_window_is_today_exclusive_to_n_days_inclusive(billing, rule, on, listed):
    signoff(EmployeeFactory(department=billing["front"]), billing["dispute"], on=on)
    found = expiring_signoff_list(TODAY, 60)
    assert bool(found) == listed, rule
    assert expiring_signoff_count(TODAY, 60) == len(found), rule
    if listed:
        assert found[0].expires_on == add_months(on, 12)
        assert found[0].days_left == (found[0].expires_on - TODAY).days


@pytest.mark.django_db
def test_expiring_leaves_out_renewed_never_expiring_revoked_and_departed(billing):
    renewed = EmployeeFactory(department=billing["front"])
    signoff(renewed, billing["dispute"], on=D(2025, 7, 1))
    signoff(renewed, billing["dispute"], on=D(2026, 6, 1))  # renewal valid on the expiry date
    lower_renewal = EmployeeFactory(department=billing["front"])
    signoff(lower_renewal, billing["dispute"], level=4, on=D(2025, 7, 1))
    signoff(lower_renewal, billing["dispute"], level=3, on=D(2026, 6, 1))  # level 4 still lapses
    signoff(EmployeeFactory(department=billing["front"]), billing["run"], on=D(2020, 1, 1))
    signoff(
        EmployeeFactory(department=billing["front"]),
        billing["dispute"],
        on=D(2025, 7, 1),
        revoked_on=D(2026, 1, 1),
        revoke_reason="Wrong person.",
    )
    signoff(
        EmployeeFactory(department=billing["front"], termination_date=TODAY),
        billing["dispute"],
        on=D(2025, 7, 1),
    )
    found = expiring_signoff_list(TODAY, 60)
    assert [(e.employee_number, e.level) for e in found] == [(lower_renewal.employee_number, 4)]
    assert expiring_signoff_count(TODAY, 60) == len(found) == 1


@pytest.mark.django_db
def test_expiring_for_one_trainer_still_sees_renewals_by_others(billing):
    from skills.models import Signoff

    trainer = EmployeeFactory(department=billing["dept"])
    person = EmployeeFactory(department=billing["front"])
    signoff(person, billing["dispute"], on=D(2025, 7, 1), assessor=trainer)
    signoff(person, billing["dispute"], on=D(2026, 6, 1))  # renewed by someone else
    mine = Signoff.objects.filter(assessor=trainer)
    assert expiring_signoff_list(TODAY, 60, signoffs=mine) == []
    assert expiring_signoff_count(TODAY, 60, signoffs=mine) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("people", [2, 12])
def test_expiring_query_count_does_not_grow(billing, people, django_assert_max_num_queries):
    for n in range(people):
        person = EmployeeFactory(department=billing["front"])
        signoff(person, billing["dispute"], on=D(2025, 7, 1))
        if n % 2:  # a later sign-off that does not renew it: read, and still listed
            signoff(person, billing["dispute"], on=D(2026, 7, 10))
    with django_assert_max_num_queries(2):
        assert len(expiring_signoff_list(TODAY, 60)) == people
    with django_assert_max_num_queries(2):
        assert expiring_signoff_count(TODAY, 60) == people


# The renewal rule, without the database: is the other sign-off valid on the expiry date?
JULY_1 = D(2026, 7, 1)


@pytest.mark.parametrize(
    ("rule", "expires", "assessed", "revoked", "months", "renews"),
    [
        ("valid on the expiry date: renews", JULY_1, D(2026, 6, 1), None, 12, True),
        ("assessed on the expiry date itself: renews", JULY_1, JULY_1, None, 12, True),
        ("assessed the day after: a gap, no", JULY_1, D(2026, 7, 2), None, 12, False),
        ("revoked on the expiry date: no", JULY_1, D(2026, 6, 1), JULY_1, 12, False),
        ("revoked the day after: renews", JULY_1, D(2026, 6, 1), D(2026, 7, 2), 12, True),
        ("itself expired by then: no", JULY_1, D(2025, 7, 1), None, 12, False),
        ("itself expires the day after: renews", JULY_1, D(2025, 7, 2), None, 12, True),
        ("29 Feb 2024 + 12 months = 28 Feb: no", D(2025, 2, 28), D(2024, 2, 29), None, 12, False),
    ],
)  # fmt: skip
def test_renews_on_means_valid_on_the_expiry_date(rule, expires, assessed, revoked, months, renews):
    assert renews_on(expires, assessed, revoked, months) == renews, rule


@pytest.mark.django_db
def test_expiring_listed_once_whatever_the_later_signoffs_that_do_not_renew(billing):
    person = EmployeeFactory(department=billing["front"])
    lapsing = signoff(person, billing["dispute"], level=3, on=D(2025, 7, 1))
    signoff(person, billing["dispute"], level=2, on=D(2026, 6, 1))  # lower level
    signoff(person, billing["dispute"], level=3, on=D(2026, 7, 5))  # after the expiry: a gap
    signoff(
        person,
        billing["dispute"],
        level=4,
        on=D(2026, 6, 1),
        revoked_on=D(2026, 6, 20),
        revoke_reason="Wrong person.",
    )  # revoked before the expiry
    found = expiring_signoff_list(TODAY, 60)
    assert [(e.signoff_id, e.expires_on) for e in found] == [(lapsing.pk, D(2026, 7, 1))]
    assert expiring_signoff_count(TODAY, 60) == 1


@pytest.mark.django_db
def test_expiring_one_valid_renewal_among_several_is_enough(billing):
    person = EmployeeFactory(department=billing["front"])
    signoff(person, billing["dispute"], on=D(2025, 7, 1))
    signoff(person, billing["dispute"], on=D(2026, 7, 5))  # after the expiry
    signoff(person, billing["dispute"], level=4, on=D(2026, 6, 30))  # valid on 1 July
    assert expiring_signoff_list(TODAY, 60) == []
    assert expiring_signoff_count(TODAY, 60) == 0


@pytest.mark.django_db
def test_expiring_same_expiry_date_is_no_renewal(billing):
    """Assessed on 28 and 29 Feb 2024, both expire on 28 Feb 2025: neither renews the other."""
    person = EmployeeFactory(department=billing["front"])
    signoff(person, billing["dispute"], on=D(2024, 2, 28))
    signoff(person, billing["dispute"], on=D(2024, 2, 29))
    other = EmployeeFactory(department=billing["front"])
    signoff(other, billing["dispute"], level=3, on=D(2024, 2, 20))
    signoff(other, billing["dispute"], level=4, on=D(2024, 2, 20))  # same day, higher level
    today = D(2025, 2, 1)
    found = expiring_signoff_list(today, 60)
    assert [(e.assessed_on, e.level, e.expires_on) for e in found] == [
        (D(2024, 2, 20), 3, D(2025, 2, 20)),
        (D(2024, 2, 20), 4, D(2025, 2, 20)),
        (D(2024, 2, 28), 3, D(2025, 2, 28)),
        (D(2024, 2, 29), 3, D(2025, 2, 28)),
    ]
    assert expiring_signoff_count(today, 60) == 4


@pytest.mark.django_db
def test_expiring_for_some_employees_still_sees_their_renewals(billing):
    from skills.models import Employee

    renewed = EmployeeFactory(department=billing["front"])
    signoff(renewed, billing["dispute"], on=D(2025, 7, 1))
    signoff(renewed, billing["dispute"], on=D(2026, 6, 1))
    lapsing = EmployeeFactory(department=billing["front"])
    signoff(lapsing, billing["dispute"], on=D(2025, 7, 1))
    signoff(EmployeeFactory(department=billing["dept"]), billing["dispute"], on=D(2025, 7, 1))
    front = Employee.objects.filter(department=billing["front"])
    found = expiring_signoff_list(TODAY, 60, employees=front)
    assert [e.employee_number for e in found] == [lapsing.employee_number]
    assert expiring_signoff_count(TODAY, 60, employees=front) == 1


@pytest.mark.django_db
def test_expiring_nothing_when_no_skill_expires(django_assert_max_num_queries):
    run = SkillFactory(code="BILL-RUN", recert_months=None)
    signoff(EmployeeFactory(), run, on=D(2020, 1, 1))
    with django_assert_max_num_queries(1):
        assert expiring_signoff_list(TODAY, 60) == []
    assert expiring_signoff_count(TODAY, 60) == 0
