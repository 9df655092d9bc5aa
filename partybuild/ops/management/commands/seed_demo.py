import random
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.demo import posts_warmth as posts_warmth_demo
from activities.demo import suggestions_partydays as suggestions_demo
from activities.models import PioneerPost, Suggestion
from assessment.demo import cards as cards_demo
from assessment.demo import pledges as pledges_demo
from assessment.demo import ratings as ratings_demo
from assessment.locks import wiping_everything
from assessment.models import Card, Period
from assessment.services.area_averages import store_missing_area_averages
from members import demo as roster_demo
from members.models import Branch, Member
from partybuild.lib.bulk_sql import foreign_keys_checked_at_end
from reminders import events as reminder_events
from study import demo as study_demo
from study.models import StudySession

MIN_MEMBERS = 30
# A line of progress on stderr, in the long parts, at most this often (seconds): how many
# ratings are written; in the other parts, whose rows the database writes itself, that the
# part is still at work.
PROGRESS_SECONDS = 10.0
STILL_BUILDING_SECONDS = 10.0


@dataclass(frozen=True)
class Part:
    """One part of the build, committed on its own: what it is, the apps whose tables it
    fills (the keys of those it fills from empty checked once, at its end), whether it is in the
    database already, and how to build it."""

    label: str
    apps: tuple[str, ...]
    built: Callable[[], bool]
    build: Callable[[], None]
    counts_rows: bool = False  # it tells its own progress


