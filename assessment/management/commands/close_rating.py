from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessment.services import AssessmentError
from assessment.services.periods import period_close

from .compute_results import period_by_code


class Command(BaseCommand):
    help = (
        "End rating for the period, for good: one-time links die, the anonymous ratings are sealed (no rater key, "
        "author or arrival order is left, so they can no longer change or be tied to anyone), and results can be "
        "computed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="the period's code, e.g. 2026")

    def handle(self, *args, period: str, **options):
        the_period = period_by_code(period)
        try:
            period_close(actor=None, period_id=the_period.pk)
        except AssessmentError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Rating has closed for %(period)s; compute the results with compute_results --period %(code)s.")
                % {"period": the_period.name, "code": the_period.code}
            )
        )
