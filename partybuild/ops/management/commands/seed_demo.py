import random
import time
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.demo import posts_warmth as posts_warmth_demo
from activities.demo import suggestions_partydays as suggestions_demo
from assessment.demo import cards as cards_demo
from assessment.demo import pledges as pledges_demo
from assessment.demo import ratings as ratings_demo
from assessment.locks import wiping_everything
from members import demo as roster_demo
from members.models import Branch, Member
from partybuild.lib.bulk_sql import foreign_keys_checked_at_end
from reminders import events as reminder_events
from study import demo as study_demo

MIN_MEMBERS = 30


class Command(BaseCommand):
    """The demo company of every app, built in the order their records point at each other
    (the roster first); it lives in the composition root because it calls every app."""

    help = "Build a deterministic demo company with one login per role."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=90, help="how many Party members (at least 30)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed; the same seed builds the same data")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the roster already has data")
        parser.add_argument("--reset", action="store_true", help="remove the roster and all logins first")

    @contextmanager
    def step(self, what: str):
        """Say how long each part took, on stderr (the summary stays on stdout): at a hundred
        thousand members the build takes minutes, and this shows where they go."""
        started = time.monotonic()
        yield
        self.stderr.write(
            _("Built %(what)s in %(seconds).1f s.") % {"what": what, "seconds": time.monotonic() - started}
        )

    def handle(self, *args, members: int, seed: int, if_empty: bool, reset: bool, **options):
        if members < MIN_MEMBERS:
            raise CommandError(_("--members must be at least %(n)d.") % {"n": MIN_MEMBERS})
        has_data = Branch.objects.exists() or Member.objects.exists()
        if has_data and if_empty:
            self.stdout.write(_("The database already has a roster; the demo data was not loaded."))
            return
        if has_data and not reset:
            raise CommandError(_("The database already has a roster. Use --reset to replace it with the demo data."))
        # The demo's past (last year's objections, its final results) notifies nobody: the
        # signals go out on this transaction's commit, inside reminders' quiet block.
        with reminder_events.quiet(), transaction.atomic():
            if reset:
                with wiping_everything():
                    suggestions_demo.reset()
                    posts_warmth_demo.reset()
                    cards_demo.reset_cards()
                    ratings_demo.reset()
                    study_demo.reset()
                    roster_demo.reset()
            with self.step(_("the demo company, its links checked")), foreign_keys_checked_at_end():
                with self.step(_("the roster")):
                    summary = roster_demo.build(members=members, seed=seed)
                with self.step(_("study sessions, reports and talks")):
                    study = study_demo.build(seed=seed)
                with self.step(_("ratings and results")):
                    assessment = ratings_demo.build(seed=seed)
                today = timezone.localdate()
                with self.step(_("pledges and cards")):
                    assessment["pledges"] = pledges_demo.build_pledges(year=today.year, seed=seed)
                    rng = random.Random(seed * 13 + 1)  # noqa: S311 - demo data, not secrets
                    assessment.update(cards_demo.build_cards(year=today.year, today=today, rng=rng))
                with self.step(_("suggestions, Party days, posts and help")):
                    activities = {
                        **suggestions_demo.build(seed=seed, today=today),
                        **posts_warmth_demo.build(seed=seed, today=today),
                    }
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo company built: %(branches)d branches, %(groups)d Party groups, "
                    "%(members)d members, %(masses)d masses raters."
                )
                % {
                    "branches": summary.branches,
                    "groups": summary.groups,
                    "members": summary.members,
                    "masses": summary.masses_raters,
                }
            )
        )
        self.stdout.write(
            _(
                "Party-spirit training: %(sessions)d study sessions, %(reports)d quarterly reports in every state, "
                "%(talks)d talks, %(meetings)d criticism meeting."
            )
            % study
        )
        self.stdout.write(
            _(
                "Evaluation: this year's period is open with %(ratings)d ratings; "
                "last year's results are final for %(results)d members, after a publicity window "
                "with %(objections)d objections (%(upheld)d upheld)."
            )
            % assessment
        )
        self.stdout.write(
            _(
                "Contribution at the post: %(suggestions)d suggestions, %(party_days)d themed Party days, "
                "%(pioneer_posts)d pioneer posts, %(recognitions)d recognitions, %(help_records)d help records."
            )
            % activities
        )
        self.stdout.write(_("Demo logins (password %(password)s):") % {"password": roster_demo.DEMO_PASSWORD})
        for username, who in summary.logins.items():
            self.stdout.write(f"  {username:<11} {who}")
        self.stdout.write(_("Every other member logs in with their employee number and the same password."))
