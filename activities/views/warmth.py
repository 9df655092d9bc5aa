"""Warmth delivery: a member's page (responsibility area, three fixes and four guarantees,
contact points, help log), the forms to keep them, the lists, and the branch board of
who has logged help this quarter.

Every page with an id first finds the member or record through a scoped selector, so
an id outside the user's scope answers 404; one in scope the user may not change, 403.
"""

from __future__ import annotations

import copy

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members import selectors as member_selectors
from members.models import Member
from members.roles import get_roles
from partybuild.lib.actions import button_action, form_action
from partybuild.lib.pagination import paginate, query_without_page
from partybuild.lib.quarters import Quarter, recent_quarters

from ..forms.warmth import (
    ContactFilterForm,
    ContactPointForm,
    HelpFilterForm,
    HelpRecordForm,
    ResponsibilityAreaForm,
    WarmthBoardFilterForm,
)
from ..models import HelpRecord
from ..selectors import posts as post_selectors
from ..selectors import warmth as selectors
from ..services import warmth as services
from .common import another_or, is_self, list_filters, own_page, require_member_or_admin

Kind = HelpRecord.Kind


def _member_url(member_pk: int, section: str = "") -> str:
    """A member's warmth page, at one of its sections (area, contacts, help)."""
    url = reverse("activities:warmth_member", kwargs={"member_pk": member_pk})
    return f"{url}#{section}" if section else url


def _member_for_edit(request: HttpRequest, member_pk: int) -> Member:
    member = member_selectors.member_get_for_user(user=request.user, pk=member_pk)
    if not services.warmth_can_edit(actor=request.user, member=member):
        raise PermissionDenied
    return member


# ---------------------------------------------------------------------------
# A member's page


@login_required
def warmth_mine(request: HttpRequest) -> HttpResponse:
    return own_page(request, "activities:warmth_board", "activities:warmth_member")


