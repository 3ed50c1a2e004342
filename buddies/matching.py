"""The buddy matcher: an optimal assignment of seekers to go-to buddies (DOMAIN.md, "Buddy
pairing"), from plain data, with no database.

Each buddy contributes one column per free slot; the k-th active pairing of a buddy (counting
the ones they already have) costs k − 1 on top of the pair's own cost, so load spreads. scipy's
`linear_sum_assignment` finds the assignment of least total cost. A forbidden pair (an
exclusion) costs more than any assignment of allowed pairs could, so the optimum pairs as many
seekers as the free slots and exclusions allow before it looks at cost, and a forbidden pair in
the optimum means that seeker stays unpaired.

Ties go to the lowest employee numbers: seekers (rows) and buddies' slots (columns) go in
sorted by number, and the solver, deterministic, settles equal costs in that order, so when
not everyone can be paired at the same cost the lowest-numbered seekers are, with the
lowest-numbered buddies (tested on equal-cost cases of every size up to 40 by 30). A
tie-breaking term added to every cost would make that explicit, but it multiplied the solver's
time by ten on 2,000 seekers (`bench/suggest_buddies.py`), so the order is left to the solver.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment


@dataclass(frozen=True)
class Weights:
    site: int = 4
    shift: int = 6
    paired_before: int = 8
    tier: int = 2
    tier_cap: int = 3  # a buddy's tier counts up to this rank


@dataclass(frozen=True)
class Seeker:
    number: str
    site: str
    shift: str


@dataclass(frozen=True)
class Buddy:
    number: str
    site: str
    shift: str
    tier: int  # eligible tier on the day
    active: int = 0  # active pairings they already have


@dataclass(frozen=True)
class Reasons:
    site: int
    shift: int
    paired_before: int
    tier: int
    load: int

    @property
    def cost(self) -> int:
        return self.site + self.shift + self.paired_before + self.tier + self.load

    def as_dict(self) -> dict[str, int]:
        return {
            "site": self.site,
            "shift": self.shift,
            "paired_before": self.paired_before,
            "tier": self.tier,
            "load": self.load,
        }


@dataclass(frozen=True)
class Pair:
    seeker: Seeker
    buddy: Buddy
    reasons: Reasons
    slot: int  # this pairing is the buddy's slot-th active one (1 = their first)

    @property
    def cost(self) -> int:
        return self.reasons.cost


@dataclass(frozen=True)
class Suggestion:
    pairs: tuple[Pair, ...]  # sorted by seeker number
    unpaired: tuple[Seeker, ...]  # sorted by number
    total_cost: int = field(default=0)


def pair_reasons(
    seeker: Seeker,
    buddy: Buddy,
    slot: int,
    *,
    paired_before: bool,
    weights: Weights = Weights(),
) -> Reasons:
    """The cost of `seeker` with `buddy` as the buddy's `slot`-th active pairing, by reason."""
    return Reasons(
        site=weights.site * (seeker.site != buddy.site),
        shift=weights.shift * (seeker.shift != buddy.shift),
        paired_before=weights.paired_before * paired_before,
        tier=weights.tier * (weights.tier_cap - min(buddy.tier, weights.tier_cap)),
        load=slot - 1,
    )


def free_slots(buddy: Buddy, capacity: int) -> range:
    """The slot numbers still open for `buddy` (their active pairings fill the first ones)."""
    return range(buddy.active + 1, capacity + 1)


def codes_of(values: list[str], lookup: dict[str, int]) -> np.ndarray:
    return np.array([lookup.setdefault(v, len(lookup)) for v in values], dtype=np.int64)


