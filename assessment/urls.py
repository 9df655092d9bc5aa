from django.urls import include, path

app_name = "assessment"

urlpatterns = [
    path("", include("assessment.urls_ratings")),
    path("", include("assessment.urls_excel")),
    path("", include("assessment.urls_results")),
]
