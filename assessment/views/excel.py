"""Excel in the browser: the paper-ballot template and its import (administrators: any
branch; a branch secretary: their own), and the rankings workbook (administrators: company
or a branch; the branch committee: their branch, once the results are published)."""

from __future__ import annotations

import io
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members import selectors as member_selectors
from members.models import Branch
from members.roles import get_roles

from ..forms.excel import RatingsUploadForm
from ..models import Period
from ..selectors import ratings as rating_selectors
from ..selectors import results as selectors
from ..selectors.comparison import compare_period_for
from ..services import AssessmentError
from ..services.ballots import template_export, template_import
from ..services.rankings_export import (
    export_filename,
    rankings_export,
    rankings_filename,
    rankings_zip_export,
    rankings_zip_filename,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_DIR = Path(settings.VAR_DIR) / "imports"
SESSION_KEY = "ratings_import"


def _paper_scope(request: HttpRequest, code: str) -> tuple[Period, int | None]:
    """The period, and the branch a secretary's paper ballots are limited to (None for the
    administrator, who handles any branch); 403 for anyone else."""
    roles = get_roles(request.user)
    if not (roles.is_admin or roles.is_secretary):
        raise PermissionDenied
    return get_object_or_404(Period, code=code), None if roles.is_admin else roles.secretary_branch_id


@login_required
@require_GET
def paper_ballots(request: HttpRequest) -> HttpResponse:
    """The menu's way in: the paper ballots of the period open for rating."""
    roles = get_roles(request.user)
    if not (roles.is_admin or roles.is_secretary):
        raise PermissionDenied
    period = rating_selectors.current_period()
    if period is None:
        messages.info(request, _("No assessment period is open for rating: paper ballots are entered while it is."))
        return redirect("assessment:period_list" if roles.is_admin else "assessment:rate_home")
    return redirect("assessment:ratings_import", code=period.code)


def _branch_param(request: HttpRequest, source) -> Branch | None:
    value = (source.get("branch") or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return get_object_or_404(Branch, pk=int(value))


@login_required
@require_POST
def rating_template_download(request: HttpRequest, code: str) -> HttpResponse:
    """The period's rating template, as a download (the form on the paper-ballot page posts
    the branch it is for)."""
    period, own_branch = _paper_scope(request, code)
    branch = _branch_param(request, request.POST)
    if own_branch is not None:
        # A secretary's template is their branch's, whatever the form said.
        if branch is not None and branch.pk != own_branch:
            raise Http404
        branch = get_object_or_404(Branch, pk=own_branch)
    fh = tempfile.TemporaryFile()
    try:
        template_export.rating_template_export(
            actor=request.user, period_id=period.pk, out=fh, branch_id=branch.pk if branch else None
        )
    except AssessmentError as exc:
        fh.close()
        messages.error(request, exc.message)
        return redirect("assessment:ratings_import", code=period.code)
    fh.seek(0)
    filename = export_filename(what=_("Rating template"), period=period, branch_name=branch.name if branch else None)
    return FileResponse(fh, as_attachment=True, filename=filename, content_type=XLSX)


@login_required
@require_http_methods(["GET", "POST"])
def ratings_import(request: HttpRequest, code: str) -> HttpResponse:
    """Upload, then preview: the file is checked in a dry run and kept for the confirm step."""
    period, own_branch = _paper_scope(request, code)
    form = RatingsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read()
        report = template_import.ratings_import(
            period_id=period.pk, file=io.BytesIO(content), actor=request.user, dry_run=True, branch_id=own_branch
        )
        token = ""
        if report.ok and report.writes:
            token = uuid.uuid4().hex
            IMPORT_DIR.mkdir(parents=True, exist_ok=True)
            (IMPORT_DIR / f"ratings-{token}.xlsx").write_bytes(content)
            request.session[SESSION_KEY] = {"token": token, "period": period.code}
        return render(
            request,
            "assessment/excel_ratings_import_preview.html",
            {"period": period, "report": report, "token": token, "filename": form.cleaned_data["file"].name},
        )
    return render(
        request,
        "assessment/excel_ratings_import.html",
        {
            "period": period,
            "form": form,
            "branches": member_selectors.branch_list_for_user(user=request.user),
            "roles": get_roles(request.user),
        },
    )


@login_required
@require_POST
def ratings_import_confirm(request: HttpRequest, code: str) -> HttpResponse:
    period, own_branch = _paper_scope(request, code)
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY) or {}
    if not token or pending.get("token") != token or pending.get("period") != period.code:
        messages.error(request, _("The preview has expired; upload the file again."))
        return redirect("assessment:ratings_import", code=period.code)
    path = IMPORT_DIR / f"ratings-{token}.xlsx"
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        messages.error(request, _("The preview has expired; upload the file again."))
        return redirect("assessment:ratings_import", code=period.code)
    report = template_import.ratings_import(
        period_id=period.pk, file=io.BytesIO(content), actor=request.user, dry_run=False, branch_id=own_branch
    )
    path.unlink(missing_ok=True)
    request.session.pop(SESSION_KEY, None)
    if not report.ok:
        # The ratings or the period changed between preview and confirm; show why nothing was written.
        return render(
            request, "assessment/excel_ratings_import_preview.html", {"period": period, "report": report, "token": ""}
        )
    messages.success(request, _("Ratings imported: %(summary)s") % {"summary": template_import.import_summary(report)})
    return redirect("assessment:ratings_import", code=period.code)


def _rankings_scope(request: HttpRequest, code: str) -> tuple[Period, int | None, bool, Period | None]:
    """(period, branch id or None for the company, whether the company rank is shown, the
    compared period) of a rankings download, or 403 / 404."""
    period = get_object_or_404(Period, code=code)
    branch_id, company_rank = selectors.rankings_scope_for_user(
        user=request.user, period=period, branch_param=request.GET.get("branch", "")
    )
    return period, branch_id, company_rank, compare_period_for(period, request.GET.get("compare", ""))


def _not_computed(request: HttpRequest, period: Period) -> HttpResponse:
    messages.error(request, _("The results of %(period)s have not been computed yet.") % {"period": period.name})
    return redirect("home")


def _rankings_file(request: HttpRequest, code: str, *, export, filename, content_type: str) -> HttpResponse:
    """The rankings written by ``export`` to a temporary file and sent as ``filename``, in the
    workbook's scope (the committee: its own branch); refused until the results are computed."""
    period, branch_id, company_rank, compare = _rankings_scope(request, code)
    if period.computed_at is None:
        return _not_computed(request, period)
    fh = tempfile.TemporaryFile()
    export(period=period, out=fh, branch_id=branch_id, company_rank=company_rank, compare=compare)
    fh.seek(0)
    name = filename(period=period, branch_id=branch_id)
    return FileResponse(fh, as_attachment=True, filename=name, content_type=content_type)


@login_required
@require_GET
def rankings_download(request: HttpRequest, code: str) -> HttpResponse:
    return _rankings_file(request, code, export=rankings_export, filename=rankings_filename, content_type=XLSX)


@login_required
@require_GET
def rankings_zip_download(request: HttpRequest, code: str) -> HttpResponse:
    """The same rankings as one workbook per branch inside a ZIP, for a company whose sheets
    are too long to work with."""
    return _rankings_file(
        request, code, export=rankings_zip_export, filename=rankings_zip_filename, content_type="application/zip"
    )
