"""Warmth-delivery pages: the scope rule on every URL (GET and POST), what each role may do,
the quarter board, filters, empty states, pagination and bounded queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import ContactPoint, HelpRecord, ResponsibilityArea
from activities.services import warmth as services
from members.tests.factories import MemberFactory
from partybuild.lib.quarters import Quarter

pytestmark = pytest.mark.django_db

Kind = HelpRecord.Kind


def today() -> datetime.date:
    return timezone.localdate()


def url(name, *args):
    return reverse(f"activities:{name}", args=args)


def persona(org, who):
    return org.admin if who == "admin" else org.masses.user if who == "masses" else getattr(org, who).user


def contact_of(member, name="王师傅") -> ContactPoint:
    return services.contact_point_add(actor=member.user, member_id=member.pk, name=name, post="巡检工")


def help_of(member, *, kind=Kind.THINKING, contact=None, helped_on=None) -> HelpRecord:
    return services.help_record_add(
        actor=member.user,
        member_id=member.pk,
        kind=kind,
        helped_on=helped_on or today(),
        content="谈心谈话",
        contact_point_id=contact.pk if contact else None,
    )


@pytest.fixture
def contact(org) -> ContactPoint:
    return contact_of(org.member)


@pytest.fixture
def record(org, contact) -> HelpRecord:
    return help_of(org.member, contact=contact)


# --- the scope rule on every URL ----------------------------------------------------------

READERS = {"member", "leader", "secretary", "committee", "admin"}
WRITERS = {"member", "secretary", "committee", "admin"}
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


def expected(who: str, *, write: bool) -> set[int]:
    if who not in READERS:
        return {404}
    if write and who not in WRITERS:
        return {403}
    return {200, 302}


@pytest.mark.parametrize("who", EVERYONE)
def test_member_pages_answer_by_scope(org, client_for, contact, record, who):
    c = client_for(persona(org, who))
    m = org.member.pk
    assert c.get(url("warmth_member", m)).status_code in expected(who, write=False)
    for name, arg in (
        ("warmth_area_edit", m),
        ("warmth_contact_create", m),
        ("warmth_help_create", m),
        ("warmth_contact_edit", contact.pk),
        ("warmth_help_edit", record.pk),
    ):
        assert c.get(url(name, arg)).status_code in expected(who, write=True), name
        assert c.post(url(name, arg), {}).status_code in expected(who, write=True), name
    status = c.post(url("warmth_help_delete", record.pk)).status_code
    assert status in expected(who, write=True)
    assert HelpRecord.objects.filter(pk=record.pk).exists() == (status != 302)
    assert not ResponsibilityArea.objects.exists() and ContactPoint.objects.count() == 1


@pytest.mark.parametrize("who", ["secretary", "committee", "member", "leader", "masses"])
def test_other_branchs_ids_are_404_get_and_post(org, client_for, who):
    theirs = contact_of(org.member_b)
    their_help = help_of(org.member_b, contact=theirs)
    c = client_for(persona(org, who))
    for name in ("warmth_member", "warmth_area_edit", "warmth_contact_create", "warmth_help_create"):
        assert c.get(url(name, org.member_b.pk)).status_code == 404, name
        assert c.post(url(name, org.member_b.pk), {"name": "x", "description": "x"}).status_code == 404, name
    for name, pk in (
        ("warmth_contact_edit", theirs.pk),
        ("warmth_help_edit", their_help.pk),
        ("warmth_help_delete", their_help.pk),
    ):
        assert c.post(url(name, pk), {"name": "x", "content": "x"}).status_code == 404, name
    assert c.get(url("warmth_contact_edit", theirs.pk)).status_code == 404
    assert HelpRecord.objects.filter(pk=their_help.pk).exists()
    assert ContactPoint.objects.get(pk=theirs.pk).version == 1


def test_unknown_ids_are_404(org, client_for):
    c = client_for(org.admin)
    for name in ("warmth_member", "warmth_area_edit", "warmth_help_create", "warmth_contact_edit", "warmth_help_edit"):
        assert c.get(url(name, 999999)).status_code == 404
    assert c.post(url("warmth_help_delete", 999999)).status_code == 404


def test_help_delete_is_post_only(org, client_for, record):
    assert client_for(org.member).get(url("warmth_help_delete", record.pk)).status_code == 405


@pytest.mark.parametrize("name", ["warmth_board", "warmth_mine", "warmth_help_list", "warmth_contact_list"])
def test_masses_rater_sees_no_warmth_pages(org, client_for, name):
    assert client_for(org.masses.user).get(url(name)).status_code == 403


# --- the member keeps their own -----------------------------------------------------------


def test_member_writes_area_adds_contact_and_logs_help(org, client_for):
    c = client_for(org.member)
    page = c.get(url("warmth_mine"), follow=True)
    body = page.content.decode()
    for empty in ("area-empty", "contacts-empty", "help-empty"):
        assert f'data-testid="{empty}"' in body

    area = c.post(
        url("warmth_area_edit", org.member.pk),
        {"description": "化学水处理车间", "fixed_post": "化学值班员", "guarantee_safety": "全年无违章", "version": 0},
    )
    assert area.status_code == 302
    contact = c.post(
        url("warmth_contact_create", org.member.pk),
        {"name": "赵师傅", "employee_no": "M009", "post": "化验工", "note": "孩子今年高考"},
    )
    assert contact.status_code == 302
    point = ContactPoint.objects.get()
    helped = c.post(
        url("warmth_help_create", org.member.pk),
        {
            "kind": Kind.LIVING,
            "helped_on": today().isoformat(),
            "contact_point": point.pk,
            "content": "帮助联系志愿填报",
        },
    )
    assert helped.status_code == 302
    record = HelpRecord.objects.get()
    assert (record.member_id, record.contact_point_id, record.kind) == (org.member.pk, point.pk, Kind.LIVING)
    body = c.get(url("warmth_member", org.member.pk)).content.decode()
    assert "化学水处理车间" in body and "赵师傅" in body and "帮助联系志愿填报" in body


def test_help_form_refuses_a_future_date_and_anothers_contact(org, client_for):
    theirs = contact_of(org.groupmate)
    c = client_for(org.member)
    future = c.post(
        url("warmth_help_create", org.member.pk),
        {"kind": Kind.SKILLS, "helped_on": (today() + datetime.timedelta(days=1)).isoformat(), "content": "x"},
    )
    assert future.status_code == 200 and "helped_on" in future.context["form"].errors
    foreign = c.post(
        url("warmth_help_create", org.member.pk),
        {"kind": Kind.SKILLS, "helped_on": today().isoformat(), "content": "x", "contact_point": theirs.pk},
    )
    assert foreign.status_code == 200 and "contact_point" in foreign.context["form"].errors
    assert not HelpRecord.objects.exists()


def test_help_form_lists_only_active_own_contacts(org, client_for, contact):
    retired = contact_of(org.member, name="已调走的李师傅")
    services.contact_point_update(
        actor=org.member.user, contact_point_id=retired.pk, version=1, name=retired.name, is_active=False
    )
    form = client_for(org.member).get(url("warmth_help_create", org.member.pk) + f"?contact={contact.pk}")
    assert list(form.context["form"].fields["contact_point"].queryset) == [contact]
    assert form.context["form"]["contact_point"].value() == contact.pk


def test_stale_area_form_shows_the_conflict(org, client_for):
    c = client_for(org.member)
    c.post(url("warmth_area_edit", org.member.pk), {"description": "一", "version": 0})
    stale = c.post(url("warmth_area_edit", org.member.pk), {"description": "二", "version": 0})
    assert stale.status_code == 200 and stale.context["form"].non_field_errors()
    assert ResponsibilityArea.objects.get().description == "一"


def test_committee_edits_for_the_member(org, client_for, record):
    c = client_for(org.committee)
    response = c.post(
        url("warmth_help_edit", record.pk),
        {"kind": Kind.MIND, "helped_on": record.helped_on.isoformat(), "content": "心理疏导", "version": 1},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.kind, record.contact_point_id) == (Kind.MIND, None)


def test_leader_reads_but_does_not_write(org, client_for, record):
    page = client_for(org.leader).get(url("warmth_member", org.member.pk))
    assert page.status_code == 200 and not page.context["can_edit"]
    assert 'data-testid="help-create"' not in page.content.decode()


# --- lists --------------------------------------------------------------------------------


def test_help_list_by_role_and_filters(org, client_for, record):
    mate = help_of(org.groupmate, kind=Kind.WARMTH)
    a2 = help_of(org.member_a2, kind=Kind.MENTORING, helped_on=Quarter.current().previous().first_day)
    b = help_of(org.member_b)

    def listed(who, **params):
        return {r.pk for r in client_for(persona(org, who)).get(url("warmth_help_list"), params).context["page"]}

    assert listed("member") == {record.pk}
    assert listed("leader") == {record.pk, mate.pk}
    assert listed("secretary") == {record.pk, mate.pk, a2.pk}
    assert listed("other_secretary") == {b.pk}
    assert listed("admin") == {record.pk, mate.pk, a2.pk, b.pk}
    assert listed("admin", branch=org.branch_b.pk) == {b.pk}
    assert listed("secretary", group=org.group_a2.pk) == {a2.pk}
    assert listed("secretary", kind=Kind.WARMTH) == {mate.pk}
    assert listed("secretary", quarter=Quarter.current().code) == {record.pk, mate.pk}
    assert listed("secretary", member=org.groupmate.employee_no) == {mate.pk}
    assert listed("secretary", year=a2.helped_on.year) >= {a2.pk}
    counts = client_for(org.secretary).get(url("warmth_help_list")).context["count_rows"]
    assert {key: n for key, _label, n in counts}[Kind.MENTORING] == 1


def test_contact_list_by_role_and_state(org, client_for, contact):
    retired = contact_of(org.groupmate, name="调离的张师傅")
    services.contact_point_update(
        actor=org.groupmate.user, contact_point_id=retired.pk, version=1, name=retired.name, is_active=False
    )
    contact_of(org.member_b)

    def listed(who, **params):
        return {c.pk for c in client_for(persona(org, who)).get(url("warmth_contact_list"), params).context["page"]}

    assert listed("member") == {contact.pk}
    assert listed("leader") == {contact.pk, retired.pk}
    assert listed("leader", state="retired") == {retired.pk}
    assert listed("secretary", state="active") == {contact.pk}
    assert len(listed("admin")) == 3


def test_empty_lists(org, client_for):
    c = client_for(org.secretary)
    assert 'data-testid="help-empty"' in c.get(url("warmth_help_list")).content.decode()
    assert 'data-testid="contact-empty"' in c.get(url("warmth_contact_list")).content.decode()


# --- the quarter board --------------------------------------------------------------------


def test_board_lists_who_logged_no_help_this_quarter(org, client_for, record):
    help_of(org.groupmate, helped_on=Quarter.current().previous().last_day)  # last quarter does not count
    c = client_for(org.secretary)
    response = c.get(url("warmth_board"))
    missing = {m.pk for m in response.context["page"].object_list}
    assert org.member.pk not in missing
    assert {org.secretary.pk, org.committee.pk, org.leader.pk, org.groupmate.pk, org.member_a2.pk} == missing
    counts = response.context["counts"]
    assert (counts.members, counts.logged, counts.missing, counts.records) == (6, 1, 5, 1)
    last = c.get(url("warmth_board"), {"quarter": Quarter.current().previous().code})
    assert org.groupmate.pk not in {m.pk for m in last.context["page"].object_list}


def test_board_counts_by_kind(org, client_for, record):
    help_of(org.member, kind=Kind.WARMTH)
    help_of(org.member, kind=Kind.WARMTH)
    response = client_for(org.secretary).get(url("warmth_board"), {"view": "all"})
    rows = {m.pk: m for m in response.context["page"].object_list}
    kinds = list(Kind.values)
    assert rows[org.member.pk].kind_counts[kinds.index(Kind.THINKING)] == 1
    assert rows[org.member.pk].kind_counts[kinds.index(Kind.WARMTH)] == 2
    assert rows[org.member.pk].help_total == 3 and rows[org.groupmate.pk].help_total == 0


def test_board_scope(org, client_for, record):
    help_of(org.member_b)
    leader = client_for(org.leader).get(url("warmth_board"))
    assert {m.group_id for m in leader.context["page"].object_list} == {org.group_a1.pk}
    other_group = client_for(org.leader).get(url("warmth_board"), {"group": org.group_a2.pk})
    assert {m.group_id for m in other_group.context["page"].object_list} == {org.group_a1.pk}
    b = client_for(org.other_secretary).get(url("warmth_board"), {"branch": org.branch_a.pk})
    assert b.context["branch"] == org.branch_b
    admin = client_for(org.admin).get(url("warmth_board"), {"branch": org.branch_b.pk})
    assert admin.context["branch"] == org.branch_b and admin.context["counts"].logged == 1
    plain = client_for(org.member).get(url("warmth_board"))
    assert plain.status_code == 302 and plain.url == url("warmth_member", org.member.pk)


def test_board_when_everyone_logged(org, client_for):
    for m in (org.other_secretary, org.member_b):
        help_of(m)
    body = client_for(org.other_secretary).get(url("warmth_board")).content.decode()
    assert 'data-testid="board-table-empty"' in body


def test_board_is_paginated(org, client_for):
    MemberFactory.create_batch(60, branch=org.branch_a, group=org.group_a2)
    response = client_for(org.secretary).get(url("warmth_board"))
    assert response.context["page"].paginator.num_pages == 2
    assert response.context["counts"].missing == 66


# --- queries ------------------------------------------------------------------------------


def _queries(client, path, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, params or {}).status_code == 200
    return len(ctx.captured_queries)


def _pages(c, member):
    return [
        _queries(c, url("warmth_help_list")),
        _queries(c, url("warmth_contact_list")),
        _queries(c, url("warmth_board")),
        _queries(c, url("warmth_board"), {"view": "all"}),
        _queries(c, url("warmth_member", member.pk)),
    ]


@pytest.mark.parametrize("who", ["secretary", "admin", "leader"])
def test_list_pages_use_a_bounded_number_of_queries(org, client_for, who):
    c = client_for(persona(org, who))
    batch = MemberFactory.create_batch(30, branch=org.branch_a, group=org.group_a1)

    def fill(members):
        for m in members:
            point = contact_of(m)
            help_of(m, contact=point)
            help_of(org.member, kind=Kind.HARMONY, contact=contact_of(org.member, name=f"职工{m.pk}"))

    fill(batch[:5])
    small = _pages(c, org.member)
    fill(batch[5:])
    large = _pages(c, org.member)
    assert small == large
    assert max(large) <= 20
