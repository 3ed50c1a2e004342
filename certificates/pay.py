"""The paid tier differential and why it lapsed: pure functions (DOMAIN.md "Certification and pay").

Paid tier of E for the period starting on S: C is the highest rank among E's certifications
certified before S and not revoked before S; G is E's eligible tier on S - 1 day. The paid tier is
min(C, G), or 0 when E has no such certification or is not active on S. Whenever min(C, G) < C
the row is LAPSED, with a reason built from the unmet requirements of the first tier lost.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from certificates.eligibility import (
    EmployeeFacts,
    Requirement,
    SignoffFact,
    TierRule,
    eligible_rank,
    evaluate_tiers,
)
from core.text import day_text
from skills.rules import QUALIFIED_LEVEL

ONE_DAY = datetime.timedelta(days=1)


class PayChange(StrEnum):
    """The change of the paid tier against the previous period, as payroll reads it."""

    NEW = "NEW"  # 0 -> something
    UP = "UP"
    DOWN = "DOWN"
    REMOVED = "REMOVED"  # something -> 0
    SAME = "SAME"


PERIOD_OVERLAPS = "the period {start} – {end} overlaps the period {other_start} – {other_end}"
PERIOD_GAP = (
    "pay periods are contiguous, but {previous_end} ends one period and the next starts on {start}"
)

LAPSED_REASON = "{tier} lapsed: {gaps}"
LAPSED_UNKNOWN = "{tier} lapsed: no longer eligible on {day}"
SKILL_NOTE = "its level {level} sign-off of {assessed} {verb} on {ended}"
OTHER_SIDE_NOTE = "{code} level {level} sign-off of {assessed} {verb} on {ended}"


@dataclass(frozen=True)
class CertificationFact:
    rank: int
    certified_on: datetime.date
    revoked_on: datetime.date | None = None


@dataclass(frozen=True)
class PaidTier:
    rank: int  # the paid tier: min(C, G), 0 when not certified or not active on S
    certified_rank: int  # C
    eligible_rank: int  # G: eligible on S - 1 day
    lapsed: bool  # min(C, G) < C
    reason: str = ""  # why it lapsed, in words; "" when it did not


def certified_rank_on(certifications: Iterable[CertificationFact], day: datetime.date) -> int:
    """The tier E holds on `day`: certified on or before it and not revoked on or before it."""
    return max(
        (
            c.rank
            for c in certifications
            if c.certified_on <= day and (c.revoked_on is None or c.revoked_on > day)
        ),
        default=0,
    )


def certified_rank_before(certifications: Iterable[CertificationFact], start: datetime.date) -> int:
    """C for a period starting on `start`: certified before it and not revoked before it."""
    return max(
        (
            c.rank
            for c in certifications
            if c.certified_on < start and (c.revoked_on is None or c.revoked_on >= start)
        ),
        default=0,
    )


def pay_period_start(
    periods: Iterable[tuple[datetime.date, datetime.date]], today: datetime.date
) -> datetime.date:
    """S of the pay period (start, end) containing `today`; `today` itself when none does."""
    return max((start for start, end in periods if start <= today <= end), default=today)


def paid_rank(certified_rank: int, eligible_rank: int, active_on_start: bool) -> int:
    if certified_rank <= 0 or not active_on_start:
        return 0
    return min(certified_rank, eligible_rank)


def paid_tier(
    *,
    certifications: Iterable[CertificationFact],
    period_start: datetime.date,
    eligible_rank: int,
    active_on_start: bool,
    lost_tier: TierRule | None = None,
    unmet: Sequence[Requirement] = (),
    signoffs: Iterable[SignoffFact] = (),
    skill_sides: Mapping[str, str | None] | None = None,
    side: str = "",
) -> PaidTier:
    """The paid tier for the period starting on `period_start` (S).

    `eligible_rank` is G, the eligible tier on S - 1 day. When G falls below C, `lost_tier` is the
    first tier not met on S - 1 (rank G + 1) and `unmet` its requirements there (the engine's
    next tier and next_tier_requirements on S - 1); the reason lists the gaps, and with the
    employee's `signoffs` (and `skill_sides` and `side` for other-side skills) which sign-off
    expired or was revoked.
    """
    certified = certified_rank_before(certifications, period_start)
    rank = paid_rank(certified, eligible_rank, active_on_start)
    lapsed = certified > 0 and eligible_rank < certified
    reason = ""
    if lapsed:
        reason = lapse_reason(
            lost_tier,
            unmet,
            period_start - ONE_DAY,
            signoffs=signoffs,
            skill_sides=skill_sides,
            side=side,
        )
    return PaidTier(rank, certified, eligible_rank, lapsed, reason)


def pay_change(previous_rank: int, rank: int) -> PayChange:
    """NEW (0 -> something), UP, DOWN, REMOVED (something -> 0) or SAME."""
    if previous_rank == rank:
        return PayChange.SAME
    if previous_rank == 0:
        return PayChange.NEW
    if rank == 0:
        return PayChange.REMOVED
    return PayChange.UP if rank > previous_rank else PayChange.DOWN


def lapse_reason(
    lost_tier: TierRule | None,
    unmet: Sequence[Requirement],
    day: datetime.date,
    *,
    signoffs: Iterable[SignoffFact] = (),
    skill_sides: Mapping[str, str | None] | None = None,
    side: str = "",
) -> str:
    """ "Tier II lapsed: DEESC: level 2 of 3 needed (its level 3 sign-off of … expired on …)"."""
    name = lost_tier.name if lost_tier is not None else "The certified tier"
    gaps = [r for r in unmet if not r.met]
    if not gaps:
        return LAPSED_UNKNOWN.format(tier=name, day=day_text(day))
    signoffs = tuple(signoffs)
    texts = []
    for gap in gaps:
        note = ""
        if gap.kind == "skill":
            note = _skill_note(signoffs, gap.subject, int(gap.need), day)
        elif gap.kind == "other_side_skills" and skill_sides is not None:
            note = _other_side_note(signoffs, skill_sides, side, day)
        texts.append(f"{gap.text} ({note})" if note else gap.text)
    return LAPSED_REASON.format(tier=name, gaps="; ".join(texts))


def ended_on(signoff: SignoffFact) -> datetime.date | None:
    """The first day a sign-off is no longer valid (revocation or expiry), None if it lasts."""
    ends = [d for d in (signoff.revoked_on, signoff.expires_on) if d is not None]
    return min(ends) if ends else None


def _lapsed_signoffs(
    signoffs: Iterable[SignoffFact], day: datetime.date, minimum: int
) -> list[tuple[datetime.date, SignoffFact]]:
    """Sign-offs at `minimum` or above that were valid once and no longer are on `day`."""
    found = []
    for s in signoffs:
        end = ended_on(s)
        # A sign-off revoked on its own day was never valid: it explains nothing.
        if s.level >= minimum and end is not None and s.assessed_on < end <= day:
            found.append((end, s))
    return found


def _describe(template: str, signoff: SignoffFact, end: datetime.date, **extra) -> str:
    revoked = signoff.revoked_on is not None and signoff.revoked_on == end
    return template.format(
        level=signoff.level,
        assessed=day_text(signoff.assessed_on),
        ended=day_text(end),
        verb="was revoked" if revoked else "expired",
        **extra,
    )


def _skill_note(
    signoffs: Sequence[SignoffFact], code: str, minimum: int, day: datetime.date
) -> str:
    lapsed = _lapsed_signoffs((s for s in signoffs if s.skill_code == code), day, minimum)
    if not lapsed:
        return ""
    end, signoff = max(lapsed, key=lambda item: (item[0], item[1].level))
    return _describe(SKILL_NOTE, signoff, end)


def _other_side_note(
    signoffs: Sequence[SignoffFact],
    skill_sides: Mapping[str, str | None],
    side: str,
    day: datetime.date,
) -> str:
    """The other-side skills that fell below level 3: their latest lapsed sign-off each."""
    still = {s.skill_code for s in signoffs if s.level >= QUALIFIED_LEVEL and s.is_valid_on(day)}
    latest: dict[str, tuple[datetime.date, SignoffFact]] = {}
    other = (
        s
        for s in signoffs
        if skill_sides.get(s.skill_code) not in (None, side) and s.skill_code not in still
    )
    for end, signoff in _lapsed_signoffs(other, day, QUALIFIED_LEVEL):
        if signoff.skill_code not in latest or end > latest[signoff.skill_code][0]:
            latest[signoff.skill_code] = (end, signoff)
    notes = [
        _describe(OTHER_SIDE_NOTE, signoff, end, code=code)
        for code, (end, signoff) in sorted(
            latest.items(), key=lambda i: (-i[1][0].toordinal(), i[0])
        )
    ]
    return "; ".join(notes[:3])


def first_lapse_day(
    facts: EmployeeFacts,
    tiers: Sequence[TierRule],
    sides: Mapping[str, str | None],
    day: datetime.date,
    paid: int,
    horizon: datetime.date,
) -> datetime.date | None:
    """The first day in (day, horizon] on which the eligible tier falls below `paid`, if any.

    With the records as they stand, levels only fall on expiry dates and tenure only rises, so
    those dates are the only days on which the tier can drop.
    """
    days = sorted(
        {
            s.expires_on
            for s in facts.signoffs
            if s.expires_on is not None and day < s.expires_on <= horizon
        }
    )
    return next((d for d in days if eligible_rank(facts, tiers, sides, d) < paid), None)


def pay_for_period(
    facts: EmployeeFacts,
    certifications: Iterable[CertificationFact],
    tiers: Sequence[TierRule],
    skill_sides: Mapping[str, str | None],
    start: datetime.date,
) -> PaidTier:
    """The paid tier, with why it lapsed, for the period starting on `start` (from all facts)."""
    eve = evaluate_tiers(facts, tiers, skill_sides, start - ONE_DAY)
    return paid_tier(
        certifications=certifications,
        period_start=start,
        eligible_rank=eve.eligible_rank,
        active_on_start=facts.is_active_on(start),
        lost_tier=eve.next_tier,
        unmet=eve.next_tier_requirements,
        signoffs=facts.signoffs,
        skill_sides=skill_sides,
        side=facts.side,
    )


class Period(NamedTuple):
    start: datetime.date
    end: datetime.date


def period_clash(previous: Period, current: Period) -> str | None:
    """Why two pay periods, `current` starting no earlier than `previous`, are not contiguous."""
    if current.start == previous.end + ONE_DAY:
        return None
    if current.start <= previous.end:
        return PERIOD_OVERLAPS.format(
            start=current.start,
            end=current.end,
            other_start=previous.start,
            other_end=previous.end,
        )
    return PERIOD_GAP.format(previous_end=previous.end, start=current.start)


# The payroll export's columns, in order (DOMAIN.md "Spreadsheet formats").
PAYROLL_COLUMNS = (
    "employee_number",
    "last_name",
    "first_name",
    "department_code",
    "period_start",
    "period_end",
    "paid_tier",
    "tier_name",
    "differential_per_hour",
    "previous_paid_tier",
    "change",
    "lapsed_reason",
    "pay_code",
)


class PayLine(NamedTuple):
    """One row of the payroll export: its columns in order, then whether it lapsed."""

    employee_number: str
    last_name: str
    first_name: str
    department_code: str
    period_start: datetime.date
    period_end: datetime.date
    paid_tier: int
    tier_name: str
    differential_per_hour: Decimal
    previous_paid_tier: int
    change: PayChange
    lapsed_reason: str
    pay_code: str
    lapsed: bool = False

    @property
    def columns(self) -> tuple:
        return self[: len(PAYROLL_COLUMNS)]


def pay_line(
    *,
    person: tuple[str, str, str, str],  # employee number, last name, first name, department
    period: Period,
    paid: PaidTier,
    previous_rank: int,
    tiers: Mapping[int, TierRule],
) -> PayLine:
    """The export's row for one person: the paid tier's name, differential and code, the change."""
    tier = tiers.get(paid.rank) if paid.rank else None
    return PayLine(
        *person,
        period.start,
        period.end,
        paid.rank,
        tier.name if tier else "",
        tier.differential_per_hour if tier else Decimal("0.00"),
        previous_rank,
        pay_change(previous_rank, paid.rank),
        paid.reason if paid.lapsed else "",
        tier.pay_code if tier else "",
        paid.lapsed,
    )
