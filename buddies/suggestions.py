"""Buddy suggestions on a day: who seeks, who can be a buddy and with how many free places, read
from the database in a fixed number of queries, then matched (buddies.matching).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Q

from buddies import matching
from buddies.models import BuddyExclusion, BuddyPairing, BuddyUnavailability
from certificates.models import Tier
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
    rotating: dict[str, int] = field(default_factory=dict)  # seeker number -> pairing id


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
    active = employees_active_on(day)
    fields = ("pk", "employee_number", "site", "department__site", "shift")
    pairings = list(
        active_pairings(day).values_list(
            "pk", "seeker_id", "seeker__employee_number", "buddy_id", "started_on"
        )
    )
    paired_seekers = {seeker_id for _, seeker_id, _, _, _ in pairings}
    rotating: dict[str, int] = {}  # seeker number -> the pairing to rotate
    if options.rotate_older_than is not None:
        cutoff = day - datetime.timedelta(days=options.rotate_older_than)
        rotating = {number: pk for pk, _, number, _, started in pairings if started <= cutoff}
    load: dict[int, int] = {}
    for _, _, number, buddy_id, _ in pairings:
        if number not in rotating:
            load[buddy_id] = load.get(buddy_id, 0) + 1

    front = active.filter(department__side=Department.Side.FRONT)
    if options.department:
        front = front.filter(department__code=options.department)
    seekers = [
        row
        for row in front.values_list(*fields)
        if row[0] not in paired_seekers or row[1] in rotating
    ]
    away = set(
        BuddyUnavailability.objects.filter(starts_on__lte=day, ends_on__gte=day).values_list(
            "buddy_id", flat=True
        )
    )
    back = active.filter(department__side=Department.Side.BACK).exclude(pk__in=away)
    back_rows = list(back.values_list(*fields))
    ranks = team_ranks(day, back, [row[0] for row in back_rows])
    buddies = [
        row
        for row in back_rows
        if ranks[row[0]][1] >= options.min_buddy_tier and load.get(row[0], 0) < options.capacity
    ]
    numbers = {row[0]: row[1] for row in [*seekers, *buddies]}
    # Every pairing ever made, filtered here: thousands of ids in an IN list cost more.
    before = {
        (numbers[s], numbers[b])
        for s, b in BuddyPairing.objects.values_list("seeker_id", "buddy_id")
        if s in numbers and b in numbers
    }
    excluded = {
        (numbers[a], numbers[b])
        for a, b in BuddyExclusion.objects.values_list("first_id", "second_id")
        if a in numbers and b in numbers
    }
    return Candidates(
        seekers=[
            matching.Seeker(number, site or department_site, shift)
            for _, number, site, department_site, shift in seekers
        ],
        buddies=[
            matching.Buddy(number, site or department_site, shift, ranks[pk][1], load.get(pk, 0))
            for pk, number, site, department_site, shift in buddies
        ],
        paired_before=before,
        excluded=excluded,
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


@dataclass(frozen=True)
class Choice:
    """A buddy a manager may pick for a seeker instead, with what it would cost."""

    buddy: Employee
    cost: int
    words: str
    extra: int = 0  # its cost against the suggestion's


@dataclass(frozen=True)
class SuggestionRow:
    seeker: Employee
    buddy: Employee
    pair: matching.Pair
    words: str
    choices: tuple[Choice, ...]  # the suggested buddy first, then the cheapest others
    rotating_from: Employee | None = None


ALTERNATIVES = 8


def suggestion_rows(
    options: Options, *, site: str = "", shift: str = "", limit: int = 50
) -> tuple[list[SuggestionRow], int, list[Employee], matching.Suggestion]:
    """The page's first `limit` suggestions (of the seekers the filters show), each with the
    cheapest other buddies to choose from; how many the filters show in all; the seekers left
    without a buddy; and the whole suggestion."""
    found = candidates(options)
    result = suggestion(options, found)
    tier_names = dict(Tier.objects.values_list("rank", "name"))
    weights = matching.weights_from(pairing_settings())
    seekers = {s.number: s for s in found.seekers}

    def shown(number: str) -> bool:
        seeker = seekers[number]
        return (not site or seeker.site == site) and (not shift or seeker.shift == shift)

    all_shown = [pair for pair in result.pairs if shown(pair.seeker.number)]
    shown_pairs = all_shown[:limit]
    # Each buddy as the next place they have now: one cost per buddy for a seeker, at once.
    buddies = sorted(found.buddies, key=lambda b: b.number)
    buddy_site = np.array([b.site for b in buddies], dtype=object)
    buddy_shift = np.array([b.shift for b in buddies], dtype=object)
    base = np.array(
        [
            weights.tier * (weights.tier_cap - min(b.tier, weights.tier_cap)) + b.active
            for b in buddies
        ],
        dtype=np.int64,
    )
    index_of = {b.number: i for i, b in enumerate(buddies)}
    # Each seeker's earlier buddies and excluded people, looked up once rather than per row.
    before_of: dict[str, list[int]] = {}
    for seeker_number, buddy_number in found.paired_before:
        if buddy_number in index_of:
            before_of.setdefault(seeker_number, []).append(index_of[buddy_number])
    excluded_of: dict[str, set[str]] = {}
    for one, other in found.excluded:
        excluded_of.setdefault(one, set()).add(other)
        excluded_of.setdefault(other, set()).add(one)
    picks: list[tuple[matching.Pair, list[matching.Pair]]] = []
    for pair in shown_pairs:
        seeker = pair.seeker
        costs = (
            weights.site * (buddy_site != seeker.site)
            + weights.shift * (buddy_shift != seeker.shift)
            + base
        ).astype(np.int64)
        costs[before_of.get(seeker.number, [])] += weights.paired_before
        ruled_out = {pair.buddy.number, *excluded_of.get(seeker.number, ())}
        order = [
            i
            for i in np.lexsort((np.arange(len(buddies)), costs))
            if buddies[i].number not in ruled_out
        ][:ALTERNATIVES]
        others = [
            matching.Pair(
                seeker,
                buddies[i],
                matching.pair_reasons(
                    seeker,
                    buddies[i],
                    buddies[i].active + 1,
                    paired_before=(seeker.number, buddies[i].number) in found.paired_before,
                    weights=weights,
                ),
                buddies[i].active + 1,
            )
            for i in order
        ]
        picks.append((pair, others))

    unpaired_numbers = [s.number for s in result.unpaired if shown(s.number)]
    needed = {
        p.number
        for pair, others in picks
        for p in (pair.seeker, pair.buddy, *(o.buddy for o in others))
    }
    needed |= set(unpaired_numbers)
    rotating_ids = [
        found.rotating[p.seeker.number] for p, _ in picks if p.seeker.number in found.rotating
    ]
    people = {
        e.employee_number: e
        for e in Employee.objects.select_related("department").filter(employee_number__in=needed)
    }
    rotating_from = {
        p.seeker.employee_number: p.buddy
        for p in BuddyPairing.objects.filter(pk__in=rotating_ids).select_related("seeker", "buddy")
    }
    rows = []
    for pair, others in picks:
        choices = [
            Choice(
                people[p.buddy.number],
                p.cost,
                reasons_in_words(p, options.capacity, tier_names),
                p.cost - pair.cost,
            )
            for p in [pair, *others]
        ]
        rows.append(
            SuggestionRow(
                seeker=people[pair.seeker.number],
                buddy=people[pair.buddy.number],
                pair=pair,
                words=choices[0].words,
                choices=tuple(choices),
                rotating_from=rotating_from.get(pair.seeker.number),
            )
        )
    unpaired = [people[n] for n in unpaired_numbers]
    unpaired.sort(key=lambda e: e.employee_number)
    return rows, len(all_shown), unpaired, result
