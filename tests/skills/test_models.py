"""Database constraints, history and pure date rules of employees, skills and sign-offs."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from simple_history.utils import bulk_create_with_history

from skills.models import Department, Employee, Signoff, Skill
from skills.rules import add_months
from tests.factories import refused
from tests.factories.skills import (
    DepartmentFactory,
    EmployeeFactory,
    SignoffFactory,
    SkillFactory,
)

D = datetime.date
ALLOWED, REFUSED = True, False


# --- Department -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "allowed"),
    [("CC-GEN", ALLOWED), ("X", ALLOWED), ("", REFUSED)],
)
def test_department_code_must_not_be_blank(code, allowed):
    if allowed:
        assert DepartmentFactory(code=code).code == code
    else:
        with refused(Department, "department_code_not_blank"):
            DepartmentFactory(code=code)


@pytest.mark.django_db
def test_department_code_is_unique():
    DepartmentFactory(code="BO-BILL")
    with refused(Department, "code"):
        DepartmentFactory(code="BO-BILL")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("side", "allowed"),
    [("front", ALLOWED), ("back", ALLOWED), ("", REFUSED), ("mid", REFUSED), ("Front", REFUSED)],
)
def test_department_side_is_front_or_back(side, allowed):
    if allowed:
        assert DepartmentFactory(side=side).side == side
    else:
        with refused(Department, "department_side_valid"):
            DepartmentFactory(side=side)


# --- Employee ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_employee_number_must_not_be_blank():
    with refused(Employee, "employee_number_not_blank"):
        EmployeeFactory(employee_number="")


@pytest.mark.django_db
def test_employee_number_is_unique():
    EmployeeFactory(employee_number="E10234")
    with refused(Employee, "employee_number"):
        EmployeeFactory(employee_number="E10234")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("shift", "allowed"),
    [
        ("day", ALLOWED),
        ("evening", ALLOWED),
        ("night", ALLOWED),
        ("", REFUSED),
        ("weekend", REFUSED),
    ],
)
def test_employee_shift_is_day_evening_or_night(shift, allowed):
    if allowed:
        assert EmployeeFactory(shift=shift).shift == shift
    else:
        with refused(Employee, "employee_shift_valid"):
            EmployeeFactory(shift=shift)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("termination_date", "allowed"),
    [
        pytest.param(None, ALLOWED, id="still employed"),
        pytest.param(D(2024, 3, 1), ALLOWED, id="day after hire"),
        pytest.param(D(2024, 2, 29), ALLOWED, id="on the hire date"),
        pytest.param(D(2024, 2, 28), REFUSED, id="day before hire"),
    ],
)
def test_employee_termination_is_not_before_hire(termination_date, allowed):
    make = lambda: EmployeeFactory(hire_date=D(2024, 2, 29), termination_date=termination_date)  # noqa: E731
    if allowed:
        assert make().termination_date == termination_date
    else:
        with refused(Employee, "employee_terminated_after_hire"):
            make()


@pytest.mark.django_db
def test_employee_cannot_be_own_manager():
    manager = EmployeeFactory()
    employee = EmployeeFactory(manager=manager)
    employee.refresh_from_db()
    assert employee.manager == manager

    employee.manager = employee
    with refused(Employee, "employee_not_own_manager"):
        employee.save()


# --- Skill ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_skill_code_must_not_be_blank():
    with refused(Skill, "skill_code_not_blank"):
        SkillFactory(code="")


@pytest.mark.django_db
def test_skill_code_is_unique():
    SkillFactory(code="BILL-DISPUTE")
    with refused(Skill, "code"):
        SkillFactory(code="BILL-DISPUTE")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("recert_months", "allowed"),
    [
        pytest.param(None, ALLOWED, id="never expires"),
        pytest.param(1, ALLOWED, id="1 month"),
        pytest.param(24, ALLOWED, id="24 months"),
        pytest.param(0, REFUSED, id="0 months"),
    ],
)
def test_skill_recert_months_is_blank_or_positive(recert_months, allowed):
    if allowed:
        assert SkillFactory(recert_months=recert_months).recert_months == recert_months
    else:
        with refused(Skill, "skill_recert_months_positive"):
            SkillFactory(recert_months=recert_months)


@pytest.mark.django_db
def test_skill_universal_has_no_department():
    skill = SkillFactory(universal=True)
    skill.refresh_from_db()
    assert skill.department is None
    assert skill.is_universal


# --- Signoff ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("level", "allowed"),
    [(0, REFUSED), (1, ALLOWED), (2, ALLOWED), (3, ALLOWED), (4, ALLOWED), (5, REFUSED)],
)
def test_signoff_level_is_1_to_4(level, allowed):
    if allowed:
        assert SignoffFactory(level=level).level == level
    else:
        with refused(Signoff, "signoff_level_1_to_4"):
            SignoffFactory(level=level)


@pytest.mark.django_db
def test_signoff_assessor_is_not_the_employee():
    employee = EmployeeFactory()
    with refused(Signoff, "signoff_assessor_not_self"):
        SignoffFactory(employee=employee, assessor=employee)
    assert SignoffFactory(employee=employee).assessor != employee


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "allowed"),
    [
        pytest.param({}, REFUSED, id="same employee skill date level, another assessor"),
        pytest.param({"level": 4}, ALLOWED, id="higher level the same day"),
        pytest.param({"assessed_on": D(2025, 6, 2)}, ALLOWED, id="same level another day"),
    ],
)
def test_signoff_natural_key_is_unique(change, allowed):
    first = SignoffFactory(assessed_on=D(2025, 6, 1), level=3)
    fields = {
        "employee": first.employee,
        "skill": first.skill,
        "assessed_on": first.assessed_on,
        "level": first.level,
        **change,
    }
    if allowed:
        assert SignoffFactory(**fields).pk != first.pk
    else:
        with refused(Signoff, "signoff_natural_key"):
            SignoffFactory(**fields)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("revoked_on", "revoke_reason", "allowed"),
    [
        pytest.param(None, "", ALLOWED, id="not revoked"),
        pytest.param(D(2025, 7, 1), "Wrong person.", ALLOWED, id="revoked with a reason"),
        pytest.param(D(2025, 7, 1), "", REFUSED, id="revoked without a reason"),
        pytest.param(None, "Wrong person.", REFUSED, id="a reason without a date"),
    ],
)
def test_signoff_revocation_has_both_date_and_reason(revoked_on, revoke_reason, allowed):
    make = lambda: SignoffFactory(  # noqa: E731
        assessed_on=D(2025, 6, 1), revoked_on=revoked_on, revoke_reason=revoke_reason
    )
    if allowed:
        assert make().revoked_on == revoked_on
    else:
        with refused(Signoff, "signoff_revocation_has_date_and_reason"):
            make()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("revoked_on", "allowed"),
    [
        pytest.param(D(2025, 6, 1), ALLOWED, id="the day it was assessed"),
        pytest.param(D(2025, 6, 2), ALLOWED, id="the day after"),
        pytest.param(D(2025, 5, 31), REFUSED, id="the day before"),
    ],
)
def test_signoff_is_revoked_on_or_after_assessment(revoked_on, allowed):
    make = lambda: SignoffFactory(  # noqa: E731
        assessed_on=D(2025, 6, 1), revoked_on=revoked_on, revoke_reason="Wrong person."
    )
    if allowed:
        assert make().revoked_on == revoked_on
    else:
        with refused(Signoff, "signoff_revoked_after_assessed"):
            make()


# --- History ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "factory", [DepartmentFactory, EmployeeFactory, SkillFactory, SignoffFactory]
)
def test_skills_models_record_history_on_save(factory):
    obj = factory()
    created = obj.history.get()
    assert created.history_type == "+"

    obj.save()
    assert [h.history_type for h in obj.history.all()] == ["~", "+"]


@pytest.mark.django_db
def test_signoff_revocation_keeps_the_original_in_history():
    signoff = SignoffFactory(assessed_on=D(2025, 6, 1))
    signoff.revoked_on = D(2025, 7, 1)
    signoff.revoke_reason = "Recorded against the wrong person."
    signoff.save()

    latest, original = signoff.history.all()
    assert (original.revoked_on, latest.revoked_on) == (None, D(2025, 7, 1))
    assert latest.revoke_reason == "Recorded against the wrong person."


@pytest.mark.django_db
def test_signoff_bulk_create_with_history_records_the_default_user():
    clerk = get_user_model().objects.create_user(username="importer")
    assessor = EmployeeFactory()
    skill = SkillFactory()
    signoffs = [
        SignoffFactory.build(employee=EmployeeFactory(), assessor=assessor, skill=skill)
        for _ in range(3)
    ]

    bulk_create_with_history(signoffs, Signoff, default_user=clerk)

    history = Signoff.history.filter(skill=skill)
    assert history.count() == 3
    assert {(h.history_type, h.history_user) for h in history} == {("+", clerk)}
    assert set(history.values_list("id", flat=True)) == set(
        Signoff.objects.filter(skill=skill).values_list("id", flat=True)
    )


# --- Pure rules (no database) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(D(2026, 1, 31), 1, D(2026, 2, 28), id="31 Jan + 1 = 28 Feb"),
        pytest.param(D(2028, 1, 31), 1, D(2028, 2, 29), id="leap year: 31 Jan + 1 = 29 Feb"),
        pytest.param(D(2026, 1, 15), 1, D(2026, 2, 15), id="mid-month keeps the day"),
        pytest.param(D(2026, 3, 31), 1, D(2026, 4, 30), id="31 Mar + 1 = 30 Apr"),
        pytest.param(D(2026, 5, 10), 12, D(2027, 5, 10), id="+12 = same day next year"),
        pytest.param(D(2028, 2, 29), 12, D(2029, 2, 28), id="29 Feb + 12 = 28 Feb"),
        pytest.param(D(2026, 8, 31), 18, D(2028, 2, 29), id="+18 into a leap February"),
        pytest.param(D(2026, 11, 30), 1, D(2026, 12, 30), id="Nov + 1 = Dec"),
        pytest.param(D(2026, 12, 31), 1, D(2027, 1, 31), id="across the new year"),
        pytest.param(D(2026, 7, 14), 0, D(2026, 7, 14), id="+0 = same day"),
        pytest.param(D(2026, 1, 31), 25, D(2028, 2, 29), id="+25 months"),
    ],
)
def test_add_months_counts_calendar_months_clamped_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


def signoff(*, assessed_on, recert_months=None, revoked_on=None) -> Signoff:
    """An unsaved sign-off on an unsaved skill: the validity rules need no database."""
    return Signoff(
        skill=Skill(code="S", recert_months=recert_months),
        level=3,
        assessed_on=assessed_on,
        revoked_on=revoked_on,
    )


@pytest.mark.parametrize(
    ("recert_months", "expected"),
    [
        pytest.param(None, None, id="never expires"),
        pytest.param(1, D(2026, 2, 28), id="1 month from 31 Jan"),
        pytest.param(12, D(2027, 1, 31), id="12 months"),
        pytest.param(13, D(2027, 2, 28), id="13 months"),
    ],
)
def test_signoff_expires_on_adds_recert_months(recert_months, expected):
    assert signoff(assessed_on=D(2026, 1, 31), recert_months=recert_months).expires_on == expected


@pytest.mark.parametrize(
    ("recert_months", "revoked_on", "day", "valid"),
    [
        pytest.param(None, None, D(2026, 1, 30), False, id="before assessment"),
        pytest.param(None, None, D(2026, 1, 31), True, id="on the assessment date"),
        pytest.param(None, None, D(2036, 1, 31), True, id="no expiry: valid years later"),
        pytest.param(1, None, D(2026, 2, 27), True, id="day before expiry"),
        pytest.param(1, None, D(2026, 2, 28), False, id="on the expiry date"),
        pytest.param(1, None, D(2026, 3, 1), False, id="after expiry"),
        pytest.param(None, D(2026, 3, 10), D(2026, 3, 9), True, id="day before revocation"),
        pytest.param(None, D(2026, 3, 10), D(2026, 3, 10), False, id="on the revocation date"),
        pytest.param(None, D(2026, 3, 10), D(2026, 4, 1), False, id="after revocation"),
        pytest.param(12, D(2026, 1, 31), D(2026, 1, 31), False, id="revoked the day assessed"),
    ],
)
def test_signoff_is_valid_on(recert_months, revoked_on, day, valid):
    subject = signoff(
        assessed_on=D(2026, 1, 31), recert_months=recert_months, revoked_on=revoked_on
    )
    assert subject.is_valid_on(day) is valid


@pytest.mark.parametrize(
    ("termination_date", "day", "active"),
    [
        pytest.param(None, D(2026, 3, 1), False, id="day before hire"),
        pytest.param(None, D(2026, 3, 2), True, id="on the hire date"),
        pytest.param(None, D(2036, 1, 1), True, id="still employed years later"),
        pytest.param(D(2026, 9, 30), D(2026, 9, 29), True, id="day before termination"),
        pytest.param(D(2026, 9, 30), D(2026, 9, 30), False, id="on the termination date"),
        pytest.param(D(2026, 9, 30), D(2026, 10, 1), False, id="after termination"),
        pytest.param(D(2026, 3, 2), D(2026, 3, 2), False, id="terminated on the hire date"),
    ],
)
def test_employee_is_active_on(termination_date, day, active):
    employee = Employee(hire_date=D(2026, 3, 2), termination_date=termination_date)
    assert employee.is_active_on(day) is active


def test_employee_effective_site_falls_back_to_the_department():
    department = Department(code="BO-BILL", side="back", site="Leeds")
    assert Employee(department=department, site="").effective_site == "Leeds"
    assert Employee(department=department, site="York").effective_site == "York"
