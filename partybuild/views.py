"""The pages that gather from every app: the home page and a member's history."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessment.views.home import home_context as assessment_home
from members import selectors as member_selectors
from members.roles import get_roles
from members.views import home_context as roster_home
from partybuild import timeline
from partybuild.lib.pagination import paginate
from study.views.home import home_context as study_home


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One home page per person, made of each platform's panels for the roles they hold."""
    roles = get_roles(request.user)
    context = {"roles": roles}
    for panel in (roster_home, study_home, assessment_home):
        context.update(panel(request, roles))
    return render(request, "home.html", context)


@login_required
def member_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything that happened to the member's records, newest first (administrators only)."""
    member = member_selectors.member_history_get_for_user(user=request.user, pk=pk)
    page = paginate(request, timeline.member_timeline(member=member))
    rows = timeline.timeline_rows(list(page.object_list))
    anonymous = timeline.anonymous_ratings_received(member=member)
    return render(
        request, "members/member_history.html", {"member": member, "page": page, "rows": rows, "anonymous": anonymous}
    )
