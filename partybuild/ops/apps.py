from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "partybuild.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        # django-axes names its admin section "Axes", a plain string no catalogue reaches:
        # administrators see what it is, the login lock-out.
        if apps.is_installed("axes"):
            apps.get_app_config("axes").verbose_name = _("Login protection")
