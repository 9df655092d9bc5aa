"""Excel downloads and the paper-ballot import (mounted in the "assessment" namespace)."""

from django.urls import path

from . import views_excel

urlpatterns = [
    path("ratings/<str:code>/template/", views_excel.rating_template_download, name="rating_template_download"),
    path("ratings/<str:code>/import/", views_excel.ratings_import, name="ratings_import"),
    path("ratings/<str:code>/import/confirm/", views_excel.ratings_import_confirm, name="ratings_import_confirm"),
    path("results/<str:code>/rankings.xlsx", views_excel.rankings_download, name="rankings_download"),
]
