"""Writes the demo organisation: the plan of organisation/demo.py, in one transaction, with
one login per role.

Idempotent: a second run finds the same records and writes nothing new. A database that holds
records clashing with the demo (the same codes or numbers, other content) is refused whole.
"""

from __future__ import annotations

import datetime
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from buddies.models import BuddyPairing
from certificates.models import Certification, PayPeriod, Tier, TierSkillRequirement
from certificates.services import pay_period_close
from core.roles import Role
from organisation.demo import (
    DemoPlan,
    Person,
    PlannedPairing,
    PlannedSession,
    build_plan,
    plan_people,
)
from skills.models import Department, Employee, Signoff, Skill
from skills.rules import add_months
from training.models import Attendance, ModuleCompletion, TrainingSession, WorkflowModule

# One login per role: username -> (password, role). Printed by seed_demo; demo use only.
DEMO_LOGINS: dict[str, tuple[str, str]] = {
    "admin": ("admin-demo-2026", "administrator"),
    "manager": ("manager-demo-2026", "manager"),
    "trainer": ("trainer-demo-2026", "trainer"),
    "payroll": ("payroll-demo-2026", "payroll"),
    "employee": ("employee-demo-2026", "employee"),
}

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
CHANGE_REASON = "Demo organisation (seed_demo)"
BATCH_SIZE = 500

CONFLICT_ERROR = (
    "The database already holds records that clash with the demo organisation ({clashes}). "
    "seed_demo loads only into a tracker without them; nothing was written."
)


class DemoConflict(Exception):
    """The database holds records that clash with the demo organisation."""


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    employee: str  # "Name (E10234)" or ""


@dataclass(frozen=True)
class DemoResult:
    created: bool  # False: the demo organisation was already there, nothing added
    today: datetime.date
    counts: dict[str, int]
    logins: tuple[DemoLogin, ...]


def load_inputs(directory: Path = FIXTURES_DIR) -> dict[str, Any]:
    """The organisation catalogue and the name lists, as read from the fixture files."""
    with (directory / "organisation.json").open(encoding="utf-8") as handle:
        inputs = json.load(handle)
    with (directory / "names.json").open(encoding="utf-8") as handle:
        inputs["names"] = json.load(handle)
    return inputs


def demo_password_hashes(stored: dict[str, str]) -> dict[str, str]:
    """New hashes for the demo logins whose stored hash (by username) is not their demo password.

    Hashing is most of seed_demo's run time; the hashers release the GIL, so this runs them
    side by side, and demo_seed runs it beside the planning.
    """

    def matches(username: str) -> bool:
        encoded = stored.get(username)
        return bool(encoded) and check_password(DEMO_LOGINS[username][0], encoded)

    with ThreadPoolExecutor(max_workers=len(DEMO_LOGINS)) as pool:
        ok = dict(zip(DEMO_LOGINS, pool.map(matches, DEMO_LOGINS), strict=True))
        stale = [username for username, good in ok.items() if not good]
        hashed = pool.map(lambda username: make_password(DEMO_LOGINS[username][0]), stale)
        return dict(zip(stale, hashed, strict=True))


def demo_logins_ensure(hashes: dict[str, str] | None = None) -> dict[str, Any]:
    """Each demo login exists, is active, has its demo password and its role's group.

    `hashes` are demo_password_hashes() of the stored passwords when the caller has them.
    Returns the users by username; writes only what differs.
    """
    User = get_user_model()
    roles = [role for _, role in DEMO_LOGINS.values()]
    groups = {g.name: g for g in Group.objects.filter(name__in=roles)}
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_LOGINS)}
    if hashes is None:
        hashes = demo_password_hashes({name: u.password for name, u in users.items()})
    for username, (_, role) in DEMO_LOGINS.items():
        is_admin = role == Role.ADMINISTRATOR
        user = users.get(username) or User(username=username)
        wanted = {"is_active": True, "is_staff": is_admin, "is_superuser": is_admin}
        changed = user.pk is None
        for name, value in wanted.items():
            if getattr(user, name) != value:
                setattr(user, name, value)
                changed = True
        if username in hashes:
            user.password = hashes[username]
            changed = True
        if changed:
            user.save()
        if not user.groups.filter(pk=groups[role].pk).exists():
            user.groups.add(groups[role])
        users[username] = user
    return users


