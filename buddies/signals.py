"""A seeker or buddy who leaves has their pairing ended on their last day, whichever page or
the admin records the termination (imports call the service themselves: they write in bulk)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from skills.models import Employee


@receiver(post_save, sender=Employee, dispatch_uid="buddies-end-pairings-of-leavers")
def end_pairings_when_someone_leaves(sender, instance, raw=False, **kwargs):
    if raw or instance.termination_date is None:
        return
    from buddies.services import end_pairings_of_leavers

    end_pairings_of_leavers([instance.pk])
