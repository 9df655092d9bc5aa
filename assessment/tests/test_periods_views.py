"""Period and rubric administration in the browser: administrators only; each action
calls the existing service and reports success or refusal."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessment.models import Period, RaterGroup, Result, Rubric
from assessment.services.periods import rubric_copy
from assessment.services.results import results_compute
from assessment.tests.factories import PeriodFactory, default_rubric, rate
from members.tests.factories import MemberFactory
from study.models import Talk

pytestmark = pytest.mark.django_db

PERSONAS = ["member", "groupmate", "leader", "secretary", "committee", "other_secretary", "member_b", "masses", "admin"]


def user_of(org, who):
    return org.admin if who == "admin" else getattr(org, who)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def shown(msgid: str) -> str:
    """The msgid as the pages say it: the test client chose no language, so the default one."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(msgid)


def period_data(**overrides):
    data = {
        "code": "2027",
        "name": "2027年度党员量化考核",
        "starts_on": "2027-01-01",
        "ends_on": "2027-12-31",
        "rubric": default_rubric().pk,
        "weight_self": "0.1",
        "weight_peer": "0.3",
        "weight_masses": "0.2",
        "weight_org": "0.4",
    }
    return data | overrides


@pytest.fixture
def period(db):
    return PeriodFactory(state=Period.State.DRAFT)


def admin_urls(period, item):
    return {
        ("get", "period_list"): reverse("assessment:period_list"),
        ("get", "period_create"): reverse("assessment:period_create"),
        ("get", "period_detail"): reverse("assessment:period_detail", args=[period.pk]),
        ("get", "period_edit"): reverse("assessment:period_edit", args=[period.pk]),
        ("post", "period_open"): reverse("assessment:period_open", args=[period.pk]),
        ("post", "period_close"): reverse("assessment:period_close", args=[period.pk]),
        ("post", "period_compute"): reverse("assessment:period_compute", args=[period.pk]),
        ("get", "period_publish"): reverse("assessment:period_publish", args=[period.pk]),
        ("post", "period_publish"): reverse("assessment:period_publish", args=[period.pk]),
        ("get", "rubric_list"): reverse("assessment:rubric_list"),
        ("get", "rubric_detail"): reverse("assessment:rubric_detail", args=[item.rubric_id]),
        ("get", "rubric_copy"): reverse("assessment:rubric_copy", args=[item.rubric_id]),
        ("get", "rubric_edit"): reverse("assessment:rubric_edit", args=[item.rubric_id]),
    }


@pytest.mark.parametrize("who", [p for p in PERSONAS if p != "admin"])
def test_only_administrators_reach_period_administration(client_for, org, period, who):
    client = client_for(user_of(org, who))
    item = period.rubric.items.first()
    for (method, name), url in admin_urls(period, item).items():
        response = getattr(client, method)(url)
        assert response.status_code == 403, name
    period.refresh_from_db()
    assert period.state == Period.State.DRAFT


def test_administrator_reaches_every_administration_page(client_for, org, period):
    client = client_for(org.admin)
    item = period.rubric.items.first()
    for (method, name), url in admin_urls(period, item).items():
        if method == "get":
            assert client.get(url).status_code == 200, name


def test_actions_refuse_get(client_for, org, period):
    client = client_for(org.admin)
    for name in ("period_open", "period_close", "period_compute"):
        assert client.get(reverse(f"assessment:{name}", args=[period.pk])).status_code == 405


def test_administrator_creates_a_period(client_for, org):
    response = client_for(org.admin).post(reverse("assessment:period_create"), period_data(), follow=True)
    period = Period.objects.get(code="2027")
    assert response.redirect_chain[-1][0] == reverse("assessment:period_detail", args=[period.pk])
    assert period.state == Period.State.DRAFT and period.weight_org == Decimal("0.4")
    assert messages_of(response)