def _bulk(objs: list[models.Model], model: type[models.Model]) -> list[Any]:
    return bulk_create_with_history(
        objs, model, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON
    )


def _clashes(plan: DemoPlan, inputs: dict[str, Any]) -> list[str]:
    """Natural keys of the demo that the database already holds for something else."""
    clashes: list[str] = []
    checks: list[tuple[str, Any, str, list[Any]]] = [
        ("departments", Department, "code", [d["code"] for d in inputs["departments"]]),
        ("employees", Employee, "employee_number", [p.number for p in plan.people]),
        ("skills", Skill, "code", [s["code"] for s in inputs["skills"]]),
        ("modules", WorkflowModule, "code", [m["code"] for m in inputs["modules"]]),
        ("tiers", Tier, "rank", [t["rank"] for t in inputs["tiers"]]),
        ("sessions", TrainingSession, "session_ref", [s.ref for s in plan.sessions]),
    ]
    for label, model, key, values in checks:
        found = sorted(model.objects.filter(**{f"{key}__in": values}).values_list(key, flat=True))
        if found:
            shown = ", ".join(str(v) for v in found[:5]) + (" …" if len(found) > 5 else "")
            clashes.append(f"{label} {shown}")
    first, last = plan.pay_periods[0][0], plan.pay_periods[-1][1]
    if PayPeriod.objects.filter(start__lte=last, end__gte=first).exists():
        clashes.append(f"pay periods between {first} and {last}")
    return clashes


def demo_seed(*, today: datetime.date, directory: Path = FIXTURES_DIR) -> DemoResult:
    """Loads the demo organisation as of `today` unless it is there already; ensures the logins.

    Idempotent: when every demo department and employee number exists, only the logins are
    (re)ensured and linked. A database holding some of the demo's keys, or tiers or pay periods
    of its own, is refused with DemoConflict and nothing is written. One transaction.
    """
    inputs = load_inputs(directory)
    people = plan_people(inputs, today)
    codes = [d["code"] for d in inputs["departments"]]
    numbers = [p.number for p in people]
    User = get_user_model()
    with transaction.atomic():
        departments = Department.objects.filter(code__in=codes).count()
        employees = Employee.objects.filter(employee_number__in=numbers).count()
        present = departments == len(codes) and employees == len(numbers)
        stored = dict(
            User.objects.filter(username__in=DEMO_LOGINS).values_list("username", "password")
        )
        with ThreadPoolExecutor(max_workers=1) as background:
            hashing = background.submit(demo_password_hashes, stored)
            plan = None if present else build_plan(inputs, today)
            hashes = hashing.result()
        counts: dict[str, int] = {}
        if plan is None:
            users = demo_logins_ensure(hashes)
            _link_logins(users, {p.login: p.number for p in people if p.login})
        else:
            clashes = _clashes(plan, inputs)
            if clashes:
                raise DemoConflict(CONFLICT_ERROR.format(clashes="; ".join(clashes)))
            users = demo_logins_ensure(hashes)
            _save_plan(plan, inputs, users)
            _close_past_periods(today, users["payroll"])
            counts = plan_counts(plan, inputs)
        logins = _login_rows(users)
    return DemoResult(created=not present, today=today, counts=counts, logins=logins)


def _close_past_periods(today: datetime.date, user: Any) -> None:
    """Payroll has closed every period that has ended but the last one, which awaits closing."""
    ended = list(PayPeriod.objects.filter(end__lt=today).order_by("start"))
    for period in ended[:-1]:
        pay_period_close(period=period, user=user)


