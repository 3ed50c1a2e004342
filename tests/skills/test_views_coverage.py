"""The coverage heat map, "who can help department X today" and the expiring sign-offs page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from tests.factories.skills import DepartmentFactory, EmployeeFactory, SignoffFactory, SkillFactory

pytestmark = pytest.mark.django_db

COVERAGE = reverse("skills:coverage")
EXPIRING = reverse("skills:expiring")


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def help_url(code: str) -> str:
    return reverse("skills:coverage-help", kwargs={"code": code})


@pytest.fixture
def org(db):
    billing = DepartmentFactory(code="BO-BILL", name="Billing", side="back", site="Leeds")
    claims = DepartmentFactory(code="BO-CLM", name="Claims", side="back", site="Glasgow")
    calls = DepartmentFactory(code="CC-GEN", name="General enquiries", side="front", site="Leeds")
    dispute = SkillFactory(code="BILL-DISP", department=billing, recert_months=12)
    lonely = SkillFactory(code="BILL-RARE", department=billing)
    intake = SkillFactory(code="CLM-INT", department=claims)
    people = {
        "home": EmployeeFactory(employee_number="E1", department=billing, shift="day"),
        "helper2": EmployeeFactory(employee_number="E2", department=calls, shift="evening"),
        "helper3": EmployeeFactory(employee_number="E3", department=claims, shift="night"),
    }
    for person in people.values():
        SignoffFactory(employee=person, skill=dispute, level=3, assessed_on=days_ago(100))
    SignoffFactory(employee=people["helper3"], skill=lonely, level=4, assessed_on=days_ago(10))
    SignoffFactory(employee=people["home"], skill=intake, level=3, assessed_on=days_ago(10))
    SignoffFactory(employee=people["helper2"], skill=intake, level=3, assessed_on=days_ago(10))
    return {"billing": billing, "claims": claims, "calls": calls, **people}


@pytest.fixture
def manager(client, role_users):
    client.force_login(role_users[Role.MANAGER])
    return client


def test_coverage_heat_map_highlights_single_points_of_failure(manager, org):
    response = manager.get(COVERAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["spof_count"] == 1
    assert 'class="is-spof"' in html
    rare_row = html[html.index("BILL-RARE") - 200 : html.index("BILL-RARE")]
    assert "is-spof" in rare_row
    assert "Single point of failure" in html
    assert f'href="{help_url("BO-BILL")}"' in html


def test_coverage_counts_per_shift_home_and_bench(manager, org):
    departments = manager.get(COVERAGE).context["departments"]
    billing = next(d for d in departments if d.code == "BO-BILL")
    dispute = next(s for s in billing.skills if s.code == "BILL-DISP")
    assert (dispute.home, dispute.bench) == ((1, 0, 0), (0, 1, 1))


def test_coverage_filters_by_side_and_single_points_of_failure(manager, org):
    front = manager.get(f"{COVERAGE}?side=front").context["departments"]
    # (the factories' assessors bring departments DEP-nnn of their own, front office)
    assert [d.code for d in front if not d.code.startswith("DEP-")] == ["CC-GEN"]
    spof = manager.get(f"{COVERAGE}?spof_only=on")
    assert [d.code for d in spof.context["departments"]] == ["BO-BILL"]
    assert "BILL-DISP" not in spof.content.decode()


def test_who_can_help_lists_people_homed_elsewhere_most_skills_first(manager, org):
    response = manager.get(help_url("BO-BILL"))
    assert response.status_code == 200
    rows = [r.record for r in response.context["table"].paginated_rows]
    assert [(h.employee_number, h.skill_count) for h in rows] == [("E3", 2), ("E2", 1)]
    assert "E1" not in [h.employee_number for h in rows]


def test_who_can_help_narrows_by_shift(manager, org):
    response = manager.get(f"{help_url('BO-BILL')}?shift=evening")
    assert [r.record.employee_number for r in response.context["table"].paginated_rows] == ["E2"]


def test_who_can_help_an_unknown_department_is_404(manager, org):
    assert manager.get(help_url("NOPE")).status_code == 404


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.PAYROLL])
def test_coverage_pages_refused_to_employees_and_payroll(client, role_users, org, role):
    client.force_login(role_users[role])
    for url in (COVERAGE, help_url("BO-BILL"), EXPIRING):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", [Role.TRAINER, Role.MANAGER, Role.ADMINISTRATOR])
def test_coverage_pages_open_to_staff(client, role_users, org, role):
    client.force_login(role_users[role])
    for url in (COVERAGE, help_url("BO-BILL"), EXPIRING):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("extra", [0, 20])
def test_coverage_pages_query_count_does_not_grow(
    manager, org, extra, django_assert_max_num_queries
):
    for n in range(extra):
        dept = DepartmentFactory(code=f"BO-X{n}", side="back")
        skill = SkillFactory(code=f"X{n}", department=dept, recert_months=12)
        person = EmployeeFactory(department=org["calls"])
        SignoffFactory(employee=person, skill=skill, level=3, assessed_on=days_ago(340))
        SignoffFactory(
            employee=person, skill=org["billing"].skills.first(), assessed_on=days_ago(5)
        )
    with django_assert_max_num_queries(14):
        assert manager.get(COVERAGE).status_code == 200
    with django_assert_max_num_queries(14):
        assert manager.get(help_url("BO-BILL")).status_code == 200
    with django_assert_max_num_queries(14):
        assert manager.get(EXPIRING).status_code == 200


# --- expiring sign-offs ---------------------------------------------------------------------


@pytest.fixture
def expiring(org):
    """Two sign-offs of BILL-DISP (12 months) expiring in about 15 and 45 days."""
    trainer = EmployeeFactory(employee_number="T1", first_name="Tess", last_name="Trainer")
    soon = SignoffFactory(
        employee=org["helper2"], skill=org["billing"].skills.get(code="BILL-DISP"),
        level=4, assessed_on=days_ago(350), assessor=trainer,
    )  # fmt: skip
    later = SignoffFactory(
        employee=org["home"], skill=org["billing"].skills.get(code="BILL-DISP"),
        level=4, assessed_on=days_ago(320),
    )  # fmt: skip
    return {"trainer": trainer, "soon": soon, "later": later}


def listed(response) -> list[tuple[str, int]]:
    return [(r.record.employee_number, r.record.level) for r in response.context["table"].rows]


def test_expiring_defaults_to_the_warning_window(manager, expiring):
    response = manager.get(EXPIRING)
    assert response.context["days"] == 60
    assert sorted(listed(response)) == [("E1", 4), ("E2", 4)]
    assert 'value="60"' in response.content.decode()


def test_expiring_window_of_n_days(manager, expiring):
    assert listed(manager.get(f"{EXPIRING}?days=20")) == [("E2", 4)]


def test_expiring_per_trainer(manager, expiring):
    response = manager.get(f"{EXPIRING}?group=trainer&trainer=T1")
    assert listed(response) == [("E2", 4)]
    assert "Tess Trainer" in response.content.decode()
    assert [c.name for c in response.context["table"].columns][:2] == ["trainer", "employee"]
    by_employee = manager.get(EXPIRING).context["table"]
    assert next(c.name for c in by_employee.columns) == "employee"


def test_expiring_refuses_a_window_out_of_range(manager, expiring):
    response = manager.get(f"{EXPIRING}?days=0")
    assert response.status_code == 200
    assert listed(response) == []
    assert "Ensure this value is greater than or equal to 1" in response.content.decode()
    assert "No sign-off expires in this window" not in response.content.decode()
    assert "Nothing is listed until the filters above are corrected." in response.content.decode()


def test_expiring_refuses_text_for_days_with_one_message(manager, expiring):
    html = manager.get(f"{EXPIRING}?days=abc").content.decode()
    assert "Enter a number." in html
    assert "Nothing is listed until the filters above are corrected." in html
    assert "No sign-off expires in this window" not in html


@pytest.mark.parametrize("group", ["", "trainer"])
def test_expiring_shows_one_sort_arrow_and_keeps_the_expiry_order_within(manager, expiring, group):
    response = manager.get(f"{EXPIRING}?group={group}")
    assert response.content.decode().count("aria-sort=") == 1
    rows = [r.record for r in response.context["table"].rows]
    key = "assessor_name" if group else "employee_name"
    assert rows == sorted(rows, key=lambda r: (getattr(r, key), r.expires_on))


def test_expiring_per_trainer_says_when_it_shows_only_the_busiest(manager, org):
    skill = org["billing"].skills.get(code="BILL-DISP")
    for n in range(10):
        trainer = EmployeeFactory(employee_number=f"T{n:02d}")
        person = EmployeeFactory(employee_number=f"P{n:02d}")
        SignoffFactory(
            employee=person, skill=skill, level=3, assessed_on=days_ago(350), assessor=trainer
        )
    html = manager.get(f"{EXPIRING}?group=trainer").content.decode()
    assert "the 8 with the most, of 10 trainers: the table below lists all" in html
