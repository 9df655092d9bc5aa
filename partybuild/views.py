"""The pages that gather from every app: the home page, a member's history and the user guides."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

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


# The user guides (templates/help/<key>.html, Chinese documents), in the order of the roles'
# power; a visitor's roles (Roles.names) choose the guide the help page opens with. A
# committee member works as the secretary does; a masses rater rates as members do.
HELP_GUIDES = {
    "member": _("Party member"),
    "leader": _("Group leader"),
    "secretary": _("Branch secretary"),
    "admin": _("Administrator"),
}
HELP_ROLE_GUIDES = {"admin": "admin", "secretary": "secretary", "committee": "secretary", "leader": "leader"}


@login_required
def help_page(request: HttpRequest) -> HttpResponse:
    """The guide asked for (?guide=), or the one of the visitor's most powerful role, with
    links to the others; the visitor's own are marked. Traditional Chinese readers get the
    guide converted by scripts/fill_help_hant.py (templates/help/zh_hant/)."""
    mine = list(dict.fromkeys(HELP_ROLE_GUIDES.get(name, "member") for name in get_roles(request.user).names))
    guide = request.GET.get("guide", "")
    if guide not in HELP_GUIDES:
        guide = mine[0] if mine else "member"
    template = f"help/zh_hant/{guide}.html" if get_language() == "zh-hant" else f"help/{guide}.html"
    guides = [
        {"key": key, "label": label, "mine": key in mine, "current": key == guide} for key, label in HELP_GUIDES.items()
    ]
    return render(request, "help/page.html", {"guide": guide, "guide_template": template, "guides": guides})
