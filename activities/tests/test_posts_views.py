"""Pioneer-post and recognition pages: the scope rule on every URL (GET and POST), what each
role may do, filters, empty states, pagination and a bounded number of queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import PioneerPost, Recognition
from activities.services import posts as services
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

SAFETY = PioneerPost.Kind.SAFETY


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def url(name, *args):
    return reverse(f"activities:{name}", args=args)


def designate(actor, member, *, kind=SAFETY, start=-30, end=300, post_name="运行值班员") -> PioneerPost:
    return services.pioneer_post_designate(
        actor=actor.user if hasattr(actor, "user") else actor,
        member_id=member.pk,
        kind=kind,
        starts_on=days(start),
        ends_on=days(end),
        post_name=post_name,
    )


def recognise(actor, member, *, best=Recognition.Best.RECORDS) -> Recognition:
    return services.recognition_record(
        actor=actor.user if hasattr(actor, "user") else actor,
        member_id=member.pk,
        best=best,
        year=today().year,
        quarter=0,
        awarded_on=today(),
        note="资料台账零差错",
    )


@pytest.fixture
def post(org) -> PioneerPost:
    return designate(org.secretary, org.member, post_name="一号机组主值班员")


@pytest.fixture
def post_b(org) -> PioneerPost:
    return designate(org.other_secretary, org.member_b, post_name="第二支部机密岗位")


@pytest.fixture
def recognition(org) -> Recognition:
    return recognise(org.secretary, org.member)


def persona(org, who):
    return org.admin if who == "admin" else org.masses.user if who == "masses" else getattr(org, who).user


# --- the scope rule on every URL ----------------------------------------------------------

VISIBLE = {"member", "leader", "secretary", "committee", "admin"}
MANAGERS = {"secretary", "committee", "admin"}
EVERYONE = [
    "member",
    "groupmate",
    "leader",
    "member_a2",
    "committee",
    "secretary",
    "other_secretary",
    "masses",
    "admin",
]


def expected(who: str, *, manage: bool) -> set[int]:
    if who not in VISIBLE:
        return {404}
    if manage and who not in MANAGERS:
        return {403}
    return {200, 302}


@pytest.mark.parametrize("who", EVERYONE)
def test_post_pages_answer_by_scope(org, client_for, post, who):
    c = client_for(persona(org, who))
    assert c.get(url("post_detail", post.pk)).status_code in expected(who, manage=False)
    assert c.get(url("post_member", org.member.pk)).status_code in expected(who, manage=False)
    for name in ("post_edit", "post_end"):
        assert c.get(url(name, post.pk)).status_code in expected(who, manage=True), name
        assert c.post(url(name, post.pk), {}).status_code in expected(who, manage=True), name
    post.refresh_from_db()
    assert post.version == 1  # empty forms change nothing


@pytest.mark.parametrize("who", EVERYONE)
def test_recognition_withdraw_answers_by_scope(org, client_for, recognition, who):
    c = client_for(persona(org, who))
    assert c.get(url("post_recognition_withdraw", recognition.pk)).status_code == 405
    status = c.post(url("post_recognition_withdraw", recognition.pk)).status_code
    assert status in expected(who, manage=True)
    assert Recognition.objects.filter(pk=recognition.pk).exists() == (status != 302)


@pytest.mark.parametrize("who", ["secretary", "committee", "member", "leader", "masses"])
def test_other_branchs_records_are_404_get_and_post(org, client_for, post_b, who):
    rec_b = recognise(org.other_secretary, org.member_b)
    c = client_for(persona(org, who))
    for name in ("post_detail", "post_edit", "post_end"):
        assert c.get(url(name, post_b.pk)).status_code == 404
        assert c.post(url(name, post_b.pk), {"reason": "x", "ended_on": today()}).status_code == 404
    assert c.get(url("post_member", org.member_b.pk)).status_code == 404
    assert c.post(url("post_recognition_withdraw", rec_b.pk)).status_code == 404
    assert c.get(url("post_create") + f"?member={org.member_b.pk}").status_code == 404
    assert c.get(url("post_recognition_create") + f"?member={org.member_b.pk}").status_code == 404
    assert c.post(url("post_create") + f"?member={org.member_b.pk}", {}).status_code == 404
    assert PioneerPost.objects.get(pk=post_b.pk).version == 1


def test_unknown_ids_are_404(org, client_for):
    c = client_for(org.admin)
    for name in ("post_detail", "post_edit", "post_end", "post_member"):
        assert c.get(url(name, 999999)).status_code == 404
    assert c.post(url("post_recognition_withdraw", 999999)).status_code == 404
    assert c.get(url("post_create") + "?member=abc").status_code == 404
    assert c.get(url("post_create") + "?branch=999999").status_code == 404


@pytest.mark.parametrize("who", ["member", "leader", "groupmate"])
def test_non_committee_may_not_open_the_create_forms(org, client_for, who):
    c = client_for(persona(org, who))
    for name in ("post_create", "post_recognition_create"):
        assert c.get(url(name)).status_code == 403
        assert c.post(url(name), {}).status_code == 403


@pytest.mark.parametrize("name", ["post_list", "post_recognition_list", "post_mine", "post_create"])
def test_masses_rater_sees_no_pioneer_pages(org, client_for, name):
    assert client_for(org.masses.user).get(url(name)).status_code == 403


# --- designate, change, end through the pages ---------------------------------------------


def test_secretary_designates_from_the_members_page(org, client_for):
    org.member.post = "化学运行值班员"
    org.member.save()
    c = client_for(org.secretary)
    page = c.get(url("post_member", org.member.pk))
    assert page.context["can_manage"]
    form = c.get(url("post_create") + f"?member={org.member.pk}")
    assert form.status_code == 200 and form.context["form"]["member"].value() == org.member.pk
    members = list(form.context["form"].fields["member"].queryset)
    assert org.member in members and org.member_b not in members
    response = c.post(
        url("post_create") + f"?member={org.member.pk}",
        {
            "member": org.member.pk,
            "kind": SAFETY,
            "post_name": "",
            "starts_on": days(-1).isoformat(),
            "ends_on": days(200).isoformat(),
            "standards": "执行制度、遵章守规最严",
        },
    )
    post = PioneerPost.objects.get()
    assert response.status_code == 302 and response.url == url("post_detail", post.pk)
    assert post.post_name == "化学运行值班员"
    detail = c.get(response.url)
    assert "化学运行值班员" in detail.content.decode()


def test_form_shows_the_overlap_and_date_errors(org, client_for, post):
    c = client_for(org.secretary)
    data = {"member": org.member.pk, "kind": SAFETY, "post_name": "x", "standards": ""}
    bad = c.post(url("post_create"), {**data, "starts_on": days(5), "ends_on": days(1)})
    assert bad.status_code == 200 and "ends_on" in bad.context["form"].errors
    clash = c.post(url("post_create"), {**data, "starts_on": days(5), "ends_on": days(10)})
    assert clash.status_code == 200 and "starts_on" in clash.context["form"].errors
    assert PioneerPost.objects.count() == 1


def test_secretary_may_not_pick_a_member_of_another_branch(org, client_for):
    c = client_for(org.secretary)
    response = c.post(
        url("post_create"),
        {"member": org.member_b.pk, "kind": SAFETY, "post_name": "x", "starts_on": days(0), "ends_on": days(9)},
    )
    assert response.status_code == 200 and "member" in response.context["form"].errors
    assert not PioneerPost.objects.exists()


def test_admin_chooses_a_branch_first(org, client_for):
    c = client_for(org.admin)
    choice = c.get(url("post_create"))
    assert choice.templates[0].name == "activities/post_branch_choice.html"
    form = c.get(url("post_create") + f"?branch={org.branch_b.pk}")
    assert list(form.context["form"].fields["member"].queryset) == [org.other_secretary, org.member_b]


def test_edit_with_a_stale_version_shows_the_conflict(org, client_for, post):
    c = client_for(org.secretary)
    data = {
        "kind": SAFETY,
        "post_name": "改名一",
        "starts_on": post.starts_on,
        "ends_on": post.ends_on,
        "standards": "",
        "version": 1,
    }
    assert c.post(url("post_edit", post.pk), data).status_code == 302
    stale = c.post(url("post_edit", post.pk), {**data, "post_name": "改名二"})
    assert stale.status_code == 200 and stale.context["form"].non_field_errors()
    post.refresh_from_db()
    assert post.post_name == "改名一"


def test_end_through_the_page(org, client_for, post):
    c = client_for(org.committee)
    response = c.post(url("post_end", post.pk), {"ended_on": today().isoformat(), "reason": "岗位调整"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.ended_early and post.end_reason == "岗位调整"
    again = c.get(url("post_edit", post.pk))
    assert again.status_code == 302  # an ended designation is not edited


# --- lists --------------------------------------------------------------------------------


def test_each_role_lists_what_it_may_see(org, client_for, post, post_b):
    mate = designate(org.secretary, org.groupmate)
    a2 = designate(org.secretary, org.member_a2)

    def listed(who):
        response = client_for(persona(org, who)).get(url("post_list"))
        return {p.pk for p in response.context["page"].object_list}

    assert listed("member") == {post.pk}
    assert listed("leader") == {post.pk, mate.pk}
    assert listed("secretary") == {post.pk, mate.pk, a2.pk}
    assert listed("other_secretary") == {post_b.pk}
    assert listed("admin") == {post.pk, mate.pk, a2.pk, post_b.pk}


def test_list_filters(org, client_for, post, post_b):
    ended = designate(org.secretary, org.groupmate, start=-400, end=-300)
    upcoming = designate(org.secretary, org.member_a2, kind=PioneerPost.Kind.EFFICIENCY, start=30, end=90)
    c = client_for(org.admin)

    def listed(**params):
        return {p.pk for p in c.get(url("post_list"), params).context["page"].object_list}

    assert listed(branch=org.branch_b.pk) == {post_b.pk}
    assert listed(branch=org.branch_a.pk, group=org.group_a1.pk) == {post.pk, ended.pk}
    assert listed(state="current") == {post.pk, post_b.pk}
    assert listed(state="ended") == {ended.pk}
    assert listed(state="upcoming") == {upcoming.pk}
    assert listed(kind="efficiency") == {upcoming.pk}
    assert listed(member=org.member.employee_no) == {post.pk}
    assert listed(member=org.member_b.name) == {post_b.pk}
    assert ended.pk in listed(year=days(-350).year)
    assert listed(state="nonsense", kind="bravery") == {post.pk, post_b.pk, ended.pk, upcoming.pk}


def test_empty_states(org, client_for):
    c = client_for(org.member)
    page = c.get(url("post_list"))
    assert 'data-testid="post-empty"' in page.content.decode()
    assert 'data-testid="post-create"' not in page.content.decode()
    assert 'data-testid="recognition-empty"' in c.get(url("post_recognition_list")).content.decode()
    mine = c.get(url("post_mine"), follow=True)
    body = mine.content.decode()
    assert 'data-testid="posts-empty"' in body and 'data-testid="recognitions-empty"' in body
    assert 'data-testid="member-designate"' not in body
    filtered = client_for(org.secretary).get(url("post_list"), {"kind": "safety"})
    assert 'data-testid="post-empty"' in filtered.content.decode()


def test_recognition_list_counts_and_filter(org, client_for, recognition):
    recognise(org.secretary, org.groupmate, best=Recognition.Best.RESULTS)
    recognise(org.other_secretary, org.member_b)
    c = client_for(org.secretary)
    response = c.get(url("post_recognition_list"))
    counts = {key: n for key, _label, n in response.context["count_rows"]}
    assert counts[Recognition.Best.RECORDS] == 1 and counts[Recognition.Best.RESULTS] == 1
    only = c.get(url("post_recognition_list"), {"best": Recognition.Best.RESULTS})
    assert [r.member_id for r in only.context["page"].object_list] == [org.groupmate.pk]
    member_view = client_for(org.member).get(url("post_recognition_list"))
    assert [r.pk for r in member_view.context["page"].object_list] == [recognition.pk]


def test_record_a_recognition_through_the_page(org, client_for):
    c = client_for(org.secretary)
    response = c.post(
        url("post_recognition_create"),
        {
            "member": org.member.pk,
            "best": Recognition.Best.CONDUCT,
            "year": today().year,
            "quarter": 0,
            "awarded_on": today().isoformat(),
            "note": "作风过硬",
        },
    )
    assert response.status_code == 302 and response.url == url("post_member", org.member.pk)
    duplicate = c.post(
        url("post_recognition_create"),
        {
            "member": org.member.pk,
            "best": Recognition.Best.CONDUCT,
            "year": today().year,
            "quarter": 0,
            "awarded_on": today().isoformat(),
        },
    )
    assert duplicate.status_code == 200 and "best" in duplicate.context["form"].errors
    page = client_for(org.member).get(url("post_member", org.member.pk)).content.decode()
    assert "作风过硬" in page


def test_pagination(org, client_for):
    members = MemberFactory.create_batch(30, branch=org.branch_a, group=org.group_a2)
    for m in members:
        designate(org.secretary, m)
    c = client_for(org.secretary)
    first = c.get(url("post_list"))
    assert first.context["page"].paginator.num_pages == 2
    second = c.get(url("post_list"), {"page": 2})
    assert len(second.context["page"].object_list) == 5


# --- queries ------------------------------------------------------------------------------


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["secretary", "admin", "leader"])
def test_list_pages_use_a_bounded_number_of_queries(org, client_for, who):
    c = client_for(persona(org, who))
    batch = MemberFactory.create_batch(30, branch=org.branch_a, group=org.group_a1)
    for m in batch[:5]:
        designate(org.secretary, m)
        recognise(org.secretary, m)
    small = [_queries(c, url("post_list")), _queries(c, url("post_recognition_list"))]
    for m in batch[5:]:
        designate(org.secretary, m)
        recognise(org.secretary, m)
    large = [_queries(c, url("post_list")), _queries(c, url("post_recognition_list"))]
    assert small == large
    assert max(large) <= 20
    member_page = _queries(c, url("post_member", batch[0].pk))
    assert member_page <= 20


def test_the_kind_of_a_new_post_is_chosen_not_pre_selected(org, client_for):
    page = client_for(org.secretary).get(url("post_create") + f"?member={org.member.pk}")
    kinds = [value for value, _label in page.context["form"].fields["kind"].choices]
    assert "" not in kinds
    content = page.content.decode()
    assert not re.search(r'<input type="radio" name="kind" value=""', content)
    assert not re.search(r'<input type="radio" name="kind"[^>]*checked', content)
    response = client_for(org.secretary).post(
        url("post_create") + f"?member={org.member.pk}", {"member": org.member.pk}
    )
    assert "kind" in response.context["form"].errors
