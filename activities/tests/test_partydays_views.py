"""Party-day pages: the scope rule on every URL, access to photos only through the
checked view, upload validation through the page, the flow, and bounded queries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import PartyDay, PartyDayContribution, PartyDayParticipant, PartyDayPhoto
from activities.services import partydays as services
from activities.tests.factories import ParticipantFactory, PartyDayFactory, image_bytes, image_upload
from members.tests.factories import MemberFactory

St = PartyDay.Status
Att = PartyDayParticipant.Attendance
THEME = "走进兄弟单位学先进"


@pytest.fixture
def day(org):
    day = PartyDayFactory(branch=org.branch_a, kind=PartyDay.Kind.INTERACTIVE, status=St.HELD, theme=THEME)
    ParticipantFactory(party_day=day, member=org.member, attendance=Att.PRESENT)
    ParticipantFactory(party_day=day, member=org.groupmate, attendance=Att.PRESENT)
    return day


@pytest.fixture
def photo(org, day):
    return services.photo_add(actor=org.secretary.user, party_day_id=day.pk, upload=image_upload())


def url(name, **kw):
    return reverse(f"activities:{name}", kwargs=kw)


def urls_with_id(day, photo, contribution):
    pk = day.pk
    yield "get", url("partyday_detail", pk=pk), {}
    yield "get", url("partyday_edit", pk=pk), {}
    yield "post", url("partyday_edit", pk=pk), {"theme": "篡改"}
    yield "get", url("partyday_participants", pk=pk), {}
    yield "post", url("partyday_participants", pk=pk), {"version": day.version}
    yield "post", url("partyday_cancel", pk=pk), {"reason": "越权", "version": day.version}
    yield "get", url("partyday_contribution_add", pk=pk), {}
    yield "post", url("partyday_contribution_add", pk=pk), {"kind": "work", "summary": "x"}
    yield "post", url("partyday_contribution_delete", pk=pk, item_pk=contribution.pk), {}
    yield "get", url("partyday_reflection", pk=pk), {}
    yield "post", url("partyday_reflection", pk=pk), {"text": "越权", "version": 1}
    yield "post", url("partyday_photo_add", pk=pk), {"image": image_upload()}
    yield "post", url("partyday_photo_delete", pk=pk, photo_pk=photo.pk), {}
    yield "get", url("partyday_photo", pk=photo.pk), {}


@pytest.mark.parametrize("who", ["other_secretary", "member_b", "masses"])
def test_outsiders_get_404_on_every_url_and_change_nothing(org, client_for, day, photo, who):
    contribution = services.contribution_add(
        actor=org.secretary.user, party_day_id=day.pk, member_id=org.member.pk, kind="work", summary="汇报工作"
    )
    client = client_for(getattr(org, who).user)
    for method, target, data in urls_with_id(day, photo, contribution):
        response = getattr(client, method)(target, data)
        assert response.status_code == 404, (method, target)
        assert THEME not in response.content.decode(errors="replace")
    day.refresh_from_db()
    assert (day.status, day.version, day.theme) == (St.HELD, 1, THEME)
    assert PartyDayPhoto.objects.count() == 1 and PartyDayContribution.objects.count() == 1


def test_anonymous_users_are_sent_to_log_in(client, org, day, photo):
    contribution = services.contribution_add(
        actor=org.secretary.user, party_day_id=day.pk, member_id=org.member.pk, kind="work", summary="x"
    )
    for method, target, data in urls_with_id(day, photo, contribution):
        response = getattr(client, method)(target, data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["member", "member_a2", "leader", "committee"])
def test_branch_members_see_the_day_but_cannot_manage_it(org, client_for, day, who):
    client = client_for(getattr(org, who).user)
    assert client.get(url("partyday_detail", pk=day.pk)).status_code == 200
    if who != "committee":
        assert client.get(url("partyday_edit", pk=day.pk)).status_code == 403
        assert client.get(url("partyday_participants", pk=day.pk)).status_code == 403
        assert client.post(url("partyday_photo_add", pk=day.pk), {"image": image_upload()}).status_code == 403
        assert not PartyDayPhoto.objects.exists()


def test_a_participant_who_moved_keeps_seeing_the_day(org, client_for, day):
    org.member.branch = org.branch_b
    org.member.group = org.group_b1
    org.member.save()
    assert client_for(org.member.user).get(url("partyday_detail", pk=day.pk)).status_code == 200


# ---------------------------------------------------------------------------
# Photos: served only through the checked view


@pytest.mark.parametrize("who", ["member", "member_a2", "secretary", "admin"])
def test_photo_is_served_to_the_branch_and_administrators(org, client_for, photo, who):
    person = getattr(org, who)
    response = client_for(person if who == "admin" else person.user).get(url("partyday_photo", pk=photo.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xff\xd8")


@pytest.mark.parametrize("who", ["other_secretary", "member_b", "masses"])
def test_photo_is_404_to_everyone_else(org, client_for, photo, who):
    response = client_for(getattr(org, who).user).get(url("partyday_photo", pk=photo.pk))
    assert response.status_code == 404


def test_no_public_url_leads_to_a_photo(org, client_for, day, photo):
    page = client_for(org.member.user).get(url("partyday_detail", pk=day.pk)).content.decode()
    assert url("partyday_photo", pk=photo.pk) in page
    assert photo.image.name not in page
    assert client_for(org.member.user).get("/media/" + photo.image.name).status_code == 404


def test_upload_through_the_page(org, client_for, day):
    client = client_for(org.secretary.user)
    response = client.post(url("partyday_photo_add", pk=day.pk), {"image": image_upload(), "caption": "合影"})
    assert response.status_code == 302
    assert PartyDayPhoto.objects.get().caption == "合影"


@pytest.mark.parametrize(
    ("name", "content", "expect"),
    [
        ("big.jpg", image_bytes("JPEG") + b"\0" * (5 * 1024 * 1024), "5 MB"),
        ("notes.txt", "会议记录".encode(), None),
        ("evil.jpg", b"<?php system($_GET['c']); ?>", None),
        ("run.jpg", b"#!/bin/sh\necho pwned\n", None),
    ],
)
def test_bad_uploads_through_the_page_are_refused_with_a_message(org, client_for, day, name, content, expect):
    client = client_for(org.secretary.user)
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = client.post(url("partyday_photo_add", pk=day.pk), {"image": upload}, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and (expect is None or expect in messages[0])
    assert not PartyDayPhoto.objects.exists()


# ---------------------------------------------------------------------------
# The flow through the pages


def test_secretary_plans_records_and_member_reflects(org, client_for):
    secretary = client_for(org.secretary.user)
    page = secretary.get(url("partyday_create"))
    assert page.status_code == 200
    assert f'value="{org.member_b.pk}"' not in page.content.decode()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = secretary.post(
        url("partyday_create"),
        {
            "kind": "experiential",
            "theme": "当一天安全员",
            "held_on": yesterday.isoformat(),
            "place": "一号机组",
            "planned_roles": ["safety", "skills"],
            "participants": [org.member.pk, org.groupmate.pk],
        },
    )
    day = PartyDay.objects.get()
    assert response.status_code == 302 and day.planned_roles == ["safety", "skills"]

    page = secretary.get(url("partyday_participants", pk=day.pk))
    rows = page.context["rows"]
    assert {p.member_id for p, _f in rows} == {org.member.pk, org.groupmate.pk}
    data = {"p-TOTAL_FORMS": "2", "p-INITIAL_FORMS": "2", "version": day.version, "summary": "查出隐患两处"}
    for i, (p, _f) in enumerate(rows):
        data[f"p-{i}-member_id"] = p.member_id
        data[f"p-{i}-attendance"] = "present" if p.member_id == org.member.pk else "excused"
        data[f"p-{i}-reason"] = "" if p.member_id == org.member.pk else "倒班"
        data[f"p-{i}-role"] = "safety" if p.member_id == org.member.pk else ""
    response = secretary.post(url("partyday_participants", pk=day.pk), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    day.refresh_from_db()
    assert day.status == St.HELD and day.summary == "查出隐患两处"
    assert day.participants.get(member=org.member).role == "safety"

    member = client_for(org.member.user)
    assert member.get(url("partyday_list")).context["to_reflect"][0].party_day_id == day.pk
    version = member.get(url("partyday_reflection", pk=day.pk)).context["form"]["version"].value()
    response = member.post(
        url("partyday_reflection", pk=day.pk), {"text": "换位思考，安全无小事。", "version": version}
    )
    assert response.status_code == 302
    assert "换位思考，安全无小事。" in member.get(url("partyday_detail", pk=day.pk)).content.decode()
    # The excused participant is told they write no reflection.
    page = client_for(org.groupmate.user).get(url("partyday_reflection", pk=day.pk)).content.decode()
    assert 'data-testid="reflection-closed"' in page


def test_admin_picks_the_branch_first(org, client_for):
    client = client_for(org.admin)
    page = client.get(url("partyday_create"))
    assert 'data-testid="branch-choice"' in page.content.decode()
    assert client.get(url("partyday_create"), {"branch": "999999"}).status_code == 404
    assert client.get(url("partyday_create"), {"branch": org.branch_b.pk}).status_code == 200
    assert client_for(org.member.user).get(url("partyday_create")).status_code == 403


def test_stale_plan_edit_is_refused_on_the_page(org, client_for, day):
    client = client_for(org.secretary.user)
    data = {
        "kind": day.kind,
        "theme": "改主题",
        "held_on": day.held_on.isoformat(),
        "place": day.place,
        "participants": [org.member.pk, org.groupmate.pk],
        "version": day.version - 1 if day.version > 1 else 0,
    }
    response = client.post(url("partyday_edit", pk=day.pk), data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    day.refresh_from_db()
    assert day.theme == THEME


def test_list_filters_and_empty_state(org, client_for, day):
    client = client_for(org.leader.user)

    def listed(**params):
        return [d.pk for d in client.get(url("partyday_list"), params).context["page"].object_list]

    assert listed(kind="interactive") == [day.pk]
    page = client.get(url("partyday_list"), {"kind": "open"}).content.decode()
    assert THEME not in page and 'data-testid="partyday-empty"' in page
    assert listed(member=org.member.name) == [day.pk]
    assert listed(member=org.member_a2.employee_no) == []
    assert listed(group=org.group_a1.pk) == [day.pk]
    assert listed(group=org.group_a2.pk) == []
    assert listed(status="held", year=day.held_on.year) == [day.pk]
    assert listed(status="planned") == []
    assert listed(year="x", quarter="9") == [day.pk]
    assert client_for(org.masses.user).get(url("partyday_list")).status_code == 403


# ---------------------------------------------------------------------------
# Queries on the list page do not grow with the rows


def count_queries(client, target):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(target)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def make_days(org, n):
    extra = [MemberFactory(branch=org.branch_a, group=org.group_a1) for _ in range(3)]
    for i in range(n):
        d = PartyDayFactory(branch=org.branch_a, held_on=timezone.localdate() - datetime.timedelta(days=i + 1))
        ParticipantFactory(party_day=d, member=org.member, attendance=Att.PRESENT)
        for m in extra:
            ParticipantFactory(party_day=d, member=m, attendance=Att.PRESENT, reflection="心得")


@pytest.mark.parametrize("who", ["member", "secretary", "admin"])
def test_list_queries_are_bounded(org, client_for, who):
    person = getattr(org, who)
    client = client_for(person if who == "admin" else person.user)
    make_days(org, 5)
    small = count_queries(client, url("partyday_list"))
    make_days(org, 25)
    assert count_queries(client, url("partyday_list")) == small
    assert small <= 20


def test_detail_queries_are_bounded(org, client_for):
    client = client_for(org.secretary.user)
    d = PartyDayFactory(branch=org.branch_a, kind=PartyDay.Kind.INTERACTIVE, status=St.HELD)
    for _ in range(3):
        ParticipantFactory(
            party_day=d, member=MemberFactory(branch=org.branch_a, group=org.group_a1), attendance=Att.PRESENT
        )
    small = count_queries(client, url("partyday_detail", pk=d.pk))
    for _ in range(20):
        ParticipantFactory(
            party_day=d, member=MemberFactory(branch=org.branch_a, group=org.group_a2), attendance=Att.PRESENT
        )
    assert count_queries(client, url("partyday_detail", pk=d.pk)) == small


def test_a_new_party_day_ticks_nobody(org, client_for):
    page = client_for(org.secretary).get(url("partyday_create"))
    assert page.status_code == 200
    assert not page.context["form"]["participants"].value()
    assert 'name="participants"' in page.content.decode()
    assert " checked" not in "".join(
        line for line in page.content.decode().splitlines() if 'name="participants"' in line
    )
