from __future__ import annotations

import io
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from partybuild.lib.actions import button_action, form_action
from partybuild.lib.pagination import paginate, query_without_page

from . import selectors, services
from .filters import MassesRaterFilter, MemberFilter
from .forms import MEMBER_FIELDS, LoginForm, MassesRaterForm, MemberForm, RosterUploadForm
from .models import MassesRater
from .roles import get_roles

IMPORT_DIR = Path(settings.VAR_DIR) / "imports"


def home_context(request: HttpRequest, roles) -> dict:
    """The roster's part of the home page: head counts for each role's scope."""
    context: dict = {}
    if roles.is_admin:
        context["company"] = selectors.company_counts()
        context["company_roster"] = selectors.roster_counts(members=selectors.member_list_for_user(user=request.user))
        context["branches"] = paginate(request, selectors.branch_counts(), per_page=20)
    if roles.committee_branch_id is not None:
        branch_members = selectors.member_list_for_user(user=request.user).filter(branch_id=roles.committee_branch_id)
        context["branch_roster"] = selectors.roster_counts(members=branch_members)
        context["branch_groups"] = selectors.group_counts(branch_id=roles.committee_branch_id)
    if roles.is_group_leader:
        context["led_groups"] = selectors.group_list_for_user(user=request.user).filter(pk__in=roles.led_group_ids)
        context["group_roster"] = selectors.roster_counts(
            members=selectors.member_list_for_user(user=request.user).filter(group_id__in=roles.led_group_ids)
        )
    if roles.is_masses_rater:
        context["ratees"] = selectors.masses_rater_ratees(rater=roles.masses_rater)
    if roles.is_member:
        member = roles.member
        context["party_years"] = _years_between(member.joined_on, timezone.localdate())
        context["my_group"] = member.group  # the roles carry the branch, not the group

    return context


def _years_between(start, end) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


# What the roster's rows show, of a member's twenty columns.
ROSTER_COLUMNS = (
    "employee_no",
    "name",
    "committee_role",
    "is_active",
    "gender",
    "party_status",
    "post",
    "phone",
    "branch__name",
    "group__name",
)


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    roles = get_roles(request.user)
    if not roles.can_view_roster:
        raise PermissionDenied
    members = selectors.member_list_for_user(user=request.user)
    member_filter = MemberFilter(
        request.GET,
        queryset=members,
        branches=selectors.branch_list_for_user(user=request.user),
        groups=selectors.group_list_for_user(user=request.user),
    )
    counts = selectors.roster_counts(members=member_filter.qs)
    # The head counts cover every row listed: the paginator need not count them again.
    page = paginate(
        request,
        member_filter.qs.order_by("branch__sort_order", "employee_no").only(*ROSTER_COLUMNS),
        count=counts.total + counts.inactive,
    )
    return render(
        request,
        "members/member_list.html",
        {
            "filter": member_filter,
            "page": page,
            "query": query_without_page(request),
            "counts": counts,
            "roles": roles,
        },
    )


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get_for_user(user=request.user, pk=pk)
    roles = get_roles(request.user)
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "can_edit": selectors.member_can_edit(roles=roles, member=member),
            "is_self": roles.member is not None and roles.member.pk == member.pk,
            "roles": roles,
        },
    )


