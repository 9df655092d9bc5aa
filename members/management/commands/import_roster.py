from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from members.services import ROSTER_COMMAND_LIMITS, roster_import


class Command(BaseCommand):
    help = "Import the roster from an Excel workbook, all or nothing (keyed on employee number)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, write nothing")

    def handle(self, *args, file: str, dry_run: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        with path.open("rb") as fh:
            report = roster_import(file=fh, dry_run=dry_run, limits=ROSTER_COMMAND_LIMITS)
        if report.errors:
            for error in report.errors:
                where = _("row %(row)d") % {"row": error.row} if error.row else _("file")
                column = f" [{error.column}]" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.message}")
            raise CommandError(_("%(n)d problem(s) found; nothing was imported.") % {"n": len(report.errors)})
        summary = _("%(new)d added, %(updated)d updated, %(unchanged)d unchanged.") % {
            "new": report.new,
            "updated": report.updated,
            "unchanged": report.unchanged,
        }
        if dry_run:
            self.stdout.write(_("Dry run, nothing written: %(summary)s") % {"summary": summary})
        else:
            self.stdout.write(self.style.SUCCESS(_("Roster imported: %(summary)s") % {"summary": summary}))
