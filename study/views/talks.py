from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.roles import get_roles
from partybuild.lib.actions import form_action
from partybuild.lib.pagination import paginate

from ..forms.talks import TalkRecordForm
from ..models import Talk
from ..selectors import reports as selectors
from ..services import talks as services


@login_required
def talk_list(request: HttpRequest) -> HttpResponse:
    talks = selectors.talk_list_for_user(user=request.user)
    status = request.GET.get("status", "open")
    if status in Talk.Status.values:
        talks = talks.filter(status=status)
    # The administrator's own share: talks with branch secretaries, whom nobody in the branch talks to.
    for_company = get_roles(request.user).is_admin and request.GET.get("holder") == "company"
    if for_company:
        talks = selectors.talks_for_company(talks)
    page = paginate(request, talks.order_by("due_on", "pk") if status == "open" else talks.order_by("-pk"))
    query = f"status={status}" + ("&holder=company" if for_company else "")
    return render(
        request,
        "study/talk_list.html",
        {"page": page, "status": status, "for_company": for_company, "query": query, "today": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def talk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A talk, and for the branch committee the form that records it."""
    talk = selectors.talk_get_for_user(user=request.user, pk=pk)
    can_record = talk.status == Talk.Status.OPEN and services.talk_can_record(actor=request.user, talk=talk)
    context = {
        "talk": talk,
        "today": timezone.localdate(),
        "held_by_company": talk.status == Talk.Status.OPEN and services.talk_falls_to_company(talk),
    }
    if not can_record:
        return render(request, "study/talk_detail.html", {**context, "form": None})
    return form_action(
        request,
        TalkRecordForm(request.POST or None, initial={"talked_on": timezone.localdate()}),
        lambda data: services.talk_record(actor=request.user, talk_id=talk.pk, **data),
        template="study/talk_detail.html",
        context=context,
        success_url=talk,
        success_message=_("The talk was recorded."),
    )
