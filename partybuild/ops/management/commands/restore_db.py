from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from partybuild.ops.backups import BackupError, database_restore


class Command(BaseCommand):
    help = (
        "Restore the database from a file written by backup_db, replacing its contents. "
        "Refuses a database that holds data unless --force. Stop the web server and workers first."
    )
    # The backup brings its own schema; checking the models against the old one is pointless.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="a file written by backup_db")
        parser.add_argument("--force", action="store_true", help="replace a database that already holds data")
        parser.add_argument("--database", default="default", help="the database alias (default: default)")

    def handle(self, *args, file: str, force: bool, database: str, **options):
        try:
            engine = database_restore(source=Path(file), force=force, alias=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "The %(engine)s database was restored from %(path)s. "
                    "Run migrate if the backup is older than the code."
                )
                % {"engine": engine, "path": file}
            )
        )
