"""The anonymity promises of paper ballots (docs/reliability.md, issue 14):

- the template never names a peer or masses rater, only the ratee and a ballot number;
- the import preview (web) and the import command never say whether a typed peer or
  masses row equals the stored one: a ballot entered before is counted, never compared;
- a branch's peers or masses rate by one channel, online or on paper, never both;
- a paper ballot keeps who typed it in, but no history row says when it arrived.
"""

import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from assessment.models import RaterGroup, Rating, RatingChannel
from assessment.services import AssessmentError
from assessment.services.ballots.sheet import COL_GROUP
from assessment.services.ballots.template_import import ratings_import
from assessment.services.ratings import ballot_issue, channel_set, rating_save, rating_save_by_ballot
from assessment.tests.excel_helpers import export_template, fill_template, on_paper, ratings_workbook, sheet_rows
from assessment.tests.factories import PeriodFactory, full_scores, rate, scores_totalling
from members.models import MassesRater, Member
from members.tests.factories import MassesRaterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(org):
    """Branch A rates on paper (peers and masses), branch B online."""
    period = PeriodFactory()
    on_paper(period, org.admin, org.branch_a)
    return period


def shown(msgid: str) -> str:
    """The msgid as the pages say it: the test client chose no language, so the default one."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(msgid)


def numbers(period, total) -> dict[str, float]:
    return {c: float(v) for c, v in scores_totalling(period, Decimal(total)).items()}


def ballots_file(period, totals: dict[str, int]) -> bytes:
    """The period's template with the ballots named in ``totals`` (ballot number -> total)
    filled in, every other row left blank."""
    template = export_template(period)

    def scores_for(row):
        total = totals.get(row["ballot_no"])
        return numbers(period, total) if total is not None else None

    return fill_template(template, scores_for).getvalue()


# --- 1. the template names no rater --------------------------------------------------


def test_the_template_never_names_a_peer_or_masses_rater(org, period):
    """Branch A rates on paper, branch B online. Every peer and masses row of branch A
    carries its ratee and a ballot number made of the ratee's own number, never anyone
    else's number or name; a ratee's ballots come in ballot-number order, not in the
    order of their raters; branch B, online, has no peer or masses row at all."""
    # More masses raters for the groupmate, whose order by id, by number and by name differ.
    for number, name in (("QZ9", "群众子"), ("QA1", "群众丑"), ("QM5", "群众寅")):
        MassesRaterFactory(branch=org.branch_a, employee_no=number, name=name).ratees.add(org.groupmate)
    marks = set(Member.objects.values_list("employee_no", flat=True))
    marks |= set(MassesRater.objects.values_list("employee_no", flat=True))
    names = set(Member.objects.values_list("name", flat=True)) | set(MassesRater.objects.values_list("name", flat=True))
    _headers, rows = sheet_rows(export_template(period, actor=org.admin))
    anonymous = [r for r in rows if r["rater_group"] in ("peer", "masses")]
    branch_a = set(Member.objects.filter(branch=org.branch_a).values_list("employee_no", flat=True))
    assert {r["ratee_employee_no"] for r in anonymous} == branch_a
    for r in anonymous:
        ratee = r["ratee_employee_no"]
        assert r["rater"] is None, r
        letter = "P" if r["rater_group"] == "peer" else "M"
        assert re.fullmatch(rf"{re.escape(ratee)}-{letter}\d\d", r["ballot_no"]), r
        cells = [str(v) for v in r.values() if v is not None]
        for mark in marks - {ratee}:
            assert not [c for c in cells if mark in c], (mark, r)
        assert set(cells) & names <= {r["ratee_name"]}, r
    for ratee in branch_a:
        for group, letter in (("peer", "P"), ("masses", "M")):
            numbers_ = [
                r["ballot_no"] for r in anonymous if r["ratee_employee_no"] == ratee and r["rater_group"] == group
            ]
            assert numbers_ == [f"{ratee}-{letter}{k:02d}" for k in range(1, len(numbers_) + 1)]
    mate = org.groupmate.employee_no
    assert [r["ballot_no"] for r in anonymous if r["ratee_employee_no"] == mate][3:] == [
        f"{mate}-M01",
        f"{mate}-M02",
        f"{mate}-M03",
    ]
    # Branch B rates online: its members have their self and organisation rows only.
    others = {org.other_secretary.employee_no, org.member_b.employee_no}
    assert [r["rater_group"] for r in rows if r["ratee_employee_no"] in others] == ["self", "org"] * 2


# --- 2. no oracle: a typed ballot is never compared with the stored one ---------------------


def preview(client, period, content: bytes):
    """Upload the file to the import page: (the response, its page without the tokens
    that differ from one rendering to the next whatever the file: CSRF and CSP)."""
    upload = io.BytesIO(content)
    upload.name = "ballots.xlsx"
    response = client.post(reverse("assessment:ratings_import", args=[period.code]), {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    page = re.sub(r'nonce="[^"]*"', "", page)
    return response, page


def stored_ballots():
    return {r.ballot_no: (r.pk, r.total, r.scores, r.version) for r in Rating.objects.filter(ballot_no__isnull=False)}


def test_the_import_preview_never_says_whether_a_typed_ballot_equals_the_stored_one(client_for, org, period):
    no = org.member.employee_no
    first = {f"{no}-P01": 70, f"{no}-P02": 75, f"{no}-M01": 60}
    client = client_for(org.admin)
    response, _page = preview(client, period, ballots_file(period, first))
    assert response.context["report"].ballots == 3
    confirm = reverse("assessment:ratings_import_confirm", args=[period.code])
    # Followed, so that the "imported" message is read there and not on the next preview.
    assert client.post(confirm, {"token": response.context["token"]}, follow=True).redirect_chain
    stored = stored_ballots()
    assert len(stored) == 3

    changed, changed_page = preview(client, period, ballots_file(period, {**first, f"{no}-P01": 95}))
    same, same_page = preview(client, period, ballots_file(period, first))
    assert changed.context["report"] == same.context["report"]
    assert changed_page == same_page
    report = same.context["report"]
    assert (report.ballots, report.ballots_entered, report.unchanged, report.writes) == (0, 3, 0, 0)
    assert report.ballots_per_ratee == [] and report.changes == []
    assert not same.context["token"] and 'data-testid="confirm-import"' not in same_page
    # Nor that the file agrees with the ratings given: of a ballot, nothing is compared.
    assert shown("Nothing in this file differs from the ratings already given.") not in same_page
    assert stored_ballots() == stored


def test_the_import_command_never_says_whether_a_typed_ballot_equals_the_stored_one(org, period, tmp_path):
    no = org.member.employee_no
    first = {f"{no}-P01": 70, f"{no}-P02": 75, f"{no}-M01": 60}
    files = {}
    for name, totals in (("first", first), ("changed", {**first, f"{no}-P01": 95}), ("same", first)):
        files[name] = tmp_path / f"{name}.xlsx"
        files[name].write_bytes(ballots_file(period, totals))

    def run(name, *extra):
        out = io.StringIO()
        with translation.override("en"):
            call_command("import_ratings", "--period", period.code, str(files[name]), *extra, stdout=out)
        return out.getvalue()

    assert "3 paper ballots added" in run("first")
    stored = stored_ballots()
    for extra in (["--dry-run"], []):
        changed, same = run("changed", *extra), run("same", *extra)
        assert changed == same
        assert "0 unchanged" in same and "0 paper ballots added" in same and "3 ballots entered before" in same
    assert stored_ballots() == stored
    assert Rating.objects.get(ballot_no=f"{no}-P01").total == Decimal("70.0")


# --- 3. one channel per branch and group --------------------------------------------------


def test_a_peer_or_masses_rating_on_the_web_is_refused_where_the_branch_rates_on_paper(org, period):
    scores = full_scores(period)
    with pytest.raises(AssessmentError) as exc:
        rating_save(
            actor=org.groupmate.user, period_id=period.pk, ratee_id=org.member.pk, rater_group="peer", scores=scores
        )
    assert exc.value.message == _("In this branch the %(group)s rate on paper in this period.") % {
        "group": RaterGroup.PEER.label
    }
    link = ballot_issue(actor=org.admin, period_id=period.pk, rater_id=org.masses.pk)
    with pytest.raises(AssessmentError) as exc:
        rating_save_by_ballot(token=link.token, ratee_id=org.member.pk, scores=scores)
    assert exc.value.message == _("In this branch the %(group)s rate on paper in this period.") % {
        "group": RaterGroup.MASSES.label
    }
    assert not Rating.objects.exists()
    # The channel is the anonymous groups' only: the member still rates themselves online,
    # and in branch B (online) a peer rates on the web.
    rating_save(actor=org.member.user, period_id=period.pk, ratee_id=org.member.pk, rater_group="self", scores=scores)
    rating_save(
        actor=org.member_b.user,
        period_id=period.pk,
        ratee_id=org.other_secretary.pk,
        rater_group="peer",
        scores=scores,
    )
    assert sorted(Rating.objects.values_list("rater_group", flat=True)) == ["peer", "self"]


def test_the_rating_page_shows_why_a_peer_rating_is_refused_on_a_paper_branch(client_for, org, period):
    url = reverse("assessment:rate_form", args=[period.code, org.member.pk, "peer"])
    data = {f"item_{c}": v for c, v in full_scores(period).items()}
    response = client_for(org.groupmate).post(url, data)
    assert response.status_code == 200
    refused = shown("In this branch the %(group)s rate on paper in this period.")
    with translation.override(settings.LANGUAGE_CODE):
        refused %= {"group": RaterGroup.PEER.label}
    assert refused in [str(e) for e in response.context["form"].non_field_errors()]
    assert refused in response.content.decode()
    assert not Rating.objects.exists()


def test_a_paper_row_for_a_branch_that_rates_online_is_refused_on_import(org, period):
    codes = list(period.rubric.items.order_by("position", "code").values_list("code", flat=True))
    b = org.member_b.employee_no
    rows = [
        {"ratee_employee_no": b, "rater_group": "org", **numbers(period, 80)},
        {"ratee_employee_no": b, "rater_group": "peer", "ballot_no": f"{b}-P01", **numbers(period, 80)},
    ]
    report = ratings_import(period_id=period.pk, file=ratings_workbook(rows, codes), actor=org.admin)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (
            3,
            COL_GROUP,
            _("In this branch the %(group)s rate online in this period: their ratings are not entered from paper.")
            % {"group": RaterGroup.PEER.label},
        )
    ]
    assert not Rating.objects.exists()


def choose(org, period, branch, group, channel):
    return channel_set(actor=org.admin, period_id=period.pk, branch_id=branch.pk, rater_group=group, channel=channel)


def test_the_channel_is_fixed_once_a_rating_of_that_group_is_in(org):
    period = PeriodFactory()
    rate(period, org.member, "peer", 80, rater_member=org.groupmate)
    with pytest.raises(AssessmentError) as exc:
        channel_set(
            actor=org.admin, period_id=period.pk, branch_id=org.branch_a.pk, rater_group="peer", channel="paper"
        )
    assert exc.value.message == _(
        "Some %(group)s of this branch have rated already: the channel can no longer change in this period."
    ) % {"group": RaterGroup.PEER.label}
    assert not RatingChannel.objects.exists()
    # The other group, and the same group in another branch, may still choose.
    choose(org, period, org.branch_a, "masses", "paper")
    choose(org, period, org.branch_b, "peer", "paper")
    # Once a paper ballot is in, the branch cannot go back online either.
    codes = list(period.rubric.items.order_by("position", "code").values_list("code", flat=True))
    b = org.member_b.employee_no
    rows = [{"ratee_employee_no": b, "rater_group": "peer", "ballot_no": f"{b}-P01", **numbers(period, 80)}]
    assert ratings_import(period_id=period.pk, file=ratings_workbook(rows, codes), actor=org.admin).ballots == 1
    with pytest.raises(AssessmentError):
        channel_set(
            actor=org.admin, period_id=period.pk, branch_id=org.branch_b.pk, rater_group="peer", channel="online"
        )
    assert set(RatingChannel.objects.values_list("branch_id", "rater_group", "channel")) == {
        (org.branch_a.pk, "masses", "paper"),
        (org.branch_b.pk, "peer", "paper"),
    }


def test_the_committee_chooses_its_own_branchs_channel_only(client_for, org):
    period = PeriodFactory()
    with pytest.raises(AssessmentError):
        channel_set(
            actor=org.other_secretary.user,
            period_id=period.pk,
            branch_id=org.branch_a.pk,
            rater_group="peer",
            channel="paper",
        )
    rate(period, org.member, "peer", 80, rater_member=org.groupmate)
    url = reverse("assessment:rating_progress") + f"?period={period.code}&branch={org.branch_a.pk}"
    response = client_for(org.secretary).post(url, {"rater_group": "peer", "channel": "paper"}, follow=True)
    fixed = shown("Some %(group)s of this branch have rated already: the channel can no longer change in this period.")
    with translation.override(settings.LANGUAGE_CODE):
        fixed %= {"group": RaterGroup.PEER.label}
    assert fixed in [str(m) for m in response.context["messages"]]
    response = client_for(org.secretary).post(url, {"rater_group": "masses", "channel": "paper"})
    assert response.status_code == 302
    assert list(RatingChannel.objects.values_list("branch_id", "rater_group", "channel", "set_by")) == [
        (org.branch_a.pk, "masses", "paper", org.secretary.user.pk)
    ]


# --- 4. who typed a ballot in is kept; when it arrived is not ---------------------------------


def test_paper_ballots_keep_who_entered_them_but_leave_no_history(client_for, org, period):
    no = org.member.employee_no
    totals = {f"{no}-P01": 70, f"{no}-P02": 75, f"{no}-M01": 60}
    content = ballots_file(period, totals)
    # A self and an organisation row too: those are named, and audited as before.
    content = fill_template(
        content,
        lambda row: (
            numbers(period, 85) if row["ratee_employee_no"] == no and row["rater_group"] in ("self", "org") else None
        ),
    ).getvalue()
    client = client_for(org.admin)
    response, _page = preview(client, period, content)
    assert (response.context["report"].ballots, response.context["report"].new) == (3, 2)
    confirm = reverse("assessment:ratings_import_confirm", args=[period.code])
    assert client.post(confirm, {"token": response.context["token"]}).status_code == 302
    ballots = Rating.objects.filter(rater_group__in=["peer", "masses"])
    assert sorted(ballots.values_list("ballot_no", flat=True)) == sorted(totals)
    assert {(r.entered_by, r.source, r.rater_key) for r in ballots} == {(org.admin, Rating.Source.PAPER, None)}
    assert not Rating.history.filter(rater_group__in=["peer", "masses"]).exists()
    named = Rating.history.filter(rater_group__in=["self", "org"])
    assert sorted(named.values_list("rater_group", "history_type", "history_user")) == [
        ("org", "+", org.admin.pk),
        ("self", "+", org.admin.pk),
    ]


def test_ballots_imported_by_the_command_have_no_author_and_no_history(org, period, tmp_path):
    no = org.member.employee_no
    path = tmp_path / "ballots.xlsx"
    path.write_bytes(ballots_file(period, {f"{no}-P01": 70, f"{no}-M01": 60}))
    call_command("import_ratings", "--period", period.code, str(path), stdout=io.StringIO())
    assert Rating.objects.filter(ballot_no__isnull=False, entered_by=None).count() == 2
    assert not Rating.history.filter(rater_group__in=["peer", "masses"]).exists()
