"""Browser journey: a manager accepts two buddy suggestions, swaps one by hand, and the seeker
sees their go-to buddy on My progress."""

import pytest
from playwright.sync_api import Page, expect

from buddies import services
from buddies.models import BuddyPairing
from tests.buddies import conftest as buddy_fixtures
from tests.e2e.test_progress_journeys import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

org = buddy_fixtures.org


def test_manager_accepts_and_swaps_suggestions_and_the_seeker_sees_the_buddy(
    live_server, page: Page, browser, org, make_user, screenshot_dir
):
    make_user("boss", "manager")
    org["ann"].user = make_user("ann", "employee")
    org["ann"].save()
    sign_in(page, live_server.url, "boss")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Buddies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Buddy suggestions")
    expect(page.get_by_text("3 suggestions")).to_be_visible()
    page.screenshot(path=screenshot_dir / "buddy-suggestions.png", full_page=True)

    ann, bob = org["ann"].full_name, org["bob"].full_name
    page.get_by_label(f"Accept a buddy for {ann}").check()
    page.get_by_label(f"Accept a buddy for {bob}").check()
    # Bob's suggestion is swapped by hand for the other buddy in his list.
    picker = page.get_by_label(f"Go-to buddy for {bob}")
    chosen = picker.locator("option").nth(1).get_attribute("value")
    picker.select_option(chosen)
    page.get_by_role("button", name="Accept ticked").click()
    expect(page.get_by_text("2 pairings recorded")).to_be_visible()
    assert BuddyPairing.objects.count() == 2
    bob_pairing = BuddyPairing.objects.get(seeker=org["bob"])
    assert (bob_pairing.buddy.employee_number, bob_pairing.note) == (chosen, services.CHOSEN)

    seeker = browser.new_context().new_page()
    sign_in(seeker, live_server.url, "ann")
    seeker.get_by_role("navigation", name="Main").get_by_role("link", name="My progress").click()
    buddy = BuddyPairing.objects.get(seeker=org["ann"]).buddy
    card = seeker.get_by_role("region", name="Your go-to buddy")
    expect(card).to_contain_text(buddy.full_name)
    expect(card).to_contain_text(buddy.department.name)
    seeker.screenshot(path=screenshot_dir / "buddy-seen.png", full_page=True)
    seeker.context.close()
