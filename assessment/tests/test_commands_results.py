"""compute_results and publish_results: a summary on success, a CommandError otherwise."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import gettext as _

from assessment.models import Period, RaterGroup, Result
from assessment.tests.factories import PeriodFactory, rate
from study.models import Talk

pytestmark = pytest.mark.django_db


def run(name, *args):
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def period(org):
    period = PeriodFactory(state=Period.State.OPEN)
    for who, total in ((org.member, 95), (org.groupmate, 85), (org.leader, 82), (org.secretary, 65)):
        rate(period, who, RaterGroup.ORG, total)
    return period


def test_compute_results_prints_members_and_flags(org, period):
    with pytest.raises(CommandError, match=period.name):
        run("compute_results", "--period", period.code)
    assert "compute_results" in run("close_rating", "--period", period.code)
    out = run("compute_results", "--period", period.code)
    assert "4" in out.splitlines()[0]
    lines = {line.split()[0]: line.rsplit(":", 1)[1].strip() for line in out.splitlines()[1:5]}
    assert lines == {"red": "1", "yellow": "2", "blue": "0", "grey": "1"}
    assert Result.objects.filter(period=period).count() == 4
    period.refresh_from_db()
    assert period.state == Period.State.CLOSED and period.computed_at is not None
    assert not Talk.objects.exists()


def test_publish_results_publishes_and_reports_talks_opened(org, period):
    period.state = Period.State.CLOSED
    period.save()
    out = run("publish_results", "--period", period.code)
    period.refresh_from_db()
    assert period.state == Period.State.PUBLISHED
    assert _("Follow-up talks opened: %(n)d") % {"n": 3} in out.strip().splitlines()
    assert Talk.objects.filter(source=Talk.Source.ASSESSMENT).count() == 3


@pytest.mark.parametrize("name", ["compute_results", "publish_results", "finalize_results", "close_rating"])
def test_unknown_code_is_a_clear_error(org, name):
    with pytest.raises(CommandError, match="1999"):
        run(name, "--period", "1999")


@pytest.mark.parametrize(
    "name, state",
    [
        ("compute_results", Period.State.DRAFT),
        ("compute_results", Period.State.PUBLISHED),
        ("publish_results", Period.State.DRAFT),
        ("publish_results", Period.State.OPEN),
        ("publish_results", Period.State.PUBLISHED),
    ],
)
def test_illegal_state_is_a_clear_error_and_changes_nothing(org, period, name, state):
    period.state = state
    period.save()
    with pytest.raises(CommandError) as exc:
        run(name, "--period", period.code)
    assert str(exc.value)
    period.refresh_from_db()
    assert period.state == state
    assert not Result.objects.exists() and not Talk.objects.exists()


def test_the_period_option_is_required(org):
    with pytest.raises(CommandError):
        call_command("compute_results")
