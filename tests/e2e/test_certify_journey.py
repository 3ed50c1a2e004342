"""Browser journey: a manager certifies everyone ready to certify, two people, in one go."""

import pytest
from playwright.sync_api import Page, expect

from certificates.models import Certification
from tests.certificates import conftest as certificate_fixtures
from tests.e2e.test_progress_journeys import sign_in
from tests.factories.skills import EmployeeFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

tier_world = certificate_fixtures.tier_world
add_people = certificate_fixtures.add_people


def test_manager_certifies_two_people_in_bulk(
    live_server, page: Page, add_people, make_user, screenshot_dir
):
    add_people(2)  # E20000 and E20001: eligible for Tier I, never certified
    EmployeeFactory(employee_number="M1", user=make_user("boss", "manager"))
    sign_in(page, live_server.url, "boss")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team").click()
    page.get_by_label("Ready to certify").check()
    page.get_by_role("button", name="Apply").click()
    page.get_by_role("link", name="Certify everyone ready").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Certify everyone ready")
    expect(page.get_by_role("checkbox")).to_have_count(2)
    page.screenshot(path=screenshot_dir / "certify-bulk.png", full_page=True)
    page.get_by_role("button", name="Certify 2 people").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("2 certified")
    assert sorted(Certification.objects.values_list("employee__employee_number", "tier__rank")) == [
        ("E20000", 1),
        ("E20001", 1),
    ]
