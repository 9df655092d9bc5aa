"""``seed_demo`` commits part by part: a build cut short keeps the parts it finished, the
part it was in leaves nothing, and ``--resume`` builds the rest into the company a build
in one go makes; the long parts say how far they are."""

import io
import re

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from assessment.models import Card, Period, Rating, Result
from members.models import Member
from study.models import StudySession

pytestmark = pytest.mark.django_db

SEED = ("--members", "40", "--seed", "3")


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def logins(out: str) -> list[str]:
    """The demo logins listed at the end of the output."""
    return [line for line in out.splitlines() if line.startswith("  ")]


def company():
    """Rows per model of every app the demo fills, and last year's results by member."""
    counts = {
        model._meta.label: model.objects.count()
        for label in ("members", "study", "assessment", "activities")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    results = sorted(Result.objects.values_list("member__employee_no", "total", "flag"))
    ratings = sorted(Rating.objects.values_list("period__code", "ratee__employee_no", "rater_group", "total"))
    return counts, results, ratings


def empty() -> None:
    """An empty database with its sequences back at one: the cards are drawn by row id,
    so two builds compare only from the same start."""
    call_command("flush", interactive=False, verbosity=0)


# Committed for real: each part's own transaction, as on the command line.
@pytest.mark.django_db(transaction=True)
def test_a_build_cut_short_is_finished_by_resume_into_the_same_company(monkeypatch):
    from assessment.demo import cards as cards_demo

    empty()
    out, _err = run(*SEED)
    whole = company()
    assert whole[0]["assessment.Card"] and whole[0]["activities.Suggestion"]

    def cut_short(**kwargs):
        raise KeyboardInterrupt

    # Stopped inside the pledges and cards part, after its pledges were written.
    empty()
    with monkeypatch.context() as patch:
        patch.setattr(cards_demo, "build_cards", cut_short)
        with pytest.raises(KeyboardInterrupt):
            run(*SEED)
    assert Member.objects.count() == 40 and StudySession.objects.exists() and Period.objects.exists()
    assert not Card.objects.exists()  # the part it was in is rolled back, pledges and all
    with pytest.raises(CommandError, match="--resume"):
        run(*SEED)
    with pytest.raises(CommandError):
        run("--members", "41", "--seed", "3", "--resume")
    with pytest.raises(CommandError):
        run("--members", "40", "--seed", "4", "--resume")

    resumed_out, resumed_err = run(*SEED, "--resume")
    assert company() == whole
    assert logins(resumed_out) == logins(out)
    assert len(logins(out)) == 7

    # A finished build resumed builds nothing.
    again_out, _err = run(*SEED, "--resume")
    assert company() == whole
    assert logins(again_out) == logins(out)


def test_resume_into_an_empty_database_builds_everything():
    out, _err = run(*SEED, "--resume")
    assert Member.objects.count() == 40 and Card.objects.exists()
    assert len(logins(out)) == 7


def test_the_ratings_tell_how_far_they_are(monkeypatch):
    from assessment.demo import ratings as ratings_demo
    from partybuild.ops.management.commands import seed_demo

    monkeypatch.setattr(seed_demo, "PROGRESS_SECONDS", 0)
    monkeypatch.setattr(ratings_demo, "PROGRESS_EVERY", 100)
    _out, err = run("--members", "60")
    this_year = str(timezone.localdate().year)
    total = Rating.objects.filter(period__code=this_year).count()
    told = [line for line in err.splitlines() if this_year in line and f"{total:,}" in line]
    assert len(told) >= total // 100
    written = [int(n) for line in told for n in re.findall(r"\d+", line.replace(",", ""))[1:2]]
    assert written == sorted(written) and written[-1] == total


def test_the_parts_the_database_writes_say_they_are_still_at_work(monkeypatch):
    from django.utils.translation import gettext

    from partybuild.ops.management.commands import seed_demo

    monkeypatch.setattr(seed_demo, "STILL_BUILDING_SECONDS", 0.01)
    _out, err = run("--members", "40")
    study, ratings = gettext("study sessions, reports and talks"), gettext("ratings and results")
    assert len([line for line in err.splitlines() if study in line]) > 2  # and the part's time
    assert len([line for line in err.splitlines() if ratings in line]) == 1  # it counts its ratings instead
