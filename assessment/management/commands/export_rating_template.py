from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessment.services import AssessmentError
from assessment.services.ballots.template_export import rating_template_export

from ._excel import branch_by_name, output_file, period_by_code


class Command(BaseCommand):
    help = (
        "Write the rating template (paper ballots) of an open period: sheet '评分表' with one row "
        "per expected rating (被评价人工号, 被评价人姓名, 评价主体 = 个人自评/党员互评/群众参评/组织考评, "
        "评价人工号 = the ratee's own number on a self row, blank on any other; 票号 = a peer or "
        "masses row's ballot number; then one column per item code) and sheet '考核细则'. Ratings "
        "are anonymous, so peer and masses rows are never pre-filled with the scores already given "
        "(the sheet is handed out; filled rows would show who gave what); self and org rows are. "
        "Masses raters without a ballot for the period are issued one. import_ratings reads the "
        "file back; a row left blank there means 'not rated here' and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="the period's code, e.g. 2026")
        parser.add_argument("--out", required=True, help="the .xlsx file to write")
        parser.add_argument("--branch", help="only this branch's members (its name or id)")

    def handle(self, *args, period: str, out: str, branch: str | None, **options):
        the_period = period_by_code(period)
        the_branch = branch_by_name(branch)
        try:
            with output_file(out) as fh:
                rows = rating_template_export(
                    actor=None,
                    period_id=the_period.pk,
                    out=fh,
                    branch_id=the_branch.pk if the_branch else None,
                )
        except AssessmentError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(_("%(n)d rating rows written to %(path)s.") % {"n": rows, "path": out}))
