"""Warmth delivery: a member's page (responsibility area, three fixes and four guarantees,
contact points, help log), the forms to keep them, the lists, and the branch board of
who has logged help this quarter.

Every page with an id first finds the member or record through a scoped selector, so
an id outside the user's scope answers 404; one in scope the user may not change, 403.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members import selectors as member_selectors
from members.models import Member
from members.roles import get_roles
from partybuild.lib.pagination import paginate
from partybuild.lib.quarters import Quarter, recent_quarters

from ..forms.warmth import ContactFilterForm, ContactPointForm, HelpFilterForm, HelpRecordForm, ResponsibilityAreaForm
from ..models import HelpRecord
from ..selectors import posts as post_selectors
from ..selectors import warmth as selectors
from ..services import ActivityError
from ..services import warmth as services
from .posts import add_errors, filter_choices, query_without_page, require_member_or_admin

Kind = HelpRecord.Kind
BOARD_VIEWS = ("missing", "all")


def _member_url(member: Member, anchor: str = "") -> str:
    url = reverse("activities:warmth_member", kwargs={"member_pk": member.pk})
    return f"{url}#{anchor}" if anchor else url


def _member_for_edit(request: HttpRequest, member_pk: int) -> Member:
    member = member_selectors.member_get_for_user(user=request.user, pk=member_pk)
    if not services.warmth_can_edit(actor=request.user, member=member):
        raise PermissionDenied
    return member


def _quarter_from(request: HttpRequest) -> Quarter:
    try:
        return Quarter.parse(request.GET.get("quarter", ""))
    except ValueError:
        return Quarter.current()


# ---------------------------------------------------------------------------
# A member's page


@login_required
def warmth_mine(request: HttpRequest) -> HttpResponse:
    roles = get_roles(request.user)
    if roles.member is None:
        require_member_or_admin(roles)
        return redirect("activities:warmth_board")
    return redirect("activities:warmth_member", member_pk=roles.member.pk)


@login_required
def warmth_member(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = member_selectors.member_get_for_user(user=request.user, pk=member_pk)
    quarter = Quarter.current()
    roles = get_roles(request.user)
    records = selectors.member_help_records(user=request.user, member=member)
    this_quarter = selectors.help_record_filter(records, quarter=quarter)
    counts = selectors.help_kind_counts(this_quarter)
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
            "is_self": roles.member is not None and roles.member.pk == member.pk,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def warmth_area_edit(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = _member_for_edit(request, member_pk)
    area = selectors.area_for_member(member=member)
    version = area.version if area is not None else 0
    form = ResponsibilityAreaForm(
        request.POST or None,
        instance=copy.copy(area) if area is not None else None,
        initial={"version": version, **({} if area is not None else {"fixed_post": member.post})},
    )
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            services.responsibility_area_save(
                actor=request.user, member_id=member.pk, version=form.cleaned_data["version"] or 0, **data
            )
        except ActivityError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The responsibility area of %(name)s was saved.") % {"name": member.name})
            return redirect(_member_url(member, "area"))
    return render(request, "activities/warmth_area_form.html", {"form": form, "member": member, "area": area})


# ---------------------------------------------------------------------------
# Contact points


@login_required
@require_http_methods(["GET", "POST"])
def warmth_contact_create(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = _member_for_edit(request, member_pk)
    form = ContactPointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact = services.contact_point_add(
                actor=request.user,
                member_id=member.pk,
                name=data["name"],
                employee_no=data["employee_no"],
                post=data["post"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was added to the contact points.") % {"name": contact.name})
            if "another" in request.POST:
                return redirect("activities:warmth_contact_create", member_pk=member.pk)
            return redirect(_member_url(member, "contacts"))
    return render(request, "activities/warmth_contact_form.html", {"form": form, "member": member, "contact": None})


@login_required
@require_http_methods(["GET", "POST"])
def warmth_contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_point_get_for_user(user=request.user, pk=pk)
    member = contact.member
    if not services.warmth_can_edit(actor=request.user, member=member):
        raise PermissionDenied
    form = ContactPointForm(request.POST or None, instance=copy.copy(contact))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_point_update(
                actor=request.user,
                contact_point_id=contact.pk,
                version=data["version"] or 0,
                name=data["name"],
                employee_no=data["employee_no"],
                post=data["post"],
                note=data["note"],
                is_active=data["is_active"],
            )
        except ActivityError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The contact point was saved."))
            return redirect(_member_url(member, "contacts"))
    return render(request, "activities/warmth_contact_form.html", {"form": form, "member": member, "contact": contact})


@login_required
def warmth_contact_list(request: HttpRequest) -> HttpResponse:
    roles = get_roles(request.user)
    require_member_or_admin(roles)
    contacts = selectors.contact_point_list_for_user(user=request.user)
    branches, groups = filter_choices(request, roles)
    filters = ContactFilterForm(request.GET, branches=branches, groups=groups)
    values = filters.values()
    state = values.get("state")
    contacts = selectors.contact_point_filter(
        contacts,
        branch_id=values.get("branch"),
        group_id=values.get("group"),
        member=values.get("member") or "",
        active={"active": True, "retired": False}.get(state or ""),
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
    roles = get_roles(request.user)
    require_member_or_admin(roles)
    today = timezone.localdate()
    records = selectors.help_record_list_for_user(user=request.user)
    branches, groups = filter_choices(request, roles)
    filters = HelpFilterForm(
        request.GET,
        branches=branches,
        groups=groups,
        years=post_selectors.years_of(records, "helped_on", today=today),
        quarters=recent_quarters(8),
    )
    values = filters.values()
    kind = values.pop("kind") or None
    records = selectors.help_record_filter(
        records,
        branch_id=values.get("branch"),
        group_id=values.get("group"),
        member=values.get("member") or "",
        year=values.get("year"),
        quarter=values.get("quarter"),
    )
    counts = selectors.help_kind_counts(records)
    if kind:
        records = records.filter(kind=kind)
    page = paginate(request, records.order_by("-helped_on", "-pk"))
    return render(
        request,
        "activities/warmth_help_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query_without_page(request),
            "count_rows": [(key, label, counts[key]) for key, label in Kind.choices],
            "kind": kind,
            "roles": roles,
            "own_member": roles.member,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def warmth_help_create(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = _member_for_edit(request, member_pk)
    today = timezone.localdate()
    contacts = selectors.contact_point_choices(member=member)
    initial = {}
    contact_id = request.GET.get("contact", "")
    if contact_id.isdigit() and contacts.filter(pk=contact_id).exists():
        initial["contact_point"] = int(contact_id)
    form = HelpRecordForm(request.POST or None, contacts=contacts, today=today, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.help_record_add(
                actor=request.user,
                member_id=member.pk,
                kind=data["kind"],
                helped_on=data["helped_on"],
                content=data["content"],
                contact_point_id=data["contact_point"].pk if data["contact_point"] else None,
                outcome=data["outcome"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The help was logged."))
            if "another" in request.POST:
                return redirect("activities:warmth_help_create", member_pk=member.pk)
            return redirect(_member_url(member, "help"))
    return render(request, "activities/warmth_help_form.html", {"form": form, "member": member, "record": None})


def _record_for_edit(request: HttpRequest, pk: int) -> HelpRecord:
    record = selectors.help_record_get_for_user(user=request.user, pk=pk)
    if not services.help_record_can_edit(actor=request.user, record=record):
        raise PermissionDenied
    return record


@login_required
@require_http_methods(["GET", "POST"])
def warmth_help_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record_for_edit(request, pk)
    member = record.member
    form = HelpRecordForm(
        request.POST or None,
        contacts=selectors.contact_point_choices(member=member, keep_id=record.contact_point_id),
        today=timezone.localdate(),
        initial={
            "kind": record.kind,
            "helped_on": record.helped_on,
            "contact_point": record.contact_point_id,
            "content": record.content,
            "outcome": record.outcome,
            "version": record.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.help_record_update(
                actor=request.user,
                record_id=record.pk,
                version=data["version"] or 0,
                kind=data["kind"],
                helped_on=data["helped_on"],
                content=data["content"],
                contact_point_id=data["contact_point"].pk if data["contact_point"] else None,
                outcome=data["outcome"],
            )
        except ActivityError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The help record was saved."))
            return redirect(_member_url(member, "help"))
    return render(request, "activities/warmth_help_form.html", {"form": form, "member": member, "record": record})


@login_required
@require_POST
def warmth_help_delete(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record_for_edit(request, pk)
    services.help_record_delete(actor=request.user, record_id=record.pk)
    messages.success(request, _("The help record was deleted."))
    return redirect(_member_url(record.member, "help"))


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
    branches = None
    group_ids: list[int] | None = None
    if roles.is_admin:
        branches = member_selectors.branch_list_for_user(user=request.user)
        branch_id = request.GET.get("branch", "")
        branch = branches.filter(pk=branch_id).first() if branch_id.isdigit() else None
        branch = branch or branches.first()
        if branch is None:
            return render(request, "activities/warmth_board.html", {"branch": None})
    elif roles.committee_branch_id is not None:
        branch = roles.member.branch
    elif roles.led_group_ids:
        branch = roles.member.branch
        group_ids = sorted(roles.led_group_ids)
    else:
        return redirect("activities:warmth_member", member_pk=roles.member.pk)
    groups = member_selectors.group_list_for_user(user=request.user).filter(branch=branch).order_by("sort_order")
    if group_ids is not None:
        groups = groups.filter(pk__in=group_ids)
    quarter = _quarter_from(request)
    view = request.GET.get("view") if request.GET.get("view") in BOARD_VIEWS else "missing"
    group_id = request.GET.get("group", "")
    shown_groups = group_ids
    if group_id.isdigit() and (group_ids is None or int(group_id) in group_ids):
        shown_groups = [int(group_id)]
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
            "branches": branches,
            "groups": groups,
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
