"""The administrator's side of the publicity window (公示期): publishing with the window's
working days, the finalise button (refused while an objection is open, and before the
window's end unless confirmed), the period's history (who, when, what), and the banner
every reader of the results sees with the window's last day."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from assessment.models import Objection, Period, Result
from assessment.selectors.publicity import period_timeline
from assessment.services import objections as objection_services
from assessment.services import periods as period_services
from assessment.services import results as result_services
from assessment.tests.factories import PeriodFactory
from assessment.tests.test_results_views import published_period, seed_ratings
from partybuild.lib.dates import add_working_days

pytestmark = pytest.mark.django_db


def shown(msgid: str) -> str:
    """The msgid as the pages say it: the test client chose no language, so the default one."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(msgid)


def day(value: datetime.date) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return date_format(value, "DATE_FORMAT")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def closed_period(org, **kwargs) -> Period:
    period = PeriodFactory(**kwargs)
    seed_ratings(org, period)
    period_services.period_close(actor=org.admin, period_id=period.pk)
    period.refresh_from_db()
    return period


def file_objection(org, period, who="member") -> Objection:
    return objection_services.objection_file(
        actor=getattr(org, who).user, period_id=period.pk, reason="组织评价与实际不符"
    )


def end_window(period: Period) -> None:
    """The window's last day has passed (as the night after it)."""
    Period.objects.filter(pk=period.pk).update(publicity_ends_on=timezone.localdate() - datetime.timedelta(days=1))
    period.refresh_from_db()


# ---------------------------------------------------------------------------
# Publishing with the window's working days


def test_publish_page_offers_the_periods_days_and_the_end_date(client_for, org):
    period = closed_period(org)
    response = client_for(org.admin).get(reverse("assessment:period_publish", args=[period.pk]))
    assert response.status_code == 200
    assert response.context["form"]["days"].value() == period.publicity_days == 5
    html = response.content.decode()
    assert 'data-testid="publish-window-end"' in html
    assert day(add_working_days(timezone.localdate(), 5)) in html
    assert 'id="pb-window-ends"' in html  # the table publicity.js updates the date from


def test_publish_with_days_opens_that_window(client_for, org):
    period = closed_period(org)
    response = client_for(org.admin).post(
        reverse("assessment:period_publish", args=[period.pk]), {"days": "3"}, follow=True
    )
    period.refresh_from_db()
    assert period.state == Period.State.PUBLISHED
    assert period.publicity_days == 3
    assert period.publicity_ends_on == add_working_days(timezone.localdate(), 3)
    assert response.redirect_chain[-1][0] == reverse("assessment:period_detail", args=[period.pk])
    assert any(day(period.publicity_ends_on) in m for m in messages_of(response))


@pytest.mark.parametrize("data", [{"days": ""}, {}])
def test_publish_without_days_uses_the_periods_own(client_for, org, data):
    period = closed_period(org)
    Period.objects.filter(pk=period.pk).update(publicity_days=7)
    client_for(org.admin).post(reverse("assessment:period_publish", args=[period.pk]), data)
    period.refresh_from_db()
    assert period.state == Period.State.PUBLISHED
    assert period.publicity_ends_on == add_working_days(timezone.localdate(), 7)


@pytest.mark.parametrize(
    "value, msgid",
    [
        ("0", "Give a number of working days from 1 to %(max)d."),
        ("31", "Give a number of working days from 1 to %(max)d."),
        ("abc", "Give the number of working days as a whole number, for example 5."),
        ("2.5", "Give the number of working days as a whole number, for example 5."),
    ],
)
def test_bad_days_are_refused_on_the_field_and_nothing_is_written(client_for, org, value, msgid):
    period = closed_period(org)
    history = period.history.count()
    response = client_for(org.admin).post(reverse("assessment:period_publish", args=[period.pk]), {"days": value})
    assert response.status_code == 200
    expected = shown(msgid) % {"max": 30} if "%(max)d" in msgid else shown(msgid)
    assert response.context["form"].errors["days"] == [expected]
    assert expected in response.content.decode()
    period.refresh_from_db()
    assert period.state == Period.State.CLOSED
    assert period.publicity_ends_on is None
    assert period.history.count() == history
    assert not Result.objects.filter(period=period).exists()


