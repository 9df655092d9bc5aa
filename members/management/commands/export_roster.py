from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from members.models import Member
from members.services import roster_export


class Command(BaseCommand):
    help = "Export the whole roster to an Excel workbook that import_roster reads back."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the .xlsx file to write")

    def handle(self, *args, out: str, **options):
        path = Path(out)
        if not path.parent.exists():
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": path.parent})
        path.write_bytes(roster_export(members=Member.objects.all()))
        self.stdout.write(
            self.style.SUCCESS(_("%(n)d members written to %(path)s.") % {"n": Member.objects.count(), "path": path})
        )
