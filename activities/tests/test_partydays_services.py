"""Themed Party days: planning, the participants page, reports and talks, reflections and
photos. Every move of the table gets its happy path, each illegal source state and each
wrong role; refusals change nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from activities.models import PartyDay, PartyDayContribution, PartyDayLog, PartyDayParticipant, PartyDayPhoto
from activities.services import ActivityError, ConcurrentEditError
from activities.services import partydays as services
from activities.tests.factories import ParticipantFactory, PartyDayFactory, image_bytes, image_upload

St = PartyDay.Status
Kind = PartyDay.Kind
Att = PartyDayParticipant.Attendance
TODAY = timezone.localdate


def plan(**overrides) -> services.PlanInput:
    values = {
        "kind": Kind.OPEN,
        "theme": "走进生产一线",
        "held_on": TODAY() + datetime.timedelta(days=7),
        "place": "二号机组",
        "destination_kind": PartyDay.Destination.FRONT_LINE,
        "destination": "二号机组检修现场",
    }
    values.update(overrides)
    return services.PlanInput(**values)


@pytest.fixture
def day_for(org):
    """A day of branch A in the given state with member (present) and groupmate on it."""

    def make(status=St.HELD, kind=Kind.INTERACTIVE, **kw):
        day = PartyDayFactory(branch=org.branch_a, status=status, kind=kind, **kw)
        ParticipantFactory(party_day=day, member=org.member, attendance=Att.PRESENT if status == St.HELD else "")
        ParticipantFactory(party_day=day, member=org.groupmate, attendance=Att.ABSENT if status == St.HELD else "")
        return day

    return make


def snapshot(day):
    day.refresh_from_db()
    return (
        day.status,
        day.version,
        day.theme,
        list(day.participants.order_by("pk").values_list("member_id", "attendance", "role", "reflection")),
        day.contributions.count(),
        day.photos.count(),
        day.log.count(),
    )


def do(action, org, day, actor):
    """Make the move with input that would be accepted."""
    if action == "edit":
        return services.partyday_update(
            actor=actor,
            party_day_id=day.pk,
            version=day.version,
            plan=plan(kind=day.kind, theme="新主题", planned_roles=("cadre",), held_on=day.held_on),
            participant_ids=[org.member.pk, org.groupmate.pk],
        )
    if action == "record":
        return services.partyday_record(
            actor=actor,
            party_day_id=day.pk,
            version=day.version,
            marks=[
                services.ParticipantMark(member_id=org.member.pk, attendance=Att.PRESENT),
                services.ParticipantMark(member_id=org.groupmate.pk, attendance=Att.EXCUSED, reason="出差"),
            ],
        )
    if action == "cancel":
        return services.partyday_cancel(actor=actor, party_day_id=day.pk, version=day.version, reason="防汛值班")
    if action == "contribute":
        return services.contribution_add(
            actor=actor, party_day_id=day.pk, member_id=org.member.pk, kind="work", summary="汇报本季度检修工作。"
        )
    if action == "photo":
        return services.photo_add(actor=actor, party_day_id=day.pk, upload=image_upload())
    if action == "reflect":
        version = day.participants.get(member=org.member).version
        return services.reflection_save(actor=actor, party_day_id=day.pk, version=version, text="收获很大。")
    raise ValueError(action)


def committee_actor(org, role):
    return org.member.user if role == services.PARTICIPANT else org.secretary.user


# ---------------------------------------------------------------------------
# Every move of the table


@pytest.mark.parametrize(("action", "source"), sorted(services.TRANSITIONS))
def test_each_move_happy_path(org, day_for, action, source):
    target, role = services.TRANSITIONS[(action, source)]
    day = day_for(status=source, kind=Kind.EXPERIENTIAL if action == "edit" else Kind.INTERACTIVE)
    do(action, org, day, committee_actor(org, role))
    day.refresh_from_db()
    assert day.status == target


@pytest.mark.parametrize(
    ("action", "source"),
    [(a, s) for a in services.ACTION_VERBS for s in St.values if (a, s) not in services.TRANSITIONS],
)
def test_each_illegal_source_state_is_refused(org, day_for, action, source):
    day = day_for(status=source)
    before = snapshot(day)
    with pytest.raises(ActivityError):
        do(action, org, day, org.member.user if action == "reflect" else org.secretary.user)
    assert snapshot(day) == before


WRONG_FOR_COMMITTEE = ["member", "leader", "groupmate", "other_secretary", "member_b", "masses"]


@pytest.mark.parametrize(
    ("action", "source"), [k for k, (_t, role) in services.TRANSITIONS.items() if role == services.COMMITTEE]
)
@pytest.mark.parametrize("who", WRONG_FOR_COMMITTEE)
def test_committee_moves_refuse_every_wrong_role(org, day_for, action, source, who):
    day = day_for(status=source)
    before = snapshot(day)
    with pytest.raises(ActivityError) as exc:
        do(action, org, day, getattr(org, who).user)
    assert exc.value.message == services.ROLE_REFUSALS[services.COMMITTEE]
    assert snapshot(day) == before


@pytest.mark.parametrize("who", ["groupmate", "secretary", "leader", "member_b", "masses"])
def test_reflection_refuses_everyone_but_a_present_participant(org, day_for, who):
    day = day_for(status=St.HELD)
    before = snapshot(day)
    with pytest.raises(ActivityError):
        services.reflection_save(actor=getattr(org, who).user, party_day_id=day.pk, version=1, text="代写")
    with pytest.raises(ActivityError):
        services.reflection_save(actor=org.admin, party_day_id=day.pk, version=1, text="代写")
    assert snapshot(day) == before


def test_administrators_manage_any_branch(org):
    day = services.partyday_create(
        actor=org.admin, branch_id=org.branch_b.pk, plan=plan(), participant_ids=[org.member_b.pk]
    )
    assert day.branch_id == org.branch_b.pk


# ---------------------------------------------------------------------------
# Planning


def test_committee_plans_an_open_day_with_participants(org):
    day = services.partyday_create(
        actor=org.committee.user,
        branch_id=org.branch_a.pk,
        plan=plan(planned_roles=("cadre",)),
        participant_ids=[org.member.pk, org.leader.pk, org.member.pk],
    )
    assert (day.status, day.kind, day.destination, day.planned_roles) == (St.PLANNED, Kind.OPEN, "二号机组检修现场", [])
    assert set(day.participants.values_list("member_id", flat=True)) == {org.member.pk, org.leader.pk}
    assert day.log.get().action == "plan"
    assert day.history.first().history_user == org.committee.user


def test_plan_validation_per_kind(org):
    kwargs = {"actor": org.secretary.user, "branch_id": org.branch_a.pk, "participant_ids": [org.member.pk]}
    with pytest.raises(ValidationError) as exc:
        services.partyday_create(plan=plan(destination_kind="", destination=""), **kwargs)
    assert {"destination_kind", "destination"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        services.partyday_create(plan=plan(kind=Kind.EXPERIENTIAL, planned_roles=()), **kwargs)
    assert "planned_roles" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.partyday_create(plan=plan(theme=" ", place="", held_on=None), **kwargs)
    assert {"theme", "place", "held_on"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        services.partyday_create(plan=plan(kind=Kind.EXPERIENTIAL, planned_roles=("safety", "bogus")), **kwargs)
    assert "planned_roles" in exc.value.message_dict
    assert not PartyDay.objects.exists()


def test_experiential_day_keeps_its_roles_and_drops_a_destination(org):
    day = services.partyday_create(
        actor=org.secretary.user,
        branch_id=org.branch_a.pk,
        plan=plan(kind=Kind.EXPERIENTIAL, planned_roles=("skills", "cadre")),
        participant_ids=[org.member.pk],
    )
    assert day.planned_roles == ["cadre", "skills"] and day.destination == ""


def test_participants_come_from_the_branch(org):
    with pytest.raises(ValidationError) as exc:
        services.partyday_create(
            actor=org.secretary.user,
            branch_id=org.branch_a.pk,
            plan=plan(),
            participant_ids=[org.member.pk, org.member_b.pk],
        )
    assert "participants" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.partyday_create(actor=org.secretary.user, branch_id=org.branch_a.pk, plan=plan(), participant_ids=[])
    assert not PartyDay.objects.exists()


def test_edit_with_a_stale_version_is_refused(org, day_for):
    day = day_for(status=St.PLANNED)
    PartyDay.objects.filter(pk=day.pk).update(version=5)
    before = snapshot(day)
    with pytest.raises(ConcurrentEditError):
        services.partyday_update(
            actor=org.secretary.user, party_day_id=day.pk, version=4, plan=plan(), participant_ids=[org.member.pk]
        )
    assert snapshot(day) == before


def test_a_participant_with_a_reflection_stays_on_the_day(org, day_for):
    day = day_for(status=St.HELD, kind=Kind.OPEN)
    day.participants.filter(member=org.member).update(reflection="写过了")
    before = snapshot(day)
    with pytest.raises(ValidationError) as exc:
        services.partyday_update(
            actor=org.secretary.user,
            party_day_id=day.pk,
            version=day.version,
            plan=plan(held_on=day.held_on),
            participant_ids=[org.groupmate.pk],
        )
    assert org.member.name in str(exc.value)
    assert snapshot(day) == before


def test_kind_of_a_held_day_cannot_change(org, day_for):
    day = day_for(status=St.HELD, kind=Kind.INTERACTIVE)
    with pytest.raises(ValidationError) as exc:
        services.partyday_update(
            actor=org.secretary.user,
            party_day_id=day.pk,
            version=day.version,
            plan=plan(held_on=day.held_on),
            participant_ids=[org.member.pk, org.groupmate.pk],
        )
    assert "kind" in exc.value.message_dict


def test_cancel_needs_a_reason_and_is_logged(org, day_for):
    day = day_for(status=St.PLANNED)
    with pytest.raises(ValidationError):
        services.partyday_cancel(actor=org.secretary.user, party_day_id=day.pk, version=day.version, reason=" ")
    services.partyday_cancel(actor=org.secretary.user, party_day_id=day.pk, version=day.version, reason="防汛")
    entry = PartyDayLog.objects.get(party_day=day)
    assert (entry.from_status, entry.to_status, entry.comment) == (St.PLANNED, St.CANCELLED, "防汛")


# ---------------------------------------------------------------------------
# Attendance and roles


def test_taking_attendance_holds_the_day(org, day_for):
    day = day_for(status=St.PLANNED, kind=Kind.EXPERIENTIAL)
    services.partyday_record(
        actor=org.secretary.user,
        party_day_id=day.pk,
        version=day.version,
        marks=[
            services.ParticipantMark(
                member_id=org.member.pk, attendance=Att.PRESENT, role="safety", role_detail="当一次安全员"
            ),
            services.ParticipantMark(member_id=org.groupmate.pk, attendance=Att.EXCUSED, reason="出差"),
        ],
        summary="换位思考，查出隐患三处。",
    )
    day.refresh_from_db()
    assert day.status == St.HELD and day.attendance_taken_at is not None and day.summary.startswith("换位思考")
    mine = day.participants.get(member=org.member)
    assert (mine.attendance, mine.role, mine.role_detail) == (Att.PRESENT, "safety", "当一次安全员")
    assert day.participants.get(member=org.groupmate).absence_reason == "出差"
    assert day.log.get().action == "hold"


def test_attendance_is_not_taken_before_the_day(org, day_for):
    day = day_for(status=St.PLANNED, kind=Kind.EXPERIENTIAL, held_on=TODAY() + datetime.timedelta(days=3))
    before = snapshot(day)
    with pytest.raises(ActivityError):
        services.partyday_record(
            actor=org.secretary.user,
            party_day_id=day.pk,
            version=day.version,
            marks=[services.ParticipantMark(member_id=org.member.pk, attendance=Att.PRESENT)],
        )
    assert snapshot(day) == before
    # Roles can be handed out beforehand; the day stays planned.
    services.partyday_record(
        actor=org.secretary.user,
        party_day_id=day.pk,
        version=day.version,
        marks=[services.ParticipantMark(member_id=org.member.pk, role="cadre")],
    )
    day.refresh_from_db()
    assert day.status == St.PLANNED and day.participants.get(member=org.member).role == "cadre"


def test_every_participant_needs_an_attendance_mark(org, day_for):
    day = day_for(status=St.PLANNED)
    before = snapshot(day)
    with pytest.raises(ValidationError):
        services.partyday_record(
            actor=org.secretary.user,
            party_day_id=day.pk,
            version=day.version,
            marks=[services.ParticipantMark(member_id=org.member.pk, attendance=Att.PRESENT)],
        )
    assert snapshot(day) == before


def test_roles_only_on_experiential_days_and_participants_only(org, day_for):
    day = day_for(status=St.PLANNED, kind=Kind.OPEN)
    marks = [
        services.ParticipantMark(member_id=org.member.pk, attendance=Att.PRESENT, role="cadre"),
        services.ParticipantMark(member_id=org.groupmate.pk, attendance=Att.PRESENT),
    ]
    with pytest.raises(ValidationError):
        services.partyday_record(actor=org.secretary.user, party_day_id=day.pk, version=day.version, marks=marks)
    with pytest.raises(ActivityError):
        services.partyday_record(
            actor=org.secretary.user,
            party_day_id=day.pk,
            version=day.version,
            marks=[services.ParticipantMark(member_id=org.member_b.pk, attendance=Att.PRESENT)],
        )


def test_attendance_with_a_stale_version_is_refused(org, day_for):
    day = day_for(status=St.HELD)
    before = snapshot(day)
    with pytest.raises(ConcurrentEditError):
        services.partyday_record(actor=org.secretary.user, party_day_id=day.pk, version=day.version - 1, marks=[])
    assert snapshot(day) == before


# ---------------------------------------------------------------------------
# Reports and talks


def test_reports_talks_and_stories_on_an_interactive_day(org, day_for):
    day = day_for(status=St.HELD)
    talk = services.contribution_add(
        actor=org.secretary.user,
        party_day_id=day.pk,
        member_id=org.member.pk,
        kind="talk",
        talked_with="书记甲",
        summary="谈了思想动态。",
    )
    story = services.contribution_add(
        actor=org.secretary.user,
        party_day_id=day.pk,
        member_id=org.groupmate.pk,
        kind="story",
        generation="old",
        summary="讲述三十年的检修经历。",
    )
    assert (talk.talked_with, story.generation) == ("书记甲", "old")
    with pytest.raises(ValidationError) as exc:
        services.contribution_add(
            actor=org.secretary.user, party_day_id=day.pk, member_id=org.member.pk, kind="story", summary="x"
        )
    assert "generation" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.contribution_add(
            actor=org.secretary.user, party_day_id=day.pk, member_id=org.member.pk, kind="talk", summary="x"
        )
    assert "talked_with" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.contribution_add(
            actor=org.secretary.user, party_day_id=day.pk, member_id=org.member_a2.pk, kind="work", summary="x"
        )
    assert "member" in exc.value.message_dict
    services.contribution_delete(actor=org.secretary.user, contribution_id=talk.pk)
    with pytest.raises(ActivityError):
        services.contribution_delete(actor=org.member.user, contribution_id=story.pk)
    assert list(PartyDayContribution.objects.values_list("pk", flat=True)) == [story.pk]


@pytest.mark.parametrize("kind", [Kind.OPEN, Kind.EXPERIENTIAL])
def test_reports_and_talks_only_on_interactive_days(org, day_for, kind):
    day = day_for(status=St.HELD, kind=kind)
    with pytest.raises(ActivityError):
        do("contribute", org, day, org.secretary.user)
    assert not PartyDayContribution.objects.exists()


# ---------------------------------------------------------------------------
# Reflections


def test_participant_writes_their_own_reflection(org, day_for):
    day = day_for(status=St.HELD)
    row = services.reflection_save(actor=org.member.user, party_day_id=day.pk, version=1, text=" 收获很大 ")
    assert (row.reflection, row.version) == ("收获很大", 2) and row.reflection_at is not None
    with pytest.raises(ConcurrentEditError):
        services.reflection_save(actor=org.member.user, party_day_id=day.pk, version=1, text="覆盖")
    with pytest.raises(ValidationError):
        services.reflection_save(actor=org.member.user, party_day_id=day.pk, version=2, text="")
    row.refresh_from_db()
    assert row.reflection == "收获很大"


def test_an_absent_participant_writes_no_reflection(org, day_for):
    day = day_for(status=St.HELD)
    with pytest.raises(ActivityError):
        services.reflection_save(actor=org.groupmate.user, party_day_id=day.pk, version=1, text="没去也写")
    assert day.participants.get(member=org.groupmate).reflection == ""


# ---------------------------------------------------------------------------
# Photos


def test_a_real_photo_is_stored_re_encoded(org, day_for):
    day = day_for(status=St.HELD)
    photo = services.photo_add(
        actor=org.secretary.user, party_day_id=day.pk, upload=image_upload("现场.JPG"), caption="参观现场"
    )
    assert (photo.content_type, photo.width, photo.height, photo.caption) == ("image/jpeg", 64, 48, "参观现场")
    assert photo.image.name.startswith(f"partydays/{day.pk}/") and photo.image.name.endswith(".jpg")
    assert "现场" not in photo.image.name
    with photo.image.open("rb") as handle:
        assert Image.open(handle).format == "JPEG"


def test_png_keeps_its_format(org, day_for):
    day = day_for(status=St.HELD)
    photo = services.photo_add(
        actor=org.secretary.user,
        party_day_id=day.pk,
        upload=SimpleUploadedFile("a.png", image_bytes("PNG"), content_type="image/png"),
    )
    assert photo.content_type == "image/png" and photo.image.name.endswith(".png")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("script.jpg", b"#!/bin/sh\nrm -rf /\n"),
        ("page.jpg", b"<html><script>alert(1)</script></html>"),
        ("notes.png", "这不是图片".encode()),
        ("empty.jpg", b""),
        ("truncated.jpg", image_bytes("JPEG")[:40]),
        ("anim.gif", image_bytes("GIF")),
    ],
)
def test_anything_but_a_photo_is_refused(org, day_for, name, content):
    day = day_for(status=St.HELD)
    with pytest.raises(ValidationError) as exc:
        services.photo_add(
            actor=org.secretary.user,
            party_day_id=day.pk,
            upload=SimpleUploadedFile(name, content, content_type="image/jpeg"),
        )
    assert "image" in exc.value.message_dict
    assert not PartyDayPhoto.objects.exists()


def test_a_photo_over_5_mb_is_refused(org, day_for):
    day = day_for(status=St.HELD)
    big = image_bytes("JPEG") + b"\0" * (services.PHOTO_MAX_BYTES + 1)
    with pytest.raises(ValidationError) as exc:
        services.photo_add(
            actor=org.secretary.user,
            party_day_id=day.pk,
            upload=SimpleUploadedFile("big.jpg", big, content_type="image/jpeg"),
        )
    assert "5 MB" in str(exc.value)
    assert not PartyDayPhoto.objects.exists()


def test_photos_only_from_the_day_on(org, day_for):
    day = day_for(status=St.PLANNED, held_on=TODAY() + datetime.timedelta(days=2))
    with pytest.raises(ActivityError):
        services.photo_add(actor=org.secretary.user, party_day_id=day.pk, upload=image_upload())
    assert not PartyDayPhoto.objects.exists()


def test_deleting_a_photo_removes_the_file(org, day_for, django_capture_on_commit_callbacks):
    day = day_for(status=St.HELD)
    photo = services.photo_add(actor=org.secretary.user, party_day_id=day.pk, upload=image_upload())
    name, storage = photo.image.name, photo.image.storage
    with pytest.raises(ActivityError):
        services.photo_delete(actor=org.member.user, photo_id=photo.pk)
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_delete(actor=org.secretary.user, photo_id=photo.pk)
    assert not PartyDayPhoto.objects.exists() and not storage.exists(name)