def test_weights_that_do_not_add_up_to_one_are_refused_naming_each_weight(client_for, org):
    data = period_data(weight_org="0.3")
    response = client_for(org.admin).post(reverse("assessment:period_create"), data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "0.1" in errors and "0.3" in errors and "0.2" in errors and "0.9" in errors
    assert errors == shown(
        "The four weights must add up to 1: self %(self)s + peers %(peer)s + masses %(masses)s"
        " + organisation %(org)s = %(total)s."
    ) % {"self": "0.1", "peer": "0.3", "masses": "0.2", "org": "0.3", "total": "0.9"}
    assert response.context["form"].weights_invalid
    assert not Period.objects.filter(code="2027").exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("code", "20 27/x"),
        ("ends_on", "2026-12-31"),
        ("weight_self", "-0.1"),
        ("weight_peer", "1.5"),
        ("weight_org", "abc"),
        ("rubric", "999999"),
    ],
)
def test_bad_period_values_are_refused_with_the_field(client_for, org, field, value):
    response = client_for(org.admin).post(reverse("assessment:period_create"), period_data(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Period.objects.filter(code__in=["2027", "20 27/x"]).exists()


def test_duplicate_code_is_refused(client_for, org, period):
    response = client_for(org.admin).post(reverse("assessment:period_create"), period_data(code=period.code))
    assert "code" in response.context["form"].errors


def test_administrator_edits_weights_of_an_open_period_but_not_its_rubric(client_for, org):
    period = PeriodFactory(state=Period.State.OPEN)
    other = rubric_copy(actor=org.admin, rubric_id=period.rubric_id, name="另一个细则")
    client = client_for(org.admin)
    form = client.get(reverse("assessment:period_edit", args=[period.pk])).context["form"]
    assert form.fields["rubric"].disabled
    data = period_data(
        code=period.code,
        name=period.name,
        starts_on="2026-01-01",
        ends_on="2026-12-31",
        rubric=other.pk,
        weight_self="0.2",
        weight_org="0.3",
        version=period.version,
    )
    response = client.post(reverse("assessment:period_edit", args=[period.pk]), data)
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.weight_self == Decimal("0.2") and period.rubric_id != other.pk


def test_stale_edit_is_refused(client_for, org, period):
    client = client_for(org.admin)
    url = reverse("assessment:period_edit", args=[period.pk])
    data = period_data(code=period.code, version=period.version, starts_on="2026-01-01", ends_on="2026-12-31")
    assert client.post(url, data | {"name": "第一次"}).status_code == 302
    response = client.post(url, data | {"name": "第二次"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    period.refresh_from_db()
    assert period.name == "第一次"


def test_published_period_cannot_be_edited(client_for, org):
    period = PeriodFactory(state=Period.State.PUBLISHED)
    response = client_for(org.admin).get(reverse("assessment:period_edit", args=[period.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("assessment:period_detail", args=[period.pk])
    assert messages_of(response)


def test_period_walks_from_draft_to_published(client_for, org, period):
    client = client_for(org.admin)
    detail = reverse("assessment:period_detail", args=[period.pk])
    response = client.post(reverse("assessment:period_open", args=[period.pk]), follow=True)
    assert response.redirect_chain[-1][0] == detail
    period.refresh_from_db()
    assert period.state == Period.State.OPEN
    rate(period, org.member, RaterGroup.ORG, 95)
    rate(period, org.groupmate, RaterGroup.ORG, 75)
    # No results while rating is open: two readings a rating apart would give it away.
    response = client.post(reverse("assessment:period_compute", args=[period.pk]), follow=True)
    assert period.name in messages_of(response)[0]
    assert not Result.objects.filter(period=period).exists()
    client.post(reverse("assessment:period_close", args=[period.pk]))
    period.refresh_from_db()
    assert period.state == Period.State.CLOSED
    response = client.post(reverse("assessment:period_compute", args=[period.pk]), follow=True)
    assert "2" in messages_of(response)[0]
    assert Result.objects.filter(period=period).count() == 2
    confirm = client.get(reverse("assessment:period_publish", args=[period.pk]))
    assert b'data-testid="publish-confirm"' in confirm.content
    assert confirm.context["overview"].talk_flags == 1
    response = client.post(reverse("assessment:period_publish", args=[period.pk]), follow=True)
    period.refresh_from_db()
    assert period.state == Period.State.PUBLISHED
    assert Talk.objects.filter(member=org.groupmate, source=Talk.Source.ASSESSMENT).count() == 1
    text = messages_of(response)[0]
    assert "1" in text
    assert b'data-testid="period-edit"' not in response.content


@pytest.mark.parametrize(
    "state, action",
    [
        (Period.State.DRAFT, "period_close"),
        (Period.State.DRAFT, "period_compute"),
        (Period.State.DRAFT, "period_publish"),
        (Period.State.OPEN, "period_open"),
        (Period.State.OPEN, "period_publish"),
        (Period.State.CLOSED, "period_close"),
        (Period.State.PUBLISHED, "period_open"),
        (Period.State.PUBLISHED, "period_close"),
        (Period.State.PUBLISHED, "period_compute"),
        (Period.State.PUBLISHED, "period_publish"),
    ],
)
def test_illegal_moves_are_refused_with_a_message(client_for, org, state, action):
    period = PeriodFactory(state=state)
    response = client_for(org.admin).post(reverse(f"assessment:{action}", args=[period.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("assessment:period_detail", args=[period.pk])
    assert messages_of(response)
    assert "alert-danger" in response.content.decode()
    period.refresh_from_db()
    assert period.state == state


def test_publish_confirmation_explains_why_it_cannot_publish_yet(client_for, org):
    period = PeriodFactory(state=Period.State.OPEN)
    response = client_for(org.admin).get(reverse("assessment:period_publish", args=[period.pk]))
    assert b'data-testid="publish-refused"' in response.content
    assert b'data-testid="publish-submit"' not in response.content


def test_opening_with_a_rubric_not_adding_up_to_100_is_refused(client_for, org):
    rubric = rubric_copy(actor=org.admin, rubric_id=default_rubric().pk, name="草稿细则")
    item = rubric.items.first()
    item.max_score += 1
    item.save()
    period = PeriodFactory(code="2028", state=Period.State.DRAFT, rubric=rubric)
    response = client_for(org.admin).post(reverse("assessment:period_open", args=[period.pk]), follow=True)
    assert any("101" in m for m in messages_of(response))
    period.refresh_from_db()
    assert period.state == Period.State.DRAFT


def test_period_list_and_detail_show_the_period(client_for, org, period):
    client = client_for(org.admin)
    assert period.code.encode() in client.get(reverse("assessment:period_list")).content
    detail = client.get(reverse("assessment:period_detail", args=[period.pk]))
    assert b'data-testid="action-open"' in detail.content
    assert b'data-testid="period-no-results"' in detail.content


def test_empty_period_list_says_so(client_for, org):
    response = client_for(org.admin).get(reverse("assessment:period_list"))
    assert b'data-testid="period-empty"' in response.content


# --- rubrics ------------------------------------------------------------------------------


def test_rubric_page_shows_areas_items_maxima_and_guidance(client_for, org):
    rubric = default_rubric()
    response = client_for(org.admin).get(reverse("assessment:rubric_detail", args=[rubric.pk]))
    areas = response.context["areas"]
    assert len(areas) == 7 and sum(len(a.item_list) for a in areas) == 18
    assert sum(a.max_total for a in areas) == 100
    item = rubric.items.get(code="A1")
    content = response.content.decode()
    assert item.name in content and item.guidance in content
    assert 'data-testid="rubric-total-warning"' not in content


def test_administrator_copies_a_rubric_and_the_copy_can_be_edited(client_for, org):
    client = client_for(org.admin)
    source = default_rubric()
    response = client.post(reverse("assessment:rubric_copy", args=[source.pk]), {"name": "2027细则"}, follow=True)
    copy = Rubric.objects.get(name="2027细则")
    assert response.redirect_chain[-1][0] == reverse("assessment:rubric_detail", args=[copy.pk])
    assert copy.items.count() == 18
    assert b'data-testid="rubric-edit"' in response.content
    assert source.items.get(code="A1").max_score == Decimal("5")


def test_copy_with_a_taken_name_is_refused(client_for, org):
    source = default_rubric()
    response = client_for(org.admin).post(reverse("assessment:rubric_copy", args=[source.pk]), {"name": source.name})
    assert response.status_code == 200 and "name" in response.context["form"].errors


def test_frozen_rubric_says_why_it_cannot_be_edited(client_for, org):
    period = PeriodFactory(state=Period.State.OPEN)
    client = client_for(org.admin)
    detail = client.get(reverse("assessment:rubric_detail", args=[period.rubric_id]))
    assert b'data-testid="rubric-frozen"' in detail.content
    assert b'data-testid="rubric-edit"' not in detail.content
    item = period.rubric.items.get(code="A1")
    url = reverse("assessment:rubric_edit", args=[period.rubric_id])
    for response in (client.get(url, follow=True), client.post(url, {"rubric-name": "x"}, follow=True)):
        assert response.redirect_chain[-1][0] == reverse("assessment:rubric_detail", args=[period.rubric_id])
        frozen = shown("This rubric is in use by a period that has opened; copy it to make changes.")
        assert frozen in messages_of(response)
    item.refresh_from_db()
    assert item.name != "x"


def test_unknown_ids_are_not_found(client_for, org):
    client = client_for(org.admin)
    for name in ("period_detail", "period_edit", "period_publish", "rubric_detail", "rubric_copy", "rubric_edit"):
        assert client.get(reverse(f"assessment:{name}", args=[999999])).status_code == 404


def test_administration_pages_issue_the_same_queries_at_5_and_30_members(client_for, org):
    """Neither the period pages nor the rubric pages look at members one by one."""
    period = PeriodFactory(state=Period.State.CLOSED)
    client = client_for(org.admin)
    urls = [
        reverse("assessment:period_list"),
        reverse("assessment:period_detail", args=[period.pk]),
        reverse("assessment:period_publish", args=[period.pk]),
        reverse("assessment:rubric_list"),
        reverse("assessment:rubric_detail", args=[period.rubric_id]),
    ]

    def counts():
        Result.objects.all().delete()
        results_compute(actor=org.admin, period_id=period.pk)
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            found.append(len(ctx.captured_queries))
        return found

    for member in MemberFactory.create_batch(5, branch=org.branch_a):
        rate(period, member, RaterGroup.ORG, 88)
    at_5 = counts()
    for member in MemberFactory.create_batch(25, branch=org.branch_b):
        rate(period, member, RaterGroup.ORG, 72)
    at_30 = counts()
    assert at_5 == at_30 and max(at_30) <= 20, (at_5, at_30)


def test_date_fields_render_as_iso_dates_for_the_date_picker(client_for, org):
    period = PeriodFactory(state=Period.State.DRAFT, starts_on=datetime.date(2026, 1, 1))
    response = client_for(org.admin).get(reverse("assessment:period_edit", args=[period.pk]))
    assert b'value="2026-01-01"' in response.content
