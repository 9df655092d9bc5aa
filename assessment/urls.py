from django.urls import include, path

app_name = "assessment"

urlpatterns = [
    path("", include("assessment.urls_ratings")),
    path("cards/", include("assessment.urls_cards")),
    path("", include("assessment.urls_excel")),
    path("", include("assessment.urls_results")),
]
