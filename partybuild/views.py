from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessment.views.home import home_context as assessment_home
from members.roles import get_roles
from members.views import home_context as roster_home
from study.views.home import home_context as study_home


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One home page per person, made of each platform's panels for the roles they hold."""
    roles = get_roles(request.user)
    context = {"roles": roles}
    for panel in (roster_home, study_home, assessment_home):
        context.update(panel(request, roles))
    return render(request, "home.html", context)
