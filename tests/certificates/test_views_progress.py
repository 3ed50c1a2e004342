"""My progress and an employee's progress page: who sees what, and what the page says."""

import re

import pytest
from django.urls import reverse

from core.roles import Role
from tests.certificates import worlds
from tests.certificates.worlds import days_ago
from tests.factories.skills import SignoffFactory
from tests.factories.training import AttendanceFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db

MY = reverse("certificates:my-progress")
progress_world = worlds.progress_world


def page_of(number: str) -> str:
    return reverse("certificates:employee-progress", kwargs={"employee_number": number})


def test_my_progress_shows_the_gap_to_the_next_tier(client, progress_world):
    client.force_login(progress_world["ada"].user)
    response = client.get(MY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Next: Tier II" in html
    assert "DEESC: level 2 of 3 needed" in html
    assert 'role="progressbar"' in html
    assert "1 of 1 other-side skills at level 3" in html
    assert "Skills still to reach" in html
    # Tier II pays £1.00 an hour; Tier I (£0.50) is paid now.
    assert "+£0.50 an hour" in html


def test_my_progress_shows_pay_expiry_chart_modules_and_buddy(client, progress_world):
    client.force_login(progress_world["ada"].user)
    progress = client.get(MY).context["progress"]
    assert (progress.status.eligible_rank, progress.certified_rank, progress.paid.rank) == (1, 1, 1)
    html = client.get(MY).content.decode()
    assert "£0.50" in html  # the differential paid
    assert "Sign-offs expiring in the next 60 days" in html and "BILL-DISP" in html
    assert '<svg class="hours-chart"' in html and "4 h" in html
    assert "WF-101" in html  # modules passed
    assert "Bo Buddy" in html


def test_my_progress_without_a_linked_employee_is_a_friendly_empty_state(client, role_users):
    client.force_login(role_users[Role.EMPLOYEE])
    response = client.get(MY)
    assert response.status_code == 200
    assert "Your login is not linked to an employee record yet" in response.content.decode()


def test_progress_warns_when_the_paid_tier_would_drop(client, role_users, progress_world):
    client.force_login(role_users[Role.MANAGER])
    html = client.get(page_of("E50003")).content.decode()
    assert "The differential paid would drop to Tier I on" in html


@pytest.mark.parametrize("role", [Role.TRAINER, Role.MANAGER, Role.ADMINISTRATOR])
def test_staff_open_anyones_progress(client, role_users, progress_world, role):
    client.force_login(role_users[role])
    response = client.get(page_of("E50003"))
    assert response.status_code == 200
    assert response.context["subject"] == progress_world["cy"]
    assert "Cy Tester" in response.content.decode()


def test_an_employee_sees_their_own_page_by_number(client, progress_world):
    client.force_login(progress_world["ada"].user)
    assert client.get(page_of("E50001")).status_code == 200


def test_an_employee_gets_the_same_branded_403_for_a_colleague_and_a_made_up_number(
    client, progress_world
):
    client.force_login(progress_world["ada"].user)
    colleague, nobody = client.get(page_of("E50002")), client.get(page_of("NOBODY"))
    assert colleague.status_code == nobody.status_code == 403
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", colleague.content) == token.sub(b"", nobody.content)
    assert "your login opens your own record only" in colleague.content.decode()
    assert "E50002" not in colleague.content.decode()


def test_payroll_does_not_see_progress_pages(client, role_users, progress_world):
    client.force_login(role_users[Role.PAYROLL])
    assert client.get(MY).status_code == 403
    assert client.get(page_of("E50001")).status_code == 403


def test_progress_links_the_skill_history_when_the_training_app_has_it(client, progress_world):
    from certificates.views import skill_history_url

    client.force_login(progress_world["ada"].user)
    html = client.get(MY).content.decode()
    url = skill_history_url(progress_world["ada"])
    assert url == reverse("training:employee-skills", kwargs={"employee_number": "E50001"})
    assert f'href="{url}"' in html


def test_skill_history_url_is_none_when_the_url_does_not_exist(progress_world, monkeypatch):
    from django.urls import NoReverseMatch

    from certificates import views

    def missing(*args, **kwargs):
        raise NoReverseMatch("no such view")

    monkeypatch.setattr(views, "reverse", missing)
    assert views.skill_history_url(progress_world["ada"]) is None


@pytest.mark.parametrize("extra", [0, 12])
def test_progress_page_query_count_does_not_grow(
    client, progress_world, extra, django_assert_max_num_queries
):
    ada = progress_world["ada"]
    for n in range(extra):
        SignoffFactory(
            employee=ada, skill=progress_world["deesc"], level=1, assessed_on=days_ago(n)
        )
        session = TrainingSessionFactory(host_department=progress_world["back"], date=days_ago(n))
        AttendanceFactory(session=session, employee=ada)
    client.force_login(ada.user)
    with django_assert_max_num_queries(24):
        assert client.get(MY).status_code == 200
