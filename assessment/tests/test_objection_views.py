"""Objection pages (异议): the member files one on their result page during the publicity
window, the branch committee rules on it, the administrator sees every branch's; the
scope rule (404 outside it), and nothing of a rater on any of them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessment.models import Objection, Period, RaterGroup, Rating
from assessment.services import objections as objection_services
from assessment.tests.factories import full_scores
from assessment.tests.test_results_views import published_period

pytestmark = pytest.mark.django_db

REASON = "我的组织考评分与实际表现不符，请复核。"
RULING = "经支委会复核，组织考评分有误，予以更正。"


@pytest.fixture
def published(org):
    return published_period(org)


def mine_url(period):
    return reverse("assessment:result_mine", args=[period.code])


def file_url(period):
    return reverse("assessment:objection_file", args=[period.code])


def detail_url(objection):
    return reverse("assessment:objection_detail", args=[objection.pk])


def file(org, period, who="member", reason=REASON) -> Objection:
    return objection_services.objection_file(actor=getattr(org, who).user, period_id=period.pk, reason=reason)


def text(response) -> str:
    return response.content.decode()


def org_form(period, **extra) -> dict:
    data = {"version": "1", "decision": "upheld", "ruling": RULING, "correct_org": "on"}
    data.update(full_scores(period))
    data.update(extra)
    return data


# ---------------------------------------------------------------------------
# Filing


def test_member_sees_the_window_and_the_form(org, published, client_for):
    response = client_for(org.member).get(mine_url(published))
    body = text(response)
    assert 'data-testid="objection-form"' in body
    with translation.override("zh-hans"):
        assert date_format(published.publicity_ends_on, "DATE_FORMAT") in body
    assert file_url(published) in body


def test_member_files_an_objection(org, published, client_for):
    client = client_for(org.member)
    response = client.post(file_url(published), {"reason": REASON, "confirm": "on"})
    assert response.status_code == 302
    objection = Objection.objects.get(period=published, member=org.member)
    assert objection.reason == REASON and objection.is_open
    body = text(client.get(mine_url(published)))
    assert 'data-testid="my-objection"' in body and 'data-state="open"' in body
    assert 'data-testid="objection-form"' not in body
    assert REASON in body


def test_reason_is_required_with_a_field_message(org, published, client_for):
    response = client_for(org.member).post(file_url(published), {"reason": "  ", "confirm": "on"})
    assert response.status_code == 200
    body = text(response)
    assert _("Say what you object to and why.") in body
    assert 'id="id_reason"' in body and "is-invalid" in body
    assert not Objection.objects.exists()


def test_the_one_objection_confirmation_is_required(org, published, client_for):
    response = client_for(org.member).post(file_url(published), {"reason": REASON})
    assert response.status_code == 200
    assert _("Confirm that you can file only one objection.") in text(response)
    assert REASON in text(response)  # what they typed is kept
    assert not Objection.objects.exists()


def test_an_empty_filing_names_both_fields(org, published, client_for):
    body = text(client_for(org.member).post(file_url(published), {"reason": ""}))
    assert _("Say what you object to and why.") in body
    assert _("Confirm that you can file only one objection.") in body
    assert f'action="{file_url(published)}#objection"' in body  # the page opens at the form
    assert not Objection.objects.exists()


def test_a_second_objection_is_refused(org, published, client_for):
    file(org, published)
    client = client_for(org.member)
    response = client.post(file_url(published), {"reason": "再提一次", "confirm": "on"}, follow=True)
    assert _("You have already filed an objection to this result.") in text(response)
    assert Objection.objects.filter(member=org.member).count() == 1


def test_no_form_once_the_window_has_ended(org, published, client_for):
    Period.objects.filter(pk=published.pk).update(publicity_ends_on=timezone.localdate() - datetime.timedelta(days=1))
    client = client_for(org.member)
    body = text(client.get(mine_url(published)))
    assert 'data-testid="objection-form"' not in body
    assert 'data-testid="publicity-window"' in body
    response = client.post(file_url(published), {"reason": REASON, "confirm": "on"}, follow=True)
    assert _("The publicity window of %(period)s has ended: objections can no longer be filed.") % {
        "period": published.name
    } in text(response)
    assert not Objection.objects.exists()


def test_no_form_before_publication(org, client_for):
    period = published_period(org)
    Period.objects.filter(pk=period.pk).update(state=Period.State.CLOSED)
    body = text(client_for(org.member).get(mine_url(period)))
    assert 'data-testid="objection-box"' not in body


# ---------------------------------------------------------------------------
# Ruling


def test_secretary_upholds_and_corrects_the_organisation_rating(org, published, client_for):
    objection = file(org, published, "groupmate")  # groupmate: yellow, org rating 85
    client = client_for(org.secretary)
    page = text(client.get(detail_url(objection)))
    assert 'data-testid="ruling-form"' in page and REASON in page
    assert 'data-testid="result-total"' in page
    response = client.post(detail_url(objection), org_form(published))
    assert response.status_code == 302, text(response)
    objection.refresh_from_db()
    assert objection.state == Objection.State.UPHELD and objection.org_corrected
    assert objection.total_after > objection.total_before
    org_rating = Rating.objects.get(period=published, ratee=org.groupmate, rater_group=RaterGroup.ORG)
    assert org_rating.total == Decimal(100)

    # The member reads the ruling on their result page.
    body = text(client_for(org.groupmate).get(mine_url(published)))
    assert RULING in body and 'data-state="upheld"' in body
    assert _("The organisation rating was corrected.") in body
    assert str(objection.total_before) in body and str(objection.total_after) in body


def test_secretary_upholds_by_withdrawing_a_rating(org, published, client_for):
    objection = file(org, published)
    peer = Rating.objects.filter(period=published, ratee=org.member, rater_group=RaterGroup.PEER).first()
    client = client_for(org.secretary)
    response = client.post(
        detail_url(objection), {"version": "1", "decision": "upheld", "ruling": RULING, "withdraw": [peer.pk]}
    )
    assert response.status_code == 302, text(response)
    objection.refresh_from_db()
    peer.refresh_from_db()
    assert objection.ratings_withdrawn == 1 and not objection.org_corrected and peer.withdrawn
    body = text(client_for(org.member).get(mine_url(published)))
    assert "1" in body and RULING in body and 'data-testid="change-withdrawn"' in body


def test_secretary_rejects(org, published, client_for):
    objection = file(org, published)
    response = client_for(org.secretary).post(
        detail_url(objection), {"version": "1", "decision": "rejected", "ruling": "评分无误。"}
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.state == Objection.State.REJECTED and objection.total_after == objection.total_before
    body = text(client_for(org.member).get(mine_url(published)))
    assert "评分无误。" in body and 'data-state="rejected"' in body


def test_the_ruling_needs_a_reason(org, published, client_for):
    objection = file(org, published)
    response = client_for(org.secretary).post(detail_url(objection), {"version": "1", "decision": "rejected"})
    assert response.status_code == 200
    body = text(response)
    assert _("Give the reason for the ruling; the member reads it.") in body and "is-invalid" in body
    objection.refresh_from_db()
    assert objection.is_open


def test_the_ruling_needs_a_decision_and_a_reason(org, published, client_for):
    objection = file(org, published)
    body = text(client_for(org.secretary).post(detail_url(objection), {"version": "1"}))
    assert _("Choose whether the objection is upheld or rejected.") in body
    assert _("Give the reason for the ruling; the member reads it.") in body
    assert 'data-testid="form-errors"' in body


def test_upheld_without_a_change_is_refused(org, published, client_for):
    objection = file(org, published)
    response = client_for(org.secretary).post(
        detail_url(objection), {"version": "1", "decision": "upheld", "ruling": RULING}
    )
    assert response.status_code == 200
    assert _(
        "An upheld objection changes the result: correct the organisation rating, "
        "withdraw a rating as invalid, or both."
    ) in text(response)
    objection.refresh_from_db()
    assert objection.is_open


def test_a_bad_item_score_is_shown_on_its_field(org, published, client_for):
    objection = file(org, published)
    item = published.rubric.items.order_by("position").first()
    data = org_form(published, **{item.code: "99"})
    response = client_for(org.secretary).post(detail_url(objection), data)
    assert response.status_code == 200
    assert f'id="id_{item.code}" value="99"' in text(response) or 'value="99"' in text(response)
    assert "invalid-feedback" in text(response)
    objection.refresh_from_db()
    assert objection.is_open


def test_a_committee_member_does_not_rule_on_their_own(org, published, client_for):
    objection = file(org, published, "committee")
    client = client_for(org.committee)
    body = text(client.get(detail_url(objection)))
    assert 'data-testid="ruling-form"' not in body and 'data-testid="read-only"' in body
    client.post(detail_url(objection), {"version": "1", "decision": "rejected", "ruling": RULING})
    objection.refresh_from_db()
    assert objection.is_open
    # The secretary, a colleague on the committee, may.
    assert 'data-testid="ruling-form"' in text(client_for(org.secretary).get(detail_url(objection)))


def test_the_administrator_sees_read_only(org, published, client):
    objection = file(org, published)
    client.force_login(org.admin)
    body = text(client.get(detail_url(objection)))
    assert 'data-testid="read-only"' in body and REASON in body


# ---------------------------------------------------------------------------
# Nothing of a rater


def test_no_rater_on_the_ruling_page_or_the_member_page(org, published, client_for):
    objection = file(org, published)
    raters = [org.groupmate.name, org.leader.name, org.masses.name]
    page = text(client_for(org.secretary).get(detail_url(objection)))
    for name in raters:
        assert name not in page
    # The masses group (one rating, below the anonymity threshold) is not listed at all.
    assert page.count('data-testid="withdraw-row"') == 5  # self, three peers, the organisation
    client_for(org.secretary).post(detail_url(objection), org_form(published))
    for url, who in ((detail_url(objection), org.secretary), (mine_url(published), org.member)):
        body = text(client_for(who).get(url))
        for name in raters:
            assert name not in body, (url, name)


# ---------------------------------------------------------------------------
# Lists and scope


def test_committee_lists_its_branch(org, published, client_for):
    mine = file(org, published)
    other = file(org, published, "member_b")
    client = client_for(org.secretary)
    body = text(client.get(reverse("assessment:objection_list"), {"period": published.code}))
    assert detail_url(mine) in body and detail_url(other) not in body
    assert 'data-testid="count-open">1<' in body
    assert client.get(reverse("assessment:objection_list"), {"branch": org.branch_b.pk}).status_code == 404
    empty = text(client.get(reverse("assessment:objection_list"), {"state": "upheld"}))
    assert 'data-testid="objections-empty"' in empty


def test_administrator_lists_every_branch_with_filters(org, published, client):
    a = file(org, published)
    b = file(org, published, "member_b")
    objection_services.objection_rule(
        actor=org.secretary.user, objection_id=a.pk, version=1, upheld=False, ruling="无误。"
    )
    client.force_login(org.admin)
    url = reverse("assessment:objection_list")
    body = text(client.get(url))
    assert detail_url(a) in body and detail_url(b) in body
    assert 'data-testid="count-open">1<' in body and 'data-testid="count-rejected">1<' in body
    by_branch = text(client.get(url, {"branch": org.branch_b.pk}))
    assert detail_url(b) in by_branch and detail_url(a) not in by_branch
    by_state = text(client.get(url, {"state": "rejected"}))
    assert detail_url(a) in by_state and detail_url(b) not in by_state


def test_scope(org, published, client_for):
    objection_b = file(org, published, "member_b")
    objection_a = file(org, published)
    assert client_for(org.secretary).get(detail_url(objection_b)).status_code == 404
    assert client_for(org.member).get(detail_url(objection_a)).status_code == 404
    assert client_for(org.groupmate).get(detail_url(objection_a)).status_code == 404
    assert client_for(org.member).get(reverse("assessment:objection_list")).status_code == 403
    response = client_for(org.secretary).post(
        detail_url(objection_b), {"version": "1", "decision": "rejected", "ruling": RULING}
    )
    assert response.status_code == 404
    objection_b.refresh_from_db()
    assert objection_b.is_open


def test_links_from_the_branch_ranking(org, published, client_for):
    body = text(
        client_for(org.secretary).get(reverse("assessment:result_branch", args=[published.code, org.branch_a.pk]))
    )
    assert reverse("assessment:objection_list") in body


def test_list_before_any_publication(org, client_for):
    body = text(client_for(org.secretary).get(reverse("assessment:objection_list")))
    assert 'data-testid="objections-no-period"' in body


def test_the_committee_reaches_a_members_objection_from_their_result(org, published, client_for):
    url = reverse("assessment:result_member", args=[published.code, org.member.pk])
    assert 'data-testid="member-objection"' not in text(client_for(org.secretary).get(url))
    objection = file(org, published)
    body = text(client_for(org.secretary).get(url))
    assert 'data-testid="member-objection"' in body
    assert detail_url(objection) in body
