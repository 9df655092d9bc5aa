from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from partybuild.ops.backups import BackupError, database_backup


class Command(BaseCommand):
    help = (
        "Back up the database to a file while the application runs: SQLite through the online "
        "backup API, PostgreSQL through pg_dump -Fc."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the backup file to write (replaced if it exists)")
        parser.add_argument("--database", default="default", help="the database alias (default: default)")

    def handle(self, *args, out: str, database: str, **options):
        try:
            info = database_backup(out=Path(out), alias=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup of the %(engine)s database written to %(path)s (%(size)d bytes).")
                % {"engine": info.engine, "path": info.path, "size": info.size}
            )
        )
