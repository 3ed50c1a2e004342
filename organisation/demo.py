"""The demo organisation as a plan of plain data: inputs (fixtures/demo/) and a date in, every
department, person, session, sign-off, result, certification and pairing out. No database:
organisation/demo_writer.py writes a plan."""

from __future__ import annotations

import datetime
import random
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings

from buddies import matching
from certificates.eligibility import (
    AttendanceFact,
    CompletionFact,
    EmployeeFacts,
    SignoffFact,
    TierRule,
    evaluate_tiers,
    facts_by_person,
)
from skills.rules import add_months, is_active_on, signoff_expires_on

# The content is a pure function of (this seed, the fixtures, today's date).
SEED = 20260114
# Sessions, most sign-offs and all certifications but the migrated ones fall in the last year.
HISTORY_DAYS = 364
# Biweekly pay periods start a whole number of fortnights after this Monday.
PAY_PERIOD_EPOCH = datetime.date(2024, 1, 1)
ONE_DAY = datetime.timedelta(days=1)
# The stored values of the session kinds and department sides (TrainingSession.Kind,
# Department.Side), as plain text: the plan is made without the models.
CLASSROOM, SHADOWING, FLOOR_SUPPORT, ESCALATION = (
    "classroom",
    "shadowing",
    "floor_support",
    "escalation",
)
KIND_WORDS = {
    CLASSROOM: "classroom",
    SHADOWING: "shadowing",
    FLOOR_SUPPORT: "floor support",
    ESCALATION: "escalation",
}
FRONT, BACK = "front", "back"
QUARTER = Decimal("0.25")
ZERO = Decimal("0")

DURATIONS: dict[str, tuple[str, ...]] = {
    CLASSROOM: ("1.5", "2", "2.5", "3", "3.5"),
    SHADOWING: ("2", "2.5", "3", "3.5", "4"),
    FLOOR_SUPPORT: ("3", "3.5", "4", "5", "6", "7.5"),
    ESCALATION: ("0.5", "0.75", "1", "1.25", "1.5"),
}
ATTENDEES: dict[str, tuple[int, int]] = {
    CLASSROOM: (3, 7),
    SHADOWING: (1, 2),
    FLOOR_SUPPORT: (2, 5),
    ESCALATION: (1, 1),
}
# Cross-training hours a person aims for over the year, by ambition (0 = no tier in sight).
TARGET_HOURS: dict[int, tuple[int, int]] = {0: (0, 4), 1: (7, 16), 2: (24, 36), 3: (52, 68)}
# Hours on one of another department's skills before a trainer signs off level 1, 2, 3, 4.
LEVEL_HOURS: tuple[tuple[int, Decimal], ...] = (
    (4, Decimal("30")),
    (3, Decimal("12")),
    (2, Decimal("6")),
    (1, Decimal("2")),
)

T = TypeVar("T")


# --- the plan: plain data, no database ------------------------------------------------------


@dataclass(eq=False)
class Person:
    first_name: str
    last_name: str
    department: str
    side: str
    role: str  # head | manager | trainer | staff
    hire_date: datetime.date
    shift: str
    termination_date: datetime.date | None = None
    site: str = ""  # blank: the department's site
    home_site: str = ""
    login: str | None = None
    number: str = ""
    email: str = ""
    manager: Person | None = None
    ambition: int = 0  # the highest tier this person works towards this year
    targets: list[str] = field(default_factory=list)  # departments they cross-train in
    need_hours: Decimal = ZERO
    max_hours: Decimal | None = None
    max_other_side_level: int | None = None
    module_scores: dict[str, list[int]] = field(default_factory=dict)
    new_hire_module: str = ""  # pending | passed | failed; blank: at random
    certify_promptly: bool = False
    buddy_login: str = ""  # the persona this persona is paired with
    paired_days_ago: int | None = None
    cross_hours: Decimal = ZERO

    def active_on(self, day: datetime.date) -> bool:
        return is_active_on(self.hire_date, self.termination_date, day)

    def last_active_day(self, today: datetime.date) -> datetime.date:
        if self.termination_date is None:
            return today
        return min(today, self.termination_date - ONE_DAY)

    @property
    def effective_site(self) -> str:
        return self.site or self.home_site

    def room_for(self, hours: Decimal) -> Decimal:
        """The hours (in quarters, at most `hours`) that still fit under this person's cap."""
        if self.max_hours is None:
            return hours
        return max(ZERO, min(hours, self.max_hours - self.cross_hours))


@dataclass(eq=False)
class PlannedSession:
    ref: str
    date: datetime.date
    host: str
    kind: str
    trainer: Person
    duration: Decimal
    skills: list[str]
    notes: str
    attendees: list[tuple[Person, Decimal]] = field(default_factory=list)


@dataclass(eq=False)
class PlannedSignoff:
    person: Person
    skill: str
    level: int
    assessed_on: datetime.date
    assessor: Person
    evidence: str
    from_session: bool = False
    revoked_on: datetime.date | None = None
    revoke_reason: str = ""
    revoked_by: str = ""  # a demo login


@dataclass(eq=False)
class PlannedCompletion:
    person: Person
    module: str
    completed_on: datetime.date
    score: int
    version: str


@dataclass(eq=False)
class PlannedCertification:
    person: Person
    rank: int
    certified_on: datetime.date
    certified_by: Person
    override_reason: str = ""
    revoked_on: datetime.date | None = None
    revoke_reason: str = ""
    revoked_by: str = ""


