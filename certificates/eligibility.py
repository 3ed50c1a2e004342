"""Tier eligibility: pure functions over plain data, no database (DOMAIN.md "Tiers")."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from skills.rules import is_active_on, signoff_valid_on

QUALIFIED_LEVEL = 3  # "Independent": the level that counts for other-side skills and coverage.
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


@dataclass(frozen=True)
class Requirement:
    """One requirement of a tier and where the employee stands against it."""

    kind: str  # hours | other_side_skills | tenure | module | skill
    subject: str  # the module or skill code; "" for the numeric requirements
    have: Decimal
    need: Decimal
    met: bool
    text: str

    @property
    def fraction(self) -> float:
        """Progress from 0 to 1, for a progress bar."""
        if self.met or self.need <= 0:
            return 1.0
        return max(0.0, min(1.0, float(self.have / self.need)))


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


def check_tier(
    tier: TierRule,
    *,
    hours: Decimal,
    other_side: int,
    tenure_days: int,
    passed: set[str],
    levels: Mapping[str, int],
) -> tuple[Requirement, ...]:
    """Every requirement `tier` sets, with the employee's standing against each."""
    checks: list[Requirement] = []
    if tier.min_cross_training_hours is not None:
        need = Decimal(tier.min_cross_training_hours)
        checks.append(
            Requirement(
                "hours",
                "",
                hours,
                need,
                hours >= need,
                f"{format_hours(hours)} of {format_hours(need)} cross-training hours",
            )
        )
    if tier.min_other_side_skills is not None:
        need = tier.min_other_side_skills
        checks.append(
            Requirement(
                "other_side_skills",
                "",
                Decimal(other_side),
                Decimal(need),
                other_side >= need,
                f"{other_side} of {need} other-side skills at level {QUALIFIED_LEVEL}",
            )
        )
    if tier.min_tenure_days is not None:
        need = tier.min_tenure_days
        checks.append(
            Requirement(
                "tenure",
                "",
                Decimal(max(tenure_days, 0)),
                Decimal(need),
                tenure_days >= need,
                f"{max(tenure_days, 0)} of {need} days of tenure",
            )
        )
    for code in tier.required_modules:
        done = code in passed
        checks.append(
            Requirement(
                "module",
                code,
                Decimal(int(done)),
                Decimal(1),
                done,
                f"module {code} passed" if done else f"module {code} not passed",
            )
        )
    for code, minimum in tier.required_skills:
        level = levels.get(code, 0)
        checks.append(
            Requirement(
                "skill",
                code,
                Decimal(level),
                Decimal(minimum),
                level >= minimum,
                f"{code}: level {level} of {minimum} needed",
            )
        )
    return tuple(checks)


def evaluate_tiers(
    facts: EmployeeFacts,
    tiers: Sequence[TierRule],
    skill_sides: Mapping[str, str | None],
    day: datetime.date,
) -> TierStatus:
    """The eligible tier on `day` (every lower rank met too) and the next tier's gaps."""
    levels = levels_on(facts.signoffs, day)
    hours = cross_training_hours(facts.attendances, facts.home_department, day)
    other_side = other_side_skill_count(levels, skill_sides, facts.side)
    passed = passed_modules(facts.completions, day)
    tenure_days = (day - facts.hire_date).days
    eligible = 0
    next_tier: TierRule | None = None
    next_checks: tuple[Requirement, ...] = ()
    for tier in sorted(tiers, key=lambda t: t.rank):
        checks = check_tier(
            tier,
            hours=hours,
            other_side=other_side,
            tenure_days=tenure_days,
            passed=passed,
            levels=levels,
        )
        if all(c.met for c in checks):
            eligible = tier.rank
            continue
        next_tier, next_checks = tier, checks
        break
    return TierStatus(
        employee_number=facts.employee_number,
        as_of=day,
        eligible_rank=eligible,
        cross_training_hours=hours,
        other_side_skills=other_side,
        levels=levels,
        next_tier=next_tier,
        next_tier_requirements=next_checks,
    )


def tier_met(
    tier: TierRule,
    *,
    hours: Decimal,
    other_side: int,
    tenure_days: int,
    passed: set[str],
    levels: Mapping[str, int],
) -> bool:
    """Whether every requirement of `tier` is met: `check_tier` without building its texts.

    Pages that rank thousands of people at once use this; a test holds it equal to check_tier.
    """
    if tier.min_cross_training_hours is not None and hours < tier.min_cross_training_hours:
        return False
    if tier.min_other_side_skills is not None and other_side < tier.min_other_side_skills:
        return False
    if tier.min_tenure_days is not None and tenure_days < tier.min_tenure_days:
        return False
    if any(code not in passed for code in tier.required_modules):
        return False
    return all(levels.get(code, 0) >= minimum for code, minimum in tier.required_skills)


def eligible_rank(
    facts: EmployeeFacts,
    tiers: Sequence[TierRule],
    skill_sides: Mapping[str, str | None],
    day: datetime.date,
) -> int:
    """The eligible tier on `day`, as `evaluate_tiers` finds it, without the next tier's gaps.

    `tiers` must be sorted by rank (as `tier_rules()` returns them).
    """
    levels = levels_on(facts.signoffs, day)
    hours = cross_training_hours(facts.attendances, facts.home_department, day)
    other_side = other_side_skill_count(levels, skill_sides, facts.side)
    passed = passed_modules(facts.completions, day)
    tenure_days = (day - facts.hire_date).days
    eligible = 0
    for tier in tiers:
        if not tier_met(
            tier,
            hours=hours,
            other_side=other_side,
            tenure_days=tenure_days,
            passed=passed,
            levels=levels,
        ):
            break
        eligible = tier.rank
    return eligible
