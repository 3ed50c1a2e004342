"""The buddy matcher against a brute-force oracle on small cases (no database)."""

import itertools
import random

import pytest

from buddies.matching import Buddy, Seeker, Weights, pair_reasons, suggest

W = Weights()


def brute_force(seekers, buddies, capacity, before=(), excluded=()):
    """(most pairs, least total cost) over every assignment, by enumeration."""
    before = set(before)
    forbidden = {frozenset(p) for p in excluded}
    best = (0, 0)
    options = [None, *buddies]
    for choice in itertools.product(options, repeat=len(seekers)):
        load = {b.number: b.active for b in buddies}
        cost = count = 0
        feasible = True
        for seeker, buddy in sorted(zip(seekers, choice, strict=True), key=lambda p: p[0].number):
            if buddy is None:
                continue
            if frozenset((seeker.number, buddy.number)) in forbidden:
                feasible = False
                break
            load[buddy.number] += 1
            if load[buddy.number] > capacity:
                feasible = False
                break
            cost += pair_reasons(
                seeker,
                buddy,
                load[buddy.number],
                paired_before=(seeker.number, buddy.number) in before,
            ).cost
            count += 1
        if feasible and (count > best[0] or (count == best[0] and cost < best[1])):
            best = (count, cost)
    return best


def outcome(result):
    return len(result.pairs), result.total_cost


def test_the_cost_is_the_domain_s_sum_of_reasons():
    seeker = Seeker("E1", "Leeds", "day")
    buddy = Buddy("E9", "York", "late", tier=1, active=1)
    reasons = pair_reasons(seeker, buddy, 2, paired_before=True)
    assert reasons.as_dict() == {"site": 4, "shift": 6, "paired_before": 8, "tier": 4, "load": 1}
    assert reasons.cost == 23
    assert (
        pair_reasons(seeker, Buddy("E8", "Leeds", "day", tier=5), 1, paired_before=False).cost == 0
    )


def test_more_seekers_than_slots_pairs_as_many_as_fit_at_least_cost():
    seekers = [Seeker(f"E{n}", "A" if n % 2 else "B", "day") for n in range(1, 6)]
    buddies = [Buddy("E90", "A", "day", tier=3), Buddy("E91", "B", "late", tier=1)]
    result = suggest(seekers, buddies, capacity=2)
    assert outcome(result) == brute_force(seekers, buddies, 2)
    assert len(result.unpaired) == 1


def test_no_buddies_leaves_everyone_unpaired():
    seekers = [Seeker("E2", "A", "day"), Seeker("E1", "A", "day")]
    result = suggest(seekers, [], capacity=3)
    assert result.pairs == () and [s.number for s in result.unpaired] == ["E1", "E2"]


def test_a_buddy_at_capacity_takes_nobody():
    seekers = [Seeker("E1", "A", "day")]
    full = Buddy("E90", "A", "day", tier=3, active=3)
    other = Buddy("E91", "B", "late", tier=1)
    result = suggest(seekers, [full, other], capacity=3)
    assert [(p.seeker.number, p.buddy.number) for p in result.pairs] == [("E1", "E91")]


def test_all_costs_equal_pairs_the_lowest_numbers_first():
    seekers = [Seeker(f"E{n}", "A", "day") for n in (13, 11, 12)]
    buddies = [Buddy("E92", "A", "day", tier=3), Buddy("E91", "A", "day", tier=3)]
    result = suggest(seekers, buddies, capacity=1)
    assert [(p.seeker.number, p.buddy.number) for p in result.pairs] == [
        ("E11", "E91"),
        ("E12", "E92"),
    ]
    assert [s.number for s in result.unpaired] == ["E13"]
    assert result == suggest(list(reversed(seekers)), list(reversed(buddies)), capacity=1)


def test_load_spreads_and_is_reported_slot_by_slot():
    seekers = [Seeker(f"E{n}", "A", "day") for n in range(1, 4)]
    busy = Buddy("E90", "A", "day", tier=3, active=1)
    result = suggest(seekers, [busy], capacity=3)
    assert [(p.seeker.number, p.reasons.load, p.slot) for p in result.pairs] == [
        ("E1", 1, 2),
        ("E2", 2, 3),
    ]


def test_a_previous_pairing_costs_and_steers_to_someone_new():
    seeker = Seeker("E1", "A", "day")
    old, new = Buddy("E90", "A", "day", tier=3), Buddy("E91", "A", "day", tier=2)
    result = suggest([seeker], [old, new], capacity=3, paired_before=[("E1", "E90")])
    (pair,) = result.pairs
    assert pair.buddy.number == "E91" and pair.reasons.tier == 2
    forced = suggest([seeker], [old], capacity=3, paired_before=[("E1", "E90")])
    assert forced.pairs[0].reasons.paired_before == 8


def test_an_exclusion_that_removes_the_only_candidate_leaves_the_seeker_unpaired():
    seekers = [Seeker("E1", "A", "day"), Seeker("E2", "A", "day")]
    only = Buddy("E90", "A", "day", tier=3)
    result = suggest(seekers, [only], capacity=3, excluded=[("E90", "E1")])
    assert [(p.seeker.number, p.buddy.number) for p in result.pairs] == [("E2", "E90")]
    assert [s.number for s in result.unpaired] == ["E1"]


@pytest.mark.parametrize("seed", range(40))
def test_random_small_cases_match_the_brute_force_optimum(seed):
    rng = random.Random(seed)
    sites, shifts = ["A", "B"], ["day", "late", "night"]
    seekers = [
        Seeker(f"E{n:02}", rng.choice(sites), rng.choice(shifts)) for n in range(rng.randint(1, 5))
    ]
    buddies = [
        Buddy(f"E9{n}", rng.choice(sites), rng.choice(shifts), rng.randint(0, 4), rng.randint(0, 2))
        for n in range(rng.randint(0, 3))
    ]
    capacity = rng.randint(1, 3)
    before = [(s.number, b.number) for s in seekers for b in buddies if rng.random() < 0.25]
    excluded = [(s.number, b.number) for s in seekers for b in buddies if rng.random() < 0.2]
    result = suggest(seekers, buddies, capacity=capacity, paired_before=before, excluded=excluded)
    assert outcome(result) == brute_force(seekers, buddies, capacity, before, excluded)
    assert result.total_cost == sum(p.cost for p in result.pairs)
    loads = {}
    for pair in result.pairs:
        loads[pair.buddy.number] = loads.get(pair.buddy.number, pair.buddy.active) + 1
        assert (pair.seeker.number, pair.buddy.number) not in set(excluded)
    assert all(n <= capacity for n in loads.values())


@pytest.mark.parametrize("seed", range(30))
def test_equal_costs_pair_the_lowest_numbers_whatever_the_size(seed):
    rng = random.Random(seed)
    seekers = [Seeker(f"E{n:03}", "A", "day") for n in rng.sample(range(999), rng.randint(2, 40))]
    buddies = [Buddy(f"E9{n:02}", "A", "day", 3) for n in range(rng.randint(1, 10))]
    result = suggest(seekers, buddies, capacity=rng.randint(1, 3))
    numbers = sorted(s.number for s in seekers)
    assert [p.seeker.number for p in result.pairs] == numbers[: len(result.pairs)]
