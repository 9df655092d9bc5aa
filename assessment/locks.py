"""A final period is locked for good, whichever door a change comes through.

The services refuse first, with a message for the person; the Django admin shows a final
period's records read-only (assessment/admin.py). These receivers are the last line, for
any code that saves or deletes a model instance (the admin, a shell, a future page):
a rating, result, objection or the period itself of a final period, or a rubric a final
period uses, is refused with ``PeriodLocked``. Set-based writes (``QuerySet.update``,
the bulk SQL paths) bypass signals; each of their callers checks the period's state under
its row lock first (results_compute, the seal at close, the ratings import, the ruling).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Q
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from members.models import PartyGroup

from .models import Objection, Period, Rating, Result, Rubric, RubricArea, RubricItem
from .services import AssessmentError


class PeriodLocked(AssessmentError):
    def __init__(self, period_name: str):
        super().__init__(_("The results of %(period)s are final: it is locked for good.") % {"period": period_name})


# Set only while seed_demo --reset wipes the whole demo company, final periods included.
_wiping = ContextVar("assessment_lock_wiping", default=False)


@contextmanager
def wiping_everything() -> Iterator[None]:
    """For seed_demo --reset alone: it removes every record of the demo company."""
    token = _wiping.set(True)
    try:
        yield
    finally:
        _wiping.reset(token)


def _refuse_where(where: Q) -> None:
    """Refuse if a final period matches ``where`` (one query)."""
    name = Period.objects.filter(where, state=Period.State.FINAL).values_list("name", flat=True).first()
    if name is not None:
        raise PeriodLocked(name)


def _refuse_if_final(period_id: int | None) -> None:
    if period_id is None or _wiping.get():
        return
    _refuse_where(Q(pk=period_id))


@receiver(pre_save, sender=Rating, dispatch_uid="assessment.lock_rating_save")
@receiver(pre_save, sender=Result, dispatch_uid="assessment.lock_result_save")
@receiver(pre_save, sender=Objection, dispatch_uid="assessment.lock_objection_save")
@receiver(pre_delete, sender=Rating, dispatch_uid="assessment.lock_rating_delete")
@receiver(pre_delete, sender=Result, dispatch_uid="assessment.lock_result_delete")
@receiver(pre_delete, sender=Objection, dispatch_uid="assessment.lock_objection_delete")
def lock_period_records(sender, instance, **kwargs) -> None:
    if _wiping.get():
        return
    where = Q(pk=instance.period_id)
    if instance.pk is not None:
        # Moving a record to another period takes it out of the one it is in.
        where |= Q(pk__in=sender.objects.filter(pk=instance.pk).values("period_id"))
    _refuse_where(where)


@receiver(pre_save, sender=Period, dispatch_uid="assessment.lock_period_save")
@receiver(pre_delete, sender=Period, dispatch_uid="assessment.lock_period_delete")
def lock_period(sender, instance, **kwargs) -> None:
    # The stored state decides: finalising itself saves a period that was published.
    if instance.pk is not None:
        _refuse_if_final(instance.pk)


@receiver(pre_save, sender=Rubric, dispatch_uid="assessment.lock_rubric_save")
@receiver(pre_delete, sender=Rubric, dispatch_uid="assessment.lock_rubric_delete")
@receiver(pre_save, sender=RubricArea, dispatch_uid="assessment.lock_area_save")
@receiver(pre_delete, sender=RubricArea, dispatch_uid="assessment.lock_area_delete")
@receiver(pre_save, sender=RubricItem, dispatch_uid="assessment.lock_item_save")
@receiver(pre_delete, sender=RubricItem, dispatch_uid="assessment.lock_item_delete")
def lock_rubric(sender, instance, **kwargs) -> None:
    if _wiping.get():
        return
    if sender is Rubric:
        if instance.pk is None:
            return
        where = Q(rubric_id=instance.pk)
    else:
        where = Q(rubric_id=instance.rubric_id)
        if instance.pk is not None:
            # Moving an area or item to another rubric takes it out of the one it is in.
            where |= Q(rubric_id__in=sender.objects.filter(pk=instance.pk).values("rubric_id"))
    _refuse_where(where)


@receiver(pre_delete, sender=PartyGroup, dispatch_uid="assessment.lock_group_delete")
def lock_group(sender, instance, **kwargs) -> None:
    """A Party group's deletion would empty the group of every result posted under it
    (SET NULL, an UPDATE that no save signal sees): refused while a final period's
    results name it."""
    if _wiping.get():
        return
    name = (
        Result.objects.filter(group_id=instance.pk, period__state=Period.State.FINAL)
        .values_list("period__name", flat=True)
        .first()
    )
    if name is not None:
        raise PeriodLocked(name)
