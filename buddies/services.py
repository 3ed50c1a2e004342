"""Changes to buddy pairings: accepting suggestions (or a manager's own choice), ending a
pairing, recording exclusions and absences, and ending the pairings of people who leave."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from buddies import matching
from buddies.models import BuddyExclusion, BuddyPairing, BuddyUnavailability, leaver_end
from buddies.suggestions import Options, active_pairings, pairing_settings
from certificates.team import team_ranks
from skills.models import Department, Employee

NOT_A_SEEKER = "{number} is not an active front-office employee on {day}"
HAS_A_BUDDY = "{number} already has a go-to buddy ({buddy}, since {start})"
NOT_A_BUDDY = "{number} is not an active back-office employee on {day}"
BELOW_TIER = "{number}'s eligible tier on {day} is {tier}, below the minimum of {minimum}"
AWAY = "{number} is away on {day} ({reason})"
FULL = "{number} already has {load} pairings, the most a buddy may have"
EXCLUDED = "{seeker} and {buddy} must not be paired: {reason}"
CHANGED_MEANWHILE = "{number} was paired by someone else meanwhile"
APPROVED = "Approved from the suggestions."
CHOSEN = "Chosen by hand instead of the suggestion."
ROTATED = "Rotated to a new go-to buddy."
LEFT = "Ended automatically: {number} left on {day}."


@dataclass(frozen=True)
class Accepted:
    created: list[BuddyPairing]
    refused: list[tuple[str, str]]  # seeker number, why


def accept(
    choices: list[tuple[str, str]],
    *,
    options: Options,
    user: Any,
    suggested: dict[str, str] | None = None,
) -> Accepted:
    """Pairs each (seeker, buddy) of `choices` on `options.day`, in one transaction.

    Every choice is checked again at this moment, with the people's rows locked (in one order,
    so two managers accepting at once queue rather than deadlock): the seeker is still an
    active front-office employee without a buddy (a pairing being rotated, old enough, is
    ended first), and the buddy is still an active back-office employee at the minimum tier,
    not away, not excluded with the seeker, with a free place. A choice that fails is refused
    with the reason and the others are recorded. `suggested` maps a seeker to the buddy the
    suggestion offered, so a hand-picked buddy is noted as such.
    """
    day = options.day
    suggested = suggested or {}
    created: list[BuddyPairing] = []
    refused: list[tuple[str, str]] = []
    numbers = {n for pair in choices for n in pair}
    with transaction.atomic():
        people = {
            e.employee_number: e
            for e in Employee.objects.select_for_update()
            .filter(employee_number__in=numbers)
            .select_related("department")
            .order_by("pk")
        }
        open_pairings = {
            p.seeker_id: p
            for p in active_pairings(day).filter(seeker__in=people.values()).select_related("buddy")
        }
        load: dict[int, int] = {}
        for buddy_id in (
            active_pairings(day)
            .filter(buddy__in=people.values())
            .values_list("buddy_id", flat=True)
        ):
            load[buddy_id] = load.get(buddy_id, 0) + 1
        backs = [e for e in people.values() if e.department.side == Department.Side.BACK]
        ranks = team_ranks(
            day, Employee.objects.filter(pk__in=[e.pk for e in backs]), [e.pk for e in backs]
        )
        away = {
            a.buddy_id: a
            for a in BuddyUnavailability.objects.filter(
                buddy__in=backs, starts_on__lte=day, ends_on__gte=day
            )
        }
        exclusions = {
            frozenset((x.first_id, x.second_id)): x.reason
            for x in BuddyExclusion.objects.filter(
                Q(first__in=people.values()) | Q(second__in=people.values())
            )
        }
        before = set(
            BuddyPairing.objects.filter(seeker__in=people.values()).values_list(
                "seeker_id", "buddy_id"
            )
        )
        cutoff = (
            day - datetime.timedelta(days=options.rotate_older_than)
            if options.rotate_older_than is not None
            else None
        )
        weights = matching.weights_from(pairing_settings())
        for seeker_number, buddy_number in choices:
            seeker, buddy = people.get(seeker_number), people.get(buddy_number)
            why = refusal(seeker, buddy, seeker_number, buddy_number, day)
            current = open_pairings.get(seeker.pk) if seeker else None
            rotating = current is not None and cutoff is not None and current.started_on <= cutoff
            if not why and current is not None and not rotating:
                why = HAS_A_BUDDY.format(
                    number=seeker_number,
                    buddy=current.buddy.employee_number,
                    start=current.started_on,
                )
            if not why:
                why = buddy_refusal(
                    buddy,
                    day=day,
                    tier=ranks.get(buddy.pk, (0, 0))[1],
                    minimum=options.min_buddy_tier,
                    away=away.get(buddy.pk),
                    load=load.get(buddy.pk, 0) - (rotating and current.buddy_id == buddy.pk),
                    capacity=options.capacity,
                    excluded=exclusions.get(frozenset((seeker.pk, buddy.pk))),
                    seeker_number=seeker_number,
                )
            if why:
                refused.append((seeker_number, why))
                continue
            if rotating:
                current.ended_on = day
                current.note = ROTATED
                current._change_reason = ROTATED
                current.save(update_fields=["ended_on", "note"])
                load[current.buddy_id] = load.get(current.buddy_id, 1) - 1
            slot = load.get(buddy.pk, 0) + 1
            reasons = matching.pair_reasons(
                matching.Seeker(seeker_number, seeker.effective_site, seeker.shift),
                matching.Buddy(buddy_number, buddy.effective_site, buddy.shift, ranks[buddy.pk][1]),
                slot,
                paired_before=(seeker.pk, buddy.pk) in before,
                weights=weights,
            )
            note = APPROVED if suggested.get(seeker_number) == buddy_number else CHOSEN
            pairing = BuddyPairing(
                seeker=seeker,
                buddy=buddy,
                started_on=day,
                approved_by=user if getattr(user, "pk", None) else None,
                reasons={**reasons.as_dict(), "total": reasons.cost},
                note=note,
            )
            pairing._history_user = pairing.approved_by
            pairing._change_reason = note
            try:
                with transaction.atomic():
                    pairing.save()
            except IntegrityError:
                refused.append((seeker_number, CHANGED_MEANWHILE.format(number=seeker_number)))
                continue
            created.append(pairing)
            open_pairings[seeker.pk] = pairing
            load[buddy.pk] = slot
    return Accepted(created, refused)


def refusal(seeker, buddy, seeker_number, buddy_number, day) -> str | None:
    """Why these two cannot be seeker and buddy on `day` at all, if they cannot."""

    def employed_on(person, side) -> bool:
        return person is not None and person.department.side == side and person.is_active_on(day)

    if not employed_on(seeker, Department.Side.FRONT):
        return NOT_A_SEEKER.format(number=seeker_number, day=day)
    if not employed_on(buddy, Department.Side.BACK):
        return NOT_A_BUDDY.format(number=buddy_number, day=day)
    return None


def buddy_refusal(
    buddy, *, day, tier, minimum, away, load, capacity, excluded, seeker_number
) -> str | None:
    number = buddy.employee_number
    if tier < minimum:
        return BELOW_TIER.format(number=number, day=day, tier=tier, minimum=minimum)
    if away is not None:
        return AWAY.format(number=number, day=day, reason=away.reason)
    if load >= capacity:
        return FULL.format(number=number, load=load)
    if excluded is not None:
        return EXCLUDED.format(seeker=seeker_number, buddy=number, reason=excluded)
    return None


def pairing_end(
    *, pairing: BuddyPairing, ended_on: datetime.date, reason: str, user: Any
) -> BuddyPairing:
    """Ends a pairing on `ended_on` with a reason (kept in its note and history)."""
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = "say why the pairing ends"
    if pairing.ended_on is not None:
        errors["ended_on"] = f"this pairing already ended on {pairing.ended_on}"
    elif ended_on <= pairing.started_on:
        errors["ended_on"] = f"it must end after it started, on {pairing.started_on}"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = BuddyPairing.objects.select_for_update().get(pk=pairing.pk)
        if locked.ended_on is not None:
            raise ValidationError({"ended_on": f"this pairing already ended on {locked.ended_on}"})
        locked.ended_on = ended_on
        locked.note = reason
        locked._history_user = user if getattr(user, "pk", None) else None
        locked._change_reason = reason
        locked.save(update_fields=["ended_on", "note"])
    return locked


def exclusion_create(*, one: Employee, other: Employee, reason: str, user: Any) -> BuddyExclusion:
    """Records that two people must never be paired (once, whichever way round)."""
    reason = (reason or "").strip()
    errors = {}
    if one.pk == other.pk:
        errors["other"] = "an exclusion needs two different people"
    if not reason:
        errors["reason"] = "say why they must not be paired"
    if errors:
        raise ValidationError(errors)
    first, second = sorted((one, other), key=lambda e: e.pk)
    with transaction.atomic():
        exclusion, made = BuddyExclusion.objects.get_or_create(
            first=first,
            second=second,
            defaults={"reason": reason, "recorded_by": user if getattr(user, "pk", None) else None},
        )
    if not made:
        raise ValidationError(
            {"other": f"{first.employee_number} and {second.employee_number} are already excluded"}
        )
    return exclusion


def end_pairings_of_leavers(employee_ids: list[int] | None = None) -> int:
    """Ends, on their termination date, every open pairing of a seeker or buddy who has left
    (or will leave): recorded in the admin, a form or an import. Returns how many ended."""
    leavers = Employee.objects.filter(termination_date__isnull=False)
    if employee_ids is not None:
        leavers = leavers.filter(pk__in=employee_ids)
    ended = 0
    with transaction.atomic():
        pairings = (
            BuddyPairing.objects.select_for_update()
            .filter(ended_on__isnull=True)
            .filter(Q(seeker__in=leavers) | Q(buddy__in=leavers))
            .select_related("seeker", "buddy")
        )
        for pairing in pairings:
            leaver = min(
                (e for e in (pairing.seeker, pairing.buddy) if e.termination_date),
                key=lambda e: e.termination_date,
            )
            pairing.ended_on = leaver_end(
                pairing.started_on, pairing.seeker.termination_date, pairing.buddy.termination_date
            )
            pairing.note = LEFT.format(number=leaver.employee_number, day=leaver.termination_date)
            pairing._change_reason = pairing.note
            pairing.save(update_fields=["ended_on", "note"])
            ended += 1
    return ended
