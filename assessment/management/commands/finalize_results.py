from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessment.services import AssessmentError
from assessment.services.objections import results_finalize

from .compute_results import period_by_code


class Command(BaseCommand):
    help = (
        "End the period's publicity window: its results become final and the period is locked for good (no rating, "
        "weight, rubric or result changes, the Django admin included). Refused while an objection awaits a ruling, "
        "and before the window's last day has passed unless --early."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="the period's code, e.g. 2026")
        parser.add_argument(
            "--early", action="store_true", help="end the window before its last day (members can no longer object)"
        )

    def handle(self, *args, period: str, early: bool, **options):
        the_period = period_by_code(period)
        try:
            results_finalize(actor=None, period_id=the_period.pk, early=early)
        except AssessmentError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("The results of %(period)s are final; the period is locked.") % {"period": the_period.name}
            )
        )
