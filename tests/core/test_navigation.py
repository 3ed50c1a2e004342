"""The navigation bar and account menu follow the access table, one entry per label."""

import pytest

from core.navigation import MENU, navigation_for
from core.roles import Role

pytestmark = pytest.mark.django_db


def labels(items):
    return [item["label"] for item in items]


def test_navigation_shows_one_import_entry_to_someone_with_two_import_roles(make_user):
    user = make_user("both", Role.PAYROLL, Role.ADMINISTRATOR)
    assert labels(navigation_for(user, "core:home")).count("Import") == 1


def test_navigation_payroll_import_goes_to_the_roster_upload(make_user):
    [item] = [
        i for i in navigation_for(make_user("pay", Role.PAYROLL), "") if i["label"] == "Import"
    ]
    assert item["url"] == "/tiers/import/roster/"


@pytest.mark.parametrize(("role", "shown"), [(Role.ADMINISTRATOR, True), (Role.MANAGER, False)])
def test_account_menu_offers_administration_only_to_administrators(make_user, role, shown):
    items = navigation_for(make_user("someone", role), "", MENU)
    assert ("Administration" in labels(items)) is shown


def test_navigation_marks_the_current_section(make_user):
    items = navigation_for(make_user("mgr", Role.MANAGER), "certificates:employee-progress")
    assert [i["label"] for i in items if i["active"]] == ["Team"]


def test_home_page_shows_administration_in_the_account_menu(client, role_users):
    client.force_login(role_users[Role.ADMINISTRATOR])
    assert b'href="/admin/"' in client.get("/").content
    client.force_login(role_users[Role.TRAINER])
    assert b'href="/admin/"' not in client.get("/").content


@pytest.mark.parametrize(
    ("role", "view_name", "section"),
    [
        (Role.TRAINER, "skills:signoff-create", "Sessions"),
        (Role.TRAINER, "skills:signoff-revoke", "Sessions"),
        (Role.ADMINISTRATOR, "organisation:workbook-preview", "Import"),
        (Role.PAYROLL, "organisation:roster-upload", "Import"),
        (Role.PAYROLL, "organisation:workbook-confirm", "Import"),
        (Role.MANAGER, "certificates:certify-bulk", "Team"),
        (Role.MANAGER, "certificates:certification-revoke", "Team"),
        (Role.MANAGER, "certificates:certify", "Team"),
        (Role.ADMINISTRATOR, "certificates:certificate-archive", "Certificates"),
    ],
)
def test_navigation_marks_the_section_of_pages_that_moved_app(make_user, role, view_name, section):
    items = navigation_for(make_user("someone", role), view_name)
    assert [i["label"] for i in items if i["active"]] == [section]