@dataclass(eq=False)
class PlannedPairing:
    seeker: Person
    buddy: Person
    started_on: datetime.date
    reasons: dict[str, int]
    note: str
    ended_on: datetime.date | None = None
    replaces: PlannedPairing | None = None


@dataclass
class DemoPlan:
    today: datetime.date
    go_live: datetime.date
    people: list[Person]
    sessions: list[PlannedSession]
    signoffs: list[PlannedSignoff]
    completions: list[PlannedCompletion]
    certifications: list[PlannedCertification]
    pairings: list[PlannedPairing]
    pay_periods: list[tuple[datetime.date, datetime.date]]


def build_plan(inputs: dict[str, Any], today: datetime.date) -> DemoPlan:
    """The whole demo organisation as plain data, dated relative to `today`, deterministic."""
    return _Planner(inputs, today).plan()


def plan_people(inputs: dict[str, Any], today: datetime.date) -> list[Person]:
    """Only the people of the plan (their employee numbers do not depend on `today`)."""
    return _Planner(inputs, today).plan_people()


def romanise(text: str, table: dict[str, str]) -> str:
    """ASCII letters for an e-mail address: Ødegård -> odegard, Смирнова -> smirnova."""
    out: list[str] = []
    for char in text.lower():
        if char in table:
            out.append(table[char])
            continue
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.combining(part):
                continue
            part = table.get(part, part)
            out.extend(c for c in part if c.isascii() and c.isalnum())
    return "".join(out)


def _quarters(value: Decimal) -> Decimal:
    """`value` rounded down to a whole number of quarter hours."""
    return (value / QUARTER).to_integral_value(rounding="ROUND_FLOOR") * QUARTER


def _weighted_sample(
    rng: random.Random, items: Sequence[T], weights: Sequence[float], k: int
) -> list[T]:
    pool = list(items)
    left = [float(w) for w in weights]
    chosen: list[T] = []
    while pool and len(chosen) < k:
        total = sum(left)
        if total <= 0:
            break
        point = rng.random() * total
        index = len(pool) - 1
        for i, weight in enumerate(left):
            point -= weight
            if point < 0:
                index = i
                break
        chosen.append(pool.pop(index))
        left.pop(index)
    return chosen


