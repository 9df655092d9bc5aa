from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Evaluation for excellence")

    def ready(self) -> None:
        from . import locks, receivers  # noqa: F401 (connects them)
