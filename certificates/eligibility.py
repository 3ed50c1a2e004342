"""Tier eligibility: pure functions over plain data, no database (DOMAIN.md "Tiers")."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple, TypeVar

from skills.rules import QUALIFIED_LEVEL, is_active_on, signoff_valid_on

ZERO = Decimal("0")


# The per-row facts are NamedTuples: immutable like the frozen dataclasses below, and several
# times cheaper to create, which matters when a selector builds hundreds of thousands of them.


class SignoffFact(NamedTuple):
    skill_code: str
    level: int
    assessed_on: datetime.date
    expires_on: datetime.date | None = None  # None: never expires
    revoked_on: datetime.date | None = None

    def is_valid_on(self, day: datetime.date) -> bool:
        return signoff_valid_on(self.assessed_on, self.expires_on, self.revoked_on, day)


class AttendanceFact(NamedTuple):
    session_date: datetime.date
    host_department: str
    hours: Decimal


class CompletionFact(NamedTuple):
    module_code: str
    completed_on: datetime.date
    score: int
    pass_mark: int

    @property
    def passed(self) -> bool:
        return self.score >= self.pass_mark


@dataclass(frozen=True)
class EmployeeFacts:
    employee_number: str
    home_department: str
    side: str  # "front" or "back": the home department's side
    hire_date: datetime.date
    termination_date: datetime.date | None = None
    attendances: tuple[AttendanceFact, ...] = ()
    signoffs: tuple[SignoffFact, ...] = ()
    completions: tuple[CompletionFact, ...] = ()

    def is_active_on(self, day: datetime.date) -> bool:
        return is_active_on(self.hire_date, self.termination_date, day)


Key = TypeVar("Key", bound=Hashable)


def facts_by_person(
    people: Iterable[tuple[Key, str, str, str, datetime.date, datetime.date | None]],
    attendances: Iterable[tuple[Key, AttendanceFact]] = (),
    signoffs: Iterable[tuple[Key, SignoffFact]] = (),
    completions: Iterable[tuple[Key, CompletionFact]] = (),
) -> dict[Key, EmployeeFacts]:
    """Each person's facts, from rows of (whose, fact) in any order.

    `people` are (key, employee number, home department code, side, hire date, termination
    date); the key is whatever the caller tells people apart by (a database id, an employee
    number, a planned person). The one place where facts are put together, whoever read them.
    """
    grouped: dict[Key, tuple[list, list, list]] = {}
    people = list(people)
    for person in people:
        grouped[person[0]] = ([], [], [])
    for position, rows in enumerate((attendances, signoffs, completions)):
        for key, fact in rows:
            lists = grouped.get(key)
            if lists is not None:
                lists[position].append(fact)
    return {
        key: EmployeeFacts(
            employee_number=number,
            home_department=home,
            side=side,
            hire_date=hired,
            termination_date=terminated,
            attendances=tuple(grouped[key][0]),
            signoffs=tuple(grouped[key][1]),
            completions=tuple(grouped[key][2]),
        )
        for key, number, home, side, hired, terminated in people
    }


@dataclass(frozen=True)
class TierRule:
    rank: int
    name: str
    differential_per_hour: Decimal = ZERO
    min_cross_training_hours: Decimal | None = None
    min_other_side_skills: int | None = None
    min_tenure_days: int | None = None
    required_modules: tuple[str, ...] = ()
    required_skills: tuple[tuple[str, int], ...] = ()  # (skill code, minimum level)
    pay_code: str = ""  # the payroll system's earnings code for the differential


class Requirement(NamedTuple):
    """One requirement of a tier and where the employee stands against it."""

    kind: str  # hours | other_side_skills | tenure | module | skill
    subject: str  # the module or skill code; "" for the numeric requirements
    have: Decimal | int
    need: Decimal | int

    @property
    def met(self) -> bool:
        return self.have >= self.need

    @property
    def text(self) -> str:
        return REQUIREMENT_TEXTS[self.kind](self)

    @property
    def fraction(self) -> float:
        """Progress from 0 to 1, for a progress bar."""
        if self.met or self.need <= 0:
            return 1.0
        return max(0.0, min(1.0, float(self.have) / float(self.need)))


REQUIREMENT_TEXTS: dict[str, Callable[[Requirement], str]] = {
    "hours": lambda r: f"{format_hours(r.have)} of {format_hours(r.need)} cross-training hours",
    "other_side_skills": lambda r: (
        f"{r.have} of {r.need} other-side skills at level {QUALIFIED_LEVEL}"
    ),
    "tenure": lambda r: f"{r.have} of {r.need} days of tenure",
    "module": lambda r: f"module {r.subject} passed" if r.met else f"module {r.subject} not passed",
    "skill": lambda r: f"{r.subject}: level {r.have} of {r.need} needed",
}


@dataclass(frozen=True)
class TierStatus:
    employee_number: str
    as_of: datetime.date
    eligible_rank: int
    cross_training_hours: Decimal
    other_side_skills: int
    levels: Mapping[str, int]
    next_tier: TierRule | None
    next_tier_requirements: tuple[Requirement, ...] = field(default=())

    @property
    def next_tier_gaps(self) -> list[str]:
        return [r.text for r in self.next_tier_requirements if not r.met]


def format_hours(value: Decimal) -> str:
    """12.50 -> "12.5", 20.00 -> "20": hours as a person writes them."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def levels_on(signoffs: Iterable[SignoffFact], day: datetime.date) -> dict[str, int]:
    """Level per skill on `day`: the highest level among sign-offs valid that day."""
    levels: dict[str, int] = {}
    for signoff in signoffs:
        if signoff.is_valid_on(day) and signoff.level > levels.get(signoff.skill_code, 0):
            levels[signoff.skill_code] = signoff.level
    return levels


