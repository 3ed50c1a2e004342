"""Buddy suggestions on a day: who seeks, who can be a buddy and with how many free places, read
from the database in a fixed number of queries, then matched (buddies.matching).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q

from buddies import matching
from buddies.models import BuddyExclusion, BuddyPairing, BuddyUnavailability
from certificates.selectors import employees_active_on
from certificates.team import team_ranks
from skills.models import Department, Employee


def pairing_settings() -> dict:
    return settings.TRACKER["PAIRING"]


@dataclass(frozen=True)
class Options:
    """What a suggestion is asked for: the settings' defaults unless given."""

    day: datetime.date
    capacity: int
    min_buddy_tier: int
    department: str | None = None  # seekers of this department only
    rotate_older_than: int | None = None  # also re-pair seekers paired this many days or more

    @classmethod
    def from_settings(cls, day: datetime.date, **given) -> Options:
        config = pairing_settings()
        values = {
            "capacity": config["CAPACITY"],
            "min_buddy_tier": config["MIN_BUDDY_TIER"],
            **{k: v for k, v in given.items() if v is not None},
        }
        return cls(day=day, **values)


@dataclass
class Candidates:
    seekers: list[matching.Seeker]
    buddies: list[matching.Buddy]
    paired_before: set[tuple[str, str]]
    excluded: set[tuple[str, str]]
    people: dict[str, Employee] = field(default_factory=dict)  # by number, with department
    rotating: dict[str, BuddyPairing] = field(default_factory=dict)  # seeker number -> pairing


def active_pairings(day: datetime.date):
    return BuddyPairing.objects.filter(started_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)
    )


def candidates(options: Options) -> Candidates:
    """Seekers and buddies on the day (DOMAIN.md): seekers are active front-office people
    without an active pairing (and, when rotating, those whose pairing is that old); buddies
    are active back-office people at or above the minimum tier, not away that day, with a free
    place. Pairs seen before and exclusions come along."""
    day = options.day
    active = employees_active_on(day).select_related("department")
    pairings = list(active_pairings(day).select_related("seeker", "buddy"))
    paired_seekers = {p.seeker_id: p for p in pairings}
    rotating: dict[str, BuddyPairing] = {}
    if options.rotate_older_than is not None:
        cutoff = day - datetime.timedelta(days=options.rotate_older_than)
        rotating = {p.seeker.employee_number: p for p in pairings if p.started_on <= cutoff}
    load: dict[int, int] = {}
    for pairing in pairings:
        if pairing.seeker.employee_number not in rotating:
            load[pairing.buddy_id] = load.get(pairing.buddy_id, 0) + 1

    front = active.filter(department__side=Department.Side.FRONT)
    if options.department:
        front = front.filter(department__code=options.department)
    seekers = [e for e in front if e.pk not in paired_seekers or e.employee_number in rotating]
    away = set(
        BuddyUnavailability.objects.filter(starts_on__lte=day, ends_on__gte=day).values_list(
            "buddy_id", flat=True
        )
    )
    back = active.filter(department__side=Department.Side.BACK).exclude(pk__in=away)
    back_people = list(back)
    ranks = team_ranks(day, back, [e.pk for e in back_people])
    buddies = [
        e
        for e in back_people
        if ranks[e.pk][1] >= options.min_buddy_tier and load.get(e.pk, 0) < options.capacity
    ]
    numbers = {e.pk: e.employee_number for e in [*seekers, *buddies]}
    before = {
        (numbers[s], numbers[b])
        for s, b in BuddyPairing.objects.filter(
            seeker__in=[e.pk for e in seekers], buddy__in=[e.pk for e in buddies]
        ).values_list("seeker_id", "buddy_id")
    }
    excluded = {
        (numbers[a], numbers[b])
        for a, b in BuddyExclusion.objects.values_list("first_id", "second_id")
        if a in numbers and b in numbers
    }
    return Candidates(
        seekers=[matching.Seeker(e.employee_number, e.effective_site, e.shift) for e in seekers],
        buddies=[
            matching.Buddy(
                e.employee_number, e.effective_site, e.shift, ranks[e.pk][1], load.get(e.pk, 0)
            )
            for e in buddies
        ],
        paired_before=before,
        excluded=excluded,
        people={e.employee_number: e for e in [*seekers, *buddies]},
        rotating=rotating,
    )


def suggestion(options: Options, found: Candidates | None = None) -> matching.Suggestion:
    found = found or candidates(options)
    return matching.suggest(
        found.seekers,
        found.buddies,
        capacity=options.capacity,
        paired_before=found.paired_before,
        excluded=found.excluded,
        weights=matching.weights_from(pairing_settings()),
    )


def as_json(options: Options, result: matching.Suggestion) -> dict:
    """The command's JSON: pairs by seeker, their cost and reasons, the total, who is left."""
    return {
        "as_of": options.day.isoformat(),
        "pairs": [
            {
                "seeker": p.seeker.number,
                "buddy": p.buddy.number,
                "cost": p.cost,
                "reasons": p.reasons.as_dict(),
            }
            for p in result.pairs
        ],
        "total_cost": result.total_cost,
        "unpaired_seekers": [s.number for s in result.unpaired],
    }


def reasons_in_words(pair: matching.Pair, capacity: int, tier_names: dict[int, str]) -> str:
    """ "same site, same shift, new pairing, Tier II go-to, 1 of 3 slots used" """
    r = pair.reasons
    tier = tier_names.get(pair.buddy.tier, f"Tier {pair.buddy.tier}")
    return ", ".join(
        [
            "other site" if r.site else "same site",
            "other shift" if r.shift else "same shift",
            "paired before" if r.paired_before else "new pairing",
            f"{tier} go-to",
            f"{pair.slot} of {capacity} slots used",
        ]
    )
