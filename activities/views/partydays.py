"""Themed Party days: list, plan, the day's page, the participants page (attendance and
roles for the whole list), reports and talks, reflections, and the photos, which are
served only through :func:`partyday_photo` after the scope check. Every page first
finds the day through the scoped selector, so a day outside the user's scope is 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members import selectors as member_selectors
from members.roles import get_roles
from partybuild.lib.actions import button_action, form_action
from partybuild.lib.pagination import paginate, query_without_page

from ..forms.partydays import (
    CancelForm,
    ContributionForm,
    ParticipantsForm,
    PartyDayFilterForm,
    PartyDayForm,
    PhotoForm,
    ReflectionForm,
)
from ..models import PartyDay, PartyDayParticipant
from ..selectors import partydays as selectors
from ..selectors.members import branch_members_on_roll
from ..services import partydays as services
from .common import another_or, branch_choice, require_member_or_admin


def _section(day: PartyDay, section: str) -> str:
    """The day's page at one of its sections (contributions, reflections, photos)."""
    return f"{day.get_absolute_url()}#{section}"


def _day_to_manage(request: HttpRequest, pk: int) -> PartyDay:
    day = selectors.partyday_get_for_user(user=request.user, pk=pk)
    if not services.can_manage(actor=request.user, branch_id=day.branch_id):
        raise PermissionDenied
    return day


def _refused_form(request: HttpRequest, form, url: str) -> HttpResponse:
    """A form posted from a button on the day's page was refused: its errors as messages."""
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect(url)


