from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Contribution at the post")

    def ready(self) -> None:
        from study.selectors.compliance import register_meeting_source

        from .meetings import PartyDayMeetings

        register_meeting_source(PartyDayMeetings())
