"""Trainer journey: a classroom session for three people of another department, recorded with two
level-3 sign-offs in one save, shows in each attendee's progress (hours and levels)."""

import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from organisation.demo_writer import DEMO_LOGINS
from skills.models import Employee, Signoff, Skill
from skills.rules import SignoffSpan, level_on
from training.models import TrainingSession

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DURATION = Decimal("2.5")


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_LOGINS[username][0])
    page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page) -> None:
    page.locator("details.usermenu > summary").click()
    page.get_by_role("button", name="Sign out").click()


def level_today(employee: Employee, skill: Skill) -> int:
    spans = [
        SignoffSpan(s.level, s.assessed_on, s.expires_on, s.revoked_on)
        for s in Signoff.objects.filter(employee=employee, skill=skill).select_related("skill")
    ]
    return level_on(spans, timezone.localdate())


def pick_people(trainer: Employee, learner: Employee) -> tuple[Skill, list[Employee]]:
    """A skill of the trainer's department the demo employee is below level 3 on, and three
    people of the employee's department (the employee first), the first two below level 3."""
    skill = next(
        s
        for s in Skill.objects.filter(department=trainer.department).order_by("code")
        if level_today(learner, s) < 3
    )
    others = [
        e
        for e in Employee.objects.filter(department=learner.department, user__isnull=True)
        .exclude(pk=learner.pk)
        .order_by("employee_number")
        if e.is_active_on(timezone.localdate())
    ]
    below = [e for e in others if level_today(e, skill) < 3]
    return skill, [learner, below[0], next(e for e in others if e != below[0])]


def cross_hours(page: Page) -> Decimal:
    stat = page.locator(".stat", has_text="Cross-training hours").locator(".stat__value")
    return Decimal(stat.inner_text().strip())


def skill_row(page: Page, code: str):
    return page.get_by_role("row").filter(has=page.get_by_text(code, exact=True))


def test_trainer_records_a_session_with_signoffs_and_progress_shows_it(
    live_server, page: Page, screenshot_dir
):
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url
    trainer = Employee.objects.get(user__username="trainer")
    learner = Employee.objects.get(user__username="employee")
    skill, people = pick_people(trainer, learner)
    assert learner.department_id != trainer.department_id

    sign_in(page, base, "trainer")
    before = {}
    for person in people:
        page.goto(base + reverse("certificates:employee-progress", args=[person.employee_number]))
        before[person.employee_number] = cross_hours(page)

    # From the trainer's home, one form: the session, three attendees, two sign-offs.
    page.goto(base + reverse("core:home"))
    page.screenshot(path=screenshot_dir / "trainer-home.png", full_page=True)
    page.get_by_role("link", name="Record a session").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a session")
    expect(page.get_by_label("Trainer")).to_have_value(trainer.employee_number)
    page.get_by_label("Kind").select_option("classroom")
    page.get_by_label("Host department").select_option(str(trainer.department_id))
    page.get_by_label("Duration (hours)").fill(str(DURATION))
    page.get_by_label(f"{skill.code} · {skill.name}", exact=True).check()
    page.get_by_label("Notes").fill("Billing disputes for the front office")

    # Attendees by keyboard: type, Enter moves to the next row.
    page.get_by_label("Attendee, row 1", exact=True).focus()
    for person in people:
        page.keyboard.type(person.employee_number)
        page.keyboard.press("Enter")
    expect(page.get_by_label("Attendee, row 3", exact=True)).to_have_value(
        people[2].employee_number
    )
    expect(page.get_by_label("Attendee, row 4", exact=True)).to_be_focused()

    for row, person in enumerate(people[:2], start=1):
        page.get_by_label(f"Attendee signed off, row {row}", exact=True).fill(
            person.employee_number
        )
        # Only one skill is covered: the page has chosen it already.
        expect(page.get_by_label(f"Skill, row {row}", exact=True)).to_have_value(str(skill.pk))
        page.get_by_label(f"Level, row {row}", exact=True).select_option("3")
    page.screenshot(path=screenshot_dir / "session-form-filled.png", full_page=True)
    page.get_by_role("button", name="Save session").last.click()

    # Saved in one go; the form is blank again for the next session.
    message = page.get_by_role("status").filter(has_text="saved with 3 attendees and 2 sign-offs")
    expect(message).to_be_visible()
    expect(page.get_by_label("Attendee, row 1", exact=True)).to_have_value("")
    page.screenshot(path=screenshot_dir / "session-saved.png", full_page=True)
    session = TrainingSession.objects.get(notes="Billing disputes for the front office")
    assert re.fullmatch(r"S-\d{8}-\d{3}", session.session_ref)

    message.get_by_role("link", name=session.session_ref).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(session.session_ref)
    for person in people:
        expect(page.get_by_role("link", name=person.full_name).first).to_be_visible()
    expect(page.get_by_text("3 · Independent")).to_have_count(2)
    page.screenshot(path=screenshot_dir / "session-detail.png", full_page=True)

    # Each attendee's progress shows the new hours, and the two levels.
    for index, person in enumerate(people):
        page.goto(base + reverse("certificates:employee-progress", args=[person.employee_number]))
        assert cross_hours(page) == before[person.employee_number] + DURATION
        if index < 2:
            expect(skill_row(page, skill.code)).to_contain_text("3 · Independent")
        page.screenshot(path=screenshot_dir / f"progress-{index + 1}.png", full_page=True)

    # The demo employee sees the same on their own "My progress" page.
    sign_out(page)
    sign_in(page, base, "employee")
    page.goto(base + reverse("certificates:my-progress"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My progress")
    assert cross_hours(page) == before[learner.employee_number] + DURATION
    expect(skill_row(page, skill.code)).to_contain_text("3 · Independent")
    page.screenshot(path=screenshot_dir / "my-progress.png", full_page=True)
