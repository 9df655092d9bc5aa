from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessment.services import AssessmentError
from assessment.services.results import results_publish

from .compute_results import period_by_code, write_summary


class Command(BaseCommand):
    help = (
        "Publish the period's results (the period must be closed) into the publicity window: compute them "
        "afresh, show them to members, who may object until the window's last working day, and open a follow-up "
        "talk for every member at yellow or below. finalize_results ends the window."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="the period's code, e.g. 2026")
        parser.add_argument(
            "--days", type=int, default=None, help="working days of the publicity window (default: the period's own)"
        )

    def handle(self, *args, period: str, days: int | None, **options):
        the_period = period_by_code(period)
        try:
            summary, talks = results_publish(actor=None, period_id=the_period.pk, days=days)
        except AssessmentError as exc:
            raise CommandError(exc.message) from exc
        write_summary(self, the_period, summary)
        self.stdout.write(_("Follow-up talks opened: %(n)d") % {"n": talks})
        the_period.refresh_from_db()
        self.stdout.write(
            _("Publicity window: %(days)d working days, until %(day)s; members may object until then.")
            % {"days": the_period.publicity_days, "day": date_format(the_period.publicity_ends_on, "DATE_FORMAT")}
        )
