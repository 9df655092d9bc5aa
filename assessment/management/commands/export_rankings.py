from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessment.selectors.comparison import COMPARABLE_STATES
from assessment.services.rankings_export import rankings_export, rankings_zip_export

from ._excel import branch_by_name, output_file, period_by_code


class Command(BaseCommand):
    help = (
        "Write the period's rankings to Excel: a company-wide sheet and a sheet by branch (each branch's "
        "members together, by rank in the branch), or only the given branch's sheet; one row a member with "
        "branch, group, the four rater-group scores, total, ranks and flag, the flag cell filled in its "
        "colour. With --compare, another published or final period's total, ranks and flag beside each "
        "member's. A sheet past Excel's 1,048,576 rows goes on in the next sheet, named after it with "
        "(2), (3)…; with --per-branch, one workbook per branch inside a ZIP instead. Streamed, so large "
        "companies take little memory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="the period's code, e.g. 2026")
        parser.add_argument("--branch", help="only this branch (its name or id)")
        parser.add_argument("--out", required=True, help="the .xlsx file to write (.zip with --per-branch)")
        parser.add_argument(
            "--per-branch",
            action="store_true",
            help="one workbook per branch (that branch's sheet, named after it) inside a ZIP, instead of one "
            "workbook for the company",
        )
        parser.add_argument(
            "--compare",
            metavar="PREVIOUS",
            help="the code of a published or final period (e.g. last year's) whose total, ranks and flag "
            "are added beside each member's",
        )

    def handle(
        self, *args, period: str, branch: str | None, out: str, compare: str | None, per_branch: bool, **options
    ):
        if per_branch and not out.lower().endswith(".zip"):
            raise CommandError(_("With --per-branch the output is a ZIP: give --out a name ending in .zip."))
        the_period = period_by_code(period)
        the_branch = branch_by_name(branch)
        if the_period.computed_at is None:
            raise CommandError(
                _("The results of %(period)s have not been computed yet; run compute_results first.")
                % {"period": the_period.name}
            )
        before = None
        if compare is not None:
            before = period_by_code(compare)
            if before.pk == the_period.pk:
                raise CommandError(_("--compare names the exported period itself; give an earlier period's code."))
            if before.state not in COMPARABLE_STATES:
                raise CommandError(
                    _("The results of %(period)s are not published: only a published or final period can be compared.")
                    % {"period": before.name}
                )
        branch_id = the_branch.pk if the_branch else None
        with output_file(out) as fh:
            if per_branch:
                rows, books = rankings_zip_export(period=the_period, out=fh, branch_id=branch_id, compare=before)
            else:
                rows = rankings_export(period=the_period, out=fh, branch_id=branch_id, compare=before)
        if per_branch:
            done = _("%(n)d members written to %(path)s, in %(books)d workbooks (one per branch).") % {
                "n": rows,
                "path": out,
                "books": books,
            }
        else:
            done = _("%(n)d members written to %(path)s.") % {"n": rows, "path": out}
        self.stdout.write(self.style.SUCCESS(done))
