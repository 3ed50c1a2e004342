"""Finding people as you type on the session form: accents and case do not matter, and each
attendee row shows who it stands for (name, department, shift), whether picked from the
suggestions, typed by hand or added with "Add everyone"."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from skills.models import Employee
from tests.e2e.test_trainer_journey import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

UNKNOWN = "Nobody active on the session's date has this number or name."


def person_cell(page: Page, row: int):
    return page.locator(f"#attendees-row-{row - 1} [data-person]")


def test_attendees_are_found_ignoring_accents_and_shown_by_name(
    live_server, page: Page, screenshot_dir
):
    call_command("seed_demo", stdout=io.StringIO())
    learner = Employee.objects.get(user__username="employee")
    zoe = Employee.objects.create(
        employee_number="E99001",
        first_name="Zoë",
        last_name="Østbø",
        department=learner.department,
        hire_date=learner.hire_date,
    )
    base = live_server.url
    sign_in(page, base, "trainer")
    page.goto(base + reverse("training:session-create"))

    # Typing without accents suggests her; picking the suggestion shows who it is.
    page.get_by_label("Attendee, row 1", exact=True).press_sequentially("ostb", delay=40)
    suggestion = page.locator("#employee-suggestions option[value='E99001']")
    expect(suggestion).to_have_attribute("label", f"Zoë Østbø · {zoe.department.code} · Day")
    page.get_by_label("Attendee, row 1", exact=True).fill("E99001")
    expect(person_cell(page, 1)).to_have_text(f"Zoë Østbø · {zoe.department.code} · Day")

    # Her full name typed in capitals without accents, then leaving the row.
    page.get_by_label("Attendee, row 2", exact=True).fill("ZOE OSTBO")
    page.get_by_label("Hours, row 2", exact=True).focus()
    expect(person_cell(page, 2)).to_contain_text("Zoë Østbø")

    # A number nobody has says so where it was typed.
    page.get_by_label("Attendee, row 3", exact=True).fill("E12345678")
    page.get_by_label("Hours, row 3", exact=True).focus()
    expect(person_cell(page, 3)).to_have_text(UNKNOWN)
    page.locator("#attendees-row-2").get_by_role("button", name="Clear row 3").click()
    expect(person_cell(page, 3)).to_have_text("")

    # "Add everyone" posts back: every row added shows its person, from the server.
    page.get_by_label("Department", exact=True).select_option(str(learner.department_id))
    page.get_by_role("button", name="Add everyone").click()
    expect(page.get_by_role("status")).to_contain_text("Added")
    numbers = page.locator("[data-rows-body='attendees'] input[name$='-employee']")
    cells = page.locator("[data-rows-body='attendees'] [data-person]")
    filled = [i for i in range(numbers.count()) if numbers.nth(i).input_value()]
    assert len(filled) > 3
    for i in filled:
        typed = numbers.nth(i).input_value()
        person = zoe if typed == "ZOE OSTBO" else Employee.objects.get(employee_number=typed)
        expect(cells.nth(i)).to_contain_text(person.full_name)
    page.screenshot(path=screenshot_dir / "session-form-people.png", full_page=True)