def _link_logins(users: dict[str, Any], numbers: dict[str, str]) -> None:
    """Links each demo login to its employee when neither is linked to something else."""
    for login, number in numbers.items():
        user = users[login]
        employee = Employee.objects.filter(employee_number=number).first()
        if employee is None or employee.user_id is not None:
            continue
        if Employee.objects.filter(user=user).exists():
            continue
        employee.user = user
        employee._change_reason = CHANGE_REASON
        employee.save(update_fields=["user"])


def _login_rows(users: dict[str, Any]) -> tuple[DemoLogin, ...]:
    linked = {e.user_id: e for e in Employee.objects.filter(user__in=list(users.values()))}
    rows = []
    for username, (password, role) in DEMO_LOGINS.items():
        employee = linked.get(users[username].pk)
        rows.append(
            DemoLogin(username, password, role, str(employee) if employee is not None else "")
        )
    return tuple(rows)


def plan_counts(plan: DemoPlan, inputs: dict[str, Any]) -> dict[str, int]:
    """What the plan holds, for the command's summary."""
    recert = {s["code"]: s["recert_months"] for s in inputs["skills"]}
    departments = inputs["departments"]
    pass_marks = {m["code"]: m["pass_mark"] for m in inputs["modules"]}
    expired = sum(
        1
        for s in plan.signoffs
        if recert[s.skill] and add_months(s.assessed_on, recert[s.skill]) <= plan.today
    )
    return {
        "departments": len(departments),
        "front-office departments": sum(1 for d in departments if d["side"] == "front"),
        "back-office departments": sum(1 for d in departments if d["side"] == "back"),
        "sites": len({d["site"] for d in departments}),
        "employees": len(plan.people),
        "active today": sum(1 for p in plan.people if p.active_on(plan.today)),
        "terminated": sum(1 for p in plan.people if p.termination_date is not None),
        "skills": len(inputs["skills"]),
        "universal skills": sum(1 for s in inputs["skills"] if s["department"] is None),
        "workflow modules": len(inputs["modules"]),
        "tiers": len(inputs["tiers"]),
        "training sessions": len(plan.sessions),
        "attendance rows": sum(len(s.attendees) for s in plan.sessions),
        "sign-offs": len(plan.signoffs),
        "expired sign-offs": expired,
        "revoked sign-offs": sum(1 for s in plan.signoffs if s.revoked_on),
        "module completions": len(plan.completions),
        "failed completions": sum(1 for c in plan.completions if c.score < pass_marks[c.module]),
        "certifications": len(plan.certifications),
        "migrated certifications": sum(1 for c in plan.certifications if c.override_reason),
        "pay periods": len(plan.pay_periods),
        "buddy pairings": len(plan.pairings),
    }


