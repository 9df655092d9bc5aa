from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders and notifications")

    def ready(self) -> None:
        # The receivers of the other apps' signals (what happened to a person's work), and
        # the daily run's 三会一课 reminders (registered with services.builder).
        from . import compliance, events  # noqa: F401
