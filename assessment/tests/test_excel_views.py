"""The Excel pages: who may download and import what, and the secretary's branch-only rankings."""

import io
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from assessment.models import MassesBallot, Period, Rating
from assessment.services.results import results_compute
from assessment.tests.excel_helpers import fill_template, on_paper, rankings_book, sheet_rows
from assessment.tests.factories import PeriodFactory, closed, rate, scores_totalling

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(org):
    """Both branches rate on paper: the template has a row per expected rating (33)."""
    period = PeriodFactory()
    on_paper(period, org.admin, org.branch_a, org.branch_b)
    return period


@pytest.fixture
def published(org, period):
    rate(period, org.member, "org", 91)
    rate(period, org.groupmate, "org", 75)
    rate(period, org.member_b, "org", 85)
    results_compute(actor=org.admin, period_id=closed(period).pk)
    Period.objects.filter(pk=period.pk).update(state=Period.State.PUBLISHED)
    period.refresh_from_db()
    return period


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


def url(name, period, **query):
    base = reverse(f"assessment:{name}", args=[period.code])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def shown(msgid: str) -> str:
    """The msgid as the pages say it: the test client chose no language, so the default one."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(msgid)


# --- the template --------------------------------------------------------------


def test_admin_downloads_the_template(client_for, org, period):
    response = client_for(org.admin).post(url("rating_template_download", period))
    assert response.status_code == 200
    # Named by the period (and the branch, for a branch's template), as people file it.
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith(quote(f"{period.name}-{shown('Rating template')}.xlsx"))
    _, rows = sheet_rows(content_of(response))
    assert len(rows) == 33
    assert not MassesBallot.objects.exists()  # the template issues no one-time links


def test_admin_downloads_one_branchs_template(client_for, org, period):
    response = client_for(org.admin).post(url("rating_template_download", period), {"branch": org.branch_b.pk})
    assert len(sheet_rows(content_of(response))[1]) == 6
    assert client_for(org.admin).post(url("rating_template_download", period), {"branch": "x"}).status_code == 404


def test_template_download_is_a_post(client_for, org, period):
    assert client_for(org.admin).get(url("rating_template_download", period)).status_code == 405


@pytest.mark.parametrize("who", ["committee", "member", "masses"])
def test_only_administrators_and_secretaries_get_the_template(client_for, org, period, who):
    response = client_for(getattr(org, who)).post(url("rating_template_download", period))
    assert response.status_code == 403
    assert not MassesBallot.objects.exists()


def test_template_of_a_closed_period_is_refused_with_a_message(client_for, org, period):
    Period.objects.filter(pk=period.pk).update(state=Period.State.CLOSED)
    response = client_for(org.admin).post(url("rating_template_download", period), follow=True)
    assert response.redirect_chain[-1][0] == url("ratings_import", period)
    not_open = shown("Rating is not open for %(period)s.") % {"period": period.name}
    assert not_open in [str(m) for m in response.context["messages"]]


def test_unknown_period_is_not_found(client_for, org, period):
    response = client_for(org.admin).get(reverse("assessment:ratings_import", args=["1999"]))
    assert response.status_code == 404


# --- the import ----------------------------------------------------------------


def filled(client, period, groups=("self", "org")):
    template = content_of(client.post(url("rating_template_download", period)))
    scores = {c: float(v) for c, v in scores_totalling(period, Decimal(88)).items()}
    buffer = fill_template(template, lambda row: scores if row["rater_group"] in groups else None)
    buffer.name = "ballots.xlsx"
    return buffer


def test_admin_imports_through_preview_and_confirm(client_for, org, period):
    client = client_for(org.admin)
    page = client.get(url("ratings_import", period))
    assert page.status_code == 200 and b'data-testid="template-form"' in page.content
    response = client.post(url("ratings_import", period), {"file": filled(client, period)})
    assert response.status_code == 200
    report, token = response.context["report"], response.context["token"]
    assert report.ok and report.new == 16 and token
    assert not Rating.objects.exists()
    assert b'data-testid="confirm-import"' in response.content
    response = client.post(url("ratings_import_confirm", period), {"token": token}, follow=True)
    assert response.redirect_chain[-1][0] == url("ratings_import", period)
    assert Rating.objects.filter(source=Rating.Source.PAPER, entered_by=org.admin).count() == 16
    # The same token cannot be used twice.
    response = client.post(url("ratings_import_confirm", period), {"token": token})
    assert response.status_code == 302 and Rating.objects.count() == 16


def test_the_preview_counts_paper_ballots_per_member_and_confirms_them(client_for, org, period):
    client = client_for(org.admin)
    response = client.post(url("ratings_import", period), {"file": filled(client, period, ("peer", "masses"))})
    report, token = response.context["report"], response.context["token"]
    assert report.ok and (report.new, report.ballots, report.writes) == (0, 17, 17) and token
    m = org.member
    assert (m.employee_no, m.name, "peer", 3) in report.ballots_per_ratee
    assert (m.employee_no, m.name, "masses", 1) in report.ballots_per_ratee
    assert b'data-testid="import-ballots"' in response.content and not Rating.objects.exists()
    response = client.post(url("ratings_import_confirm", period), {"token": token}, follow=True)
    assert Rating.objects.filter(ballot_no__isnull=False, entered_by=org.admin).count() == 17
    # Uploaded again: every ballot number was entered before; nothing to confirm.
    response = client.post(url("ratings_import", period), {"file": filled(client, period, ("peer", "masses"))})
    report = response.context["report"]
    assert (report.ballots, report.ballots_entered, report.writes) == (0, 17, 0)
    assert not response.context["token"] and b'data-testid="confirm-import"' not in response.content


def test_a_bad_file_shows_its_errors_and_offers_no_confirm(client_for, org, period):
    client = client_for(org.admin)
    bad = io.BytesIO(b"not a workbook")
    bad.name = "ballots.xlsx"
    response = client.post(url("ratings_import", period), {"file": bad})
    assert response.status_code == 200 and not response.context["token"]
    assert b'data-testid="import-errors"' in response.content
    assert b'data-testid="confirm-import"' not in response.content


def test_a_file_that_is_not_xlsx_is_refused_by_the_form(client_for, org, period):
    bad = io.BytesIO(b"a,b")
    bad.name = "ballots.csv"
    response = client_for(org.admin).post(url("ratings_import", period), {"file": bad})
    assert response.status_code == 200 and response.context["form"].errors


def test_confirm_with_a_forged_token_writes_nothing(client_for, org, period):
    response = client_for(org.admin).post(url("ratings_import_confirm", period), {"token": "f" * 32}, follow=True)
    assert response.redirect_chain and not Rating.objects.exists()


@pytest.mark.parametrize("who", ["committee", "member", "masses"])
def test_only_administrators_and_secretaries_import(client_for, org, period, who):
    client = client_for(getattr(org, who))
    assert client.get(url("ratings_import", period)).status_code == 403
    assert client.post(url("ratings_import_confirm", period), {"token": "x"}).status_code == 403


# --- the rankings --------------------------------------------------------------


def test_admin_downloads_company_wide_rankings(client_for, org, published):
    response = client_for(org.admin).get(url("rankings_download", published))
    assert response.status_code == 200
    book = rankings_book(content_of(response))
    company = shown("Company-wide")
    assert book.sheetnames == [company, shown("By branch")]
    assert book[company]["K1"].value == shown("Rank in company")


def test_admin_downloads_one_branch_before_publishing(client_for, org, published):
    Period.objects.filter(pk=published.pk).update(state=Period.State.CLOSED)
    response = client_for(org.admin).get(url("rankings_download", published, branch=org.branch_b.pk))
    assert rankings_book(content_of(response)).sheetnames == [org.branch_b.name]
    assert client_for(org.admin).get(url("rankings_download", published, branch=999999)).status_code == 404


@pytest.mark.parametrize("who", ["secretary", "committee"])
def test_branch_committee_downloads_only_their_branch(client_for, org, published, who):
    client = client_for(getattr(org, who))
    response = client.get(url("rankings_download", published))
    # The file is named by the period and the branch, not by their codes and ids.
    filename = f"{published.name}-{org.branch_a.name}-{shown('Rankings')}.xlsx"
    assert response["Content-Disposition"].endswith(quote(filename))
    book = rankings_book(content_of(response))
    assert book.sheetnames == [org.branch_a.name]
    ws = book[org.branch_a.name]
    headers = [c.value for c in ws[1]]
    assert shown("Rank in company") not in headers
    numbers = {ws.cell(r, 3).value for r in range(2, ws.max_row + 1)}
    assert numbers == {org.member.employee_no, org.groupmate.employee_no}
    assert content_of(client.get(url("rankings_download", published, branch=org.branch_a.pk)))
    assert client.get(url("rankings_download", published, branch=org.branch_b.pk)).status_code == 404


def test_other_branchs_secretary_gets_their_own_branch(client_for, org, published):
    response = client_for(org.other_secretary).get(url("rankings_download", published))
    ws = rankings_book(content_of(response))[org.branch_b.name]
    assert ws["C2"].value == org.member_b.employee_no and ws.max_row == 2


def test_committee_sees_no_rankings_before_publication(client_for, org, published):
    Period.objects.filter(pk=published.pk).update(state=Period.State.CLOSED)
    assert client_for(org.secretary).get(url("rankings_download", published)).status_code == 404


@pytest.mark.parametrize("who", ["member", "leader", "masses"])
def test_members_and_masses_raters_get_no_rankings(client_for, org, published, who):
    assert client_for(getattr(org, who)).get(url("rankings_download", published)).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, org, published):
    response = client.get(url("rankings_download", published))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_rankings_before_computing_say_so(client_for, org, period):
    response = client_for(org.admin).get(url("rankings_download", period), follow=True)
    not_computed = shown("The results of %(period)s have not been computed yet.") % {"period": period.name}
    assert response.redirect_chain and not_computed in [str(m) for m in response.context["messages"]]


def test_rankings_button_partial_renders_per_role(rf, org, published):
    from django.template.loader import render_to_string

    from members.roles import get_roles

    admin = render_to_string(
        "assessment/excel_rankings_button.html",
        {"period": published, "roles": get_roles(org.admin), "rankings_branches": [org.branch_a]},
    )
    secretary = render_to_string(
        "assessment/excel_rankings_button.html", {"period": published, "roles": get_roles(org.secretary.user)}
    )
    member = render_to_string(
        "assessment/excel_rankings_button.html", {"period": published, "roles": get_roles(org.member.user)}
    )
    assert 'name="branch"' in admin and url("rankings_download", published) in secretary
    assert "rankings-download" not in member
