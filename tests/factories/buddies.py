"""Factories for buddy pairings."""

import datetime

import factory
from factory.django import DjangoModelFactory

from buddies.models import BuddyPairing
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
