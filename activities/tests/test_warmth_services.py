"""Warmth delivery writes: the responsibility area, contact points and the help log —
the member keeps their own, the committee may write for them, nobody else may."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.deletion import RestrictedError
from django.utils import timezone

from activities.models import ContactPoint, HelpRecord, ResponsibilityArea
from activities.services import ConcurrentEditError
from activities.services import warmth as services
from members.models import User

pytestmark = pytest.mark.django_db

THINKING = HelpRecord.Kind.THINKING
WARMTH = HelpRecord.Kind.WARMTH


def user_of(who) -> User:
    return who if isinstance(who, User) else who.user


def today() -> datetime.date:
    return timezone.localdate()


def save_area(org, *, actor=None, member=None, version=0, **fields):
    data = {
        "description": "2号机组汽机房0米层及辅机设备",
        "fixed_post": "汽机巡检岗",
        "fixed_duty": "负责汽机辅机巡回检查",
        "fixed_targets": "全年设备缺陷发现率100%",
        "guarantee_tasks": "巡检任务按时完成",
        "guarantee_safety": "责任区全年无违章",
        "guarantee_management": "推行巡检标准化",
        "guarantee_stability": "每月与班组职工谈心",
    }
    data.update(fields)
    return services.responsibility_area_save(
        actor=user_of(actor or org.member), member_id=(member or org.member).pk, version=version, **data
    )


def add_contact(org, *, actor=None, member=None, name="王师傅", employee_no="", **extra) -> ContactPoint:
    return services.contact_point_add(
        actor=user_of(actor or org.member),
        member_id=(member or org.member).pk,
        name=name,
        employee_no=employee_no,
        **extra,
    )


def add_help(org, *, actor=None, member=None, kind=THINKING, helped_on=None, contact=None, content="谈心谈话"):
    return services.help_record_add(
        actor=user_of(actor or org.member),
        member_id=(member or org.member).pk,
        kind=kind,
        helped_on=helped_on or today(),
        content=content,
        contact_point_id=contact.pk if contact else None,
    )


@pytest.fixture
def leader_a2(org):
    org.group_a2.leader = org.member_a2
    org.group_a2.save()
    return org.member_a2


# --- responsibility area -----------------------------------------------------------------


def test_member_writes_their_responsibility_area(org):
    area = save_area(org)
    assert area.member_id == org.member.pk and area.version == 1
    assert area.guarantees[1][1] == "责任区全年无违章"
    assert area.history.get().history_user == org.member.user


def test_committee_rewrites_it_for_the_member(org):
    save_area(org)
    area = save_area(org, actor=org.committee, version=1, description="汽机房全部区域")
    assert (area.description, area.version, area.updated_by) == ("汽机房全部区域", 2, org.committee.user)


def test_unchanged_area_is_not_saved_again(org):
    save_area(org)
    area = save_area(org, version=1)
    assert area.version == 1 and area.history.count() == 1


def test_stale_area_form_is_refused(org):
    save_area(org)
    save_area(org, version=1, description="新的责任区")
    with pytest.raises(ConcurrentEditError):
        save_area(org, version=1, description="旧表单")
    with pytest.raises(ConcurrentEditError):
        save_area(org, member=org.groupmate, actor=org.groupmate, version=3)


def test_area_needs_a_description(org):
    with pytest.raises(ValidationError) as exc:
        save_area(org, description="  ")
    assert "description" in exc.value.message_dict
    assert not ResponsibilityArea.objects.exists()


@pytest.mark.parametrize("who", ["groupmate", "leader", "other_secretary", "member_a2"])
def test_others_may_not_write_the_area(org, who):
    with pytest.raises(PermissionDenied):
        save_area(org, actor=getattr(org, who))


def test_masses_rater_and_other_leader_may_not_write_the_area(org, leader_a2):
    for actor in (org.masses.user, leader_a2):
        with pytest.raises(PermissionDenied):
            save_area(org, actor=actor)


# --- contact points ----------------------------------------------------------------------


def test_member_adds_contact_points(org):
    contact = add_contact(org, employee_no=" m000123 ", post="汽机巡检工", note="家中老人住院")
    assert (contact.member_id, contact.employee_no, contact.post) == (org.member.pk, "M000123", "汽机巡检工")
    add_contact(org, name="李师傅")  # no employee number: free text is fine
    assert org.member.contact_points.count() == 2


def test_the_same_employee_twice_is_refused(org):
    add_contact(org, employee_no="M1")
    with pytest.raises(ValidationError) as exc:
        add_contact(org, name="另一个", employee_no="m1")
    assert "employee_no" in exc.value.message_dict
    add_contact(org, member=org.groupmate, actor=org.groupmate, employee_no="M1")  # another member may


def test_a_member_cannot_be_their_own_contact_point(org):
    with pytest.raises(ValidationError) as exc:
        add_contact(org, employee_no=org.member.employee_no)
    assert "employee_no" in exc.value.message_dict


def test_contact_point_needs_a_name(org):
    with pytest.raises(ValidationError) as exc:
        add_contact(org, name="")
    assert "name" in exc.value.message_dict


def test_committee_adds_and_retires_a_contact_point_for_the_member(org):
    contact = add_contact(org, actor=org.secretary)
    contact = services.contact_point_update(
        actor=org.secretary.user, contact_point_id=contact.pk, version=1, name="王师傅", is_active=False
    )
    assert not contact.is_active and contact.version == 2


def test_stale_contact_form_is_refused(org):
    contact = add_contact(org)
    services.contact_point_update(actor=org.member.user, contact_point_id=contact.pk, version=1, name="王建国")
    with pytest.raises(ConcurrentEditError):
        services.contact_point_update(actor=org.member.user, contact_point_id=contact.pk, version=1, name="王师傅")


@pytest.mark.parametrize("who", ["groupmate", "leader", "other_secretary"])
def test_others_may_not_add_or_change_contact_points(org, who):
    with pytest.raises(PermissionDenied):
        add_contact(org, actor=getattr(org, who))
    contact = add_contact(org)
    with pytest.raises(PermissionDenied):
        services.contact_point_update(actor=getattr(org, who).user, contact_point_id=contact.pk, version=1, name="改名")


def test_masses_rater_may_not_add_contact_points(org):
    with pytest.raises(PermissionDenied):
        add_contact(org, actor=org.masses.user)


# --- help log ----------------------------------------------------------------------------


def test_member_logs_help_to_a_contact_point(org):
    contact = add_contact(org)
    record = add_help(org, kind=WARMTH, contact=contact, content="春节前走访慰问，送去慰问品")
    assert (record.member_id, record.branch_id, record.group_id) == (org.member.pk, org.branch_a.pk, org.group_a1.pk)
    assert (record.kind, record.contact_point_id, record.recorded_by) == (WARMTH, contact.pk, org.member.user)
    assert record.history.get().history_user == org.member.user


def test_help_without_a_contact_point_is_allowed(org):
    assert add_help(org, kind=HelpRecord.Kind.HARMONY).contact_point is None


def test_committee_logs_help_for_the_member(org):
    record = add_help(org, actor=org.committee)
    assert record.recorded_by == org.committee.user


def test_future_help_date_is_refused(org):
    with pytest.raises(ValidationError) as exc:
        add_help(org, helped_on=today() + datetime.timedelta(days=1))
    assert "helped_on" in exc.value.message_dict


def test_bad_kind_and_empty_content_are_refused(org):
    with pytest.raises(ValidationError) as exc:
        add_help(org, kind="money", content=" ")
    assert set(exc.value.message_dict) == {"kind", "content"}


def test_someone_elses_contact_point_is_refused(org):
    theirs = add_contact(org, member=org.groupmate, actor=org.groupmate)
    with pytest.raises(ValidationError) as exc:
        add_help(org, contact=theirs)
    assert "contact_point" in exc.value.message_dict


def test_a_retired_contact_point_takes_no_new_help_but_old_records_keep_it(org):
    contact = add_contact(org)
    record = add_help(org, contact=contact)
    services.contact_point_update(
        actor=org.member.user, contact_point_id=contact.pk, version=1, name=contact.name, is_active=False
    )
    with pytest.raises(ValidationError):
        add_help(org, contact=contact)
    record = services.help_record_update(
        actor=org.member.user,
        record_id=record.pk,
        version=1,
        kind=WARMTH,
        helped_on=record.helped_on,
        content="补充记录",
        contact_point_id=contact.pk,
    )
    assert record.kind == WARMTH and record.version == 2


def test_a_contact_point_with_help_logged_cannot_be_deleted(org):
    contact = add_contact(org)
    add_help(org, contact=contact)
    with pytest.raises(RestrictedError):
        contact.delete()


@pytest.mark.parametrize("who", ["groupmate", "leader", "other_secretary", "member_a2"])
def test_others_may_not_log_help_for_the_member(org, who):
    with pytest.raises(PermissionDenied):
        add_help(org, actor=getattr(org, who))


def test_masses_rater_and_other_leader_may_not_log_help(org, leader_a2):
    for actor in (org.masses.user, leader_a2):
        with pytest.raises(PermissionDenied):
            add_help(org, actor=actor)


def update_help(org, record, *, actor=None, version=None, **changes):
    data = {
        "kind": record.kind,
        "helped_on": record.helped_on,
        "content": record.content,
        "contact_point_id": record.contact_point_id,
    }
    data.update(changes)
    return services.help_record_update(
        actor=user_of(actor or org.member),
        record_id=record.pk,
        version=record.version if version is None else version,
        **data,
    )


def test_member_and_committee_change_a_help_record(org):
    record = add_help(org)
    record = update_help(org, record, content="谈心谈话，了解家庭困难")
    record = update_help(org, record, actor=org.secretary, kind=HelpRecord.Kind.MIND)
    assert (record.kind, record.version) == (HelpRecord.Kind.MIND, 3)


def test_stale_help_form_is_refused(org):
    record = add_help(org)
    update_help(org, record, content="改一次")
    with pytest.raises(ConcurrentEditError):
        update_help(org, record, version=1, content="旧表单")


def test_update_to_a_future_date_is_refused(org):
    record = add_help(org)
    with pytest.raises(ValidationError):
        update_help(org, record, helped_on=today() + datetime.timedelta(days=3))


@pytest.mark.parametrize("who", ["groupmate", "leader", "other_secretary"])
def test_others_may_not_change_or_delete_a_help_record(org, who):
    record = add_help(org)
    with pytest.raises(PermissionDenied):
        update_help(org, record, actor=getattr(org, who), content="别人改")
    with pytest.raises(PermissionDenied):
        services.help_record_delete(actor=getattr(org, who).user, record_id=record.pk)


def test_the_logging_branch_keeps_the_record_when_the_member_moves(org):
    record = add_help(org)
    org.member.branch, org.member.group = org.branch_b, org.group_b1
    org.member.save()
    with pytest.raises(PermissionDenied):
        services.help_record_delete(actor=org.other_secretary.user, record_id=record.pk)
    update_help(org, record, actor=org.secretary, content="原支部更正")
    update_help(org, record.__class__.objects.get(pk=record.pk), content="本人更正")


def test_delete_keeps_the_history(org):
    record = add_help(org)
    services.help_record_delete(actor=org.member.user, record_id=record.pk)
    assert not HelpRecord.objects.exists()
    assert HelpRecord.history.get(id=record.pk, history_type="-").history_user == org.member.user
