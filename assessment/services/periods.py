"""Assessment periods and their rubrics: prepare, open, close; copy and edit rubrics."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import User
from members.roles import get_roles
from partybuild.lib.bulk_sql import quote

from ..models import ANONYMOUS_GROUPS, Period, PeriodKey, Rating, Rubric, RubricArea, RubricItem
from . import AssessmentError

FULL_MARKS = Decimal("100")


def _require_admin(actor: User | None) -> None:
    if actor is not None and not get_roles(actor).is_admin:
        raise AssessmentError(_("Only administrators can do this."))


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
    if period.is_final:
        raise AssessmentError(
            _("The results of %(period)s are final: it is locked for good.") % {"period": period.name}
        )
    if period.is_published:
        raise AssessmentError(_("A published period cannot be changed."))
    weights = period.weights
    for name, value in data.items():
        setattr(period, name, value)
    # Period.clean holds the rules (weights add up to 1, the rubric fixed once open,
    # nothing changes once published), for this form and the Django admin alike.
    period.full_clean()
    if period.weights != weights:
        period.inputs_changed_at = timezone.now()
    period.version += 1
    period._history_user = actor
    period.save()
    return period


def _move(period: Period, actor: User | None, sources: set[str], target: str, reason: str) -> Period:
    """Move the period to ``target``; ``reason`` is the code its history row carries
    (assessment/selectors/publicity.py reads it back)."""
    if period.state not in sources:
        raise AssessmentError(
            _("A period that is “%(state)s” cannot become “%(target)s”.")
            % {"state": period.get_state_display(), "target": Period.State(target).label}
        )
    period.state = target
    period.version += 1
    period._history_user = actor
    period._change_reason = reason
    period.save(update_fields=["state", "version"])
    return period


@transaction.atomic
def period_open(*, actor: User | None, period_id: int) -> Period:
    _require_admin(actor)
    period = Period.objects.select_for_update().select_related("rubric").get(pk=period_id)
    if period.state == Period.State.CLOSED:
        # Ratings arriving after a first reading of results would let two readings
        # differ by one rating: that one rater's scores.
        raise AssessmentError(_("Rating has closed for good: a closed period cannot be opened again."))
    check_rubric(period.rubric)
    period.full_clean()
    return _move(period, actor, {Period.State.DRAFT}, Period.State.OPEN, "opened")


@transaction.atomic
def period_close(*, actor: User | None, period_id: int) -> Period:
    """Close rating for good: every one-time link dies with it, and the anonymous
    ratings are sealed (seal_anonymous_ratings), so they can no longer change and no
    longer be tied to anyone."""
    _require_admin(actor)
    period = Period.objects.select_for_update().get(pk=period_id)
    _move(period, actor, {Period.State.OPEN}, Period.State.CLOSED, "closed")
    seal_anonymous_ratings(period)
    return period


def seal_anonymous_ratings(period: Period) -> int:
    """Cut every tie between the period's peer and masses ratings and their raters.

    The rows are written anew without rater key, author or version, in the order of
    ratee, group and total (so neither their ids nor their place in the table keep the
    order they arrived in), the old rows deleted, the period's key secret destroyed, and
    any history of them removed. Set-based: three statements whatever the size. Returns
    the number of ratings sealed."""
    table = quote(Rating._meta.db_table)
    kept = ["period_id", "ratee_id", "rater_group", "ballot_no", "scores", "total", "source"]
    columns = ", ".join(quote(c) for c in kept)
    anonymous = tuple(sorted(ANONYMOUS_GROUPS))
    where = f"{quote('period_id')} = %s AND {quote('rater_group')} IN (%s, %s)"
    order = ", ".join(quote(c) for c in ("ratee_id", "rater_group", "total", "ballot_no", "id"))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS partybuild_sealed")
        cursor.execute(
            f"CREATE TEMPORARY TABLE partybuild_sealed AS SELECT {columns}, "  # noqa: S608
            f"ROW_NUMBER() OVER (ORDER BY {order}) AS {quote('ord')} FROM {table} WHERE {where}",
            [period.pk, *anonymous],
        )
        cursor.execute(f"DELETE FROM {table} WHERE {where}", [period.pk, *anonymous])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} ({columns}, {quote('version')}) "  # noqa: S608
            f"SELECT {columns}, 1 FROM partybuild_sealed ORDER BY {quote('ord')}",
        )
        sealed = cursor.rowcount
        cursor.execute("DROP TABLE partybuild_sealed")
    PeriodKey.objects.filter(period=period).delete()
    Rating.history.model.objects.filter(period_id=period.pk, rater_group__in=anonymous).delete()
    return sealed


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
def rubric_update(*, actor: User | None, rubric_id: int, data: dict[str, Any]) -> Rubric:
    """Save the rubric editor's page at once: the rubric's name and description, its
    areas' names, and each area's items changed, added or removed.

    Refused as a whole (nothing written) when a period using the rubric has opened, when
    the kept items' maxima do not add up to 100, when an area would be left with no item
    or when two items share a code."""
    _require_admin(actor)
    rubric = Rubric.objects.select_for_update().get(pk=rubric_id)
    if rubric.is_frozen:
        raise AssessmentError(_("This rubric is in use by a period that has opened; copy it to make changes."))
    areas = {area.pk: area for area in rubric.areas.all()}
    items = {item.pk: item for item in rubric.items.all()}
    original_codes = {pk: item.code for pk, item in items.items()}
    if Rubric.objects.filter(name=data["name"]).exclude(pk=rubric.pk).exists():
        raise ValidationError({"name": _("A rubric with this name already exists.")})
    kept, removed, codes = [], [], {}
    for area_data in data["areas"]:
        area = areas.get(area_data["id"])
        if area is None:
            raise AssessmentError(_("The form on this page is out of date: reload the page and try again."))
        area.name = area_data["name"]
        area_kept = []
        for row in area_data["items"]:
            item = items.get(row["id"]) if row["id"] is not None else RubricItem(rubric=rubric, area=area)
            if item is None or item.area_id != area.pk:
                raise AssessmentError(_("The form on this page is out of date: reload the page and try again."))
            if row["delete"]:
                if item.pk is not None:
                    removed.append(item)
                continue
            for name in ("code", "name", "guidance", "max_score"):
                setattr(item, name, row[name])
            if item.code in codes:
                raise ValidationError(
                    _("Item code %(code)s is used twice (%(first)s and %(second)s); each item needs its own code.")
                    % {"code": item.code, "first": codes[item.code].name, "second": item.name}
                )
            codes[item.code] = item
            area_kept.append(item)
        if not area_kept:
            raise ValidationError(
                _("The area “%(area)s” would have no item left; every area needs at least one.") % {"area": area.name}
            )
        kept += area_kept
    total = sum((item.max_score for item in kept), Decimal(0))
    if total != FULL_MARKS:
        raise ValidationError(
            _("The item maxima add up to %(total)s; they must add up to exactly 100. Nothing was saved.")
            % {"total": total}
        )
    rubric.name, rubric.description = data["name"], data["description"]
    rubric.full_clean(validate_unique=False)
    rubric._history_user = actor
    rubric.save()
    for area in areas.values():
        area.full_clean(validate_unique=False)
        area.save(update_fields=["name"])
    for item in removed:
        item._history_user = actor
        item.delete()
    # An item's code may be taken by another item of this same save (two codes swapped):
    # the changed ones step aside first.
    changed = [item for item in kept if item.pk is not None and item.code != original_codes[item.pk]]
    for index, item in enumerate(changed):
        RubricItem.objects.filter(pk=item.pk).update(code=f"~{index}")
    for position, item in enumerate(kept):
        item.position = position
        item.full_clean(validate_unique=False)
        item._history_user = actor
        item.save()
    return rubric


def rubric_default() -> Rubric:
    """The shipped default rubric, loaded by a migration; rebuilt from the same data if
    it was removed (a test database flushed between tests loses migration data)."""
    from ..default_rubric import DEFAULT_RUBRIC, DEFAULT_RUBRIC_NAME

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
