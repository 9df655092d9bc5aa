"""Paper ballots by links alone: the administrator (any branch) and a branch secretary
(their own branch only, checked on the server) download the template and import it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.models import Period, Rating
from assessment.services.ballots.sheet import COL_GROUP, COL_RATEE
from assessment.tests.excel_helpers import fill_template, on_paper, sheet_rows
from assessment.tests.factories import PeriodFactory, scores_totalling

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(org):
    period = PeriodFactory()
    on_paper(period, org.admin, org.branch_a, org.branch_b)
    return period


def url(name, period):
    return reverse(f"assessment:{name}", args=[period.code])


def template(client, period, **data) -> bytes:
    response = client.post(url("rating_template_download", period), data)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def numbers_in(content: bytes) -> set[str]:
    return {str(row[COL_RATEE]) for row in sheet_rows(content)[1]}


def upload(content: bytes, scores_for):
    buffer = fill_template(content, scores_for)
    buffer.name = "ballots.xlsx"
    return buffer


def test_secretary_downloads_their_branchs_template_only(client_for, org, period):
    client = client_for(org.secretary)
    branch_a = {m.employee_no for m in org.branch_a.members.all()}
    assert numbers_in(template(client, period)) == branch_a
    assert numbers_in(template(client, period, branch=org.branch_a.pk)) == branch_a
    assert client.post(url("rating_template_download", period), {"branch": org.branch_b.pk}).status_code == 404


def test_secretary_imports_their_branch_and_nothing_else(client_for, org, period):
    client = client_for(org.secretary)
    content = template(client, period)
    scores = {c: float(v) for c, v in scores_totalling(period, Decimal(88)).items()}
    self_rows = upload(content, lambda row: scores if row["rater_group"] == "self" else None)
    response = client.post(url("ratings_import", period), {"file": self_rows})
    report, token = response.context["report"], response.context["token"]
    assert report.ok and report.new == 6 and token
    client.post(url("ratings_import_confirm", period), {"token": token})
    assert Rating.objects.filter(source=Rating.Source.PAPER, entered_by=org.secretary.user).count() == 6

    # The administrator's company-wide template, uploaded by the secretary: branch B's
    # member is as unknown to them as a wrong number, and nothing is written.
    company = template(client_for(org.admin), period)
    client = client_for(org.secretary)
    response = client.post(
        url("ratings_import", period),
        {"file": upload(company, lambda row: scores if row[COL_RATEE] == org.member_b.employee_no else None)},
    )
    report = response.context["report"]
    assert not report.ok and not response.context["token"]
    assert any(org.member_b.employee_no in e.message for e in report.errors)
    assert not Rating.objects.filter(ratee=org.member_b).exists()


def test_secretary_does_not_enter_their_own_organisation_rating(client_for, org, period):
    client = client_for(org.secretary)
    content = template(client, period)
    scores = {c: float(v) for c, v in scores_totalling(period, Decimal(90)).items()}

    def own_org_row(row):
        return scores if row[COL_RATEE] == org.secretary.employee_no and row["rater_group"] == "org" else None

    response = client.post(url("ratings_import", period), {"file": upload(content, own_org_row)})
    report = response.context["report"]
    assert not report.ok and [e.column for e in report.errors] == [COL_GROUP]
    # The administrator may.
    admin = client_for(org.admin)
    response = admin.post(url("ratings_import", period), {"file": upload(content, own_org_row)})
    assert response.context["report"].ok


def test_the_menu_leads_to_the_open_periods_paper_ballots(client_for, org, period):
    for who in (org.secretary, org.admin):
        client = client_for(who)
        assert reverse("assessment:paper_ballots") in client.get(reverse("home")).content.decode()
        response = client.get(reverse("assessment:paper_ballots"))
        assert response.status_code == 302 and response["Location"] == url("ratings_import", period)
    assert reverse("assessment:paper_ballots") not in client_for(org.member).get(reverse("home")).content.decode()
    assert client_for(org.committee).get(reverse("assessment:paper_ballots")).status_code == 403


def test_without_an_open_period_the_menu_says_so(client_for, org, period):
    Period.objects.filter(pk=period.pk).update(state=Period.State.CLOSED)
    response = client_for(org.secretary).get(reverse("assessment:paper_ballots"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("assessment:rate_home")
    assert len(list(response.context["messages"])) == 1


def test_rating_pages_link_to_the_paper_ballots(client_for, org, period):
    client = client_for(org.secretary)
    for page in ("rate_home", "rating_progress", "ballot_list"):
        html = client.get(reverse(f"assessment:{page}")).content.decode()
        assert url("ratings_import", period) in html, page
    html = client.get(url("ratings_import", period)).content.decode()
    assert reverse("members:masses_list") in html and "All branches" not in html and "全部党支部" not in html