def _save_plan(plan: DemoPlan, inputs: dict[str, Any], users: dict[str, Any]) -> None:
    admin = users["admin"]

    def recorder(person: Person) -> Any:
        return users[person.login] if person.login in ("trainer", "manager") else admin

    def stamp(obj: models.Model, user: Any) -> models.Model:
        obj._history_user = user  # read by simple-history's bulk helpers
        return obj

    departments = {
        d["code"]: Department(code=d["code"], name=d["name"], side=d["side"], site=d["site"])
        for d in inputs["departments"]
    }
    _bulk([stamp(d, admin) for d in departments.values()], Department)
    skills = {
        s["code"]: Skill(
            code=s["code"],
            name=s["name"],
            department=departments[s["department"]] if s["department"] else None,
            recert_months=s["recert_months"],
        )
        for s in inputs["skills"]
    }
    _bulk([stamp(s, admin) for s in skills.values()], Skill)

    linked_users = set(
        Employee.objects.filter(user__isnull=False).values_list("user_id", flat=True)
    )
    employees: dict[Person, Employee] = {}
    # Managers first, so that every employee row is written once, with its manager.
    for wave in (("head",), ("manager",), ("trainer", "staff")):
        batch = []
        for person in plan.people:
            if person.role not in wave:
                continue
            user = users.get(person.login) if person.login else None
            if user is not None and user.pk in linked_users:
                user = None
            employee = Employee(
                employee_number=person.number,
                first_name=person.first_name,
                last_name=person.last_name,
                email=person.email,
                department=departments[person.department],
                site=person.site,
                shift=person.shift,
                hire_date=person.hire_date,
                termination_date=person.termination_date,
                manager=employees[person.manager] if person.manager else None,
                user=user,
            )
            employees[person] = employee
            batch.append(stamp(employee, admin))
        _bulk(batch, Employee)

    def employee(person: Person) -> Employee:
        return employees[person]

    owners = {f"{p.role}:{p.department}": p for p in plan.people if p.termination_date is None}
    heads = {f"head:{p.side}": p for p in plan.people if p.role == "head"}
    owners.update(heads)
    modules = {}
    for m in inputs["modules"]:
        version, days_ago = m["versions"][-1]
        modules[m["code"]] = WorkflowModule(
            code=m["code"],
            title=m["title"],
            version=version,
            owner=employee(owners[m["owner"]]),
            last_reviewed_on=plan.today - datetime.timedelta(days=days_ago),
            pass_mark=m["pass_mark"],
            is_new_hire=m["is_new_hire"],
            new_hire_days=m["new_hire_days"],
            description=m["description"],
        )
    _bulk([stamp(m, admin) for m in modules.values()], WorkflowModule)

    requirements = []
    tiers: dict[int, Tier] = {}
    for t in inputs["tiers"]:
        tier = Tier(
            rank=t["rank"],
            name=t["name"],
            differential_per_hour=Decimal(t["differential_per_hour"]),
            min_cross_training_hours=t["min_cross_training_hours"],
            min_other_side_skills=t["min_other_side_skills"],
            min_tenure_days=t["min_tenure_days"],
            description=t["description"],
            pay_code=t.get("pay_code", ""),
        )
        tier._change_reason = CHANGE_REASON
        tier._history_user = admin
        tier.save()
        tiers[tier.rank] = tier
        tier.required_modules.set([modules[code] for code in t["required_modules"]])
        requirements += [
            stamp(TierSkillRequirement(tier=tier, skill=skills[code], min_level=level), admin)
            for code, level in sorted(t["required_skills"].items())
        ]
    _bulk(requirements, TierSkillRequirement)

    sessions = [
        stamp(
            TrainingSession(
                session_ref=s.ref,
                date=s.date,
                host_department=departments[s.host],
                kind=s.kind,
                trainer=employee(s.trainer),
                duration_hours=s.duration,
                notes=s.notes,
                recorded_by=recorder(s.trainer),
            ),
            recorder(s.trainer),
        )
        for s in plan.sessions
    ]
    _bulk(sessions, TrainingSession)
    _save_session_skills(sessions, plan.sessions, skills)
    _bulk(
        [
            stamp(Attendance(session=obj, employee=employee(p), hours=hours), obj.recorded_by)
            for obj, planned in zip(sessions, plan.sessions, strict=True)
            for p, hours in planned.attendees
        ],
        Attendance,
    )

    signoffs = [
        stamp(
            Signoff(
                employee=employee(s.person),
                skill=skills[s.skill],
                level=s.level,
                assessed_on=s.assessed_on,
                assessor=employee(s.assessor),
                evidence=s.evidence,
                recorded_by=recorder(s.assessor),
            ),
            recorder(s.assessor),
        )
        for s in plan.signoffs
    ]
    _bulk(signoffs, Signoff)
    revoked = []
    for obj, planned in zip(signoffs, plan.signoffs, strict=True):
        if planned.revoked_on is not None:
            obj.revoked_on = planned.revoked_on
            obj.revoked_by = users[planned.revoked_by]
            obj.revoke_reason = planned.revoke_reason
            revoked.append(stamp(obj, obj.revoked_by))
    _revise(revoked, Signoff, ["revoked_on", "revoked_by", "revoke_reason"])

    _bulk(
        [
            stamp(
                ModuleCompletion(
                    employee=employee(c.person),
                    module=modules[c.module],
                    completed_on=c.completed_on,
                    score=c.score,
                    version=c.version,
                    recorded_by=users["trainer"] if c.completed_on >= plan.go_live else admin,
                ),
                users["trainer"] if c.completed_on >= plan.go_live else admin,
            )
            for c in plan.completions
        ],
        ModuleCompletion,
    )

    certifications = [
        stamp(
            Certification(
                employee=employee(c.person),
                tier=tiers[c.rank],
                certified_on=c.certified_on,
                certified_by=employee(c.certified_by),
                override_reason=c.override_reason,
                recorded_by=recorder(c.certified_by),
            ),
            recorder(c.certified_by),
        )
        for c in plan.certifications
    ]
    _bulk(certifications, Certification)
    revoked = []
    for obj, planned in zip(certifications, plan.certifications, strict=True):
        if planned.revoked_on is not None:
            obj.revoked_on = planned.revoked_on
            obj.revoked_by = users[planned.revoked_by]
            obj.revoke_reason = planned.revoke_reason
            revoked.append(stamp(obj, obj.revoked_by))
    _revise(revoked, Certification, ["revoked_on", "revoked_by", "revoke_reason"])

    _bulk([stamp(PayPeriod(start=s, end=e), admin) for s, e in plan.pay_periods], PayPeriod)

    # A seeker has one open pairing at a time: end the old ones before opening their successors.
    manager = users["manager"]

    def pairing(p: PlannedPairing) -> BuddyPairing:
        obj = BuddyPairing(
            seeker=employee(p.seeker),
            buddy=employee(p.buddy),
            started_on=p.started_on,
            approved_by=manager,
            reasons=p.reasons,
            note=p.note,
        )
        return stamp(obj, manager)

    first = [(pairing(p), p) for p in plan.pairings if p.replaces is None]
    _bulk([obj for obj, _ in first], BuddyPairing)
    ended = []
    for obj, planned in first:
        if planned.ended_on is not None:
            obj.ended_on = planned.ended_on
            ended.append(obj)
    _revise(ended, BuddyPairing, ["ended_on"])
    _bulk([pairing(p) for p in plan.pairings if p.replaces is not None], BuddyPairing)