def cross_training_hours(
    attendances: Iterable[AttendanceFact], home_department: str, day: datetime.date
) -> Decimal:
    """Hours in sessions dated on or before `day` hosted outside the home department."""
    return sum(
        (
            a.hours
            for a in attendances
            if a.session_date <= day and a.host_department != home_department
        ),
        ZERO,
    )


def other_side_skill_count(
    levels: Mapping[str, int], skill_sides: Mapping[str, str | None], side: str
) -> int:
    """Skills owned by a department on the other side at which the level is at least 3.

    `skill_sides` maps a skill code to its owning department's side (None: universal skill,
    which belongs to neither side and never counts here).
    """
    return sum(
        1
        for code, level in levels.items()
        if level >= QUALIFIED_LEVEL and skill_sides.get(code) not in (None, side)
    )


def passed_modules(completions: Iterable[CompletionFact], day: datetime.date) -> set[str]:
    return {c.module_code for c in completions if c.passed and c.completed_on <= day}


class Standing(NamedTuple):
    """Where an employee stands on a day, in the terms the tier requirements use."""

    hours: Decimal
    other_side: int
    tenure_days: int
    passed: set[str]
    levels: Mapping[str, int]


def standing_on(
    facts: EmployeeFacts, skill_sides: Mapping[str, str | None], day: datetime.date
) -> Standing:
    levels = levels_on(facts.signoffs, day)
    return Standing(
        hours=cross_training_hours(facts.attendances, facts.home_department, day),
        other_side=other_side_skill_count(levels, skill_sides, facts.side),
        tenure_days=(day - facts.hire_date).days,
        passed=passed_modules(facts.completions, day),
        levels=levels,
    )


def requirements(tier: TierRule, standing: Standing) -> Iterator[Requirement]:
    """Every requirement `tier` sets, with the employee's standing against each.

    The one statement of the tier rules: the gaps shown and the eligible rank both come from it.
    """
    if tier.min_cross_training_hours is not None:
        yield Requirement("hours", "", standing.hours, Decimal(tier.min_cross_training_hours))
    if tier.min_other_side_skills is not None:
        yield Requirement("other_side_skills", "", standing.other_side, tier.min_other_side_skills)
    if tier.min_tenure_days is not None:
        yield Requirement("tenure", "", max(standing.tenure_days, 0), tier.min_tenure_days)
    for code in tier.required_modules:
        yield Requirement("module", code, int(code in standing.passed), 1)
    for code, minimum in tier.required_skills:
        yield Requirement("skill", code, standing.levels.get(code, 0), minimum)


def tier_met(tier: TierRule, standing: Standing) -> bool:
    """Whether every requirement of `tier` is met (stops at the first one that is not)."""
    return all(r.met for r in requirements(tier, standing))


def evaluate_tiers(
    facts: EmployeeFacts,
    tiers: Sequence[TierRule],
    skill_sides: Mapping[str, str | None],
    day: datetime.date,
) -> TierStatus:
    """The eligible tier on `day` (every lower rank met too) and the next tier's gaps."""
    standing = standing_on(facts, skill_sides, day)
    eligible = 0
    next_tier: TierRule | None = None
    next_checks: tuple[Requirement, ...] = ()
    for tier in sorted(tiers, key=lambda t: t.rank):
        checks = tuple(requirements(tier, standing))
        if all(c.met for c in checks):
            eligible = tier.rank
            continue
        next_tier, next_checks = tier, checks
        break
    return TierStatus(
        employee_number=facts.employee_number,
        as_of=day,
        eligible_rank=eligible,
        cross_training_hours=standing.hours,
        other_side_skills=standing.other_side,
        levels=standing.levels,
        next_tier=next_tier,
        next_tier_requirements=next_checks,
    )


def eligible_rank(
    facts: EmployeeFacts,
    tiers: Sequence[TierRule],
    skill_sides: Mapping[str, str | None],
    day: datetime.date,
) -> int:
    """The eligible tier on `day`, as `evaluate_tiers` finds it, without the next tier's gaps.

    `tiers` must be sorted by rank (as `tier_rules()` returns them).
    """
    standing = standing_on(facts, skill_sides, day)
    eligible = 0
    for tier in tiers:
        if not tier_met(tier, standing):
            break
        eligible = tier.rank
    return eligible


# The refusal of a certification for which the employee is not eligible: the import, the certify
# form and bulk certify say it in the same words.
NOT_ELIGIBLE = "{number} was not eligible for {tier} on {day} ({reason})"


def not_eligible_message(status: TierStatus, rank: int, tier_names: Mapping[int, str]) -> str:
    """The refusal for certifying at tier `rank` someone whose status on the day is `status`."""
    gaps = "; ".join(status.next_tier_gaps) or "requirements not met"
    if status.next_tier is not None and status.next_tier.rank != rank:
        eligible = tier_names.get(status.eligible_rank, "no tier")
        reason = f"eligible for {eligible} only; {status.next_tier.name} lacks: {gaps}"
    else:
        reason = gaps
    return NOT_ELIGIBLE.format(
        number=status.employee_number,
        tier=tier_names.get(rank, f"tier {rank}"),
        day=status.as_of,
        reason=reason,
    )
