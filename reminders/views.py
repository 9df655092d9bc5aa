from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.selectors import committee_branch_for_user
from partybuild.lib.actions import button_action
from partybuild.lib.pagination import paginate
from partybuild.lib.quarters import Quarter, recent_quarters

from . import nudges
from .models import Notification
from .selectors import group_by_day_and_kind, unread_count

# A page holds a reminder run's groups (shown one entry per day and kind).
NOTES_PER_PAGE = 50


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notes = Notification.objects.filter(recipient=request.user)
    show = request.GET.get("show", "unread")
    count = None
    if show == "unread":
        notes = notes.filter(read_at__isnull=True)
        # The navigation shows the same count: one COUNT serves both.
        count = request.unread_notification_count = unread_count(user_id=request.user.pk)
    rows = notes.order_by("-created_at", "-pk").values("pk", "kind", "title", "body", "created_at", "read_at")
    page = paginate(request, rows, NOTES_PER_PAGE, count=count)
    return render(
        request,
        "reminders/notification_list.html",
        {"page": page, "days": group_by_day_and_kind(page.object_list), "show": show, "query": f"show={show}"},
    )


@login_required
@require_POST
def notification_open(request: HttpRequest) -> HttpResponse:
    """Mark the chosen notification read and go to the thing to do.

    The list is one form whose buttons carry the notification's id, so that the page
    does not render a URL and a CSRF token for every row."""
    try:
        pk = int(request.POST.get("notification", ""))
    except ValueError:
        pk = None
    note = Notification.objects.filter(pk=pk, recipient=request.user).first() if pk and 0 < pk < 2**63 else None
    if note is None:
        messages.error(request, _("That notification was not found among yours."))
        return redirect("reminders:list")
    if note.read_at is None:
        Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=timezone.now())
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("reminders:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    n = Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("%(n)d notifications marked as read.") % {"n": n})
    return redirect("reminders:list")


@login_required
@require_POST
def remind_reports(request: HttpRequest) -> HttpResponse:
    """The review board's button: remind the branch's members who have not submitted the
    quarter's report (each at most once a day)."""
    branch, branches = committee_branch_for_user(
        user=request.user, requested=request.POST.get("branch"), pick_first=False
    )
    board = reverse("study:review_board")
    if branch is None:
        messages.error(request, _("Branch: choose the branch whose members to remind."))
        return redirect(board)
    try:
        quarter = Quarter.parse(request.POST.get("quarter", ""))
    except ValueError:
        quarter = None
    if quarter not in recent_quarters(8):  # the board's choices
        messages.error(request, _("Quarter: choose the quarter from the board."))
        return redirect(board)
    query = {"quarter": quarter.code, **({"branch": branch.pk} if branches is not None else {})}
    back = f"{board}?{urlencode(query)}"

    def said(reminded: int) -> str:
        if reminded:
            return _("%(n)d members who have not submitted their report were reminded.") % {"n": reminded}
        return _("Nobody was reminded: everyone who has not submitted was reminded today already or has no login.")

    return button_action(
        request,
        lambda: nudges.remind_unsubmitted(actor=request.user, branch_id=branch.pk, quarter=quarter),
        success_url=back,
        success_message=said,
        failure_url=back,
    )
