from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessment.services.ballots.template_import import import_summary, ratings_import

from ._excel import period_by_code


class Command(BaseCommand):
    help = (
        "Import ratings from a filled rating template (see export_rating_template), all or nothing, with the "
        "web form's validation. A row whose item cells are all blank means 'not rated here' and is skipped; "
        "a row with some cells blank is refused, since a blank is never a zero. A self or organisation row "
        "replaces that rating; a peer or masses row is an anonymous paper ballot, added once by its ballot "
        "number (a number entered before is left as it is, never compared). Each bad row is printed with its "
        "row number, column and reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="the period's code, e.g. 2026")
        parser.add_argument("file", help="the filled .xlsx template")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, write nothing")

    def handle(self, *args, period: str, file: str, dry_run: bool, **options):
        the_period = period_by_code(period)
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        with path.open("rb") as fh:
            report = ratings_import(period_id=the_period.pk, file=fh, actor=None, dry_run=dry_run)
        if report.errors:
            for error in report.errors:
                where = _("row %(row)d") % {"row": error.row} if error.row else _("file")
                column = f" [{error.column}]" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.message}")
            raise CommandError(_("%(n)d problem(s) found; nothing was imported.") % {"n": len(report.errors)})
        summary = import_summary(report)
        if dry_run:
            self.stdout.write(_("Dry run, nothing written: %(summary)s") % {"summary": summary})
        else:
            self.stdout.write(self.style.SUCCESS(_("Ratings imported: %(summary)s") % {"summary": summary}))