def cost_matrix(
    seekers: list[Seeker],
    columns: list[tuple[Buddy, int]],
    before: set[tuple[str, str]],
    forbidden: set[frozenset[str]],
    weights: Weights,
    *,
    slots_first: bool = False,
) -> tuple[np.ndarray, list[tuple]]:
    """Every seeker's cost with every free slot (whole numbers), and the cells of forbidden
    pairs (index tuples into the matrix);
    the same sums as `pair_reasons`, a whole row or column at a time. Seekers are the rows, or
    the columns with `slots_first` (the solver wants no more rows than columns, and copies
    the matrix turned round otherwise)."""
    sites: dict[str, int] = {}
    shifts: dict[str, int] = {}
    slot_site = codes_of([b.site for b, _ in columns], sites)
    slot_shift = codes_of([b.shift for b, _ in columns], shifts)
    slot_tier = np.array([b.tier for b, _ in columns], dtype=np.int64)
    slot_load = np.array([slot - 1 for _, slot in columns], dtype=np.int64)
    # Seekers differ only by site and shift: one row of costs per (site, shift) met, then every
    # seeker's row copied from it in one pass (at 2,000 × 2,000, each pass over the whole
    # matrix costs more than the solver does).
    profiles: dict[tuple[str, str], int] = {}
    seeker_profile = np.array(
        [profiles.setdefault((s.site, s.shift), len(profiles)) for s in seekers], dtype=np.int64
    )
    by_profile = np.empty((len(profiles), len(columns)), dtype=np.float64)
    slot_cost = (
        weights.tier * (weights.tier_cap - np.minimum(slot_tier, weights.tier_cap)) + slot_load
    )
    for (site, shift), index in profiles.items():
        by_profile[index] = (
            weights.site * (slot_site != sites.setdefault(site, len(sites)))
            + weights.shift * (slot_shift != shifts.setdefault(shift, len(shifts)))
            + slot_cost
        )
    if slots_first:
        real = np.ascontiguousarray(by_profile.T)[:, seeker_profile]
    else:
        real = by_profile[seeker_profile]
    forbidden_cells: list[tuple] = []
    row_of = {s.number: i for i, s in enumerate(seekers)}
    columns_of: dict[str, list[int]] = {}
    for j, (buddy, _) in enumerate(columns):
        columns_of.setdefault(buddy.number, []).append(j)

    def cells(seeker_number: str, buddy_number: str):
        row, slots = row_of[seeker_number], columns_of[buddy_number]
        return (slots, row) if slots_first else (row, slots)

    for seeker_number, buddy_number in before:
        if seeker_number in row_of and buddy_number in columns_of:
            real[cells(seeker_number, buddy_number)] += weights.paired_before
    for pair in forbidden:
        first, second = sorted(pair) if len(pair) == 2 else (None, None)
        for one, other in ((first, second), (second, first)):
            if one in row_of and other in columns_of:
                forbidden_cells.append(cells(one, other))
    return real, forbidden_cells


def solver_matrix(costs: tuple[np.ndarray, list[tuple]]) -> tuple[np.ndarray, float]:
    """The matrix the solver minimises (the costs, changed in place), and the cost of a
    forbidden pair: more than all the allowed pairs of any assignment together. Whole numbers
    far below 2**53, so the solver's sums are exact."""
    real, forbidden_cells = costs
    forbidden_cost = min(real.shape) * float(real.max(initial=0)) + 1
    for cell in forbidden_cells:
        real[cell] = forbidden_cost
    return real, forbidden_cost


def suggest(
    seekers: Iterable[Seeker],
    buddies: Iterable[Buddy],
    *,
    capacity: int,
    paired_before: Iterable[tuple[str, str]] = (),
    excluded: Iterable[tuple[str, str]] = (),
    weights: Weights = Weights(),
) -> Suggestion:
    """The optimal assignment of `seekers` to `buddies`' free slots.

    `paired_before` and `excluded` hold (seeker number, buddy number) pairs; an exclusion
    forbids the pair whichever way round it was recorded.
    """
    seekers = sorted(seekers, key=lambda s: s.number)
    buddies = sorted(buddies, key=lambda b: b.number)
    before = set(paired_before)
    forbidden = {frozenset(pair) for pair in excluded}
    columns = [(buddy, slot) for buddy in buddies for slot in free_slots(buddy, capacity)]
    if not seekers or not columns:
        return Suggestion((), tuple(seekers), 0)

    slots_first = len(seekers) > len(columns)
    matrix, forbidden_cost = solver_matrix(
        cost_matrix(seekers, columns, before, forbidden, weights, slots_first=slots_first)
    )
    chosen_rows, chosen_columns = linear_sum_assignment(matrix)

    by_buddy: dict[str, list[Seeker]] = {}
    for i, j in zip(chosen_rows.tolist(), chosen_columns.tolist(), strict=True):
        if matrix[i, j] < forbidden_cost:
            seeker, slot = (j, i) if slots_first else (i, j)
            by_buddy.setdefault(columns[slot][0].number, []).append(seekers[seeker])
    pairs = []
    buddy_of = {b.number: b for b in buddies}
    for number, assigned in by_buddy.items():
        buddy = buddy_of[number]
        # The loads are the buddy's next slots; they go to their seekers in number order.
        for seeker, slot in zip(
            sorted(assigned, key=lambda s: s.number),
            free_slots(buddy, capacity),
            strict=False,  # a buddy gets at most as many seekers as they have free slots
        ):
            reasons = pair_reasons(
                seeker,
                buddy,
                slot,
                paired_before=(seeker.number, buddy.number) in before,
                weights=weights,
            )
            pairs.append(Pair(seeker, buddy, reasons, slot))
    pairs.sort(key=lambda p: p.seeker.number)
    paired = {p.seeker.number for p in pairs}
    unpaired = tuple(s for s in seekers if s.number not in paired)
    return Suggestion(tuple(pairs), unpaired, sum(p.cost for p in pairs))


def weights_from(settings_pairing: Mapping[str, int]) -> Weights:
    """The weights from the PAIRING settings (DOMAIN.md's defaults where one is missing)."""
    default = Weights()
    return Weights(
        site=settings_pairing.get("WEIGHT_SITE", default.site),
        shift=settings_pairing.get("WEIGHT_SHIFT", default.shift),
        paired_before=settings_pairing.get("WEIGHT_PAIRED_BEFORE", default.paired_before),
        tier=settings_pairing.get("WEIGHT_TIER", default.tier),
    )
