import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from reminders import services
from reminders.models import Notification


class Command(BaseCommand):
    help = "Create the day's reminders in the foreground (the same job the schedule runs) and print how many."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to run for, YYYY-MM-DD (default: today)")
        parser.add_argument("--dry-run", action="store_true", help="count what would be created, write nothing")
        parser.add_argument("--no-email", action="store_true", help="do not send the e-mails now")

    def handle(self, *args, today: str | None, dry_run: bool, no_email: bool, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(_("“%(value)s” is not a date; write it like 2026-12-24.") % {"value": today}) from None
        counts = services.run(today=day, dry_run=dry_run)
        labels = dict(Notification.Kind.choices)
        self.stdout.write(
            (_("Dry run for %(day)s, nothing written:") if dry_run else _("Reminders for %(day)s:")) % {"day": day}
        )
        for kind, label in labels.items():
            if kind in counts:
                self.stdout.write(f"  {label}: {counts[kind]}")
        self.stdout.write(_("Total: %(n)d") % {"n": sum(counts.values())})
        if not dry_run and not no_email:
            sent = 0
            while True:
                batch = services.send_pending_emails()
                sent += batch
                if batch < 500:
                    break
            self.stdout.write(_("E-mails sent: %(n)d") % {"n": sent})