@login_required
def warmth_member(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = member_selectors.member_get_for_user(user=request.user, pk=member_pk)
    quarter = Quarter.current()
    records = selectors.member_help_records(user=request.user, member=member)
    counts = selectors.help_kind_counts(selectors.help_record_filter(records, quarter=quarter))
    return render(
        request,
        "activities/warmth_member.html",
        {
            "member": member,
            "area": selectors.area_for_member(member=member),
            "contacts": list(selectors.contact_points_for_member(member=member)),
            "recent": list(records[:10]),
            "quarter": quarter,
            "five_helps": [(k.label, counts[k.value]) for k in HelpRecord.FIVE_HELPS],
            "three_works": [(k.label, counts[k.value]) for k in HelpRecord.THREE_WORKS],
            "quarter_total": sum(counts.values()),
            "can_edit": member.is_active and services.warmth_can_edit(actor=request.user, member=member),
            "is_self": is_self(request, member),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def warmth_area_edit(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = _member_for_edit(request, member_pk)
    area = selectors.area_for_member(member=member)
    form = ResponsibilityAreaForm(
        request.POST or None,
        instance=copy.copy(area) if area is not None else None,
        initial={"version": area.version} if area is not None else {"version": 0, "fixed_post": member.post},
    )

    def save(data: dict):
        fields = {name: value for name, value in data.items() if name != "version"}
        return services.responsibility_area_save(
            actor=request.user, member_id=member.pk, version=data["version"] or 0, **fields
        )

    return form_action(
        request,
        form,
        save,
        template="activities/warmth_area_form.html",
        context={"member": member, "area": area},
        success_url=_member_url(member.pk, "area"),
        success_message=_("The responsibility area of %(name)s was saved.") % {"name": member.name},
    )


# ---------------------------------------------------------------------------
# Contact points

CONTACT_FIELDS = ("name", "employee_no", "post", "note")


@login_required
@require_http_methods(["GET", "POST"])
def warmth_contact_create(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = _member_for_edit(request, member_pk)
    return form_action(
        request,
        ContactPointForm(request.POST or None),
        lambda data: services.contact_point_add(
            actor=request.user, member_id=member.pk, **{name: data[name] for name in CONTACT_FIELDS}
        ),
        template="activities/warmth_contact_form.html",
        context={"member": member, "contact": None},
        success_url=another_or(
            request, "activities:warmth_contact_create", _member_url(member.pk, "contacts"), member_pk=member.pk
        ),
        success_message=lambda contact: _("%(name)s was added to the contact points.") % {"name": contact.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def warmth_contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_point_get_for_user(user=request.user, pk=pk)
    if not services.warmth_can_edit(actor=request.user, member=contact.member):
        raise PermissionDenied
    return form_action(
        request,
        ContactPointForm(request.POST or None, instance=copy.copy(contact)),
        lambda data: services.contact_point_update(
            actor=request.user,
            contact_point_id=contact.pk,
            version=data["version"] or 0,
            is_active=data["is_active"],
            **{name: data[name] for name in CONTACT_FIELDS},
        ),
        template="activities/warmth_contact_form.html",
        context={"member": contact.member, "contact": contact},
        success_url=_member_url(contact.member_id, "contacts"),
        success_message=_("The contact point was saved."),
    )


@login_required
def warmth_contact_list(request: HttpRequest) -> HttpResponse:
    roles, filters = list_filters(request, ContactFilterForm)
    active = {"active": True, "retired": False}.get(filters.values()["state"] or "")
    contacts = selectors.contact_point_filter(
        selectors.contact_point_list_for_user(user=request.user), **filters.scope(), active=active
    )
    page = paginate(
        request,
        selectors.contact_points_with_help(contacts).order_by("member__employee_no", "-is_active", "name", "pk"),
    )
    return render(
        request,
        "activities/warmth_contact_list.html",
        {"page": page, "filters": filters, "query": query_without_page(request), "roles": roles},
    )


# ---------------------------------------------------------------------------
# The help log


@login_required
def warmth_help_list(request: HttpRequest) -> HttpResponse:
    records = selectors.help_record_list_for_user(user=request.user)
    years = post_selectors.years_of(records, "helped_on", today=timezone.localdate())
    roles, filters = list_filters(request, HelpFilterForm, years=years, quarters=recent_quarters(8))
    values = filters.values()
    records = selectors.help_record_filter(records, **filters.scope(), year=values["year"], quarter=values["quarter"])
    counts = selectors.help_kind_counts(records)
    kind = values["kind"] or None
    records = selectors.help_record_filter(records, kind=kind)
    page = paginate(request, records.order_by("-helped_on", "-pk"))
    context = {"page": page, "filters": filters, "query": query_without_page(request), "kind": kind}
    context |= {"count_rows": [(key, label, counts[key]) for key, label in Kind.choices]}
    context |= {"roles": roles, "own_member": roles.member}
    return render(request, "activities/warmth_help_list.html", context)


def _help_fields(data: dict) -> dict:
    """What a help record says, from its form, as the services name it."""
    contact = data["contact_point"]
    return {
        "kind": data["kind"],
        "helped_on": data["helped_on"],
        "content": data["content"],
        "contact_point_id": contact.pk if contact else None,
        "outcome": data["outcome"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def warmth_help_create(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = _member_for_edit(request, member_pk)
    contacts = selectors.contact_point_choices(member=member)
    contact_id = request.GET.get("contact", "")
    chosen = contact_id.isdigit() and contacts.filter(pk=contact_id).exists()
    initial = {"contact_point": int(contact_id)} if chosen else {}
    form = HelpRecordForm(request.POST or None, contacts=contacts, today=timezone.localdate(), initial=initial)
    return form_action(
        request,
        form,
        lambda data: services.help_record_add(actor=request.user, member_id=member.pk, **_help_fields(data)),
        template="activities/warmth_help_form.html",
        context={"member": member, "record": None},
        success_url=another_or(
            request, "activities:warmth_help_create", _member_url(member.pk, "help"), member_pk=member.pk
        ),
        success_message=_("The help was logged."),
    )


def _record_for_edit(request: HttpRequest, pk: int) -> HelpRecord:
    record = selectors.help_record_get_for_user(user=request.user, pk=pk)
    if not services.help_record_can_edit(actor=request.user, record=record):
        raise PermissionDenied
    return record


@login_required
@require_http_methods(["GET", "POST"])
def warmth_help_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record_for_edit(request, pk)
    fields = ("kind", "helped_on", "content", "outcome", "version")
    form = HelpRecordForm(
        request.POST or None,
        contacts=selectors.contact_point_choices(member=record.member, keep_id=record.contact_point_id),
        today=timezone.localdate(),
        initial={"contact_point": record.contact_point_id, **{name: getattr(record, name) for name in fields}},
    )
    return form_action(
        request,
        form,
        lambda data: services.help_record_update(
            actor=request.user, record_id=record.pk, version=data["version"] or 0, **_help_fields(data)
        ),
        template="activities/warmth_help_form.html",
        context={"member": record.member, "record": record},
        success_url=_member_url(record.member_id, "help"),
        success_message=_("The help record was saved."),
    )


@login_required
@require_POST
def warmth_help_delete(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record_for_edit(request, pk)
    return button_action(
        request,
        lambda: services.help_record_delete(actor=request.user, record_id=record.pk),
        success_url=_member_url(record.member_id, "help"),
        success_message=_("The help record was deleted."),
    )


# ---------------------------------------------------------------------------
# The branch board


@login_required
def warmth_board(request: HttpRequest) -> HttpResponse:
    """Who in the branch has logged no help this quarter, and everyone's help by kind.

    The committee sees its branch, a group leader the groups they lead, an
    administrator any branch (the first until one is chosen); a plain member is
    sent to their own page.
    """
    roles = get_roles(request.user)
    require_member_or_admin(roles)
    scope = selectors.warmth_board_scope(user=request.user, branch_id=request.GET.get("branch", ""))
    if scope is None:
        return redirect("activities:warmth_member", member_pk=roles.member.pk)
    if scope.branch is None:
        return render(request, "activities/warmth_board.html", {"branch": None})
    branch = scope.branch
    filters = WarmthBoardFilterForm(request.GET).values
    quarter, view, shown_groups = filters["quarter"], filters["view"], scope.shown_groups(filters["group"])
    members = selectors.warmth_board_members(
        branch_id=branch.pk, quarter=quarter, group_ids=shown_groups, missing_only=view == "missing"
    )
    page = paginate(request, members, per_page=50)
    if view == "all":
        selectors.with_kind_counts(page.object_list, quarter=quarter)
    counts = selectors.warmth_board_counts(branch_id=branch.pk, quarter=quarter, group_ids=shown_groups)
    return render(
        request,
        "activities/warmth_board.html",
        {
            "branch": branch,
            "branches": scope.branches,
            "groups": scope.groups(user=request.user),
            "group_id": shown_groups[0] if shown_groups and len(shown_groups) == 1 else None,
            "quarter": quarter,
            "quarters": recent_quarters(8),
            "view": view,
            "page": page,
            "counts": counts,
            "kind_totals": [(label, counts.by_kind.get(key, 0)) for key, label in Kind.choices],
            "kind_labels": Kind.labels,
            "query": query_without_page(request),
            "is_current": quarter == Quarter.current(),
        },
    )