def _revise(objs: list[models.Model], model: type[models.Model], fields: list[str]) -> None:
    if objs:
        bulk_update_with_history(
            objs, model, fields, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON
        )


def _save_session_skills(
    sessions: list[TrainingSession], planned: list[PlannedSession], skills: dict[str, Skill]
) -> None:
    """The sessions' skills, and the same rows in the history of each session's creation."""
    through = TrainingSession.skills.through
    rows = [
        through(trainingsession_id=obj.pk, skill_id=skills[code].pk)
        for obj, plan in zip(sessions, planned, strict=True)
        for code in plan.skills
    ]
    rows = through.objects.bulk_create(rows, batch_size=BATCH_SIZE)  # with their ids
    historical = TrainingSession.history.model
    created = dict(
        historical.objects.filter(id__in=[s.pk for s in sessions], history_type="+").values_list(
            "id", "history_id"
        )
    )
    m2m_history = apps.get_model("training", "HistoricalTrainingSession_skills")
    m2m_history.objects.bulk_create(
        [
            m2m_history(
                id=row.pk,
                history_id=created[row.trainingsession_id],
                trainingsession_id=row.trainingsession_id,
                skill_id=row.skill_id,
            )
            for row in rows
        ],
        batch_size=BATCH_SIZE,
    )
