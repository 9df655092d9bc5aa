"""Platform 2 — contribution at the post. Each feature keeps its own URL module."""

from django.urls import include, path

app_name = "activities"

urlpatterns = [
    path("suggestions/", include("activities.urls_suggestions")),
    path("party-days/", include("activities.urls_partydays")),
    path("pioneer-posts/", include("activities.urls_posts")),
    path("warmth/", include("activities.urls_warmth")),
]
