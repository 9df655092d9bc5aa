"""三会一课 compliance: the branch committee's table, the administrator's list of every branch
(and its workbook), and the requirements the administrator sets."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from members import selectors as member_selectors
from members.roles import get_roles
from partybuild.lib.pagination import paginate, query_without_page

from ..forms.compliance import MeetingRuleFormSet
from ..models import MeetingRule
from ..selectors import compliance_tables as tables
from ..selectors.compliance import compliance, meetings_held, rules_in_force
from ..services.compliance import meeting_rules_update
from ..services.compliance_export import compliance_export, compliance_filename

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COMPANY_PAGE = 50
HISTORY_SHOWN = 30


def _year(request: HttpRequest) -> int:
    year, valid = tables.parse_year(request.GET.get("year"))
    if not valid:
        messages.error(
            request,
            _("“%(value)s” is not a year this table can show (2000 to next year); showing %(year)s.")
            % {"value": request.GET.get("year", "")[:20], "year": year},
        )
    return year


def _require_admin(request: HttpRequest) -> None:
    if not get_roles(request.user).is_admin:
        raise PermissionDenied


@login_required
@require_GET
def compliance_branch(request: HttpRequest) -> HttpResponse:
    """The branch's requirements against the meetings held, month by month or quarter by quarter."""
    branch, branches = member_selectors.committee_branch_for_user(
        user=request.user, requested=request.GET.get("branch")
    )
    year = _year(request)
    context = {"branch": branch, "branches": branches, "year": year, "years": tables.year_choices()}
    if branch is not None:
        rules = rules_in_force()
        entry = compliance(year=year, branches=[branch], rules=rules)[0]
        sections = tables.branch_sections(entry=entry, rules=rules, held=meetings_held(year=year, branch=branch))
        context.update(
            entry=entry,
            sections=sections,
            month_labels=tables.month_labels(),
            future=year > timezone.localdate().year,
            is_admin=branches is not None,
        )
    return render(request, "study/compliance_branch.html", context)


# The orders and the filter that need every branch's figures before a page can be cut.
WHOLE_LIST_SORTS = ("rate", "-rate", "behind")


def _company(request: HttpRequest, *, whole: bool) -> dict:
    """The administrator's list. Sorted by a figure or filtered to the branches behind, every
    branch's figures are computed (compliance() is a fixed number of queries for any number of
    branches) and the list is sorted and filtered in Python; in the organisation's order or by
    name, and for a page only (``whole`` False), only the page's branches are computed, so the
    default list costs the same at 20 branches and at 2,000."""
    year = _year(request)
    rules = rules_in_force()
    rule_value = request.GET.get("rule", "").strip()
    shown = [r for r in rules if str(r.pk) == rule_value] or rules
    if rule_value and len(shown) != 1:
        messages.error(request, _("There is no such requirement; every requirement is shown."))
        rule_value = ""
    sort = request.GET.get("sort", "")
    sort = sort if sort in tables.SORTS else ""
    query = request.GET.get("q", "").strip()[:100]
    branches = member_selectors.branch_list_for_user(user=request.user)
    if query:
        branches = branches.filter(name__icontains=query)
    if sort == "name":
        branches = branches.order_by("name", "pk")
    behind_only = request.GET.get("behind") == "1"
    context = {
        "year": year,
        "years": tables.year_choices(),
        "rules": rules,
        "shown": shown,
        "rule_value": rule_value,
        "sort": sort,
        "q": query,
        "behind_only": behind_only,
    }
    if whole or behind_only or sort in WHOLE_LIST_SORTS:
        entries = compliance(year=year, branches=branches, rules=shown)
        rows = tables.company_rows(entries, shown, behind_only=behind_only, sort=sort)
        page = paginate(request, rows, COMPANY_PAGE)
        context.update(rows=rows, page=page, branch_count=len(entries), behind_count=sum(1 for r in rows if r.behind))
    else:
        page = paginate(request, branches, COMPANY_PAGE)
        entries = compliance(year=year, branches=page.object_list, rules=shown)
        page.object_list = tables.company_rows(entries, shown)
        context.update(rows=page.object_list, page=page, branch_count=page.paginator.count, behind_count=None)
    return context


@login_required
@require_GET
def compliance_company(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    context = _company(request, whole=False)
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("sort", None)
    context.update(
        query=query_without_page(request),
        sort_query=params.urlencode(),
        export_query=params.urlencode(),
    )
    return render(request, "study/compliance_company.html", context)


@login_required
@require_GET
def compliance_company_xlsx(request: HttpRequest) -> HttpResponse:
    """The list as filtered, every branch (not a page of them), as a workbook."""
    _require_admin(request)
    context = _company(request, whole=True)
    fh = tempfile.TemporaryFile()
    compliance_export(rows=context["rows"], rules=context["shown"], year=context["year"], out=fh)
    fh.seek(0)
    return FileResponse(fh, as_attachment=True, filename=compliance_filename(year=context["year"]), content_type=XLSX)


@login_required
@require_http_methods(["GET", "POST"])
def compliance_rules(request: HttpRequest) -> HttpResponse:
    """The requirements: how often each meeting is required, with their history."""
    _require_admin(request)
    rules_in_force()  # the usual rules, where every one was deleted
    queryset = MeetingRule.objects.all()
    formset = MeetingRuleFormSet(request.POST or None, queryset=queryset, prefix="rules")
    if request.method == "POST":
        if formset.is_valid():
            changes = {f.instance.pk: f.cleaned_data for f in formset.initial_forms if f.has_changed()}
            try:
                changed = meeting_rules_update(actor=request.user, changes=changes)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The requirements were saved (%(n)d changed).") % {"n": changed})
                return redirect("study:compliance_rules")
        else:
            for form in formset.forms:
                for name, errors in form.errors.items():
                    label = form.fields[name].label if name in form.fields else _("Requirement")
                    meeting = form.instance.short_label if form.instance.pk else ""
                    messages.error(request, f"{meeting} · {label}: {' '.join(errors)}")
            for error in formset.non_form_errors():
                messages.error(request, error)
    history = MeetingRule.history.select_related("history_user").order_by("-history_date", "-history_id")
    return render(
        request,
        "study/compliance_rules.html",
        {"formset": formset, "history": list(history[:HISTORY_SHOWN])},
    )
