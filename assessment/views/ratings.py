"""Rating in the browser: members (self and peers), the branch committee (the
organisation's rating), masses raters (with a login or through a one-time link),
and the committee's page that issues and prints those links."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members import selectors as member_selectors
from members.models import MassesRater
from members.roles import get_roles
from partybuild.lib.actions import button_action, form_action
from partybuild.lib.pagination import paginate

from ..forms.ratings import RatingForm
from ..models import Period, RaterGroup, RatingChannel
from ..selectors import ratings as selectors
from ..selectors.eligibility import groups_actor_may_rate_as
from ..services import AssessmentError
from ..services import ratings as services


@login_required
def rate_home(request: HttpRequest) -> HttpResponse:
    """Everything the person has to rate in the open period, with what is done."""
    roles = get_roles(request.user)
    if not (roles.is_member or roles.is_committee or roles.is_masses_rater or roles.is_admin):
        raise PermissionDenied
    period = selectors.current_period(request.GET.get("period"))
    context: dict = {"period": period, "roles": roles}
    if period is None or period.state != Period.State.OPEN:
        return render(request, "assessment/rate_home.html", context)
    if roles.is_member:
        peers = list(selectors.my_peer_tasks(roles=roles, period=period))
        context["self_rating"] = selectors.my_self_rating(roles=roles, period=period)
        context["peers"] = peers
        context["peers_done"] = sum(1 for p in peers if p.rated)
    if roles.committee_branch_id is not None:
        tasks = selectors.org_tasks(roles=roles, period=period)
        state = request.GET.get("org")
        if state == "todo":
            tasks = tasks.filter(rated=False)
        context["org_page"] = paginate(request, tasks, per_page=50)
        context["org_counts"] = selectors.org_rating_counts(
            period=period, branch_id=roles.committee_branch_id, excluding=roles.member.pk
        )
        context["org_state"] = state
    if roles.is_admin:
        context["admin_org"] = list(selectors.admin_org_tasks(period=period)[:200])
    if roles.is_masses_rater:
        context["masses"] = list(selectors.masses_tasks(rater=roles.masses_rater, period=period))
    return render(request, "assessment/rate_home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rate_form(request: HttpRequest, code: str, ratee_pk: int, group: str) -> HttpResponse:
    period = selectors.period_get_by_code(code=code)
    roles = get_roles(request.user)
    ratee = selectors.ratee_get(pk=ratee_pk)
    # Someone the person may not rate in this capacity does not exist, as far as they can tell.
    if ratee is None or group not in groups_actor_may_rate_as(roles=roles, ratee=ratee):
        raise Http404
    if period.state != Period.State.OPEN:
        messages.error(request, _("Rating is not open for %(period)s.") % {"period": period.name})
        return redirect("assessment:rate_home")
    existing = selectors.own_rating(roles=roles, period=period, ratee=ratee, group=group)
    items = services.rubric_items(period)
    form = RatingForm(
        request.POST or None,
        items=items,
        initial_scores=existing.scores if existing else {},
        # Version 0 stands for "there was no rating when the form was opened": a rating
        # saved in the meantime (another tab, or a fellow committee member giving the
        # organisation's rating) is then refused instead of overwritten.
        initial={"version": existing.version if existing else 0},
    )
    return form_action(
        request,
        form,
        lambda data: services.rating_save(
            actor=request.user,
            period_id=period.pk,
            ratee_id=ratee.pk,
            rater_group=group,
            scores=form.scores(),
            version=data.get("version") or 0,
        ),
        template="assessment/rate_form.html",
        context={"period": period, "ratee": ratee, "group": group},
        success_url=f"{reverse('assessment:rate_home')}?period={period.code}",
        success_message=_("Your %(group)s rating of %(name)s was saved.")
        % {"group": RaterGroup(group).label, "name": ratee.name},
    )


# ---------------------------------------------------------------------------
# The committee's side of the one-time links


def _committee_branch(request: HttpRequest):
    return member_selectors.committee_branch_for_user(user=request.user, requested=request.GET.get("branch"))


@login_required
def ballot_list(request: HttpRequest) -> HttpResponse:
    """The branch's masses raters and their one-time links for the open period."""
    branch, branches = _committee_branch(request)
    period = selectors.current_period(request.GET.get("period"))
    context = {"period": period, "branch": branch, "branches": branches}
    if period is None or branch is None:
        return render(request, "assessment/ballot_list.html", context)
    page = paginate(request, selectors.masses_raters_of_branch(branch=branch), per_page=50)
    ballots = selectors.ballots_of(period=period, raters=list(page.object_list))
    rows = [(r, ballots.get(r.pk)) for r in page.object_list]
    context.update(page=page, rows=rows, query=f"period={period.code}&branch={branch.pk}")
    return render(request, "assessment/ballot_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rating_progress(request: HttpRequest) -> HttpResponse:
    """The branch's rating in the open period: how many ratings are in per rater group
    (counts only: never who, never when) and whether peers and masses rate online or on
    paper."""
    branch, branches = _committee_branch(request)
    period = selectors.current_period(request.GET.get("period"))
    if request.method == "POST" and period is not None and branch is not None:
        return button_action(
            request,
            lambda: services.channel_set(
                actor=request.user,
                period_id=period.pk,
                branch_id=branch.pk,
                rater_group=request.POST.get("rater_group", ""),
                channel=request.POST.get("channel", ""),
            ),
            success_url=f"{reverse('assessment:rating_progress')}?period={period.code}&branch={branch.pk}",
            success_message=_("The rating channel was saved."),
        )
    context = {"period": period, "branch": branch, "branches": branches}
    if period is not None and branch is not None:
        counts = selectors.progress_counts(period=period, branch_id=branch.pk)
        context.update(
            members=selectors.branch_member_count(branch=branch),
            progress=list(counts.items()),
            channels=selectors.channels_of(period=period, branch=branch),
            channel_choices=RatingChannel.Channel.choices,
        )
    return render(request, "assessment/rating_progress.html", context)


@login_required
@require_POST
def ballot_issue(request: HttpRequest, code: str) -> HttpResponse:
    period = selectors.period_get_by_code(code=code)
    raw = request.POST.getlist("rater")
    if not raw or not all(r.isdigit() for r in raw):
        messages.error(request, _("Choose a masses rater."))
        return redirect(f"{reverse('assessment:ballot_list')}?period={period.code}")
    raters = MassesRater.objects.filter(pk__in=[int(r) for r in raw])
    issued = 0
    try:
        for rater in raters:
            services.ballot_issue(
                actor=request.user, period_id=period.pk, rater_id=rater.pk, reissue=bool(request.POST.get("reissue"))
            )
            issued += 1
    except AssessmentError as exc:
        messages.error(request, exc.message)
    if issued:
        messages.success(request, _("%(n)d link(s) ready to hand out.") % {"n": issued})
    branch = raters[0].branch_id if raters else ""
    return redirect(f"{reverse('assessment:ballot_list')}?period={period.code}&branch={branch}")


@login_required
def ballot_print(request: HttpRequest, code: str) -> HttpResponse:
    """Printable slips: each rater's name, QR code, link and ballot code."""
    period = selectors.period_get_by_code(code=code)
    branch, _branches = _committee_branch(request)
    ballots = selectors.printable_ballots(period=period, branch=branch)
    return render(request, "assessment/ballot_print.html", {"period": period, "branch": branch, "ballots": ballots})


# ---------------------------------------------------------------------------
# The masses rater's side: no login, only the token


def ballot_entry(request: HttpRequest, token: str) -> HttpResponse:
    ballot = selectors.ballot_get_by_token(token=token)
    state = services.ballot_state(ballot)
    tasks = list(selectors.masses_tasks(rater=ballot.rater, period=ballot.period)) if state.usable else []
    return render(
        request,
        "assessment/ballot_entry.html",
        {"ballot": ballot, "state": state, "tasks": tasks, "done": sum(1 for t in tasks if t.rated)},
    )


@require_http_methods(["GET", "POST"])
def ballot_rate(request: HttpRequest, token: str, ratee_pk: int) -> HttpResponse:
    ballot = selectors.ballot_get_by_token(token=token)
    state = services.ballot_state(ballot)
    if not state.usable:
        return redirect("assessment:ballot_entry", token=token)
    ratee = get_object_or_404(ballot.rater.ratees.filter(is_active=True).select_related("branch"), pk=ratee_pk)
    if selectors.own_rating(roles=None, period=ballot.period, ratee=ratee, group=RaterGroup.MASSES, rater=ballot.rater):
        messages.info(request, _("You have already rated %(name)s.") % {"name": ratee.name})
        return redirect("assessment:ballot_entry", token=token)
    form = RatingForm(request.POST or None, items=services.rubric_items(ballot.period))
    return form_action(
        request,
        form,
        lambda data: services.rating_save_by_ballot(token=token, ratee_id=ratee.pk, scores=form.scores()),
        template="assessment/rate_form.html",
        context={
            "period": ballot.period,
            "ratee": ratee,
            "group": RaterGroup.MASSES,
            "ballot": ballot,
        },
        success_url=reverse("assessment:ballot_entry", args=[token]),
        success_message=_("Your rating of %(name)s was saved. Thank you.") % {"name": ratee.name},
    )
