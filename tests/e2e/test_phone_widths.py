"""Every main page fits a 390 px phone screen: no page-level sideways scrolling (wide tables
scroll inside their card, with a hint), for each role, on the demo organisation."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Browser

from organisation.demo_writer import DEMO_LOGINS
from skills.models import Employee
from training.models import TrainingSession

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}


def pages() -> dict[str, list[str]]:
    employee = Employee.objects.get(user__username="employee").employee_number
    session = TrainingSession.objects.order_by("-date").first().session_ref
    return {
        "employee": [
            reverse("core:home"),
            reverse("certificates:my-progress"),
            reverse("training:employee-skills", args=[employee]),
        ],
        "trainer": [
            reverse("core:home"),
            reverse("training:session-list"),
            reverse("training:session-create"),
            reverse("training:session-detail", args=[session]),
            reverse("training:module-list"),
            reverse("training:new-hires"),
            reverse("training:completion-batch"),
            reverse("skills:signoff-create"),
        ],
        "manager": [
            reverse("core:home"),
            reverse("certificates:team"),
            reverse("certificates:employee-progress", args=[employee]),
            reverse("skills:coverage"),
            reverse("skills:expiring") + "?group=trainer",
            reverse("buddies:suggestions"),
            reverse("buddies:pairings"),
        ],
        "payroll": [
            reverse("core:home"),
            reverse("certificates:payroll"),
            reverse("organisation:roster-upload"),
        ],
        "admin": [
            reverse("core:home"),
            reverse("organisation:workbook-upload"),
            reverse("certificates:certificate-archive"),
            reverse("core:jobs"),
        ],
    }


def test_every_main_page_fits_a_phone(live_server, browser: Browser, screenshot_dir):
    call_command("seed_demo", stdout=io.StringIO())
    too_wide = []
    for role, paths in pages().items():
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.goto(live_server.url + reverse("login"))
        page.get_by_label("Username", exact=True).fill(role)
        page.get_by_label("Password", exact=True).fill(DEMO_LOGINS[role][0])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(live_server.url + reverse("core:home"))
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, (role, path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append((role, path, width))
            name = f"390-{role}-{path.strip('/').replace('/', '_').replace('?', '_') or 'home'}"
            page.screenshot(path=screenshot_dir / f"{name}.png", full_page=True)
        context.close()
    assert too_wide == []


def test_a_wide_table_says_it_scrolls_inside_its_card(live_server, browser: Browser):
    call_command("seed_demo", stdout=io.StringIO())
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username", exact=True).fill("manager")
    page.get_by_label("Password", exact=True).fill(DEMO_LOGINS["manager"][0])
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + reverse("certificates:team"))
    box = page.locator(".table-scroll").first
    assert "has-more-right" in box.get_attribute("class")
    assert page.get_by_text("More columns: scroll the table sideways.").is_visible()
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; b.dispatchEvent(new Event('scroll')); }")
    assert "has-more-right" not in box.get_attribute("class")
    assert "has-more-left" in box.get_attribute("class")
    context.close()
