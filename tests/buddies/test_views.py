"""The buddies pages: suggestions to accept or swap, pairings, ending one, exclusions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from buddies import services
from buddies.models import BuddyExclusion, BuddyPairing, BuddyUnavailability
from core.roles import Role
from tests.factories.buddies import BuddyPairingFactory

pytestmark = pytest.mark.django_db
SUGGESTIONS = reverse("buddies:suggestions")


@pytest.fixture
def manager(client, role_users):
    client.force_login(role_users[Role.MANAGER])
    return client


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.TRAINER, Role.PAYROLL])
def test_only_managers_and_administrators_open_the_buddy_pages(client, role_users, org, role):
    client.force_login(role_users[role])
    for name in ("buddies:suggestions", "buddies:pairings", "buddies:exclusions"):
        assert client.get(reverse(name)).status_code == 403


def test_the_suggestions_show_each_seeker_with_reasons_in_words(manager, org):
    html = manager.get(SUGGESTIONS).content.decode()
    assert "3 suggestions" in html
    assert "same site, same shift, new pairing, Tier II go-to, 1 of 3 slots used" in html
    assert org["ann"].full_name in html and org["vic"].full_name in html


def test_the_filters_narrow_the_rows_shown(manager, org):
    response = manager.get(SUGGESTIONS, {"shift": "evening"})
    assert [r.seeker.employee_number for r in response.context["rows"]] == ["E2"]


def test_accepting_ticked_suggestions_records_them(manager, org):
    rows = manager.get(SUGGESTIONS).context["rows"]
    post = {"accept": ["E1", "E3"], "accept_some": ""}
    for row in rows:
        number = row.seeker.employee_number
        post |= {
            f"buddy-{number}": row.buddy.employee_number,
            f"suggested-{number}": row.buddy.employee_number,
        }
    response = manager.post(SUGGESTIONS, post, follow=True)
    assert "2 pairings recorded" in response.content.decode()
    assert set(BuddyPairing.objects.values_list("seeker__employee_number", flat=True)) == {
        "E1",
        "E3",
    }
    assert set(BuddyPairing.objects.values_list("note", flat=True)) == {services.APPROVED}


def test_a_buddy_swapped_by_hand_is_recorded_as_chosen(manager, org):
    (row,) = [r for r in manager.get(SUGGESTIONS).context["rows"] if r.seeker == org["ann"]]
    other = next(c for c in row.choices[1:])
    assert other.extra >= 0, "the page shows the manual choice's cost against the suggestion"
    manager.post(
        SUGGESTIONS,
        {
            "accept": ["E1"],
            "buddy-E1": other.buddy.employee_number,
            "suggested-E1": row.buddy.employee_number,
        },
    )
    pairing = BuddyPairing.objects.get(seeker=org["ann"])
    assert (pairing.buddy, pairing.note) == (other.buddy, services.CHOSEN)


def test_accept_all_shown_pairs_everyone_and_a_refusal_is_said(manager, org):
    BuddyPairingFactory(seeker=org["cat"], buddy=org["wes"], started_on=timezone.localdate())
    post = {"accept_all": "", "seeker": ["E1", "E2", "E3"]}
    post |= {"buddy-E1": "E90", "buddy-E2": "E91", "buddy-E3": "E90"}
    html = manager.post(SUGGESTIONS, post, follow=True).content.decode()
    assert "2 pairings recorded" in html
    assert "E3 not paired: E3 already has a go-to buddy" in html


def test_nothing_ticked_is_said_and_nothing_recorded(manager, org):
    html = manager.post(SUGGESTIONS, {"accept_some": ""}, follow=True).content.decode()
    assert "Tick the suggestions to accept" in html
    assert not BuddyPairing.objects.exists()


def test_everyone_paired_shows_what_to_do_next(manager, org):
    for seeker in ("ann", "bob", "cat"):
        BuddyPairingFactory(seeker=org[seeker], buddy=org["vic"], started_on=timezone.localdate())
    html = manager.get(SUGGESTIONS).content.decode()
    assert "Every contact-centre employee shown has a go-to buddy" in html


def test_the_pairings_list_filters_by_employee_and_a_pairing_ends_with_a_reason(manager, org):
    pairing = BuddyPairingFactory(
        seeker=org["ann"], buddy=org["vic"], started_on=datetime.date(2026, 1, 5)
    )
    BuddyPairingFactory(seeker=org["bob"], buddy=org["wes"], started_on=datetime.date(2026, 1, 5))
    page = manager.get(reverse("buddies:pairings"), {"employee": "e1"})
    assert [p.seeker for p in page.context["table"].data] == [org["ann"]]
    assert "[invalid name]" not in page.content.decode()
    name = org["vic"].last_name.upper()  # part of a name, any case, either side
    by_name = manager.get(reverse("buddies:pairings"), {"employee": name[:4]})
    assert org["ann"] in [p.seeker for p in by_name.context["table"].data]
    end = reverse("buddies:pairing-end", kwargs={"pk": pairing.pk})
    refused = manager.post(end, {"ended_on": "2026-01-05", "reason": "Moved."})
    assert "it must end after it started" in refused.content.decode()
    manager.post(end, {"ended_on": "2026-02-01", "reason": "Moved to nights."})
    pairing.refresh_from_db()
    assert (pairing.ended_on, pairing.note) == (datetime.date(2026, 2, 1), "Moved to nights.")


def test_exclusions_and_absences_are_recorded_from_their_page(manager, org):
    url = reverse("buddies:exclusions")
    manager.post(url, {"exclusion": "", "one": "e90", "other": "E1", "reason": "Siblings."})
    assert BuddyExclusion.objects.get().reason == "Siblings."
    refused = manager.post(
        url,
        {
            "away": "",
            "buddy": "E1",
            "starts_on": "2026-12-01",
            "ends_on": "2026-11-01",
            "reason": "x",
        },
    ).content.decode()
    assert "E1 is not a back-office buddy" in refused and "before it starts" in refused
    manager.post(
        url,
        {
            "away": "",
            "buddy": "E91",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-20",
            "reason": "Leave",
        },
    )
    assert BuddyUnavailability.objects.get().buddy == org["wes"]


def test_the_manager_home_counts_the_contact_centre_without_a_buddy(manager, org):
    BuddyPairingFactory(seeker=org["ann"], buddy=org["vic"], started_on=timezone.localdate())
    response = manager.get(reverse("core:home"))
    assert response.context["unpaired_count"] == 2
    assert "Without a buddy" in response.content.decode()
