"""Factories for buddy pairings."""

import datetime

import factory
from factory.django import DjangoModelFactory

from buddies.models import BuddyExclusion, BuddyPairing, BuddyUnavailability
from tests.factories.skills import EmployeeFactory, event_date


class BuddyPairingFactory(DjangoModelFactory):
    """An open pairing of a front-office seeker with a back-office buddy."""

    class Meta:
        model = BuddyPairing

    seeker = factory.SubFactory(EmployeeFactory, front=True)
    buddy = factory.SubFactory(EmployeeFactory, back=True)
    started_on = factory.LazyAttribute(lambda o: event_date(o.seeker, o.buddy))
    ended_on = None
    reasons = factory.LazyFunction(dict)
    note = ""

    class Params:
        ended = factory.Trait(
            ended_on=factory.LazyAttribute(lambda o: o.started_on + datetime.timedelta(days=90))
        )


def _ordered_pair(o):
    first, second = sorted((o.one, o.other), key=lambda e: e.pk)
    return first, second


class BuddyExclusionFactory(DjangoModelFactory):
    """Two people never to be paired (given in any order, stored lower id first)."""

    class Meta:
        model = BuddyExclusion
        exclude = ("one", "other")

    one = factory.SubFactory(EmployeeFactory, front=True)
    other = factory.SubFactory(EmployeeFactory, back=True)
    first = factory.LazyAttribute(lambda o: _ordered_pair(o)[0])
    second = factory.LazyAttribute(lambda o: _ordered_pair(o)[1])
    reason = "They manage each other's cases; pair them with someone independent."


class BuddyUnavailabilityFactory(DjangoModelFactory):
    """A back-office buddy away for two weeks."""

    class Meta:
        model = BuddyUnavailability

    buddy = factory.SubFactory(EmployeeFactory, back=True)
    starts_on = datetime.date(2026, 7, 1)
    ends_on = datetime.date(2026, 7, 14)
    reason = "Annual leave"
