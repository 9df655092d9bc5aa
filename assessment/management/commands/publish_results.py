from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessment.services import AssessmentError
from assessment.services.results import results_publish

from .compute_results import period_by_code, write_summary


class Command(BaseCommand):
    help = (
        "Publish the period's results (the period must be closed): compute them afresh, show them to "
        "members, and open a follow-up talk for every member at yellow or below."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="the period's code, e.g. 2026")

    def handle(self, *args, period: str, **options):
        the_period = period_by_code(period)
        try:
            summary, talks = results_publish(actor=None, period_id=the_period.pk)
        except AssessmentError as exc:
            raise CommandError(exc.message) from exc
        write_summary(self, the_period, summary)
        self.stdout.write(_("Follow-up talks opened: %(n)d") % {"n": talks})