def test_publishing_an_open_period_is_still_refused_with_a_message(client_for, org):
    period = PeriodFactory(state=Period.State.OPEN)
    response = client_for(org.admin).post(
        reverse("assessment:period_publish", args=[period.pk]), {"days": "abc"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("assessment:period_detail", args=[period.pk])
    assert messages_of(response)
    period.refresh_from_db()
    assert period.state == Period.State.OPEN


# ---------------------------------------------------------------------------
# The period's page and the finalise button


def test_period_page_shows_the_window_and_the_objections_by_state(client_for, org):
    period = published_period(org)
    file_objection(org, period)
    ruled = file_objection(org, period, "groupmate")
    objection_services.objection_rule(
        actor=org.secretary.user, objection_id=ruled.pk, version=ruled.version, upheld=False, ruling="评价有据"
    )
    response = client_for(org.admin).get(reverse("assessment:period_detail", args=[period.pk]))
    assert response.context["objections"] == {"open": 1, "upheld": 0, "rejected": 1}
    html = response.content.decode()
    assert 'data-testid="window-open"' in html
    assert day(period.publicity_ends_on) in html
    assert 'data-testid="finalize-blocked"' in html
    assert 'name="early"' in html  # finalising before the end needs the box ticked
    assert 'data-confirm="' in html.split('data-testid="finalize-form"')[0].rsplit("<form", 1)[1]
    if 'data-testid="period-objection-list"' in html:  # once the objection list exists
        assert f"?period={period.code}" in html


def test_finalize_is_refused_while_an_objection_is_open(client_for, org):
    period = published_period(org)
    file_objection(org, period)
    response = client_for(org.admin).post(
        reverse("assessment:period_finalize", args=[period.pk]), {"early": "on"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("assessment:period_detail", args=[period.pk])
    expected = shown("%(n)d objection(s) to %(period)s still await a ruling; rule on each before finalising.") % {
        "n": 1,
        "period": period.name,
    }
    assert messages_of(response) == [expected]
    period.refresh_from_db()
    assert period.state == Period.State.PUBLISHED


def test_finalize_before_the_end_without_confirming_is_refused(client_for, org):
    period = published_period(org)
    response = client_for(org.admin).post(reverse("assessment:period_finalize", args=[period.pk]), follow=True)
    (message,) = messages_of(response)
    assert day(period.publicity_ends_on) in message
    period.refresh_from_db()
    assert period.state == Period.State.PUBLISHED
    assert period.finalized_at is None


def test_finalize_early_with_confirmation_locks_the_period(client_for, org):
    period = published_period(org)
    client = client_for(org.admin)
    response = client.post(reverse("assessment:period_finalize", args=[period.pk]), {"early": "on"}, follow=True)
    period.refresh_from_db()
    assert period.state == Period.State.FINAL
    assert period.history.first().history_change_reason == "finalized_early"
    assert messages_of(response)
    html = response.content.decode()
    assert 'data-testid="period-final"' in html
    assert 'data-testid="period-final-since"' in html
    for nothing in ("action-finalize", "period-edit", "action-publish", "action-compute"):
        assert f'data-testid="{nothing}"' not in html
    assert response.context["timeline"][0].event == "finalized_early"
    # Once final, the button refuses again (the service's message).
    again = client.post(reverse("assessment:period_finalize", args=[period.pk]), {"early": "on"}, follow=True)
    assert messages_of(again)


def test_finalize_after_the_window_needs_no_confirmation(client_for, org):
    period = published_period(org)
    end_window(period)
    client = client_for(org.admin)
    html = client.get(reverse("assessment:period_detail", args=[period.pk])).content.decode()
    assert 'data-testid="window-ended"' in html
    assert 'name="early"' not in html
    client.post(reverse("assessment:period_finalize", args=[period.pk]))
    period.refresh_from_db()
    assert period.state == Period.State.FINAL
    assert period.history.first().history_change_reason == "finalized"


@pytest.mark.parametrize("who", ["member", "secretary", "committee", "other_secretary"])
def test_only_administrators_finalize_or_read_the_history(client_for, org, who):
    period = published_period(org)
    client = client_for(getattr(org, who))
    assert client.post(reverse("assessment:period_finalize", args=[period.pk]), {"early": "on"}).status_code == 403
    assert client.get(reverse("assessment:period_history", args=[period.pk])).status_code == 403
    period.refresh_from_db()
    assert period.state == Period.State.PUBLISHED


def test_unknown_periods_are_not_found(client_for, org):
    client = client_for(org.admin)
    assert client.post(reverse("assessment:period_finalize", args=[999999]), {"early": "on"}).status_code == 404
    assert client.get(reverse("assessment:period_history", args=[999999])).status_code == 404
    assert client.get(reverse("assessment:period_finalize", args=[999999])).status_code == 405


# ---------------------------------------------------------------------------
# The history: who, when, what


def walked_period(org) -> tuple[Period, Objection]:
    """Opened, closed, published, an objection filed and rejected, finalised early."""
    period = PeriodFactory(state=Period.State.DRAFT)
    period_services.period_open(actor=org.admin, period_id=period.pk)
    seed_ratings(org, Period.objects.get(pk=period.pk))
    period_services.period_close(actor=org.admin, period_id=period.pk)
    result_services.results_publish(actor=org.admin, period_id=period.pk, days=4)
    objection = file_objection(org, period)
    objection_services.objection_rule(
        actor=org.secretary.user, objection_id=objection.pk, version=objection.version, upheld=False, ruling="有据"
    )
    objection_services.results_finalize(actor=org.admin, period_id=period.pk, early=True)
    period.refresh_from_db()
    return period, objection


def test_history_lists_every_step_newest_first_with_who_did_it(client_for, org):
    period, _objection = walked_period(org)
    rows = period_timeline(period)
    events = [row.event for row in rows]
    assert events == [
        "finalized_early",
        "rejected",
        "filed",
        "published",
        "computed",
        "closed",
        "opened",
        "created",
    ]
    by_event = {row.event: row for row in rows}
    assert by_event["rejected"].actor == org.secretary.name
    assert by_event["rejected"].member == org.member.name
    assert by_event["filed"].actor == org.member.name
    assert by_event["opened"].actor == org.admin.username
    assert by_event["published"].days == 4
    assert by_event["published"].ends_on == period.publicity_ends_on
    assert [row.at for row in rows] == sorted((row.at for row in rows), reverse=True)

    html = client_for(org.admin).get(reverse("assessment:period_detail", args=[period.pk])).content.decode()
    section = html.split('data-testid="period-history"')[1]
    positions = [section.index(f'data-testid="timeline-{event}"') for event in events]
    assert positions == sorted(positions)
    for text in (org.secretary.name, org.member.name, shown("Objection rejected"), shown("Rating opened")):
        assert text in section
    assert by_event["filed"].at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M") in section


def test_history_rows_without_a_reason_are_named_from_the_state(org):
    period = PeriodFactory(state=Period.State.DRAFT)
    period.state = Period.State.OPEN
    period.save()  # an older row, written before the services gave reasons
    period.name = "改名"
    period.save()
    assert [row.event for row in period_timeline(period)] == ["edited", "opened", "created"]


def test_period_page_shows_the_latest_steps_and_links_the_whole_history(client_for, org):
    period, _objection = walked_period(org)
    extra = [Period.history.model(**{**_row_fields(period), "history_change_reason": "computed"}) for _ in range(20)]
    Period.history.model.objects.bulk_create(extra)
    client = client_for(org.admin)
    response = client.get(reverse("assessment:period_detail", args=[period.pk]))
    assert len(response.context["timeline"]) == 15
    assert response.context["timeline_more"]
    assert 'data-testid="period-history-all"' in response.content.decode()
    full = client.get(reverse("assessment:period_history", args=[period.pk]))
    assert full.status_code == 200
    assert full.context["page"].paginator.count == 28
    assert 'data-testid="timeline-filed"' in full.content.decode()


def _row_fields(period: Period) -> dict:
    fields = {f.attname: getattr(period, f.attname) for f in Period._meta.concrete_fields}
    return {**fields, "history_date": timezone.now() - datetime.timedelta(days=400), "history_type": "~"}


def test_period_page_queries_do_not_grow_with_the_objections(client_for, org):
    period = published_period(org)
    client = client_for(org.admin)
    url = reverse("assessment:period_detail", args=[period.pk])
    file_objection(org, period)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for who in ("groupmate", "leader", "committee"):
        objection = file_objection(org, period, who)
        if who != "committee":
            objection_services.objection_rule(
                actor=org.secretary.user, objection_id=objection.pk, version=1, upheld=False, ruling="有据"
            )
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four) == len(one)


# ---------------------------------------------------------------------------
# The window shown to everyone


def test_results_pages_show_the_windows_last_day(client_for, org):
    period = published_period(org)
    banner = shown("Publicity period until %(day)s: any objection must be raised before then.")
    expected = banner.replace("%(day)s", day(period.publicity_ends_on))
    client = client_for(org.member)
    for url in (
        reverse("assessment:result_index"),
        reverse("assessment:result_mine", args=[period.code]),
        reverse("assessment:result_team", args=[period.code]),
        reverse("assessment:flagboard", args=[period.code, org.branch_a.pk]),
    ):
        html = client.get(url).content.decode()
        assert 'data-testid="publicity-banner"' in html, url
        assert expected in html, url
    html = client_for(org.secretary).get(reverse("assessment:result_branch", args=[period.code, org.branch_a.pk]))
    assert expected in html.content.decode()


def test_home_tells_a_member_of_the_window(client_for, org):
    period = published_period(org)
    html = client_for(org.member).get(reverse("home")).content.decode()
    assert 'data-testid="home-publicity"' in html
    assert day(period.publicity_ends_on) in html
    assert reverse("assessment:result_mine", args=[period.code]) in html
    end_window(period)
    assert 'data-testid="home-publicity"' not in client_for(org.member).get(reverse("home")).content.decode()


def test_final_results_say_so(client_for, org):
    period = published_period(org)
    objection_services.results_finalize(actor=org.admin, period_id=period.pk, early=True)
    client = client_for(org.member)
    for url in (reverse("assessment:result_index"), reverse("assessment:result_mine", args=[period.code])):
        html = client.get(url).content.decode()
        assert 'data-testid="publicity-final"' in html
        assert shown("The results are final.") in html
        assert 'data-testid="publicity-banner"' not in html
    assert 'data-testid="home-publicity"' not in client.get(reverse("home")).content.decode()
    index = client.get(reverse("assessment:result_index")).content.decode()
    assert shown("Final") in index
