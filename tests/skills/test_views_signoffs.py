"""Sign-off pages (record, revoke) and an employee's skill history, with who may see what."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from skills.models import Signoff
from tests.factories.skills import EmployeeFactory, SignoffFactory, SkillFactory
from tests.factories.training import AttendanceFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("skills:signoff-create")


@pytest.fixture
def trainer(make_user):
    user = make_user("ola", Role.TRAINER)
    EmployeeFactory(employee_number="E1", user=user)
    return user


def skills_url(number: str) -> str:
    return reverse("training:employee-skills", args=[number])


def test_signoff_form_defaults_the_assessor_to_the_signed_in_trainer(client, trainer):
    client.force_login(trainer)

    html = client.get(CREATE, {"employee": "E7"}).content.decode()

    assert 'name="assessor" value="E1"' in html
    assert 'name="employee" value="E7"' in html
    assert f'name="assessed_on" value="{timezone.localdate().isoformat()}"' in html


def signoff_post(skill, **changes) -> dict:
    data = {
        "employee": "E2",
        "skill": str(skill.pk),
        "level": "3",
        "assessed_on": timezone.localdate().isoformat(),
        "assessor": "E1",
        "evidence": "Observed five calls",
    }
    data.update(changes)
    return data


def test_signoff_create_records_and_goes_to_the_employees_skills(client, trainer):
    EmployeeFactory(employee_number="E2")
    skill = SkillFactory(code="TONE")
    client.force_login(trainer)

    response = client.post(CREATE, signoff_post(skill))

    assert response.status_code == 302
    assert response["Location"] == skills_url("E2")
    assert Signoff.objects.get().evidence == "Observed five calls"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"employee": "E1"}, "assessor", "E1 cannot sign off their own skill"),
        ({"level": "5"}, "level", "level must be 1 to 4, not 5"),
        ({"level": ""}, "level", "choose a level from 1 to 4"),
        ({"employee": "E404"}, "employee", "no employee has the number E404"),
        ({"assessed_on": "2099-01-01"}, "assessed_on", "2099-01-01 is in the future"),
    ],
)
def test_signoff_create_puts_each_refusal_next_to_its_field(
    client, trainer, changes, field, message
):
    EmployeeFactory(employee_number="E2")
    skill = SkillFactory()
    client.force_login(trainer)

    response = client.post(CREATE, signoff_post(skill, **changes))

    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert Signoff.objects.count() == 0


def test_signoff_revoke_asks_for_a_reason_and_keeps_the_signoff(client, trainer):
    signoff = SignoffFactory(employee=EmployeeFactory(employee_number="E2"))
    url = reverse("skills:signoff-revoke", args=[signoff.pk])
    client.force_login(trainer)

    refused = client.post(url, {"reason": "", "revoked_on": timezone.localdate().isoformat()})
    assert "give the reason" in refused.content.decode()

    response = client.post(
        url, {"reason": "Wrong person", "revoked_on": timezone.localdate().isoformat()}
    )

    assert response.status_code == 302
    signoff.refresh_from_db()
    assert (signoff.revoke_reason, signoff.revoked_by) == ("Wrong person", trainer)
    html = client.get(skills_url("E2")).content.decode()
    # "By" names the person (the login's employee record), not the login.
    assert "REVOKED" in html and "Wrong person" in html
    assert f"by {trainer.employee.full_name}" in html and "by ola" not in html


# --- The skill history ----------------------------------------------------------------------


def test_employee_sees_their_own_skill_history_with_expired_and_revoked_signoffs(client, make_user):
    user = make_user("eve", Role.EMPLOYEE)
    eve = EmployeeFactory(employee_number="E5", user=user)
    skill = SkillFactory(code="BILL-RUN", recert_months=12)
    SignoffFactory(employee=eve, skill=skill, level=2, assessed_on=datetime.date(2020, 6, 1))
    SignoffFactory(
        employee=eve, skill=skill, level=3, assessed_on=timezone.localdate(), revoked=True,
        revoked_on=timezone.localdate(), revoke_reason="Assessed the wrong skill",
    )  # fmt: skip
    AttendanceFactory(employee=eve)
    client.force_login(user)

    response = client.get(skills_url("E5"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "My skills and training" in html
    assert "EXPIRED" in html and "REVOKED" in html and "Assessed the wrong skill" in html
    assert "No valid level" in html
    assert "signoffs/" not in html and "Record a sign-off" not in html


def test_employee_cannot_see_someone_elses_skill_history_nor_tell_it_exists(client, make_user):
    user = make_user("eve", Role.EMPLOYEE)
    EmployeeFactory(employee_number="E5", user=user)
    EmployeeFactory(employee_number="E6")
    client.force_login(user)

    colleague, nobody = client.get(skills_url("E6")), client.get(skills_url("E999"))
    # The branded 403 for both, as on the progress page.
    assert colleague.status_code == nobody.status_code == 403
    assert "your login opens your own record only" in colleague.content.decode()
    # The same page but for the number in the address echoed back, and the CSRF token of the
    # sign-out form, masked anew each time.
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')

    def shape(response, number: bytes) -> bytes:
        return token.sub(b"", response.content).replace(number, b"E?")

    assert shape(colleague, b"E6") == shape(nobody, b"E999")


@pytest.mark.parametrize("role", [Role.TRAINER, Role.MANAGER, Role.ADMINISTRATOR])
def test_staff_see_anyones_skill_history_with_actions(client, make_user, role):
    SignoffFactory(employee=EmployeeFactory(employee_number="E6"))
    client.force_login(make_user(f"staff-{role}", role))

    html = client.get(skills_url("E6")).content.decode()

    assert "Record a sign-off" in html and "Revoke" in html


@pytest.mark.parametrize("count", [2, 20])
def test_skill_history_queries_do_not_grow_with_signoffs(
    client, trainer, django_assert_max_num_queries, count
):
    person = EmployeeFactory(employee_number="E6")
    for _ in range(count):
        SignoffFactory(employee=person, revoked=True)
        AttendanceFactory(employee=person)
    client.force_login(trainer)

    with django_assert_max_num_queries(12):
        response = client.get(skills_url("E6"))

    assert response.content.decode().count("REVOKED") == count


def test_signoff_pages_old_addresses_lead_to_the_new_ones(client, trainer):
    client.force_login(trainer)
    signoff = SignoffFactory()

    created = client.get("/training/signoffs/new/?employee=E7")
    revoked = client.get(f"/training/signoffs/{signoff.pk}/revoke/")

    assert (created.status_code, created["Location"]) == (302, f"{CREATE}?employee=E7")
    revoke_url = reverse("skills:signoff-revoke", args=[signoff.pk])
    assert (revoked.status_code, revoked["Location"]) == (302, revoke_url)