class Command(BaseCommand):
    """The demo company of every app, built in the order their records point at each other
    (the roster first); it lives in the composition root because it calls every app.

    Each part commits on its own, so a build cut short keeps the parts it finished (the
    one it was in is rolled back) and ``--resume`` builds the rest. A part is in the
    database once any of its records is: its records commit together."""

    help = "Build a deterministic demo company with one login per role."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=90, help="how many Party members (at least 30)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed; the same seed builds the same data")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the roster already has data")
        parser.add_argument("--reset", action="store_true", help="remove the roster and all logins first")
        parser.add_argument(
            "--resume",
            action="store_true",
            help="finish a build that was cut short (same --members and --seed): the parts already built are kept",
        )

    @contextmanager
    def step(self, what: str):
        """Say how long each part took, on stderr (the summary stays on stdout): at a hundred
        thousand members the build takes minutes, and this shows where they go."""
        started = time.monotonic()
        yield
        self.stderr.write(
            _("Built %(what)s in %(seconds).1f s.") % {"what": what, "seconds": time.monotonic() - started}
        )

    @contextmanager
    def still_building(self, part: Part):
        """A line every STILL_BUILDING_SECONDS while a part that does not count its rows
        runs (most of their work is INSERT … SELECT: no row passes through Python)."""
        if part.counts_rows:
            yield
            return
        stop, started, language = threading.Event(), time.monotonic(), translation.get_language()

        def tell() -> None:
            with translation.override(language):
                while not stop.wait(STILL_BUILDING_SECONDS):
                    self.stderr.write(
                        _("Still building %(what)s: %(seconds)d s so far.")
                        % {"what": part.label, "seconds": time.monotonic() - started}
                    )

        thread = threading.Thread(target=tell, daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

    def progress(self, period: Period, written: int, total: int) -> None:
        """The ratings' progress, a line at most every PROGRESS_SECONDS."""
        now = time.monotonic()
        if now - self._told_at < PROGRESS_SECONDS:
            return
        self._told_at = now
        self.stderr.write(
            _("Ratings of %(period)s: %(written)s of %(total)s written.")
            % {"period": period.code, "written": f"{written:,}", "total": f"{total:,}"}
        )

    def parts(self, *, members: int, seed: int, today, built: dict) -> list[Part]:
        def roster():
            built["roster"] = roster_demo.build(members=members, seed=seed)

        def study():
            built["study"] = study_demo.build(seed=seed)

        def ratings():
            self._told_at = time.monotonic()
            built["assessment"] = ratings_demo.build(seed=seed, progress=self.progress)

        def cards():
            built["cards"] = {"pledges": pledges_demo.build_pledges(year=today.year, seed=seed)}
            rng = random.Random(seed * 13 + 1)  # noqa: S311 - demo data, not secrets
            built["cards"].update(cards_demo.build_cards(year=today.year, today=today, rng=rng))

        def activities():
            built["activities"] = {
                **suggestions_demo.build(seed=seed, today=today),
                **posts_warmth_demo.build(seed=seed, today=today),
            }

        return [
            Part(gettext_lazy("the roster"), ("members",), Member.objects.exists, roster),
            Part(gettext_lazy("study sessions, reports and talks"), ("study",), StudySession.objects.exists, study),
            Part(gettext_lazy("ratings and results"), ("assessment",), Period.objects.exists, ratings, True),
            Part(gettext_lazy("pledges and cards"), ("assessment",), Card.objects.exists, cards),
            Part(
                gettext_lazy("suggestions, Party days, posts and help"),
                ("activities",),
                lambda: Suggestion.objects.exists() or PioneerPost.objects.exists(),
                activities,
            ),
        ]

    def handle(self, *args, members: int, seed: int, if_empty: bool, reset: bool, resume: bool, **options):
        if members < MIN_MEMBERS:
            raise CommandError(_("--members must be at least %(n)d.") % {"n": MIN_MEMBERS})
        if resume and (reset or if_empty):
            raise CommandError(_("--resume cannot be combined with --reset or --if-empty."))
        has_data = Branch.objects.exists() or Member.objects.exists()
        if has_data and if_empty:
            self.stdout.write(_("The database already has a roster; the demo data was not loaded."))
            return
        if has_data and not (reset or resume):
            raise CommandError(
                _(
                    "The database already has a roster. Use --reset to replace it with the demo data, "
                    "or --resume to finish a demo build that was cut short."
                )
            )
        today = timezone.localdate()
        built: dict = {}
        parts = self.parts(members=members, seed=seed, today=today, built=built)
        first = self.first_to_build(parts, members=members, seed=seed) if resume and has_data else 0
        # The demo's past (last year's objections, its final results) notifies nobody: the
        # signals go out on each part's commit, inside reminders' quiet block.
        with reminder_events.quiet():
            if reset:
                with transaction.atomic(), wiping_everything():
                    suggestions_demo.reset()
                    posts_warmth_demo.reset()
                    cards_demo.reset_cards()
                    ratings_demo.reset()
                    study_demo.reset()
                    roster_demo.reset()
            if first:
                # Stored on the ratings' commit: a build cut short just after it has none.
                store_missing_area_averages()
            with self.step(_("the demo company, its links checked")):
                for part in parts[first:]:
                    # One transaction per part; its rows' links checked once, at its end.
                    with self.step(part.label), self.still_building(part), transaction.atomic():
                        empty = self.empty_models(part)
                        self.number_from_one(empty)
                        with foreign_keys_checked_at_end([model._meta.db_table for model in empty]):
                            part.build()
        self.report(built)

    def empty_models(self, part: Part) -> list[type[Model]]:
        """The models of the part's apps whose tables are still empty: those it fills. Their
        keys are checked once at its end; a table an earlier part filled (the ratings, when
        the cards are built) keeps its keys, so its millions of rows are not checked again."""
        return [
            model
            for label in part.apps
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if not model._base_manager.exists()
        ]

    def number_from_one(self, models: list[type[Model]]) -> None:
        """Start the ids of the empty tables at one again, as in a new database: the cards
        are drawn from their rows' ids, and on PostgreSQL a part rolled back (a build cut
        short, ``--reset``) has used up ids that its rows would otherwise get."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

    def first_to_build(self, parts: list[Part], *, members: int, seed: int) -> int:
        """Where a resumed build starts: the first part not in the database, all before it
        there (built with these options) and none after it."""
        if not roster_demo.built_with(members=members, seed=seed):
            raise CommandError(
                _(
                    "The roster in the database was not built by seed_demo --members %(members)d --seed %(seed)d; "
                    "--resume finishes only that build. Use --reset to start again."
                )
                % {"members": members, "seed": seed}
            )
        present = [part.built() for part in parts]
        first = present.index(False) if False in present else len(parts)
        if any(present[first:]):
            raise CommandError(_("The demo company in the database has a part missing in the middle; use --reset."))
        for part in parts[:first]:
            self.stderr.write(_("Already built: %(what)s.") % {"what": part.label})
        return first

    def report(self, built: dict) -> None:
        """What this run built, on stdout, and the demo logins."""
        summary = built.get("roster") or roster_demo.built_summary()
        if "roster" in built:
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
        if "study" in built:
            self.stdout.write(
                _(
                    "Party-spirit training: %(sessions)d study sessions, %(reports)d quarterly reports in every "
                    "state, %(talks)d talks, %(meetings)d criticism meeting."
                )
                % built["study"]
            )
        if "assessment" in built:
            self.stdout.write(
                _(
                    "Evaluation: this year's period is open with %(ratings)d ratings; "
                    "last year's results are final for %(results)d members, after a publicity window "
                    "with %(objections)d objections (%(upheld)d upheld)."
                )
                % built["assessment"]
            )
        if "activities" in built:
            self.stdout.write(
                _(
                    "Contribution at the post: %(suggestions)d suggestions, %(party_days)d themed Party days, "
                    "%(pioneer_posts)d pioneer posts, %(recognitions)d recognitions, "
                    "%(help_records)d help records."
                )
                % built["activities"]
            )
        self.stdout.write(_("Demo logins (password %(password)s):") % {"password": roster_demo.DEMO_PASSWORD})
        for username, who in summary.logins.items():
            self.stdout.write(f"  {username:<11} {who}")
        self.stdout.write(_("Every other member logs in with their employee number and the same password."))