class _Planner:
    """Builds the plan step by step from one seeded random generator."""

    def __init__(self, inputs: dict[str, Any], today: datetime.date) -> None:
        self.inputs = inputs
        self.today = today
        self.go_live = today - datetime.timedelta(days=HISTORY_DAYS)
        self.rng = random.Random(SEED)
        self.departments: dict[str, dict[str, Any]] = {d["code"]: d for d in inputs["departments"]}
        self.skills: dict[str, dict[str, Any]] = {s["code"]: s for s in inputs["skills"]}
        self.modules: dict[str, dict[str, Any]] = {m["code"]: m for m in inputs["modules"]}
        self.dept_skills: dict[str, list[str]] = defaultdict(list)
        self.universal: list[str] = []
        for skill in inputs["skills"]:
            if skill["department"]:
                self.dept_skills[skill["department"]].append(skill["code"])
            else:
                self.universal.append(skill["code"])
        self.skill_sides: dict[str, str | None] = {
            code: self.departments[s["department"]]["side"] if s["department"] else None
            for code, s in self.skills.items()
        }
        self.texts: dict[str, Any] = inputs["texts"]
        self.people: list[Person] = []
        self.heads: dict[str, Person] = {}
        self.by_dept: dict[str, list[Person]] = defaultdict(list)
        self.sessions: list[PlannedSession] = []
        self.signoffs: list[PlannedSignoff] = []
        self.completions: list[PlannedCompletion] = []
        self.certifications: list[PlannedCertification] = []
        self.pairings: list[PlannedPairing] = []
        self.skill_hours: dict[tuple[Person, str], Decimal] = defaultdict(Decimal)
        self.cross_level: dict[tuple[Person, str], int] = defaultdict(int)
        self.may_reach: dict[tuple[Person, str, int], bool] = {}
        self.facts: dict[Person, EmployeeFacts] = {}
        self.tier_rules = tuple(
            TierRule(
                rank=t["rank"],
                name=t["name"],
                differential_per_hour=Decimal(t["differential_per_hour"]),
                min_cross_training_hours=(
                    Decimal(t["min_cross_training_hours"])
                    if t["min_cross_training_hours"] is not None
                    else None
                ),
                min_other_side_skills=t["min_other_side_skills"],
                min_tenure_days=t["min_tenure_days"],
                required_modules=tuple(t["required_modules"]),
                required_skills=tuple(sorted(t["required_skills"].items())),
            )
            for t in inputs["tiers"]
        )

    def days_ago(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days)

    def between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))

    # --- people ------------------------------------------------------------------------------

    def plan_people(self) -> list[Person]:
        taken: set[tuple[str, str]] = set()
        personas = list(self.inputs["personas"])
        scenarios = self.inputs["scenarios"]
        new_hires = list(scenarios["new_hires"])
        leavers = list(scenarios["leavers"])
        for persona in personas:
            taken.add((persona["first_name"], persona["last_name"]))
        for dept in self.inputs["departments"]:
            code = dept["code"]
            roles = ["manager", "trainer"]
            head_side = next((s for s, c in self.inputs["heads"].items() if c == code), None)
            if head_side:
                roles.insert(0, "head")
            roles += ["staff"] * (dept["headcount"] - len(roles))
            for role in roles:
                person = self._person(dept, role, personas, new_hires, leavers, taken)
                self.people.append(person)
                self.by_dept[code].append(person)
                if role == "head":
                    self.heads[dept["side"]] = person
        for dept_people in self.by_dept.values():
            manager = next(p for p in dept_people if p.role == "manager")
            for person in dept_people:
                if person.role == "head":
                    continue
                person.manager = self.heads[person.side] if person.role == "manager" else manager
        self._number_people()
        return self.people

    def _person(
        self,
        dept: dict[str, Any],
        role: str,
        personas: list[dict[str, Any]],
        new_hires: list[dict[str, Any]],
        leavers: list[dict[str, Any]],
        taken: set[tuple[str, str]],
    ) -> Person:
        rng = self.rng
        code = dept["code"]

        def claim(items: list[dict[str, Any]]) -> dict[str, Any] | None:
            for item in items:
                if item["department"] == code and item.get("role", "staff") == role:
                    items.remove(item)
                    return item
            return None

        persona = claim(personas)
        new_hire = None if persona else claim(new_hires)
        leaver = None if persona or new_hire else claim(leavers)
        if persona:
            first, last = persona["first_name"], persona["last_name"]
        else:
            first, last = self._name(dept["site"], taken)
        if persona:
            hired_days_ago = persona["hired_days_ago"]
        elif new_hire:
            hired_days_ago = new_hire["hired_days_ago"]
        elif leaver:
            hired_days_ago = leaver["hired_days_ago"]
        else:
            hired_days_ago = self._tenure(role)
        if persona:
            shift = persona["shift"]
        elif role in ("head", "manager"):
            shift = "day"
        else:
            shift = rng.choice(dept["shifts"])
        person = Person(
            first_name=first,
            last_name=last,
            department=code,
            side=dept["side"],
            role=role,
            hire_date=self.days_ago(hired_days_ago),
            shift=shift,
            home_site=dept["site"],
            login=persona["login"] if persona else None,
        )
        if leaver:
            person.termination_date = self.days_ago(leaver["left_days_ago"])
        if new_hire:
            person.new_hire_module = new_hire["new_hire_module"]
        sites = sorted({d["site"] for d in self.inputs["departments"]} - {dept["site"]})
        if role == "staff" and not persona and rng.random() < 0.07:
            person.site = rng.choice(sites)
        if persona:
            person.ambition = persona["ambition"]
            person.targets = list(persona["targets"])
            if persona.get("max_cross_training_hours") is not None:
                person.max_hours = Decimal(persona["max_cross_training_hours"])
            person.max_other_side_level = persona.get("max_other_side_level")
            person.module_scores = {k: list(v) for k, v in persona.get("module_scores", {}).items()}
            person.certify_promptly = persona.get("certify_promptly", False)
            person.buddy_login = persona.get("buddy", "")
            person.paired_days_ago = persona.get("paired_days_ago")
        else:
            person.ambition = self._ambition(person)
            person.targets = self._targets(person)
        low, high = TARGET_HOURS[person.ambition]
        active_days = (
            person.last_active_day(self.today) - max(person.hire_date, self.go_live)
        ).days
        share = Decimal(max(active_days, 0)) / Decimal(HISTORY_DAYS)
        person.need_hours = _quarters(Decimal(rng.uniform(low, high)) * share)
        if person.max_hours is not None:
            person.need_hours = max(person.need_hours, person.max_hours)
        return person

    def _name(self, site: str, taken: set[tuple[str, str]]) -> tuple[str, str]:
        rng = self.rng
        cultures = self.inputs["names"]["cultures"]
        names = list(cultures)
        weights = [c["weight"] + c.get("site_weight", {}).get(site, 0) for c in cultures.values()]
        while True:
            culture = cultures[rng.choices(names, weights)[0]]
            gender = rng.choice("fm")
            first = rng.choice(culture[f"given_{gender}"])
            last = rng.choice(culture.get(f"family_{gender}") or culture["family"])
            if (first, last) not in taken:
                taken.add((first, last))
                return first, last

    def _tenure(self, role: str) -> int:
        rng = self.rng
        if role == "head":
            return rng.randint(2900, 3300)
        if role == "manager":
            return rng.randint(1400, 2800)
        if role == "trainer":
            return rng.randint(900, 2400)
        band = rng.choices([(100, 400), (400, 900), (900, 1800), (1800, 3000)], [22, 32, 30, 16])[0]
        return rng.randint(*band)

    def _ambition(self, person: Person) -> int:
        tenure = (person.last_active_day(self.today) - person.hire_date).days
        if person.new_hire_module or tenure < 90:
            return 0
        if tenure < 365:
            weights = [45, 40, 15, 0]
        elif tenure < 730:
            weights = [25, 35, 30, 10]
        else:
            weights = [20, 30, 30, 20]
        return self.rng.choices([0, 1, 2, 3], weights)[0]

    def _targets(self, person: Person) -> list[str]:
        rng = self.rng
        other_side = [d for d in self.inputs["departments"] if d["side"] != person.side]
        same_side = [
            d["code"]
            for d in self.inputs["departments"]
            if d["side"] == person.side and d["code"] != person.department
        ]
        weights = [3 if d["site"] == person.home_site else 1 for d in other_side]
        count = {0: 1, 1: 1, 2: rng.choice([1, 2]), 3: 2}[person.ambition]
        targets = _weighted_sample(rng, [d["code"] for d in other_side], weights, count)
        if person.ambition == 3 and rng.random() < 0.5:
            targets.append(rng.choice(same_side))
        return targets

    def _number_people(self) -> None:
        domain = self.inputs["organisation"]["email_domain"]
        table = self.inputs["names"]["romanisation"]
        number = 10011
        emails: set[str] = set()
        order = sorted(enumerate(self.people), key=lambda pair: (pair[1].hire_date, pair[0]))
        for _, person in order:
            number += self.rng.randint(1, 4)
            person.number = f"E{number}"
            local = f"{romanise(person.first_name, table)}.{romanise(person.last_name, table)}"
            email = f"{local}@{domain}"
            if email in emails:
                email = f"{local}{number % 100}@{domain}"
            emails.add(email)
            person.email = email

    # --- the whole plan -------------------------------------------------------------------------

    def plan(self) -> DemoPlan:
        self.plan_people()
        self._plan_sessions()
        self._plan_home_signoffs()
        self._plan_revocations()
        self._plan_completions()
        self._build_facts()
        self._plan_certifications()
        self._plan_lapse()
        self._plan_pairings()
        self.signoffs.sort(key=lambda s: (s.assessed_on, s.person.number, s.skill, s.level))
        self.completions.sort(key=lambda c: (c.completed_on, c.person.number, c.module))
        self.certifications.sort(key=lambda c: (c.certified_on, c.person.number, c.rank))
        return DemoPlan(
            today=self.today,
            go_live=self.go_live,
            people=sorted(self.people, key=lambda p: p.number),
            sessions=self.sessions,
            signoffs=self.signoffs,
            completions=self.completions,
            certifications=self.certifications,
            pairings=self.pairings,
            pay_periods=self._pay_periods(),
        )

    # --- sessions and the sign-offs they lead to ------------------------------------------------

    def _plan_sessions(self) -> None:
        rng = self.rng
        day = self.go_live
        while day < self.today:
            if day.weekday() < 5:
                active = [p for p in self.people if p.active_on(day)]
                count = rng.choices([0, 1, 2, 3], [28, 42, 24, 6])[0]
                sequence = 0
                for _ in range(count):
                    session = self._plan_session(day, sequence + 1, active)
                    if session is not None:
                        sequence += 1
                        self.sessions.append(session)
            day += ONE_DAY

    def _plan_session(
        self, day: datetime.date, sequence: int, active: list[Person]
    ) -> PlannedSession | None:
        rng = self.rng
        codes = list(self.departments)
        demand = [
            2.0
            + sum(
                float(p.need_hours)
                for p in active
                if code in p.targets and p.need_hours > 0 and p.room_for(QUARTER) > 0
            )
            for code in codes
        ]
        host = rng.choices(codes, demand)[0]
        side = self.departments[host]["side"]
        kinds = [CLASSROOM, SHADOWING, FLOOR_SUPPORT, ESCALATION]
        peak = self.departments[host].get("peak")
        busy = (peak == "month-end" and day.day >= 25) or (
            peak == "winter" and day.month in (1, 12)
        )
        # Escalations go from the contact centre to the back office, never the other way.
        if side == BACK:
            weights = [30, 30, 60 if busy else 20, 20]
        else:
            weights = [35, 40, 50 if busy else 25, 0]
        kind = rng.choices(kinds, weights)[0]
        trainer = self._pick_trainer(host, kind, day)
        if trainer is None:
            return None
        duration = Decimal(rng.choice(DURATIONS[kind]))
        wanted = rng.randint(*ATTENDEES[kind])
        pool: list[Person] = []
        weights_by_person: list[float] = []
        for person in active:
            if person is trainer or person.department == host:
                continue
            if kind == ESCALATION and person.side != FRONT:
                continue
            if person.room_for(duration) < QUARTER:
                continue
            if host in person.targets and person.need_hours > 0:
                weight = float(person.need_hours)
            elif kind == FLOOR_SUPPORT and person.side != side:
                # Anyone from the other side may be asked to help in a peak; keen people first.
                weight = 0.3 if person.ambition else 0.05
            else:
                continue
            pool.append(person)
            weights_by_person.append(weight)
        chosen = _weighted_sample(rng, pool, weights_by_person, wanted)
        session = PlannedSession(
            ref=f"S-{day:%Y%m%d}-{sequence:03d}",
            date=day,
            host=host,
            kind=kind,
            trainer=trainer,
            duration=duration,
            skills=self._session_skills(host, kind),
            notes=rng.choice(self.texts["session_notes"][kind]).format(
                dept=self.departments[host]["name"], trainer=trainer.first_name
            ),
        )
        for person in chosen:
            hours = duration
            if rng.random() < 0.2 and duration > QUARTER:
                hours = duration - QUARTER * rng.randint(1, min(4, int(duration / QUARTER) - 1))
            hours = _quarters(person.room_for(hours))
            if hours < QUARTER:
                continue
            session.attendees.append((person, hours))
        if kind == CLASSROOM and rng.random() < 0.5:
            # New hires of the host department sit in on its classroom sessions.
            for person in self.by_dept[host]:
                recent = 0 <= (day - person.hire_date).days <= 120
                if recent and person.active_on(day) and person is not trainer:
                    session.attendees.append((person, duration))
        if not session.attendees:
            return None
        for person, hours in session.attendees:
            if person.department != host:
                person.cross_hours += hours
                person.need_hours -= hours
                self._progress(person, session, hours)
        return session

    def _pick_trainer(self, host: str, kind: str, day: datetime.date) -> Person | None:
        active = [p for p in self.by_dept[host] if p.active_on(day)]
        seniors = [p for p in active if (day - p.hire_date).days >= 365]
        if kind in (CLASSROOM, FLOOR_SUPPORT):
            for roles in (("trainer",), ("manager", "head")):
                leads = [p for p in active if p.role in roles]
                if leads:
                    return self.rng.choice(leads)
        return self.rng.choice(seniors) if seniors else None

    def _session_skills(self, host: str, kind: str) -> list[str]:
        rng = self.rng
        own = self.dept_skills[host]
        single = kind in (FLOOR_SUPPORT, ESCALATION)
        chosen = rng.sample(own, 1 if single else rng.randint(1, min(2, len(own))))
        # Universal service skills come up too, most of all when a customer is escalated.
        universal = 0.5 if kind == ESCALATION else 0.15
        if rng.random() < universal:
            chosen.append(rng.choice(self.universal))
        return sorted(chosen)

    def _progress(self, person: Person, session: PlannedSession, hours: Decimal) -> None:
        """Sign-offs earned by hours on another department's skills, assessed by the trainer."""
        for skill in session.skills:
            if self.skill_sides[skill] is None:
                continue
            self.skill_hours[(person, skill)] += hours
            total = self.skill_hours[(person, skill)]
            level = next((lvl for lvl, need in LEVEL_HOURS if total >= need), 0)
            while level >= 3 and not self._may_reach(person, skill, level):
                level -= 1
            if self.skill_sides[skill] != person.side and person.max_other_side_level is not None:
                level = min(level, person.max_other_side_level)
            if level <= self.cross_level[(person, skill)]:
                continue
            self.cross_level[(person, skill)] = level
            if level == 1 and self.rng.random() < 0.4:
                continue
            self.signoffs.append(
                PlannedSignoff(
                    person=person,
                    skill=skill,
                    level=level,
                    assessed_on=session.date,
                    assessor=session.trainer,
                    evidence=self.texts["evidence"]["session"].format(
                        kind=KIND_WORDS[session.kind], ref=session.ref
                    ),
                    from_session=True,
                )
            )

    def _may_reach(self, person: Person, skill: str, level: int) -> bool:
        key = (person, skill, level)
        if key not in self.may_reach:
            if level == 3:
                chance = {0: 0.0, 1: 0.2}.get(person.ambition, 1.0)
            else:
                chance = 0.3 if person.ambition == 3 else 0.0
            self.may_reach[key] = self.rng.random() < chance
        return self.may_reach[key]

    # --- sign-offs on home-department and universal skills ------------------------------------

    def _plan_home_signoffs(self) -> None:
        rng = self.rng
        for person in self.people:
            tenure = (person.last_active_day(self.today) - person.hire_date).days
            leader = person.role != "staff"
            for index, skill in enumerate(self.dept_skills[person.department]):
                if leader:
                    top = 4
                elif tenure >= 900:
                    top = 4 if rng.random() < 0.2 else 3
                elif tenure >= 365:
                    top = 3
                elif tenure >= 120:
                    top = 3 if rng.random() < 0.6 else 2
                elif tenure >= 30:
                    top = 2 if rng.random() < 0.6 else 1
                else:
                    top = 1 if index == 0 and tenure >= 5 else 0
                steps = [(1, rng.randint(5, 20))] if top == 1 else []
                steps += [
                    (level, rng.randint(low, high))
                    for level, low, high in ((2, 25, 50), (3, 90, 200), (4, 300, 700))
                    if level <= top
                ]
                self._chain(person, skill, steps)
            for skill in self.universal:
                steps = []
                for level, low, high, staff_chance, leader_chance in self.skills[skill]["steps"]:
                    # Whoever works towards a tier reaches the level that tier asks for.
                    needed = level <= self.required_level(skill, person.ambition)
                    chance = leader_chance if leader else staff_chance
                    if not (needed or rng.random() < chance):
                        break
                    steps.append((level, rng.randint(low, high)))
                self._chain(person, skill, steps)

    def required_level(self, skill: str, ambition: int) -> int:
        """The level of `skill` that the tiers up to rank `ambition` ask for (0: none)."""
        return max(
            (
                level
                for tier in self.tier_rules
                if tier.rank <= ambition
                for code, level in tier.required_skills
                if code == skill
            ),
            default=0,
        )

    def _chain(self, person: Person, skill: str, steps: list[tuple[int, int]]) -> None:
        """Sign-offs at each (level, days after hire), then renewals every recert period."""
        rng = self.rng
        last_day = person.last_active_day(self.today)
        chain: list[PlannedSignoff] = []
        for level, offset in steps:
            day = person.hire_date + datetime.timedelta(days=offset)
            if day > last_day:
                break
            self._add_home(chain, person, skill, level, day, self.texts["evidence"][str(level)])
        months = self.skills[skill]["recert_months"]
        if chain and months:
            lapse_after = None
            if person.login is None and rng.random() < 0.07:
                lapse_after = self.days_ago(rng.randint(20, 200))
            while True:
                latest = chain[-1]
                day = add_months(latest.assessed_on, months) - datetime.timedelta(
                    days=rng.randint(0, 25)
                )
                if day > last_day or (lapse_after is not None and day > lapse_after):
                    break
                evidence = self.texts["evidence"]["renewal"]
                if not self._add_home(chain, person, skill, latest.level, day, evidence):
                    break
        # The spreadsheet the tracker replaced kept only the latest sign-off of each skill.
        old = [s for s in chain if s.assessed_on < self.go_live]
        self.signoffs.extend(old[-1:] + [s for s in chain if s.assessed_on >= self.go_live])

    def _add_home(
        self,
        chain: list[PlannedSignoff],
        person: Person,
        skill: str,
        level: int,
        day: datetime.date,
        evidence: str,
    ) -> bool:
        assessor = self._pick_assessor(person, day)
        if assessor is None:
            return False
        chain.append(PlannedSignoff(person, skill, level, day, assessor, evidence))
        return True

    def _pick_assessor(self, person: Person, day: datetime.date) -> Person | None:
        leads = [
            p
            for p in self.by_dept[person.department]
            if p.role != "staff" and p is not person and p.active_on(day)
        ]
        if leads:
            return self.rng.choice(leads)
        side_heads = [
            self.heads[person.side],
            *(h for h in self.heads.values() if h.side != person.side),
        ]
        for head in side_heads:
            if head is not person and head.active_on(day):
                return head
        others = [p for p in self.people if p is not person and p.active_on(day)]
        return min(others, key=lambda p: p.hire_date, default=None)

    def _plan_revocations(self) -> None:
        rng = self.rng
        reasons = self.texts["signoff_revocations"]
        latest = self.today - datetime.timedelta(days=3)

        def eligible(signoff: PlannedSignoff) -> bool:
            return (
                self.go_live <= signoff.assessed_on <= latest
                and signoff.person.login is None
                and signoff.level >= 2
            )

        from_sessions = [s for s in self.signoffs if s.from_session and eligible(s)]
        at_home = [s for s in self.signoffs if not s.from_session and eligible(s)]
        chosen = rng.sample(from_sessions, min(4, len(from_sessions)))
        chosen += rng.sample(at_home, min(3, len(at_home)))
        keys = {(s.person, s.skill, s.assessed_on, s.level) for s in self.signoffs}
        for index, signoff in enumerate(chosen):
            reason = reasons[index % len(reasons)]
            revoked_on = min(
                signoff.assessed_on + datetime.timedelta(days=rng.randint(1, 21)), self.today
            )
            lower = signoff.level - 1
            signoff.revoked_on = revoked_on
            signoff.revoke_reason = reason["reason"].format(lower=lower)
            signoff.revoked_by = rng.choice(["manager", "trainer"])
            key = (signoff.person, signoff.skill, signoff.assessed_on, lower)
            if reason["replace"] and key not in keys:
                keys.add(key)
                self.signoffs.append(
                    PlannedSignoff(
                        person=signoff.person,
                        skill=signoff.skill,
                        level=lower,
                        assessed_on=signoff.assessed_on,
                        assessor=signoff.assessor,
                        evidence=f"Corrected entry. {signoff.evidence}",
                        from_session=signoff.from_session,
                    )
                )

    # --- module completions --------------------------------------------------------------------

    def _plan_completions(self) -> None:
        rng = self.rng
        days = datetime.timedelta
        for person in self.people:
            hire = person.hire_date
            for code, module in self.modules.items():
                uptake = module["uptake"]
                if module["is_new_hire"]:
                    mode = person.new_hire_module
                    if mode == "pending":
                        continue
                    scores = {"failed": [rng.randint(50, 72)], "passed": [rng.randint(80, 98)]}
                    deadline = hire + days(days=module["new_hire_days"] - 2)
                    first = hire + days(days=3)
                    self._complete(person, code, first, deadline, uptake, scores.get(mode))
                    continue
                keen = "ambition" in uptake and person.ambition >= uptake["ambition"]
                fits = uptake.get("side", person.side) == person.side and uptake.get(
                    "department", person.department
                ) in (person.department, *person.targets)
                scripted = code in person.module_scores
                if not (keen or scripted or (fits and rng.random() < uptake["share"])):
                    continue
                earliest, latest = uptake["window_days"]
                first = max(hire + days(days=uptake["after_hire_days"]), self.days_ago(earliest))
                self._complete(person, code, first, self.days_ago(latest), uptake)

    def _complete(
        self,
        person: Person,
        code: str,
        start: datetime.date,
        end: datetime.date,
        uptake: dict[str, Any],
        scores: list[int] | None = None,
    ) -> None:
        """Attempts at a module between `start` and `end`: a pass, or a fail and maybe a retake."""
        rng = self.rng
        first = max(start, person.hire_date + ONE_DAY)
        last = min(end, person.last_active_day(self.today))
        if first > last:
            return
        day = self.between(first, last)
        pass_mark = self.modules[code]["pass_mark"]
        scores = person.module_scores.get(code, scores)
        if scores is None:
            if rng.random() < uptake["fail"]:
                scores = [rng.randint(max(0, pass_mark - 25), pass_mark - 1)]
                if rng.random() < uptake["retake"]:
                    scores.append(rng.randint(pass_mark, 100))
            else:
                scores = [rng.randint(pass_mark, 100)]
        for score in scores:
            if day > person.last_active_day(self.today):
                break
            self.completions.append(
                PlannedCompletion(person, code, day, score, self._version_on(code, day))
            )
            day += datetime.timedelta(days=rng.randint(5, 21))

    def _version_on(self, code: str, day: datetime.date) -> str:
        versions = self.modules[code]["versions"]
        taken = versions[0][0]
        for version, days_ago in versions:
            if self.days_ago(days_ago) <= day:
                taken = version
        return taken

    # --- certifications, using the tracker's own eligibility rule ----------------------------

    def _build_facts(self) -> None:
        people = [
            (p, p.number, p.department, p.side, p.hire_date, p.termination_date)
            for p in self.people
        ]
        attendances = (
            (person, AttendanceFact(session.date, session.host, hours))
            for session in self.sessions
            for person, hours in session.attendees
        )
        signoffs = ((s.person, self._signoff_fact(s)) for s in self.signoffs)
        completions = (
            (c.person, CompletionFact(c.module, c.completed_on, c.score, pass_mark))
            for c in self.completions
            for pass_mark in (self.modules[c.module]["pass_mark"],)
        )
        self.facts = facts_by_person(people, attendances, signoffs, completions)

    def _signoff_fact(self, signoff: PlannedSignoff) -> SignoffFact:
        expires = signoff_expires_on(
            signoff.assessed_on, self.skills[signoff.skill]["recert_months"]
        )
        return SignoffFact(
            signoff.skill, signoff.level, signoff.assessed_on, expires, signoff.revoked_on
        )

    def expires_on(self, signoff: PlannedSignoff) -> datetime.date | None:
        return self._signoff_fact(signoff).expires_on

    def eligible_rank(self, person: Person, day: datetime.date) -> int:
        status = evaluate_tiers(self.facts[person], self.tier_rules, self.skill_sides, day)
        return status.eligible_rank

    def _certifier(self, person: Person, day: datetime.date) -> Person | None:
        candidates = [person.manager, self.heads[person.side]]
        candidates += [h for h in self.heads.values() if h.side != person.side]
        for candidate in candidates:
            if candidate is not None and candidate is not person and candidate.active_on(day):
                return candidate
        return None

    def _certify(self, person: Person, rank: int, day: datetime.date, reason: str = "") -> bool:
        certifier = self._certifier(person, day)
        if certifier is None:
            return False
        self.certifications.append(PlannedCertification(person, rank, day, certifier, reason))
        return True

    def _plan_certifications(self) -> None:
        rng = self.rng
        by_number = sorted(self.people, key=lambda p: p.number)
        current: dict[Person, int] = defaultdict(int)
        earliest_hire = self.go_live - datetime.timedelta(days=500)
        migrated = [
            p
            for p in by_number
            if p.role == "staff"
            and p.login is None
            and p.termination_date is None
            and p.ambition >= 2
            and p.hire_date <= earliest_hire
        ]
        for item in self.inputs["scenarios"]["migrated_certifications"]:
            fitting = [p for p in migrated if p.ambition > item["rank"]] or migrated
            if not fitting:
                continue
            person = rng.choice(fitting)
            migrated.remove(person)
            day = self.go_live - datetime.timedelta(days=item["days_before_go_live"])
            reason = self.texts["migration_reason"].format(year=day.year)
            if self._certify(person, item["rank"], day, reason):
                current[person] = item["rank"]
        # Managers review who has become eligible once a fortnight.
        day = self.go_live + datetime.timedelta(days=14)
        while day < self.today:
            for person in by_number:
                if not person.active_on(day):
                    continue
                rank = self.eligible_rank(person, day)
                if rank <= current[person]:
                    continue
                if (person.certify_promptly or rng.random() < 0.6) and self._certify(
                    person, rank, day
                ):
                    current[person] = rank
            day += datetime.timedelta(days=14)
        # One certification entered twice by mistake, the copy revoked the same day.
        regular = [c for c in self.certifications if not c.override_reason]
        if regular:
            original = regular[len(regular) // 3]
            copy_day = original.certified_on + datetime.timedelta(days=2)
            person = original.person
            if (
                copy_day < self.today
                and person.active_on(copy_day)
                and original.certified_by.active_on(copy_day)
                and self.eligible_rank(person, copy_day) >= original.rank
            ):
                when = original.certified_on
                self.certifications.append(
                    PlannedCertification(
                        person,
                        original.rank,
                        copy_day,
                        original.certified_by,
                        revoked_on=copy_day,
                        revoke_reason=self.texts["certification_revocation"].format(
                            date=f"{when.day} {when:%B %Y}"
                        ),
                        revoked_by="manager",
                    )
                )

    def _plan_lapse(self) -> None:
        """One Tier II holder let a required sign-off lapse a few weeks ago: payroll shows LAPSED.

        Drops the renewals after the sign-off that expired, then checks that every one of the
        person's certifications still met its tier on its date.
        """
        held: dict[Person, list[PlannedCertification]] = defaultdict(list)
        for certification in self.certifications:
            if certification.revoked_on is None:
                held[certification.person].append(certification)
        # The yearly sign-off a Tier II holder most easily lets slip.
        yearly = sorted(
            (self.skills[code]["recert_months"], code)
            for tier in self.tier_rules
            if tier.rank >= 2
            for code, _ in tier.required_skills
            if self.skills[code]["recert_months"]
        )
        if not yearly:
            return
        skill = yearly[0][1]
        window = (self.days_ago(70), self.days_ago(14))
        for person in sorted(self.people, key=lambda p: p.number):
            mine = held[person]
            rank = max((c.rank for c in mine), default=0)
            if person.login or not person.active_on(self.today) or rank < 2:
                continue
            chain = sorted(
                (
                    s
                    for s in self.signoffs
                    if s.person is person and s.skill == skill and s.revoked_on is None
                ),
                key=lambda s: s.assessed_on,
            )
            for index in range(len(chain) - 1, -1, -1):
                expires = self.expires_on(chain[index])
                if expires is not None and window[0] <= expires <= window[1]:
                    break
            else:
                continue
            dropped = chain[index + 1 :]
            if not dropped or any(c.certified_on >= expires for c in mine):
                continue
            kept = [s for s in self.signoffs if s not in dropped]
            before = self.facts[person]
            self.facts[person] = replace(
                before,
                signoffs=tuple(self._signoff_fact(s) for s in kept if s.person is person),
            )
            still = all(self.eligible_rank(person, c.certified_on) >= c.rank for c in mine)
            if still and self.eligible_rank(person, self.today) < rank:
                self.signoffs = kept
                return
            self.facts[person] = before

    # --- buddy pairings --------------------------------------------------------------------------

    def _plan_pairings(self) -> None:
        rng = self.rng
        settings_ = settings.TRACKER["PAIRING"]
        config = self.inputs["scenarios"]["pairings"]
        notes = self.texts["pairing_notes"]
        by_number = sorted(self.people, key=lambda p: p.number)
        settled = self.days_ago(90)
        seekers = [
            p
            for p in by_number
            if p.side == FRONT
            and p.role == "staff"
            and p.termination_date is None
            and p.hire_date <= settled
        ]
        forced = [p for p in seekers if p.buddy_login]
        others = [p for p in seekers if not p.buddy_login]
        chosen = forced + rng.sample(others, min(len(others), config["count"] - len(forced)))
        # Go-to buddies are back-office people who stay; heads of department have no time.
        buddies = [
            p
            for p in by_number
            if p.side == BACK and p.termination_date is None and p.role != "head"
        ]
        events: list[tuple[datetime.date, str, Person, PlannedPairing | None]] = []
        for seeker in chosen:
            if seeker.paired_days_ago is not None:
                start = self.days_ago(seeker.paired_days_ago)
            else:
                first = max(
                    self.go_live + datetime.timedelta(days=120),
                    seeker.hire_date + datetime.timedelta(days=60),
                )
                start = self.between(first, self.days_ago(5))
            events.append((start, seeker.number, seeker, None))
        events.sort(key=lambda e: (e[0], e[1]))
        # A persona's scripted buddy keeps a free place for them.
        reserved = {p.buddy_login for p in chosen if p.buddy_login}
        ended = 0
        index = 0
        while index < len(events):
            day, _, seeker, replaces = events[index]
            index += 1
            excluded = replaces.buddy if replaces else None
            capacity = settings_["CAPACITY"]
            candidates: dict[str, Person] = {}
            offered: list[matching.Buddy] = []
            for buddy in buddies:
                if buddy is excluded or not buddy.active_on(day):
                    continue
                tier = self.eligible_rank(buddy, day)
                if tier < settings_["MIN_BUDDY_TIER"]:
                    continue
                load = sum(1 for p in self.pairings if p.buddy is buddy and _active(p, day))
                if buddy.login in reserved and buddy.login != seeker.buddy_login:
                    load += 1  # the place kept for the persona counts as taken
                if load >= capacity:
                    continue
                candidates[buddy.number] = buddy
                offered.append(
                    matching.Buddy(buddy.number, buddy.effective_site, buddy.shift, tier, load)
                )
            scripted = [b for b in offered if candidates[b.number].login == seeker.buddy_login]
            if seeker.buddy_login and scripted:
                offered = scripted  # a persona gets their scripted buddy when it is free
            suggestion = matching.suggest(
                [matching.Seeker(seeker.number, seeker.effective_site, seeker.shift)],
                offered,
                capacity=capacity,
                paired_before=[
                    (p.seeker.number, p.buddy.number) for p in self.pairings if p.seeker is seeker
                ],
                weights=matching.weights_from(settings_),
            )
            if not suggestion.pairs:
                continue
            (best,) = suggestion.pairs
            reasons = best.reasons.as_dict()
            reasons["total"] = best.cost
            pick = (best.cost, best.buddy.number, candidates[best.buddy.number], reasons)
            pairing = PlannedPairing(
                seeker=seeker,
                buddy=pick[2],
                started_on=day,
                reasons=pick[3],
                note=notes["repaired"] if replaces else notes["suggested"],
                replaces=replaces,
            )
            self.pairings.append(pairing)
            if replaces is None and ended < config["ended"] and seeker.login is None:
                end = day + datetime.timedelta(days=rng.randint(45, 110))
                if end <= self.days_ago(10):
                    ended += 1
                    pairing.ended_on = end
                    pairing.note = notes["ended"]
                    events.append((end, seeker.number, seeker, pairing))
                    events[index:] = sorted(events[index:], key=lambda e: (e[0], e[1]))

    def _pay_periods(self) -> list[tuple[datetime.date, datetime.date]]:
        fortnight = datetime.timedelta(days=14)
        start = PAY_PERIOD_EPOCH + fortnight * ((self.today - PAY_PERIOD_EPOCH).days // 14)
        periods = []
        while start + fortnight > self.go_live:
            periods.append((start, start + fortnight - ONE_DAY))
            start -= fortnight
        return sorted(periods)


def _active(pairing: PlannedPairing, day: datetime.date) -> bool:
    return pairing.started_on <= day and (pairing.ended_on is None or pairing.ended_on > day)
