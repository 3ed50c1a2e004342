"""The pages every login sees: sign-in, home per role, password change, errors and sign-out."""

import datetime
from decimal import Decimal

import django_tables2 as tables
import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template import Context, Template
from django.template.loader import get_template, render_to_string
from django.test import RequestFactory
from django.urls import reverse

from core.roles import Role
from tests.factories.skills import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-only"

HOME_HEADINGS = {
    Role.EMPLOYEE: "My cross-training",
    Role.TRAINER: "Trainer workspace",
    Role.MANAGER: "Manager overview",
    Role.PAYROLL: "Payroll workspace",
    Role.ADMINISTRATOR: "Administration",
}
NO_ROLE_HEADING = "No role assigned yet"
NOT_LINKED = "Your login is not linked to an employee record yet — ask an administrator"


# --- Sign in --------------------------------------------------------------------------------


def test_login_page_renders_for_anonymous(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert "registration/login.html" in [t.name for t in response.templates]
    assert b"csrfmiddlewaretoken" in response.content
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content
    assert b"<h1>Sign in</h1>" in response.content


def test_login_page_wrong_password_shows_error(client, role_users):
    response = client.post(reverse("login"), {"username": "user-employee", "password": "nope"})

    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert not response.wsgi_request.user.is_authenticated


def test_login_right_password_goes_home(client, role_users):
    response = client.post(
        reverse("login"), {"username": "user-trainer", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("core:home")
    assert f"<h1>{HOME_HEADINGS[Role.TRAINER]}</h1>".encode() in response.content


def test_login_follows_next_after_sign_in(client, role_users):
    target = reverse("password_change")
    response = client.post(
        reverse("login"), {"username": "user-manager", "password": PASSWORD, "next": target}
    )

    assert response.status_code == 302
    assert response["Location"] == target


# --- Home per role --------------------------------------------------------------------------


def test_home_anonymous_redirects_to_login(client):
    response = client.get(reverse("core:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=/" in response["Location"]


@pytest.mark.parametrize("role", list(HOME_HEADINGS))
def test_home_shows_role_heading(client, role_users, role):
    client.force_login(role_users[role])

    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    assert f"core/home_{role}.html" in [t.name for t in response.templates]
    assert f"<h1>{HOME_HEADINGS[role]}</h1>".encode() in response.content
    # The top bar names the login, its role, and offers sign-out as a POST form.
    html = response.content.decode()
    assert f"user-{role}" in html
    assert Role(role).label in html
    assert f'<form method="post" action="{reverse("logout")}">' in html
    assert "Change password" in html


# The manager's home shows real team counts (certificates.home); the others have no figures
# until their features exist.
@pytest.mark.parametrize("role", [r for r in HOME_HEADINGS if r != Role.MANAGER])
def test_home_has_no_placeholder_numbers(client, role_users, role):
    """No fake figures before the real features exist: no stats, no progress bars."""
    client.force_login(role_users[role])

    html = client.get(reverse("core:home")).content.decode()

    assert 'class="stat' not in html
    assert 'role="progressbar"' not in html


def test_home_without_role_says_ask_an_administrator(client, make_user):
    client.force_login(make_user("nobody"))

    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    assert f"<h1>{NO_ROLE_HEADING}</h1>".encode() in response.content
    assert "ask an administrator" in response.content.decode()


def test_home_employee_without_record_shows_empty_state(client, role_users):
    client.force_login(role_users[Role.EMPLOYEE])

    response = client.get(reverse("core:home"))

    assert NOT_LINKED in response.content.decode()


def test_home_employee_shows_own_record(client, role_users):
    user = role_users[Role.EMPLOYEE]
    department = DepartmentFactory(code="BO-BILL", name="Billing", site="Leeds")
    EmployeeFactory(
        user=user,
        first_name="Zoë",
        last_name="Ngô",
        department=department,
        shift="evening",
        hire_date=datetime.date(2026, 3, 3),
    )
    client.force_login(user)

    html = client.get(reverse("core:home")).content.decode()

    assert NOT_LINKED not in html
    assert "Zoë Ngô" in html
    assert "Billing" in html
    assert "BO-BILL" in html
    assert "Leeds" in html
    assert "Evening" in html
    assert "3 Mar 2026" in html


def test_home_administrator_links_to_admin_site(client, role_users):
    client.force_login(role_users[Role.ADMINISTRATOR])

    html = client.get(reverse("core:home")).content.decode()

    assert f'href="{reverse("admin:index")}"' in html


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.TRAINER, Role.MANAGER, Role.PAYROLL])
def test_home_links_only_to_pages_the_role_may_open(client, role_users, role):
    client.force_login(role_users[role])

    html = client.get(reverse("core:home")).content.decode()

    assert f'href="{reverse("admin:index")}"' not in html


def test_home_navigation_marks_current_page(client, role_users):
    client.force_login(role_users[Role.MANAGER])

    html = client.get(reverse("core:home")).content.decode()

    assert f'<a href="{reverse("core:home")}" aria-current="page">Home</a>' in html


# --- Password change ------------------------------------------------------------------------


def test_password_change_page_renders_for_signed_in_user(client, role_users):
    client.force_login(role_users[Role.EMPLOYEE])

    response = client.get(reverse("password_change"))

    assert response.status_code == 200
    assert b"<h1>Change password</h1>" in response.content
    assert b'name="old_password"' in response.content


def test_password_change_anonymous_redirects_to_login(client):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_change_changes_password(client, role_users):
    user = role_users[Role.EMPLOYEE]
    client.force_login(user)
    new = "a-much-longer-pass-2026"

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert b"<h1>Password changed</h1>" in response.content
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_change_wrong_old_password_marks_the_field(client, role_users):
    client.force_login(role_users[Role.EMPLOYEE])

    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "x-long-enough-1", "new_password2": "x"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in html
    assert 'aria-invalid="true"' in html
    assert "field--error" in html


# --- Errors ---------------------------------------------------------------------------------


def test_unknown_url_renders_404_page(client, role_users):
    client.force_login(role_users[Role.EMPLOYEE])

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert b"Page not found" in response.content
    assert b"/no-such-page/" in response.content


def test_forbidden_page_renders_403_page(client, role_users):
    client.force_login(role_users[Role.EMPLOYEE])

    response = client.get(reverse("admin:index"))

    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    assert b"Your role does not give access to this page." in response.content


def test_500_page_renders_without_context_processors():
    html = get_template("500.html").render()

    assert "Something went wrong" in html
    assert "<link" not in html  # standalone: no stylesheet to fetch while the site is failing


# --- Sign out -------------------------------------------------------------------------------


def test_logout_by_post_signs_out(client, role_users):
    client.force_login(role_users[Role.MANAGER])

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("core:home")).status_code == 302


def test_logout_by_get_is_refused(client, role_users):
    client.force_login(role_users[Role.MANAGER])

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert client.get(reverse("core:home")).status_code == 200


# --- Shared page parts ----------------------------------------------------------------------


def test_messages_render_as_dismissable_banners():
    html = render_to_string(
        "core/includes/messages.html",
        {
            "messages": [
                Message(constants.SUCCESS, "Session saved."),
                Message(constants.ERROR, "No."),
            ]
        },
    )

    assert 'class="message message--success" role="status"' in html
    assert 'class="message message--error" role="alert"' in html
    assert html.count("data-dismiss") == 2


class _PeopleTable(tables.Table):
    name = tables.Column()
    hours = tables.Column(attrs={"th": {"class": "num"}, "td": {"class": "num"}})

    class Meta:
        empty_text = "Nobody yet: record a session to see attendees here."


def _render_table(rows, query=""):
    request = RequestFactory().get(f"/{query}")
    table = _PeopleTable(rows)
    tables.RequestConfig(request, paginate={"per_page": 2}).configure(table)
    return Template("{% load django_tables2 %}{% render_table table %}").render(
        Context({"table": table, "request": request})
    )


def test_table_template_shows_empty_text():
    html = _render_table([])

    assert "Nobody yet: record a session to see attendees here." in html
    assert 'class="empty"' in html


def test_table_template_sorts_paginates_and_right_aligns_numbers():
    rows = [{"name": n, "hours": h} for n, h in [("Ann", 3), ("Bob", 12), ("Cy", 1)]]

    html = _render_table(rows, "?sort=-hours")

    assert 'aria-sort="descending"' in html
    assert '<td class="num">12</td>' in html
    assert "Showing 1–2 of 3" in html
    assert 'aria-current="page"' in html


@pytest.mark.parametrize(
    ("template", "value", "expected"),
    [
        ("{{ v|money }}", Decimal("1234.5"), "£1,234.50"),
        ("{{ v|money }}", None, ""),
        ("{{ v|day }}", datetime.date(2026, 3, 3), "3 Mar 2026"),
        ("{{ v|hours }}", Decimal("12.50"), "12.5"),
        ("{{ v|hours }}", Decimal("20.00"), "20"),
        ("{% status_badge v %}", "lapsed", '<span class="badge badge--danger">LAPSED</span>'),
        ("{% tier_badge v %}", 2, '<span class="badge badge--tier tier-2">Tier 2</span>'),
        ("{{ v|heat_class }}", 7, "heat-5"),
        ("{{ v|role_list }}", {"trainer", "manager"}, "Manager, Trainer"),
    ],
)
def test_tracker_filters(template, value, expected):
    html = Template("{% load tracker %}" + template).render(Context({"v": value}))

    assert html == expected


def test_progress_bar_is_accessible_and_worded():
    html = Template("{% load tracker %}{% progress_bar 12.5 20 'cross-training hours' %}").render(
        Context()
    )

    assert 'role="progressbar"' in html
    assert 'aria-valuenow="12.5"' in html
    assert 'aria-valuemax="20"' in html
    assert "12.5 of 20 cross-training hours" in html
    assert '<rect class="progress__bar-rect" width="62"' in html  # no inline style (CSP)


def test_home_page_takes_its_role_context_from_the_configured_provider(
    client, role_users, settings
):
    settings.HOME_CONTEXT = {"payroll": "tests.core.test_pages.payroll_home_stub"}
    client.force_login(role_users["payroll"])
    response = client.get("/")
    assert response.context["from_provider"] == "payroll stub"


def payroll_home_stub(request, employee):
    return {"from_provider": "payroll stub"}
