"""三会一课 records: the branch committee meeting (its kind and audience go together, the
committee is its people, a group leader does not plan it), sessions that also count for another
requirement where the rules allow it, and themed Party days that count for one."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from activities.models import PartyDay
from activities.services import partydays as partyday_services
from members.models import Member
from members.tests.factories import MemberFactory
from study.models import MeetingRule, StudySession
from study.services import sessions as services

pytestmark = pytest.mark.django_db

K = StudySession.Kind
A = StudySession.Audience

DEFAULTS = {
    # kind: (every, per group, may combine), as the migration's usual rules
    K.ASSEMBLY: (MeetingRule.Every.QUARTER, False, True),
    K.COMMITTEE: (MeetingRule.Every.MONTH, False, False),
    K.GROUP_MEETING: (MeetingRule.Every.MONTH, True, True),
    K.LECTURE: (MeetingRule.Every.QUARTER, False, True),
}


def rule(kind: str) -> MeetingRule:
    every, per_group, may_combine = DEFAULTS[kind]
    found, _created = MeetingRule.objects.get_or_create(
        kind=kind, defaults={"every": every, "per_group": per_group, "may_combine": may_combine}
    )
    return found


def data(org, **changes):
    values = {
        "branch_id": org.branch_a.pk,
        "kind": K.COMMITTEE,
        "title": "研究本月党员教育工作",
        "content_tag": StudySession.ContentTag.PRESCRIBED,
        "content": "通报上级部署",
        "requirements": "支委会前准备意见",
        "starts_at": timezone.now() - datetime.timedelta(hours=3),
        "duration_minutes": 60,
        "location": "支部会议室",
        "audience": A.COMMITTEE,
        "group": None,
    }
    values.update(changes)
    return values


def errors_of(exc: pytest.ExceptionInfo) -> dict:
    return exc.value.message_dict


# ---------------------------------------------------------------------------
# The committee meeting


def test_committee_meeting_is_attended_by_the_committee_and_anyone_assigned(org):
    former = MemberFactory(branch=org.branch_a, committee_role=Member.CommitteeRole.COMMITTEE, is_active=False)
    MemberFactory(branch=org.branch_b, committee_role=Member.CommitteeRole.COMMITTEE)
    session = services.session_create(actor=org.secretary.user, data=data(org), assigned=[org.member])
    expected = set(services.expected_attendees(session))
    assert expected == {org.secretary, org.committee, org.member}
    assert former not in expected and org.leader not in expected


def test_committee_meeting_wants_the_committee_as_its_audience(org):
    for audience in (A.BRANCH, A.ASSIGNED):
        with pytest.raises(ValidationError) as exc:
            services.session_create(actor=org.secretary.user, data=data(org, audience=audience))
        assert set(errors_of(exc)) == {"audience"}
    with pytest.raises(ValidationError) as exc:
        services.session_create(actor=org.secretary.user, data=data(org, audience=A.GROUP, group=org.group_a1))
    assert set(errors_of(exc)) == {"audience"}
    assert not StudySession.objects.exists()


@pytest.mark.parametrize("kind", [K.ASSEMBLY, K.LECTURE, K.RESTUDY])
def test_only_a_committee_meeting_has_the_committee_as_its_audience(org, kind):
    with pytest.raises(ValidationError) as exc:
        services.session_create(actor=org.secretary.user, data=data(org, kind=kind))
    assert set(errors_of(exc)) == {"audience"}


def test_a_group_meeting_cannot_become_a_committee_meeting_by_changing_the_audience(org):
    session = services.session_create(
        actor=org.secretary.user, data=data(org, kind=K.GROUP_MEETING, audience=A.GROUP, group=org.group_a1)
    )
    with pytest.raises(ValidationError) as exc:
        services.session_update(actor=org.secretary.user, session_id=session.pk, data={"audience": A.COMMITTEE})
    assert set(errors_of(exc)) == {"audience"}


def test_a_group_leader_cannot_plan_a_committee_meeting(org):
    # Not even by naming their own group: the group is dropped for the committee's audience.
    for group in (None, org.group_a1):
        with pytest.raises(PermissionDenied):
            services.session_create(actor=org.leader.user, data=data(org, group=group))
    assert not StudySession.objects.exists()
    # Nor turn their group's meeting into one.
    meeting = services.session_create(
        actor=org.leader.user, data=data(org, kind=K.GROUP_MEETING, audience=A.GROUP, group=org.group_a1)
    )
    with pytest.raises(PermissionDenied):
        services.session_update(
            actor=org.leader.user, session_id=meeting.pk, data={"kind": K.COMMITTEE, "audience": A.COMMITTEE}
        )
    assert StudySession.objects.get().kind == K.GROUP_MEETING


def test_administrator_and_committee_member_plan_a_committee_meeting(org):
    assert services.session_create(actor=org.admin, data=data(org)).kind == K.COMMITTEE
    assert services.session_create(actor=org.committee.user, data=data(org)).kind == K.COMMITTEE
    with pytest.raises(PermissionDenied):
        services.session_create(actor=org.other_secretary.user, data=data(org))


def test_group_leaders_form_offers_neither_the_committee_kind_nor_its_audience(client_for, org):
    client = client_for(org.leader)
    page = client.get(reverse("study:session_create"))
    form = page.context["form"]
    assert K.COMMITTEE not in dict(form.fields["kind"].choices)
    assert list(dict(form.fields["audience"].choices)) == [A.GROUP]
    post = {
        "kind": K.COMMITTEE,
        "title": "支委会",
        "content_tag": "prescribed",
        "content": "研究工作",
        "requirements": "准备意见",
        "starts_at": "2026-11-01T09:00",
        "duration_minutes": "60",
        "audience": A.COMMITTEE,
        "group": org.group_a1.pk,
    }
    response = client.post(reverse("study:session_create"), post)
    assert response.status_code == 200
    assert {"kind", "audience"} <= set(response.context["form"].errors)
    assert not StudySession.objects.exists()


def test_secretary_plans_a_committee_meeting_through_the_form(client_for, org):
    client = client_for(org.secretary)
    page = client.get(reverse("study:session_create"), {"kind": K.COMMITTEE})
    assert page.context["form"].initial["audience"] == A.COMMITTEE
    post = {
        "kind": K.COMMITTEE,
        "title": "十一月支委会",
        "content_tag": "prescribed",
        "content": "研究工作",
        "requirements": "准备意见",
        "starts_at": "2026-11-03T09:00",
        "duration_minutes": "60",
        "audience": A.COMMITTEE,
    }
    response = client.post(reverse("study:session_create"), post)
    assert response.status_code == 302
    session = StudySession.objects.get(title="十一月支委会")
    page = client.get(reverse("study:session_detail", args=[session.pk]))
    assert page.context["expected_count"] == 2
    assert session.get_kind_display() in page.content.decode()
    # A committee meeting's audience is only for it: an assembly for the committee is refused on the field.
    response = client.post(reverse("study:session_create"), {**post, "kind": K.ASSEMBLY, "title": "大会"})
    assert response.status_code == 200 and "audience" in response.context["form"].errors


# ---------------------------------------------------------------------------
# A session that also counts for another requirement


def test_a_lecture_to_the_branch_also_counts_for_the_assembly(org):
    assembly = rule(K.ASSEMBLY)
    session = services.session_create(
        actor=org.secretary.user, data=data(org, kind=K.LECTURE, audience=A.BRANCH), also_counts_for=[assembly]
    )
    assert list(session.also_counts_for.all()) == [assembly]
    # An edit that leaves the list alone keeps it; one that names it replaces it.
    services.session_update(actor=org.secretary.user, session_id=session.pk, data={"title": "专题党课"})
    assert list(session.also_counts_for.all()) == [assembly]
    services.session_update(actor=org.secretary.user, session_id=session.pk, data={}, also_counts_for=[])
    assert not session.also_counts_for.exists()


@pytest.mark.parametrize(
    ("kind", "audience", "group", "target"),
    [
        (K.LECTURE, A.BRANCH, False, K.LECTURE),  # never its own kind
        (K.LECTURE, A.GROUP, True, K.ASSEMBLY),  # an assembly wants the whole branch
        (K.COMMITTEE, A.COMMITTEE, False, K.ASSEMBLY),  # the committee is not the branch
        (K.ASSEMBLY, A.BRANCH, False, K.COMMITTEE),  # the committee's rule is met on its own
        (K.RESTUDY, A.ASSIGNED, False, K.GROUP_MEETING),  # a group meeting wants a group or the branch
    ],
)
def test_also_counts_for_is_refused_where_the_rules_do_not_allow_it(org, kind, audience, group, target):
    refused = rule(target)
    values = data(org, kind=kind, audience=audience, group=org.group_a1 if group else None)
    with pytest.raises(ValidationError) as exc:
        services.session_create(actor=org.secretary.user, data=values, also_counts_for=[refused])
    assert set(errors_of(exc)) == {"also_counts_for"}
    assert str(refused.short_label) in errors_of(exc)["also_counts_for"][0]
    assert not StudySession.objects.exists()


def test_a_requirement_no_longer_in_force_is_not_counted_for(org):
    assembly = rule(K.ASSEMBLY)
    MeetingRule.objects.filter(pk=assembly.pk).update(is_active=False)
    assembly.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            actor=org.secretary.user, data=data(org, kind=K.LECTURE, audience=A.BRANCH), also_counts_for=[assembly]
        )
    assert set(errors_of(exc)) == {"also_counts_for"}


def test_changing_the_audience_re_checks_what_a_session_also_counts_for(org):
    session = services.session_create(
        actor=org.secretary.user,
        data=data(org, kind=K.LECTURE, audience=A.BRANCH),
        also_counts_for=[rule(K.ASSEMBLY)],
    )
    with pytest.raises(ValidationError) as exc:
        services.session_update(
            actor=org.secretary.user, session_id=session.pk, data={"audience": A.GROUP, "group": org.group_a1}
        )
    assert set(errors_of(exc)) == {"also_counts_for"}
    session.refresh_from_db()
    assert session.audience == A.BRANCH


def test_the_form_offers_the_requirements_that_may_be_combined_and_the_pages_show_them(client_for, org):
    assembly, committee = rule(K.ASSEMBLY), rule(K.COMMITTEE)
    client = client_for(org.secretary)
    offered = set(client.get(reverse("study:session_create")).context["form"].fields["also_counts_for"].queryset)
    assert assembly in offered and committee not in offered
    post = {
        "kind": K.LECTURE,
        "title": "七一专题党课",
        "content_tag": "higher",
        "content": "上级精神",
        "requirements": "会前自学",
        "starts_at": "2026-07-01T14:30",
        "duration_minutes": "90",
        "audience": A.BRANCH,
        "also_counts_for": [assembly.pk],
    }
    assert client.post(reverse("study:session_create"), post).status_code == 302
    session = StudySession.objects.get(title="七一专题党课")
    assert list(session.also_counts_for.all()) == [assembly]
    assert (
        'data-testid="also-counts-for"'
        in client.get(reverse("study:session_detail", args=[session.pk])).content.decode()
    )
    assert 'data-testid="also-counts-for"' in client.get(reverse("study:session_list")).content.decode()
    edit = client.get(reverse("study:session_edit", args=[session.pk])).context["form"]
    assert edit.fields["also_counts_for"].initial == [assembly.pk]
    # A group audience cannot count for the assembly: said on the field, nothing saved.
    response = client.post(
        reverse("study:session_create"), {**post, "title": "小组党课", "audience": A.GROUP, "group": org.group_a1.pk}
    )
    assert response.status_code == 200 and "also_counts_for" in response.context["form"].errors
    # A requirement the form does not offer is refused as a choice.
    response = client.post(
        reverse("study:session_create"), {**post, "title": "另一课", "also_counts_for": [committee.pk]}
    )
    assert response.status_code == 200 and "also_counts_for" in response.context["form"].errors


# ---------------------------------------------------------------------------
# Themed Party days


def plan(**overrides) -> partyday_services.PlanInput:
    values = {
        "kind": PartyDay.Kind.INTERACTIVE,
        "theme": "讲党课、话初心",
        "held_on": timezone.localdate() + datetime.timedelta(days=3),
        "place": "党员活动室",
    }
    values.update(overrides)
    return partyday_services.PlanInput(**values)


def test_a_party_day_counts_for_a_requirement_that_may_be_combined(org):
    group = rule(K.GROUP_MEETING)
    day = partyday_services.partyday_create(
        actor=org.secretary.user,
        branch_id=org.branch_a.pk,
        plan=plan(),
        participant_ids=[org.member.pk],
        counts_for=[group],
    )
    assert list(day.counts_for.all()) == [group]
    partyday_services.partyday_update(
        actor=org.secretary.user, party_day_id=day.pk, version=day.version, plan=plan(), participant_ids=[org.member.pk]
    )
    assert list(day.counts_for.all()) == [group]  # not given: kept
    day.refresh_from_db()
    partyday_services.partyday_update(
        actor=org.secretary.user,
        party_day_id=day.pk,
        version=day.version,
        plan=plan(),
        participant_ids=[org.member.pk],
        counts_for=[],
    )
    assert not day.counts_for.exists()


def test_a_party_day_cannot_count_for_a_requirement_met_on_its_own_or_not_in_force(org):
    committee, lecture = rule(K.COMMITTEE), rule(K.LECTURE)
    MeetingRule.objects.filter(pk=lecture.pk).update(is_active=False)
    lecture.refresh_from_db()
    for refused in (committee, lecture):
        with pytest.raises(ValidationError) as exc:
            partyday_services.partyday_create(
                actor=org.secretary.user,
                branch_id=org.branch_a.pk,
                plan=plan(),
                participant_ids=[org.member.pk],
                counts_for=[refused],
            )
        assert set(errors_of(exc)) == {"counts_for"}
        assert str(refused.short_label) in errors_of(exc)["counts_for"][0]
    assert not PartyDay.objects.exists()


def test_the_party_day_form_offers_and_shows_what_the_day_counts_as(client_for, org):
    group, committee = rule(K.GROUP_MEETING), rule(K.COMMITTEE)
    client = client_for(org.secretary)
    offered = set(client.get(reverse("activities:partyday_create")).context["form"].fields["counts_for"].queryset)
    assert group in offered and committee not in offered
    post = {
        "kind": "interactive",
        "theme": "讲党课、话初心",
        "held_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
        "place": "党员活动室",
        "participants": [org.member.pk],
        "counts_for": [group.pk],
    }
    assert client.post(reverse("activities:partyday_create"), post).status_code == 302
    day = PartyDay.objects.get()
    assert list(day.counts_for.all()) == [group]
    page = client.get(reverse("activities:partyday_detail", kwargs={"pk": day.pk})).content.decode()
    assert 'data-testid="partyday-counts-for"' in page
    edit = client.get(reverse("activities:partyday_edit", kwargs={"pk": day.pk})).context["form"]
    assert edit.initial["counts_for"] == [group.pk]
    response = client.post(reverse("activities:partyday_create"), {**post, "counts_for": [committee.pk]})
    assert response.status_code == 200 and "counts_for" in response.context["form"].errors
    assert PartyDay.objects.count() == 1
