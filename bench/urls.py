"""The application's URLs, and each benchmarked page's floor under /bench-floor/.

Only bench/settings.py routes here: the floor views let any logged-in person see
the ids they are given in the URL, so they must never be reachable in a deployment.
"""

from django.urls import path

from partybuild.urls import urlpatterns as app_urlpatterns

from . import floor_views

urlpatterns = [
    *app_urlpatterns,
    path("bench-floor/member-home/<int:member_id>/", floor_views.member_home, name="floor_member_home"),
    path(
        "bench-floor/review-board/<int:branch_id>/<str:quarter>/", floor_views.review_board, name="floor_review_board"
    ),
    path("bench-floor/flagboard/<int:period_id>/<int:branch_id>/", floor_views.flagboard, name="floor_flagboard"),
    path("bench-floor/notifications/<int:user_id>/", floor_views.notifications, name="floor_notifications"),
    path("bench-floor/compliance-company/<int:year>/", floor_views.compliance_company, name="floor_compliance_company"),
    path("bench-floor/roster-search/", floor_views.roster_search, name="floor_roster_search"),
    path("bench-floor/admin-members/", floor_views.admin_members, name="floor_admin_members"),
    path("bench-floor/empty/", floor_views.empty, name="floor_empty"),
    path("bench-floor/signed-in/", floor_views.signed_in, name="floor_signed_in"),
    path("bench-floor/layout/", floor_views.layout, name="floor_layout"),
]
