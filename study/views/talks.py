"""Individual talks: the list (each talk with what it follows up: an assessment's flag and
total, a returned report's quarter), and a talk's page where the committee records it,
then goes on to the next open talk of the same list."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.roles import get_roles
from partybuild.lib.actions import form_action
from partybuild.lib.pagination import paginate

from ..forms.talks import TalkRecordForm
from ..models import Talk
from ..selectors import reports as selectors
from ..selectors import talks as talk_selectors
from ..services import talks as services


def _list_of(request: HttpRequest) -> tuple[str, bool, str]:
    """Which list the page belongs to: its status, whether it is the company's share
    (talks with branch secretaries, the administrator's), and its query string."""
    status = request.GET.get("status", Talk.Status.OPEN)
    if status not in (*Talk.Status.values, "all"):
        status = Talk.Status.OPEN
    for_company = get_roles(request.user).is_admin and request.GET.get("holder") == "company"
    query = urlencode({"status": status, **({"holder": "company"} if for_company else {})})
    return status, for_company, query


@login_required
def talk_list(request: HttpRequest) -> HttpResponse:
    status, for_company, query = _list_of(request)
    talks = talk_selectors.talk_list_filtered(user=request.user, status=status, for_company=for_company)
    page = paginate(request, talks)
    outcomes = talk_selectors.talk_outcomes_for(list(page.object_list))
    rows = [(talk, outcomes.get(talk.pk)) for talk in page.object_list]
    return render(
        request,
        "study/talk_list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "for_company": for_company,
            "query": query,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def talk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A talk, and for the branch committee the form that records it; "save and next"
    goes on to the next open talk of the list the talk was opened from."""
    talk = selectors.talk_get_for_user(user=request.user, pk=pk)
    can_record = talk.status == Talk.Status.OPEN and services.talk_can_record(actor=request.user, talk=talk)
    _status, for_company, query = _list_of(request)
    context = {
        "talk": talk,
        "outcome": talk_selectors.talk_outcomes_for([talk]).get(talk.pk),
        "today": timezone.localdate(),
        "held_by_company": talk.status == Talk.Status.OPEN and services.talk_falls_to_company(talk),
        "query": query,
    }
    if not can_record:
        return render(request, "study/talk_detail.html", {**context, "form": None})

    def then(recorded: Talk) -> str:
        if request.POST.get("then") != "next":
            return recorded.get_absolute_url()
        following = talk_selectors.talk_next_open(
            user=request.user,
            after=recorded,
            for_company=for_company,
            recordable=lambda t: services.talk_can_record(actor=request.user, talk=t),
        )
        if following is None:
            messages.info(request, _("That was the last open talk of the list."))
            return f"{reverse('study:talk_list')}?{query}"
        return f"{following.get_absolute_url()}?{query}"

    return form_action(
        request,
        TalkRecordForm(request.POST or None, initial={"talked_on": timezone.localdate()}),
        lambda data: services.talk_record(actor=request.user, talk_id=talk.pk, **data),
        template="study/talk_detail.html",
        context=context,
        success_url=then,
        success_message=_("The talk was recorded."),
    )
