"""What the assessment app tells other apps about its records (connected in apps.ready)."""

from __future__ import annotations

from django.dispatch import receiver

from study.models import Talk
from study.selectors.talks import talk_outcomes

from . import signals
from .models import Objection, Period, Result
from .services.area_averages import store_area_averages

SUBJECT_PREFIX = "assessment:"  # services.results.talk_subject: f"assessment:{period.code}"


@receiver(talk_outcomes, sender=Talk, dispatch_uid="assessment.talk_outcomes")
def talk_outcomes_from_results(sender, *, talks: list[Talk], **kwargs) -> dict[int, dict]:
    """The published flag and total each assessment talk follows up (one query)."""
    wanted = {
        (talk.subject.removeprefix(SUBJECT_PREFIX), talk.member_id): talk.pk
        for talk in talks
        if talk.subject.startswith(SUBJECT_PREFIX)
    }
    if not wanted:
        return {}
    flag_labels = dict(Result.Flag.choices)
    rows = Result.objects.filter(
        period__code__in={code for code, _member in wanted},
        period__state__in=[Period.State.PUBLISHED, Period.State.FINAL],
        member_id__in={member for _code, member in wanted},
    ).values_list("period__code", "member_id", "flag", "total")
    return {
        wanted[(code, member)]: {"flag": flag, "flag_label": flag_labels.get(flag, flag), "total": total}
        for code, member, flag, total in rows
        if (code, member) in wanted
    }


# ---------------------------------------------------------------------------
# The trends pages' stored area averages follow the published results


@receiver(signals.results_published, dispatch_uid="assessment.area_averages_published")
@receiver(signals.results_finalized, dispatch_uid="assessment.area_averages_finalized")
def area_averages_for_period(sender, *, period: Period, **kwargs) -> int:
    return store_area_averages(period)


@receiver(signals.objection_ruled, dispatch_uid="assessment.area_averages_ruled")
def area_averages_for_branch(sender, *, objection: Objection, **kwargs) -> int:
    """An upheld objection changed the objector's ratings: their branch's averages follow."""
    if objection.state != Objection.State.UPHELD:
        return 0
    return store_area_averages(objection.period, branch_id=objection.branch_id)
