"""Tests of `manage.py seed_demo`: the demo organisation, its logins, idempotence, integrity."""

import datetime
import io
import itertools
import re
from collections import defaultdict
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db.models import F

from buddies.models import BuddyPairing
from certificates.eligibility import (
    EmployeeFacts,
    TierRule,
    evaluate_tiers,
)
from certificates.models import Certification, PayPeriod, PayrollRow, Tier, TierSkillRequirement
from certificates.selectors import employee_facts, skill_sides, tier_rules
from organisation.demo import build_plan, plan_people
from organisation.demo_writer import DEMO_LOGINS, load_inputs
from skills.models import Department, Employee, Signoff, Skill
from training.models import Attendance, ModuleCompletion, TrainingSession, WorkflowModule

pytestmark = pytest.mark.django_db

# A fixed "today", so that a failure reproduces; one test uses the real date instead.
TODAY = datetime.date(2026, 3, 16)


def seed(today: datetime.date | None = TODAY) -> str:
    out = io.StringIO()
    args = ["--today", today.isoformat()] if today else []
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded() -> str:
    return seed()


def row_counts() -> dict[str, int]:
    """Rows per model: Django's, the apps', their M2M and their history tables."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def tier_inputs() -> tuple[dict[int, EmployeeFacts], list[TierRule], dict[str, str | None]]:
    """What the eligibility rule needs, through the tracker's own loader of the seeded tables.

    Every seeded record is dated on or before TODAY, so the facts up to TODAY are all of them.
    """
    employees = Employee.objects.all()
    ids = dict(employees.values_list("employee_number", "pk"))
    facts = {ids[f.employee_number]: f for f in employee_facts(employees, TODAY)}
    return facts, tier_rules(), skill_sides()


def test_seed_demo_builds_a_realistic_organisation(seeded):
    sides = defaultdict(int)
    for department in Department.objects.all():
        sides[department.side] += 1
    assert sides["front"] >= 6 and sides["back"] >= 6
    assert Department.objects.values("site").distinct().count() >= 2

    employees = list(Employee.objects.all())
    assert len(employees) >= 80
    assert any(e.termination_date for e in employees)
    assert sum(e.is_active_on(TODAY) for e in employees) >= 80
    assert {e.shift for e in employees} == {"day", "evening", "night"}
    hires = sorted(e.hire_date for e in employees)
    assert (hires[-1] - hires[0]).days > 3 * 365
    assert Employee.objects.filter(manager__isnull=False).count() >= len(employees) - 2
    names = " ".join(f"{e.first_name} {e.last_name}" for e in employees)
    for script in ("[А-я]", "[Α-ω]", "[ạ-ỹ]", "[ĄąĘęŁłŚśŻżŹź]", "[ÇçĞğİıŞş]", "[Øøåæ]"):
        assert re.search(script, names), script

    universal = Skill.objects.filter(department__isnull=True)
    assert universal.filter(code="DEESC").exists() and universal.filter(code="TONE").exists()
    assert Skill.objects.filter(recert_months__isnull=True).exists()
    assert Skill.objects.filter(recert_months__isnull=False).exists()
    assert all(d.skills.exists() for d in Department.objects.all())

    new_hire = WorkflowModule.objects.get(is_new_hire=True)
    assert new_hire.title == "Where work comes from and where it goes"
    assert all(m.owner.is_active_on(TODAY) for m in WorkflowModule.objects.all())
    assert any(m.is_due_for_review(TODAY) for m in WorkflowModule.objects.all())

    tiers = list(Tier.objects.order_by("rank"))
    assert [t.rank for t in tiers] == [1, 2, 3]
    assert [t.differential_per_hour for t in tiers] == [
        Decimal("0.50"),
        Decimal("1.25"),
        Decimal("2.10"),
    ]
    assert all(t.required_modules.exists() for t in tiers)
    assert TierSkillRequirement.objects.exists()

    sessions = TrainingSession.objects.all()
    assert {s.kind for s in sessions} == set(TrainingSession.Kind.values)
    assert min(s.date for s in sessions) >= TODAY - datetime.timedelta(days=365)
    assert max(s.date for s in sessions) < TODAY
    cross = Attendance.objects.exclude(employee__department=F("session__host_department"))
    assert cross.count() > 0.8 * Attendance.objects.count()

    signoffs = list(Signoff.objects.select_related("skill"))
    assert any(s.expires_on is not None and s.expires_on <= TODAY for s in signoffs)
    revoked = [s for s in signoffs if s.revoked_on]
    assert revoked and all(s.revoke_reason and s.revoked_by_id for s in revoked)
    assert {s.level for s in signoffs} == {1, 2, 3, 4}

    completions = ModuleCompletion.objects.select_related("module")
    assert any(not c.passed for c in completions)
    assert any(c.passed for c in completions)

    assert Certification.objects.filter(revoked_on__isnull=True).exists()
    assert Certification.objects.exclude(override_reason="").exists()
    assert Certification.objects.exclude(revoke_reason="").exists()

    pairings = list(BuddyPairing.objects.select_related("seeker__department", "buddy__department"))
    assert len(pairings) >= 3
    assert all(p.seeker.department.side == "front" for p in pairings)
    assert all(p.buddy.department.side == "back" for p in pairings)
    assert any(p.ended_on for p in pairings)


def test_seed_demo_pay_periods_are_biweekly_and_cover_the_last_year(seeded):
    periods = list(PayPeriod.objects.order_by("start"))
    assert all(p.end - p.start == datetime.timedelta(days=13) for p in periods)
    one_day = datetime.timedelta(days=1)
    assert all(b.start == a.end + one_day for a, b in itertools.pairwise(periods))
    assert periods[0].start <= TODAY - datetime.timedelta(days=364)
    assert periods[-1].start <= TODAY <= periods[-1].end
    # Payroll has closed every ended period, in order, but the last one, which awaits closing.
    assert [p.is_closed for p in periods] == [True] * (len(periods) - 2) + [False, False]
    assert PayrollRow.objects.filter(period=periods[-3]).exists()


def test_seed_demo_prints_a_summary_and_the_logins(seeded):
    assert "Loaded the demo organisation" in seeded
    assert re.search(r"\d+ employees", seeded)
    for username, (password, role) in DEMO_LOGINS.items():
        assert re.search(rf"{username}\s+{re.escape(password)}\s+{role}", seeded)


def test_seed_demo_logins_authenticate_and_hold_their_role(seeded):
    for username, (password, role) in DEMO_LOGINS.items():
        user = authenticate(username=username, password=password)
        assert user is not None, username
        assert user.groups.filter(name=role).exists()
        assert user.is_superuser == user.is_staff == (role == "administrator")
    linked = {e.user.username: e for e in Employee.objects.filter(user__isnull=False)}
    assert linked["employee"].department.side == "front"
    assert linked["trainer"].department.side == "back"
    assert linked["trainer"].sessions_given.exists()
    assert linked["manager"].reports.filter(pk=linked["employee"].pk).exists()
    assert all(e.is_active_on(TODAY) for e in linked.values())


def test_seed_demo_employee_login_is_part_way_to_the_next_tier(seeded):
    employee = Employee.objects.get(user__username="employee")
    facts, tiers, sides = tier_inputs()
    status = evaluate_tiers(facts[employee.pk], tiers, sides, TODAY)
    assert status.eligible_rank == 1
    assert status.next_tier is not None and status.next_tier.rank == 2
    assert len(status.next_tier_gaps) >= 2
    assert status.cross_training_hours > 0
    certified = employee.certifications.filter(revoked_on__isnull=True)
    assert [c.tier.rank for c in certified] == [1]
    buddy = employee.pairings_as_seeker.get(ended_on__isnull=True).buddy
    assert buddy.user.username == "trainer"


def test_seed_demo_certifies_only_the_eligible_unless_migrated(seeded):
    facts, tiers, sides = tier_inputs()
    certifications = list(Certification.objects.select_related("tier"))
    for c in certifications:
        rank = evaluate_tiers(facts[c.employee_id], tiers, sides, c.certified_on).eligible_rank
        if c.override_reason:
            assert rank < c.tier.rank, "an override is only for a certification the data refuses"
        else:
            assert rank >= c.tier.rank, c
    held = defaultdict(int)
    for c in certifications:
        if c.revoked_on is None:
            held[c.employee_id] = max(held[c.employee_id], c.tier.rank)
    lapsed = [
        pk
        for pk, rank in held.items()
        if evaluate_tiers(facts[pk], tiers, sides, TODAY).eligible_rank < rank
        and facts[pk].is_active_on(TODAY)
    ]
    assert lapsed, "someone's pay differential has lapsed, so payroll shows LAPSED"


def test_seed_demo_everything_dated_happens_while_its_people_are_active(seeded):
    for a in Attendance.objects.select_related("session__trainer", "employee"):
        day = a.session.date
        assert a.employee.is_active_on(day), a
        assert a.session.trainer.is_active_on(day), a.session
        assert a.employee_id != a.session.trainer_id, a
        assert Decimal("0") < a.hours <= a.session.duration_hours, a
        assert (a.hours * 4) % 1 == 0, a
    for s in Signoff.objects.select_related("employee", "assessor"):
        assert s.employee.is_active_on(s.assessed_on), s
        assert s.assessor.is_active_on(s.assessed_on), s
        assert s.assessor_id != s.employee_id, s
        assert 1 <= s.level <= 4
        assert s.assessed_on <= TODAY
    for c in ModuleCompletion.objects.select_related("employee"):
        assert c.employee.is_active_on(c.completed_on), c
        assert c.completed_on <= TODAY
    for c in Certification.objects.select_related("employee", "certified_by"):
        assert c.employee.is_active_on(c.certified_on), c
        assert c.certified_by.is_active_on(c.certified_on), c
        assert c.certified_on <= TODAY
    for p in BuddyPairing.objects.select_related("seeker", "buddy"):
        assert p.seeker.is_active_on(p.started_on), p
        assert p.buddy.is_active_on(p.started_on), p
        assert p.started_on <= TODAY and (p.ended_on is None or p.ended_on <= TODAY)
    for s in TrainingSession.objects.all():
        assert (s.duration_hours * 4) % 1 == 0 and 0 < s.duration_hours <= 12


def test_seed_demo_records_history(seeded):
    for model in (Employee, Signoff, TrainingSession, Attendance, Certification, BuddyPairing):
        assert model.history.filter(history_type="+").count() == model.objects.count()
    revoked = Signoff.objects.exclude(revoked_on=None).first()
    assert [h.history_type for h in revoked.history.order_by("history_id")] == ["+", "~"]
    through = TrainingSession.skills.through.objects.count()
    assert through > 0
    assert apps.get_model("training", "HistoricalTrainingSession_skills").objects.count() == through


def test_seed_demo_twice_changes_no_table(seeded):
    before = row_counts()
    # The second run is on another day: the demo must still be recognised as loaded.
    output = seed(today=None)
    assert "already loaded" in output
    assert row_counts() == before
    for username, (password, _) in DEMO_LOGINS.items():
        assert authenticate(username=username, password=password) is not None


def test_seed_demo_again_restores_a_changed_demo_password(seeded):
    user = get_user_model().objects.get(username="manager")
    user.set_password("something else entirely")
    user.save()
    before = row_counts()
    seed()
    assert authenticate(username="manager", password=DEMO_LOGINS["manager"][0]) is not None
    assert row_counts() == before


def test_seed_demo_refuses_a_database_holding_part_of_it():
    Department.objects.create(code="CC-GEN", name="Someone else's", side="front", site="York")
    with pytest.raises(CommandError, match="departments CC-GEN"):
        seed()
    assert Department.objects.count() == 1
    assert not Employee.objects.exists()
    assert not get_user_model().objects.filter(username__in=DEMO_LOGINS).exists()


def test_demo_plan_is_the_same_for_the_same_day_and_numbers_hold_across_days():
    inputs = load_inputs()

    def fingerprint(today: datetime.date) -> list[tuple]:
        plan = build_plan(inputs, today)
        people = [(p.number, p.first_name, p.hire_date) for p in plan.people]
        sessions = [
            (s.ref, s.trainer.number, tuple(a.number for a, _ in s.attendees))
            for s in plan.sessions
        ]
        signoffs = [(s.person.number, s.skill, s.level, s.assessed_on) for s in plan.signoffs]
        return [*people, *sessions, *signoffs]

    assert fingerprint(TODAY) == fingerprint(TODAY)
    numbers = [p.number for p in plan_people(inputs, TODAY)]
    assert numbers == [p.number for p in plan_people(inputs, TODAY + datetime.timedelta(days=40))]


def test_seed_demo_is_refused_where_demo_data_is_not_allowed(settings):
    settings.ALLOW_DEMO_DATA = False
    with pytest.raises(CommandError, match="published passwords"):
        call_command("seed_demo")
    assert not Employee.objects.exists()
