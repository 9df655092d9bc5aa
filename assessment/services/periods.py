"""Assessment periods and their rubrics: prepare, open, close; copy and edit rubrics."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from members.models import User
from members.roles import get_roles

from .. import scoring
from ..models import Period, Rubric, RubricArea, RubricItem
from . import AssessmentError

FULL_MARKS = Decimal("100")


def _require_admin(actor: User | None) -> None:
    if actor is not None and not get_roles(actor).is_admin:
        raise AssessmentError(_("Only administrators can do this."))


def _check_weights(period: Period) -> None:
    if not scoring.weights_are_valid(period.weights):
        total = sum(period.weights.values(), Decimal(0))
        raise ValidationError(
            {"weight_org": _("The four weights must add up to 1; they add up to %(total)s.") % {"total": total}}
        )


def check_rubric(rubric: Rubric) -> None:
    total = rubric.items.aggregate(s=Sum("max_score"))["s"] or Decimal(0)
    if total != FULL_MARKS:
        raise ValidationError(
            _("The item maxima of rubric “%(name)s” add up to %(total)s, not 100.")
            % {"name": rubric.name, "total": total}
        )


@transaction.atomic
def period_create(*, actor: User | None, data: dict[str, Any]) -> Period:
    _require_admin(actor)
    period = Period(**data)
    period.state = Period.State.DRAFT
    _check_weights(period)
    period.full_clean()
    period._history_user = actor
    period.save()
    return period


@transaction.atomic
def period_update(*, actor: User | None, period_id: int, version: int, data: dict[str, Any]) -> Period:
    _require_admin(actor)
    period = Period.objects.select_for_update().get(pk=period_id)
    if period.version != version:
        raise AssessmentError(_("Someone else changed this period after you opened it; reload the page."))
    if period.state == Period.State.PUBLISHED:
        raise AssessmentError(_("A published period cannot be changed."))
    locked = {"rubric"} if period.state != Period.State.DRAFT else set()
    for name, value in data.items():
        if name in locked and getattr(period, f"{name}_id" if name == "rubric" else name) != getattr(
            value, "pk", value
        ):
            raise ValidationError({name: _("The rubric cannot change once rating has opened.")})
        setattr(period, name, value)
    _check_weights(period)
    period.full_clean()
    period.version += 1
    period._history_user = actor
    period.save()
    return period


def _move(period: Period, actor: User | None, sources: set[str], target: str) -> Period:
    if period.state not in sources:
        raise AssessmentError(
            _("A period that is “%(state)s” cannot become “%(target)s”.")
            % {"state": period.get_state_display(), "target": Period.State(target).label}
        )
    period.state = target
    period.version += 1
    period._history_user = actor
    period.save(update_fields=["state", "version"])
    return period


@transaction.atomic
def period_open(*, actor: User | None, period_id: int) -> Period:
    _require_admin(actor)
    period = Period.objects.select_for_update().select_related("rubric").get(pk=period_id)
    check_rubric(period.rubric)
    _check_weights(period)
    return _move(period, actor, {Period.State.DRAFT, Period.State.CLOSED}, Period.State.OPEN)


@transaction.atomic
def period_close(*, actor: User | None, period_id: int) -> Period:
    """Close rating; every one-time link dies with it."""
    _require_admin(actor)
    period = Period.objects.select_for_update().get(pk=period_id)
    return _move(period, actor, {Period.State.OPEN}, Period.State.CLOSED)


@transaction.atomic
def rubric_copy(*, actor: User | None, rubric_id: int, name: str) -> Rubric:
    """A new, editable rubric with the same areas and items."""
    _require_admin(actor)
    source = Rubric.objects.get(pk=rubric_id)
    taken = ValidationError({"name": _("A rubric with this name already exists.")})
    if Rubric.objects.filter(name=name).exists():
        raise taken
    try:
        with transaction.atomic():
            copy = Rubric.objects.create(name=name, description=source.description, copied_from=source)
    except IntegrityError:
        # Someone copied to the same name a moment ago.
        raise taken from None
    area_map = {}
    for area in source.areas.all():
        area_map[area.pk] = RubricArea.objects.create(
            rubric=copy, code=area.code, name=area.name, position=area.position
        )
    RubricItem.objects.bulk_create(
        [
            RubricItem(
                rubric=copy,
                area=area_map[item.area_id],
                code=item.code,
                name=item.name,
                guidance=item.guidance,
                max_score=item.max_score,
                position=item.position,
            )
            for item in source.items.all()
        ]
    )
    return copy


@transaction.atomic
def rubric_item_update(*, actor: User | None, item_id: int, data: dict[str, Any]) -> RubricItem:
    """Edit an item of a rubric that no opened period uses yet."""
    _require_admin(actor)
    item = RubricItem.objects.select_for_update().select_related("rubric").get(pk=item_id)
    if item.rubric.is_frozen:
        raise AssessmentError(_("This rubric is in use by a period that has opened; copy it to make changes."))
    for name in ("name", "guidance", "max_score"):
        if name in data:
            setattr(item, name, data[name])
    item.full_clean()
    item._history_user = actor
    item.save()
    return item


def rubric_default() -> Rubric:
    """The shipped default rubric, loaded by a migration; rebuilt from the same data if
    it was removed (a test database flushed between tests loses migration data)."""
    from ..defaults import DEFAULT_RUBRIC, DEFAULT_RUBRIC_NAME

    rubric = Rubric.objects.filter(name=DEFAULT_RUBRIC_NAME).first()
    if rubric is not None:
        return rubric
    with transaction.atomic():
        rubric = Rubric.objects.create(name=DEFAULT_RUBRIC_NAME, description="7 个方面 18 项内容，满分 100 分。")
        position = 0
        for area_position, (area_code, area_name, items) in enumerate(DEFAULT_RUBRIC):
            area = RubricArea.objects.create(rubric=rubric, code=area_code, name=area_name, position=area_position)
            for code, name, maximum, guidance in items:
                RubricItem.objects.create(
                    rubric=rubric,
                    area=area,
                    code=code,
                    name=name,
                    max_score=maximum,
                    guidance=guidance,
                    position=position,
                )
                position += 1
    return rubric