def _member_fields(data: dict) -> dict:
    return {k: v for k, v in data.items() if k in MEMBER_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest) -> HttpResponse:
    roles = get_roles(request.user)
    if not roles.can_edit_roster:
        raise PermissionDenied
    return form_action(
        request,
        MemberForm(request.POST or None, roles=roles),
        lambda data: services.member_create(actor=request.user, data=_member_fields(data)),
        template="members/member_form.html",
        context={"member": None},
        success_message=lambda member: _("%(name)s was added to the roster.") % {"name": member.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get_for_edit(user=request.user, pk=pk)
    return form_action(
        request,
        MemberForm(request.POST or None, instance=member, roles=get_roles(request.user)),
        lambda data: services.member_update(
            actor=request.user, member_id=pk, version=data.get("version") or 0, data=_member_fields(data)
        ),
        template="members/member_form.html",
        context={"member": member},
        success_message=lambda saved: _("The record of %(name)s was saved.") % {"name": saved.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_login(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get_for_edit(user=request.user, pk=pk)

    def set_login(data: dict):
        try:
            return services.member_set_login(actor=request.user, member_id=member.pk, password=data["password1"])
        except ValidationError as exc:
            # What is wrong with a password is said beside the password typed.
            raise ValidationError({"password1": exc.messages}) from exc

    return form_action(
        request,
        LoginForm(request.POST or None),
        set_login,
        template="members/member_login.html",
        context={"member": member},
        success_url=member,
        success_message=lambda user: (
            _("%(name)s can now log in as %(username)s with the new password.")
            % {"name": member.name, "username": user.username}
        ),
    )


@login_required
def roster_export(request: HttpRequest) -> HttpResponse:
    roles = get_roles(request.user)
    if not (roles.is_admin or roles.is_committee):
        raise PermissionDenied
    content = services.roster_export(members=selectors.member_list_for_user(user=request.user))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="roster-{stamp}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request: HttpRequest) -> HttpResponse:
    """Upload, then preview: the file is checked in a dry run and kept for the confirm step."""
    if not get_roles(request.user).is_admin:
        raise PermissionDenied
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read()
        report = services.roster_import(file=io.BytesIO(content), actor=request.user, dry_run=True)
        token = ""
        if report.ok and (report.new or report.updated):
            token = uuid.uuid4().hex
            IMPORT_DIR.mkdir(parents=True, exist_ok=True)
            (IMPORT_DIR / f"{token}.xlsx").write_bytes(content)
            request.session["roster_import_token"] = token
        return render(
            request,
            "members/roster_import_preview.html",
            {"report": report, "token": token, "filename": form.cleaned_data["file"].name},
        )
    return render(request, "members/roster_import.html", {"form": form})


@login_required
@require_POST
def roster_import_confirm(request: HttpRequest) -> HttpResponse:
    if not get_roles(request.user).is_admin:
        raise PermissionDenied
    token = request.POST.get("token", "")
    if not token or token != request.session.get("roster_import_token"):
        messages.error(request, _("The preview has expired; upload the file again."))
        return redirect("members:import")
    path = IMPORT_DIR / f"{token}.xlsx"
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        messages.error(request, _("The preview has expired; upload the file again."))
        return redirect("members:import")
    report = services.roster_import(file=io.BytesIO(content), actor=request.user, dry_run=False)
    path.unlink(missing_ok=True)
    request.session.pop("roster_import_token", None)
    if not report.ok:
        # The database changed between preview and confirm; show why nothing was written.
        return render(request, "members/roster_import_preview.html", {"report": report, "token": ""})
    messages.success(
        request,
        _("Roster imported: %(new)d added, %(updated)d updated, %(unchanged)d unchanged.")
        % {"new": report.new, "updated": report.updated, "unchanged": report.unchanged},
    )
    return redirect("members:list")


@login_required
def organisation(request: HttpRequest) -> HttpResponse:
    """Branches and their groups with head counts, within the user's scope."""
    roles = get_roles(request.user)
    if not roles.can_view_roster:
        raise PermissionDenied
    if roles.is_admin:
        branches = paginate(request, selectors.branch_counts(), per_page=20)
        return render(request, "members/organisation.html", {"branches": branches, "roles": roles})
    branch_id = roles.member.branch_id
    groups = selectors.group_counts(branch_id=branch_id)
    if not roles.is_committee:
        groups = groups.filter(pk__in=roles.led_group_ids)
    return render(
        request,
        "members/organisation.html",
        {"branch": roles.member.branch, "groups": groups, "roles": roles},
    )


# ---------------------------------------------------------------------------
# Masses raters: the secretary keeps their branch's, the administrator every branch's


def _masses_list_url(branch_id: int) -> str:
    return f"{reverse('members:masses_list')}?branch={branch_id}"


@login_required
def masses_list(request: HttpRequest) -> HttpResponse:
    branch, branches = selectors.masses_rater_branch_for_user(user=request.user, requested=request.GET.get("branch"))
    raters = selectors.masses_rater_list(branch=branch) if branch else MassesRater.objects.none()
    rater_filter = MassesRaterFilter(request.GET, queryset=raters)
    return render(
        request,
        "members/masses_list.html",
        {
            "filter": rater_filter,
            "page": paginate(request, rater_filter.qs),
            "query": query_without_page(request),
            "branch": branch,
            "branches": branches,
        },
    )


def _ratee_ids(data: dict) -> list[int]:
    return [member.pk for member in data["ratees"]]


@login_required
@require_http_methods(["GET", "POST"])
def masses_create(request: HttpRequest) -> HttpResponse:
    branch, branches = selectors.masses_rater_branch_for_user(user=request.user, requested=request.GET.get("branch"))
    if branch is None:
        raise Http404
    form = MassesRaterForm(
        request.POST or None, branch=branch, ratees=selectors.masses_ratee_choices(branch_id=branch.pk)
    )
    return form_action(
        request,
        form,
        lambda data: services.masses_rater_create(
            actor=request.user,
            branch_id=branch.pk,
            employee_no=data["employee_no"],
            name=data["name"],
            ratee_ids=_ratee_ids(data),
        ),
        template="members/masses_form.html",
        context={"rater": None, "branch": branch, "branches": branches},
        success_url=_masses_list_url(branch.pk),
        success_message=lambda rater: _("%(name)s was added as a masses rater.") % {"name": rater.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def masses_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rater = selectors.masses_rater_get_for_edit(user=request.user, pk=pk)
    form = MassesRaterForm(
        request.POST or None,
        instance=rater,
        branch=rater.branch,
        ratees=selectors.masses_ratee_choices(branch_id=rater.branch_id, rater=rater),
    )
    return form_action(
        request,
        form,
        lambda data: services.masses_rater_update(
            actor=request.user,
            rater_id=rater.pk,
            employee_no=data["employee_no"],
            name=data["name"],
            ratee_ids=_ratee_ids(data),
        ),
        template="members/masses_form.html",
        context={"rater": rater, "branch": rater.branch},
        success_url=_masses_list_url(rater.branch_id),
        success_message=lambda saved: _("The record of %(name)s was saved.") % {"name": saved.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def masses_login(request: HttpRequest, pk: int) -> HttpResponse:
    rater = selectors.masses_rater_get_for_edit(user=request.user, pk=pk)

    def set_login(data: dict):
        try:
            return services.masses_rater_set_login(actor=request.user, rater_id=rater.pk, password=data["password1"])
        except ValidationError as exc:
            # What is wrong is said beside the password typed.
            raise ValidationError({"password1": exc.messages}) from exc

    return form_action(
        request,
        LoginForm(request.POST or None),
        set_login,
        template="members/masses_login.html",
        context={"rater": rater},
        success_url=_masses_list_url(rater.branch_id),
        success_message=lambda user: (
            _("%(name)s can now log in as %(username)s with the new password.")
            % {"name": rater.name, "username": user.username}
        ),
    )


def _masses_set_active(request: HttpRequest, pk: int, *, active: bool) -> HttpResponse:
    rater = selectors.masses_rater_get_for_edit(user=request.user, pk=pk)
    if active:
        done = _("%(name)s is active again and can rate.")
    else:
        done = _("%(name)s was deactivated: their one-time link no longer works.")
    return button_action(
        request,
        lambda: services.masses_rater_set_active(actor=request.user, rater_id=rater.pk, active=active),
        success_url=_masses_list_url(rater.branch_id),
        success_message=done % {"name": rater.name},
    )


@login_required
@require_POST
def masses_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _masses_set_active(request, pk, active=False)


@login_required
@require_POST
def masses_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _masses_set_active(request, pk, active=True)
