from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessment.models import Period, Result
from assessment.scoring import FLAG_BANDS
from assessment.services import AssessmentError
from assessment.services.results import ComputeSummary, results_compute


def period_by_code(code: str) -> Period:
    period = Period.objects.filter(code=code).first()
    if period is None:
        raise CommandError(_("No assessment period has the code “%(code)s”.") % {"code": code})
    return period


def write_summary(command: BaseCommand, period: Period, summary: ComputeSummary) -> None:
    """Members with a result and the number of each flag, one line each."""
    labels = dict(Result.Flag.choices)
    command.stdout.write(
        command.style.SUCCESS(
            _("%(period)s (%(code)s): %(n)d members with a result.")
            % {"period": period.name, "code": period.code, "n": summary.members}
        )
    )
    for _floor, flag in FLAG_BANDS:
        command.stdout.write(f"  {flag:<7} {labels[flag]}: {summary.flags.get(flag, 0)}")


class Command(BaseCommand):
    help = (
        "Compute the period's totals, ranks and flags from its ratings (the period must be closed: see "
        "close_rating). Members see nothing until the results are published."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="the period's code, e.g. 2026")

    def handle(self, *args, period: str, **options):
        the_period = period_by_code(period)
        try:
            summary = results_compute(actor=None, period_id=the_period.pk)
        except AssessmentError as exc:
            raise CommandError(exc.message) from exc
        write_summary(self, the_period, summary)
        self.stdout.write(_("Not published yet: run publish_results --period %(code)s.") % {"code": the_period.code})