@login_required
def partyday_list(request: HttpRequest) -> HttpResponse:
    roles = get_roles(request.user)
    require_member_or_admin(roles)
    days = selectors.partyday_list_for_user(user=request.user)
    filters = PartyDayFilterForm(
        request.GET,
        branches=member_selectors.branch_list_for_user(user=request.user) if roles.is_admin else None,
        groups=selectors.group_choices_for_user(user=request.user),
        years=selectors.partyday_years(days),
    )
    rows = selectors.partyday_list_with_counts(selectors.partyday_filter(days, filters.filters()))
    context = {"page": paginate(request, rows.order_by("-held_on", "-pk")), "filters": filters}
    context |= {"query": query_without_page(request), "can_create": roles.is_admin or roles.is_committee}
    context |= {"show_branch": roles.is_admin, "to_reflect": selectors.reflections_to_write(user=request.user)[:10]}
    return render(request, "activities/partyday_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def partyday_create(request: HttpRequest) -> HttpResponse:
    branch = member_selectors.committee_branch_for_user(
        user=request.user, requested=request.GET.get("branch"), pick_first=False
    )[0]
    if branch is None:
        return branch_choice(request, "activities/partyday_branch_choice.html")
    members = branch_members_on_roll(branch_id=branch.pk)
    form = PartyDayForm(
        request.POST or None,
        members=members,
        # Nobody is ticked beforehand: the secretary chooses who takes part ("select all" is one click).
        initial={"kind": PartyDay.Kind.OPEN},
    )
    return form_action(
        request,
        form,
        lambda data: services.partyday_create(
            actor=request.user,
            branch_id=branch.pk,
            plan=form.plan_input(),
            participant_ids=[m.pk for m in data["participants"]],
            counts_for=data["counts_for"],
        ),
        template="activities/partyday_form.html",
        context={"day": None, "branch": branch},
        success_message=lambda day: _("The Party day “%(theme)s” was planned.") % {"theme": day.theme},
    )


@login_required
def partyday_detail(request: HttpRequest, pk: int) -> HttpResponse:
    day = selectors.partyday_get_for_user(user=request.user, pk=pk)
    me = selectors.participation_of(user=request.user, day=day)
    actions = services.allowed_actions(actor=request.user, day=day, participant=me)
    participants = list(selectors.partyday_participants(day))
    counts = {key: 0 for key in PartyDayParticipant.Attendance.values}
    for p in participants:
        if p.attendance:
            counts[p.attendance] += 1
    return render(
        request,
        "activities/partyday_detail.html",
        {
            "day": day,
            "counts_for": list(day.counts_for.all()),
            "participants": participants,
            "counts": counts,
            "reflections": [p for p in participants if p.reflection],
            "contributions": list(selectors.partyday_contributions(day)),
            "photos": list(selectors.partyday_photos(day)),
            "log": list(day.log.select_related("actor__member")),
            "actions": actions,
            "can_manage": services.can_manage(actor=request.user, branch_id=day.branch_id),
            "me": me,
            "photo_form": PhotoForm() if "photo" in actions else None,
            "cancel_form": CancelForm(initial={"version": day.version}) if "cancel" in actions else None,
            "day_reached": day.held_on <= timezone.localdate(),
        },
    )


PLAN_FIELDS = ("kind", "theme", "held_on", "place", "destination_kind", "destination", "planned_roles", "plan")


@login_required
@require_http_methods(["GET", "POST"])
def partyday_edit(request: HttpRequest, pk: int) -> HttpResponse:
    day = _day_to_manage(request, pk)
    if day.status == PartyDay.Status.CANCELLED:
        messages.info(request, _("A cancelled Party day cannot be edited."))
        return redirect(day)
    initial = {name: getattr(day, name) for name in PLAN_FIELDS}
    initial |= {"participants": list(day.participants.values_list("member_id", flat=True)), "version": day.version}
    initial["counts_for"] = list(day.counts_for.values_list("pk", flat=True))
    form = PartyDayForm(request.POST or None, members=selectors.member_choices_for_day(day=day), initial=initial)
    return form_action(
        request,
        form,
        lambda data: services.partyday_update(
            actor=request.user,
            party_day_id=day.pk,
            version=data["version"] or 0,
            plan=form.plan_input(),
            participant_ids=[m.pk for m in data["participants"]],
            counts_for=data["counts_for"],
        ),
        template="activities/partyday_form.html",
        context={"day": day, "branch": day.branch},
        success_message=_("The Party day was saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def partyday_participants(request: HttpRequest, pk: int) -> HttpResponse:
    """Attendance (and roles, on an experiential day) for the whole list on one page."""
    day = _day_to_manage(request, pk)
    participants = list(selectors.partyday_participants(day))
    day_reached = day.held_on <= timezone.localdate()
    present = PartyDayParticipant.Attendance.PRESENT if day_reached else ""
    rows = [
        {
            "member_id": p.member_id,
            "attendance": p.attendance or present,
            "reason": p.absence_reason,
            "role": p.role,
            "role_detail": p.role_detail,
        }
        for p in participants
    ]
    form = ParticipantsForm(request.POST or None, rows=rows, initial={"summary": day.summary, "version": day.version})
    context = {"day": day, "formset": form.formset, "day_reached": day_reached}
    context |= {"rows": list(zip(participants, form.formset.forms, strict=False))}
    context |= {"experiential": day.kind == PartyDay.Kind.EXPERIENTIAL}
    return form_action(
        request,
        form,
        lambda data: services.partyday_record(
            actor=request.user,
            party_day_id=day.pk,
            version=data["version"],
            marks=form.marks(with_attendance=day_reached),
            summary=data["summary"],
        ),
        template="activities/partyday_participants.html",
        context=context,
        success_message=_("The participants' list was saved."),
    )


@login_required
@require_POST
def partyday_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    day = selectors.partyday_get_for_user(user=request.user, pk=pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the day is cancelled."))
        return redirect(day)
    return button_action(
        request,
        lambda: services.partyday_cancel(
            actor=request.user,
            party_day_id=day.pk,
            version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        ),
        success_url=day,
        success_message=_("The Party day was cancelled."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def partyday_contribution_add(request: HttpRequest, pk: int) -> HttpResponse:
    day = _day_to_manage(request, pk)
    form = ContributionForm(request.POST or None, members=selectors.participant_members(day=day))
    return form_action(
        request,
        form,
        lambda data: services.contribution_add(
            actor=request.user,
            party_day_id=day.pk,
            member_id=data["member"].pk,
            kind=data["kind"],
            summary=data["summary"],
            generation=data.get("generation") or "",
            talked_with=data.get("talked_with") or "",
        ),
        template="activities/partyday_contribution_form.html",
        context={"day": day},
        success_url=another_or(
            request, "activities:partyday_contribution_add", _section(day, "contributions"), pk=day.pk
        ),
        success_message=_("The record was added."),
    )


@login_required
@require_POST
def partyday_contribution_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    day = selectors.partyday_get_for_user(user=request.user, pk=pk)
    if not day.contributions.filter(pk=item_pk).exists():
        raise Http404
    return button_action(
        request,
        lambda: services.contribution_delete(actor=request.user, contribution_id=item_pk),
        success_url=_section(day, "contributions"),
        success_message=_("The record was removed."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def partyday_reflection(request: HttpRequest, pk: int) -> HttpResponse:
    """The user's own reflection on a day they attended."""
    day = selectors.partyday_get_for_user(user=request.user, pk=pk)
    me = selectors.participation_of(user=request.user, day=day)
    if me is None:
        raise PermissionDenied
    form = ReflectionForm(request.POST or None, initial={"text": me.reflection, "version": me.version})
    can_write = "reflect" in services.allowed_actions(actor=request.user, day=day, participant=me)
    return form_action(
        request,
        form,
        lambda data: services.reflection_save(
            actor=request.user, party_day_id=day.pk, version=data["version"], text=data["text"]
        ),
        template="activities/partyday_reflection.html",
        context={"day": day, "me": me, "can_write": can_write},
        success_url=_section(day, "reflections"),
        success_message=_("Your reflection was saved."),
    )


@login_required
@require_POST
def partyday_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    day = _day_to_manage(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused_form(request, form, _section(day, "photos"))
    return button_action(
        request,
        lambda: services.photo_add(
            actor=request.user,
            party_day_id=day.pk,
            upload=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
        ),
        success_url=_section(day, "photos"),
        success_message=_("The photo was added."),
    )


@login_required
@require_GET
def partyday_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A photo, to those who may see its day only: never from a public media URL."""
    photo = selectors.photo_get_for_user(user=request.user, pk=pk)
    try:
        handle = photo.image.storage.open(photo.image.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@login_required
@require_POST
def partyday_photo_delete(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    day = selectors.partyday_get_for_user(user=request.user, pk=pk)
    if not day.photos.filter(pk=photo_pk).exists():
        raise Http404
    return button_action(
        request,
        lambda: services.photo_delete(actor=request.user, photo_id=photo_pk),
        success_url=_section(day, "photos"),
        success_message=_("The photo was removed."),
    )
