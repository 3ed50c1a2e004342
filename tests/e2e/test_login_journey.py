"""Sign-in journey: each demo login signs in, lands on its role's home page and signs out."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from organisation.demo_writer import DEMO_LOGINS

# serialized_rollback: the flush after this test must not leave later tests without the role
# groups that the migrations create.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HOME_HEADINGS = {
    "employee": "My cross-training",
    "trainer": "Trainer workspace",
    "manager": "Manager overview",
    "payroll": "Payroll workspace",
    "administrator": "Administration",
}
WRONG_LOGIN = "Please enter a correct username and password."


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + reverse("login"))
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_login_journey_every_demo_login_reaches_its_home(live_server, page: Page, screenshot_dir):
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url

    # A wrong password keeps the visitor on the sign-in page with the reason.
    username, (password, _role) = next(iter(DEMO_LOGINS.items()))
    sign_in(page, base, username, password + "-wrong")
    expect(page.get_by_role("alert")).to_contain_text(WRONG_LOGIN)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    for username, (password, role) in DEMO_LOGINS.items():
        sign_in(page, base, username, password)

        expect(page).to_have_url(base + reverse("core:home"))
        expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADINGS[role])
        page.screenshot(path=screenshot_dir / f"home-{role}.png", full_page=True)

        page.locator("details.usermenu > summary").click()
        page.get_by_role("button", name="Sign out").click()

        expect(page).to_have_url(base + reverse("login"))
        page.goto(base + reverse("core:home"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
