import csv
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from members.models import Branch
from partybuild.lib.cells import neutralise_formula
from partybuild.lib.quarters import Quarter
from study.selectors.reports import BOARD_STATES, STATE_LABELS, quarter_status_rows


def _width(text: str) -> int:
    """Columns the text takes in a terminal: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, *, left: bool) -> str:
    space = " " * (width - _width(text))
    return text + space if left else space + text


class Command(BaseCommand):
    help = "Per branch, how many members' quarterly reports are in each state."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", help="quarter code such as 2026Q4 (default: the current quarter)")
        parser.add_argument("--branch", help="only the branch with this name")
        parser.add_argument("--csv", action="store_true", help="write CSV instead of a table")

    def handle(self, *args, quarter: str | None, branch: str | None, csv: bool, **options):
        try:
            q = Quarter.parse(quarter) if quarter else Quarter.current()
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if branch and not Branch.objects.filter(name=branch).exists():
            raise CommandError(_("There is no branch named “%(name)s”.") % {"name": branch})
        rows = quarter_status_rows(quarter=q, branch_name=branch)
        keys = ["branch", "total", *BOARD_STATES]
        headers = [str(_("Branch")), str(_("Members")), *[str(STATE_LABELS[k]) for k in BOARD_STATES]]
        if csv:
            self._write_csv(headers, keys, rows)
            return
        self.stdout.write(q.code)
        totals = {k: sum(row[k] for row in rows) for k in keys[1:]}
        table = [headers, *[[row[k] for k in keys] for row in rows]]
        if len(rows) > 1:
            table.append([str(_("Total")), *[totals[k] for k in keys[1:]]])
        widths = [max(_width(str(line[i])) for line in table) for i in range(len(keys))]
        for line in table:
            cells = [
                _pad(str(value), width, left=(i == 0))
                for i, (value, width) in enumerate(zip(line, widths, strict=True))
            ]
            self.stdout.write("  ".join(cells))

    def _write_csv(self, headers, keys, rows):
        # A branch is named by whoever set it up; its name must not run in Excel.
        writer = csv.writer(self.stdout)
        writer.writerow([neutralise_formula(h) for h in headers])
        for row in rows:
            writer.writerow([neutralise_formula(row[k]) for k in keys])
