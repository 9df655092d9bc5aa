"""Criticism meetings: list, record, and the meeting page with its self-criticisms,
criticisms and rectification items. Every page first finds the meeting through the
scoped selector, so a meeting outside the user's scope answers 404."""

from __future__ import annotations

import copy

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from members import selectors as member_selectors
from members.roles import get_roles
from partybuild.lib import word
from partybuild.lib.actions import form_action
from partybuild.lib.pagination import paginate, query_without_page

from ..documents.meetings import minutes_document, minutes_filename
from ..forms.meetings import (
    BranchChoiceForm,
    CriticismForm,
    FollowUpForm,
    MeetingFilterForm,
    MeetingForm,
    RectificationItemForm,
    SelfCriticismForm,
)
from ..models import CriticismMeeting
from ..selectors import meetings as selectors
from ..services import meetings as services

MEETING_FIELDS = ["kind", "title", "held_on", "location", "topic", "participants"]


def _can_manage(request: HttpRequest, meeting: CriticismMeeting) -> bool:
    return services.meeting_can_manage(actor=request.user, branch_id=meeting.branch_id)


def _own_member(request: HttpRequest):
    return get_roles(request.user).member


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    roles = get_roles(request.user)
    if not (roles.is_admin or roles.is_member):
        # A masses rater rates members and does nothing else.
        raise PermissionDenied
    today = timezone.localdate()
    meetings = selectors.meeting_list_for_user(user=request.user)
    filters = MeetingFilterForm(request.GET, years=selectors.meeting_years(meetings))
    filters.is_valid()  # a bad value in one filter leaves the other one working
    if kind := filters.cleaned_data.get("kind"):
        meetings = meetings.filter(kind=kind)
    if year := filters.cleaned_data.get("year"):
        meetings = meetings.filter(held_on__year=year)
    page = paginate(request, selectors.meeting_list_with_counts(meetings, today=today).order_by("-held_on", "-pk"))
    return render(
        request,
        "study/meeting_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query_without_page(request),
            "can_create": roles.is_admin or roles.is_committee,
            "my_items": selectors.rectification_items_open_for_user(user=request.user, today=today)[:20],
            "branch_items": selectors.rectification_items_open_for_branch(user=request.user, today=today)[:20],
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    branch, branches = member_selectors.committee_branch_for_user(
        user=request.user, requested=request.GET.get("branch"), pick_first=False
    )
    if branch is None:
        form = BranchChoiceForm(branches=branches)
        return render(request, "study/meeting_branch_choice.html", {"form": form})
    return form_action(
        request,
        MeetingForm(request.POST or None, branch=branch),
        lambda data: services.meeting_create(actor=request.user, branch_id=branch.pk, **_meeting_fields(data)),
        template="study/meeting_form.html",
        context={"meeting": None, "branch": branch},
        success_message=lambda meeting: _("The meeting “%(title)s” was recorded.") % {"title": meeting.title},
    )


def _meeting_fields(data: dict) -> dict:
    return {name: data[name] for name in MEETING_FIELDS}


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    today = timezone.localdate()
    detail = selectors.meeting_detail(meeting=meeting, today=today)
    me = _own_member(request)
    manage = _can_manage(request, meeting)
    participant_ids = {row.member.pk for row in detail.participants}
    return render(
        request,
        "study/meeting_detail.html",
        {
            "meeting": meeting,
            "detail": detail,
            "can_manage": manage,
            "me": me,
            "is_participant": me is not None and me.pk in participant_ids,
            "today": today,
        },
    )


@login_required
@require_safe
def meeting_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's minutes as a Word document: whoever may open the page may download them."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    return word.docx_response(minutes_document(meeting), minutes_filename(meeting))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    if not _can_manage(request, meeting):
        raise PermissionDenied
    # The form fills its instance while validating; keep the page's own copy intact.
    form = MeetingForm(
        request.POST or None,
        instance=copy.copy(meeting),
        branch=meeting.branch,
        version=services.meeting_version(meeting),
    )
    return form_action(
        request,
        form,
        lambda data: services.meeting_update(
            actor=request.user, meeting_id=meeting.pk, version=data["version"], **_meeting_fields(data)
        ),
        template="study/meeting_form.html",
        context={"meeting": meeting, "branch": meeting.branch},
        success_message=_("The meeting was saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_self_criticism(request: HttpRequest, pk: int, member_pk: int | None = None) -> HttpResponse:
    """Write a self-criticism: one's own (no member in the URL) or, for the committee, a participant's."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    member = selectors.self_criticism_writer_get(
        user=request.user, meeting=meeting, member_pk=member_pk, can_manage=_can_manage(request, meeting)
    )
    current = selectors.self_criticism_get(meeting=meeting, member=member)
    form = SelfCriticismForm(
        request.POST or None,
        initial={"content": current.content if current else "", "version": services.self_criticism_version(current)},
    )
    return form_action(
        request,
        form,
        lambda data: services.self_criticism_save(
            actor=request.user,
            meeting_id=meeting.pk,
            member_id=member.pk,
            content=data["content"],
            version=data["version"] or 0,
        ),
        template="study/meeting_self_criticism.html",
        context={"meeting": meeting, "member": member, "existing": current},
        success_url=f"{meeting.get_absolute_url()}#self-criticism-{member.pk}",
        success_message=_("The self-criticism of %(name)s was saved.") % {"name": member.name},
    )


def _then(request: HttpRequest, another: str, meeting: CriticismMeeting, anchor: str) -> str:
    """Where a recording form goes after saving: to a blank form for another, or back to the meeting."""
    if "another" in request.POST:
        return reverse(another, args=[meeting.pk])
    return f"{meeting.get_absolute_url()}#{anchor}"


@login_required
@require_http_methods(["GET", "POST"])
def meeting_criticism(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    critic = selectors.critic_get(user=request.user, meeting=meeting, can_manage=_can_manage(request, meeting))
    return form_action(
        request,
        CriticismForm(request.POST or None, participants=selectors.meeting_participants(meeting), critic=critic),
        lambda data: services.criticism_add(
            actor=request.user,
            meeting_id=meeting.pk,
            from_member_id=(critic or data["from_member"]).pk,
            to_member_id=data["to_member"].pk,
            matter=data["matter"],
            evidence=data["evidence"],
        ),
        template="study/meeting_criticism.html",
        context={"meeting": meeting, "critic": critic},
        success_url=_then(request, "study:meeting_criticism", meeting, "criticisms"),
        success_message=_("The criticism was recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    if not _can_manage(request, meeting):
        raise PermissionDenied
    return form_action(
        request,
        RectificationItemForm(request.POST or None, participants=selectors.meeting_participants(meeting)),
        lambda data: services.rectification_add(
            actor=request.user,
            meeting_id=meeting.pk,
            owner_id=data["owner"].pk,
            description=data["description"],
            deadline=data["deadline"],
        ),
        template="study/meeting_item_form.html",
        context={"meeting": meeting},
        success_url=_then(request, "study:meeting_item_add", meeting, "rectification"),
        success_message=_("The rectification item was added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_item_update(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """A rectification item with its follow-up history, and the form to add a follow-up."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    today = timezone.localdate()
    item = selectors.rectification_item_get(meeting=meeting, pk=item_pk, today=today)
    if not services.rectification_can_follow_up(actor=request.user, item=item):
        raise PermissionDenied
    return form_action(
        request,
        FollowUpForm(request.POST or None, initial={"status": item.status}),
        lambda data: services.rectification_follow_up(
            actor=request.user, item_id=item.pk, note=data["note"], status=data["status"]
        ),
        template="study/meeting_item_update.html",
        context={"meeting": meeting, "item": item, "today": today},
        success_url=f"{meeting.get_absolute_url()}#item-{item.pk}",
        success_message=_("The follow-up was recorded."),
    )
