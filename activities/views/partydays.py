"""Themed Party days: list, plan, the day's page, the participants page (attendance and
roles for the whole list), reports and talks, reflections, and the photos, which are
served only through :func:`partyday_photo` after the scope check. Every page first
finds the day through the scoped selector, so a day outside the user's scope is 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members import selectors as member_selectors
from members.roles import get_roles
from partybuild.lib.forms import add_service_errors as _add_errors
from partybuild.lib.pagination import paginate

from ..forms.partydays import (
    BranchChoiceForm,
    CancelForm,
    ContributionForm,
    ParticipantFormSet,
    PartyDayFilterForm,
    PartyDayForm,
    PhotoForm,
    RecordForm,
    ReflectionForm,
)
from ..models import PartyDay, PartyDayParticipant
from ..selectors import partydays as selectors
from ..services import ActivityError
from ..services import partydays as services


def _detail_url(day: PartyDay, anchor: str = "") -> str:
    url = reverse("activities:partyday_detail", kwargs={"pk": day.pk})
    return f"{url}#{anchor}" if anchor else url


def _require_manage(request: HttpRequest, day: PartyDay) -> None:
    if not services.can_manage(actor=request.user, branch_id=day.branch_id):
        raise PermissionDenied


@login_required
def partyday_list(request: HttpRequest) -> HttpResponse:
    roles = get_roles(request.user)
    if not (roles.is_admin or roles.is_member):
        raise PermissionDenied
    days = selectors.partyday_list_for_user(user=request.user)
    branches = member_selectors.branch_list_for_user(user=request.user) if roles.is_admin else None
    groups = selectors.group_choices_for_user(user=request.user)
    filters = PartyDayFilterForm(request.GET, branches=branches, groups=groups, years=selectors.partyday_years(days))
    rows = selectors.partyday_list_with_counts(selectors.partyday_filter(days, filters.filters()))
    page = paginate(request, rows.order_by("-held_on", "-pk"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "activities/partyday_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "can_create": roles.is_admin or roles.is_committee,
            "show_branch": roles.is_admin,
            "to_reflect": selectors.reflections_to_write(user=request.user)[:10],
        },
    )


def _branch_for_new_day(request: HttpRequest):
    roles = get_roles(request.user)
    if roles.is_admin:
        branch_id = request.GET.get("branch", "")
        if not branch_id.isdigit():
            return None
        branch = member_selectors.branch_list_for_user(user=request.user).filter(pk=branch_id).first()
        if branch is None:
            raise Http404
        return branch
    if roles.committee_branch_id is not None:
        return roles.member.branch
    raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def partyday_create(request: HttpRequest) -> HttpResponse:
    branch = _branch_for_new_day(request)
    if branch is None:
        form = BranchChoiceForm(branches=member_selectors.branch_list_for_user(user=request.user))
        return render(request, "activities/partyday_branch_choice.html", {"form": form})
    members = selectors.branch_members_for_day(branch_id=branch.pk)
    form = PartyDayForm(
        request.POST or None,
        members=members,
        initial={"kind": PartyDay.Kind.OPEN, "participants": [m.pk for m in members]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            day = services.partyday_create(
                actor=request.user,
                branch_id=branch.pk,
                plan=form.plan_input(),
                participant_ids=[m.pk for m in form.cleaned_data["participants"]],
            )
        except ActivityError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The Party day “%(theme)s” was planned.") % {"theme": day.theme})
            return redirect("activities:partyday_detail", pk=day.pk)
    return render(request, "activities/partyday_form.html", {"form": form, "day": None, "branch": branch})


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


@login_required
@require_http_methods(["GET", "POST"])
def partyday_edit(request: HttpRequest, pk: int) -> HttpResponse:
    day = selectors.partyday_get_for_user(user=request.user, pk=pk)
    _require_manage(request, day)
    if day.status == PartyDay.Status.CANCELLED:
        messages.info(request, _("A cancelled Party day cannot be edited."))
        return redirect("activities:partyday_detail", pk=day.pk)
    current = list(day.participants.values_list("member_id", flat=True))
    members = selectors.member_choices_for_day(day=day)
    initial = {
        "kind": day.kind,
        "theme": day.theme,
        "held_on": day.held_on,
        "place": day.place,
        "destination_kind": day.destination_kind,
        "destination": day.destination,
        "planned_roles": day.planned_roles,
        "plan": day.plan,
        "participants": current,
        "version": day.version,
    }
    form = PartyDayForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.partyday_update(
                actor=request.user,
                party_day_id=day.pk,
                version=form.cleaned_data["version"] or 0,
                plan=form.plan_input(),
                participant_ids=[m.pk for m in form.cleaned_data["participants"]],
            )
        except ActivityError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The Party day was saved."))
            return redirect("activities:partyday_detail", pk=day.pk)
    return render(request, "activities/partyday_form.html", {"form": form, "day": day, "branch": day.branch})


@login_required
@require_http_methods(["GET", "POST"])
def partyday_participants(request: HttpRequest, pk: int) -> HttpResponse:
    """Attendance (and roles, on an experiential day) for the whole list on one page."""
    day = selectors.partyday_get_for_user(user=request.user, pk=pk)
    _require_manage(request, day)
    rows = list(selectors.partyday_participants(day))
    day_reached = day.held_on <= timezone.localdate()
    initial = [
        {
            "member_id": p.member_id,
            "attendance": p.attendance or (PartyDayParticipant.Attendance.PRESENT if day_reached else ""),
            "reason": p.absence_reason,
            "role": p.role,
            "role_detail": p.role_detail,
        }
        for p in rows
    ]
    formset = ParticipantFormSet(request.POST or None, initial=initial, prefix="p")
    form = RecordForm(request.POST or None, initial={"summary": day.summary, "version": day.version})
    if request.method == "POST" and formset.is_valid() and form.is_valid():
        marks = [
            services.ParticipantMark(
                member_id=f.cleaned_data["member_id"],
                attendance=(f.cleaned_data.get("attendance") or "") if day_reached else "",
                reason=f.cleaned_data.get("reason") or "",
                role=f.cleaned_data.get("role") or "",
                role_detail=f.cleaned_data.get("role_detail") or "",
            )
            for f in formset
        ]
        try:
            services.partyday_record(
                actor=request.user,
                party_day_id=day.pk,
                version=form.cleaned_data["version"],
                marks=marks,
                summary=form.cleaned_data["summary"],
            )
        except ActivityError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The participants' list was saved."))
            return redirect("activities:partyday_detail", pk=day.pk)
    return render(
        request,
        "activities/partyday_participants.html",
        {
            "day": day,
            "form": form,
            "formset": formset,
            "rows": list(zip(rows, formset.forms, strict=False)),
            "day_reached": day_reached,
            "experiential": day.kind == PartyDay.Kind.EXPERIENTIAL,
        },
    )


@login_required
@require_POST
def partyday_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    day = selectors.partyday_get_for_user(user=request.user, pk=pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.partyday_cancel(
                actor=request.user,
                party_day_id=day.pk,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ActivityError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The Party day was cancelled."))
    else:
        messages.error(request, _("Say why the day is cancelled."))
    return redirect("activities:partyday_detail", pk=day.pk)


@login_required
@require_http_methods(["GET", "POST"])
def partyday_contribution_add(request: HttpRequest, pk: int) -> HttpResponse:
    day = selectors.partyday_get_for_user(user=request.user, pk=pk)
    _require_manage(request, day)
    members = selectors.participant_members(day=day)
    form = ContributionForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contribution_add(
                actor=request.user,
                party_day_id=day.pk,
                member_id=data["member"].pk,
                kind=data["kind"],
                summary=data["summary"],
                generation=data.get("generation") or "",
                talked_with=data.get("talked_with") or "",
            )
        except ActivityError as exc:
            messages.error(request, exc.message)
            return redirect("activities:partyday_detail", pk=day.pk)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The record was added."))
            if "another" in request.POST:
                return redirect("activities:partyday_contribution_add", pk=day.pk)
            return redirect(_detail_url(day, "contributions"))
    return render(request, "activities/partyday_contribution_form.html", {"day": day, "form": form})


@login_required
@require_POST
def partyday_contribution_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    day = selectors.partyday_get_for_user(user=request.user, pk=pk)
    if not day.contributions.filter(pk=item_pk).exists():
        raise Http404
    try:
        services.contribution_delete(actor=request.user, contribution_id=item_pk)
    except ActivityError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The record was removed."))
    return redirect(_detail_url(day, "contributions"))


@login_required
@require_http_methods(["GET", "POST"])
def partyday_reflection(request: HttpRequest, pk: int) -> HttpResponse:
    """The user's own reflection on a day they attended."""
    day = selectors.partyday_get_for_user(user=request.user, pk=pk)
    me = selectors.participation_of(user=request.user, day=day)
    if me is None:
        raise PermissionDenied
    form = ReflectionForm(request.POST or None, initial={"text": me.reflection, "version": me.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.reflection_save(
                actor=request.user,
                party_day_id=day.pk,
                version=form.cleaned_data["version"],
                text=form.cleaned_data["text"],
            )
        except ActivityError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your reflection was saved."))
            return redirect(_detail_url(day, "reflections"))
    can_write = "reflect" in services.allowed_actions(actor=request.user, day=day, participant=me)
    return render(
        request, "activities/partyday_reflection.html", {"day": day, "me": me, "form": form, "can_write": can_write}
    )


@login_required
@require_POST
def partyday_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    day = selectors.partyday_get_for_user(user=request.user, pk=pk)
    _require_manage(request, day)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.photo_add(
                actor=request.user,
                party_day_id=day.pk,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
        except ActivityError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The photo was added."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(_detail_url(day, "photos"))


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
    try:
        services.photo_delete(actor=request.user, photo_id=photo_pk)
    except ActivityError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The photo was removed."))
    return redirect(_detail_url(day, "photos"))
