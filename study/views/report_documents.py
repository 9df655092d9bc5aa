"""The quarterly reports as Word documents: one report, scoped like its print view, and a
branch's approved reports of a quarter, scoped like the review board."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from members import selectors as member_selectors
from partybuild.lib import word
from partybuild.lib.quarters import quarter_label

from ..documents import reports as documents
from ..forms.report_documents import ReportBundleForm
from ..selectors import report_documents as bundle_selectors
from ..selectors import reports as selectors


@login_required
@require_GET
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    figures = selectors.report_figures(report)
    document = documents.report_document(report, figures=figures)
    return word.docx_response(document, documents.report_filename(report, figures))


@login_required
@require_GET
def review_board_docx(request: HttpRequest) -> HttpResponse:
    """The branch's approved reports of the quarter as one document (a page each) or as a ZIP
    of one document per member; back to the board with a message where there is nothing to
    download or the query names no quarter or format there is."""
    branch, branches = member_selectors.committee_branch_for_user(
        user=request.user, requested=request.GET.get("branch")
    )
    form = ReportBundleForm(request.GET)
    valid = form.is_valid()
    back = {"branch": branch.pk} if branch is not None and branches is not None else {}
    if valid:
        back["quarter"] = form.cleaned_data["quarter"].code
    board = reverse("study:review_board") + (f"?{urlencode(back)}" if back else "")
    if branch is None:
        messages.info(request, _("There are no branches yet."))
        return redirect(board)
    if not valid:
        messages.error(request, form.problems())
        return redirect(board)
    quarter, kind = form.cleaned_data["quarter"], form.cleaned_data["format"]
    reports = bundle_selectors.approved_reports(branch_id=branch.pk, quarter=quarter)
    if not reports:
        messages.info(
            request,
            _("No report of %(branch)s for %(quarter)s is approved yet: there is nothing to download.")
            % {"branch": branch.name, "quarter": quarter_label(quarter.code)},
        )
        return redirect(board)
    figures = bundle_selectors.figures_by_report(reports, quarter=quarter)
    if kind == ReportBundleForm.ZIP:
        return word.zip_response(
            documents.bundle_files(reports, figures), documents.bundle_filename(branch.name, quarter.code, "zip")
        )
    return word.docx_response(
        documents.bundle_document(reports, figures), documents.bundle_filename(branch.name, quarter.code, "docx")
    )
