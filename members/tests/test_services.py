import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members import services
from members.models import Member

pytestmark = pytest.mark.django_db

NEW = {
    "employee_no": "N0100",
    "name": "新来的",
    "gender": "F",
    "party_status": "probationary",
    "joined_on": datetime.date(2026, 7, 1),
}


def test_secretary_adds_a_member_to_their_own_branch(org):
    member = services.member_create(actor=org.secretary.user, data={**NEW, "branch": org.branch_b})
    assert member.branch == org.branch_a
    assert member.history.first().history_user == org.secretary.user


def test_secretary_cannot_hand_out_committee_roles(org):
    member = services.member_create(actor=org.secretary.user, data={**NEW, "committee_role": "secretary"})
    assert member.committee_role == ""


def test_plain_member_cannot_add_members(org):
    with pytest.raises(PermissionDenied):
        services.member_create(actor=org.member.user, data=NEW)


def test_group_leader_cannot_add_members(org):
    with pytest.raises(PermissionDenied):
        services.member_create(actor=org.leader.user, data=NEW)


def test_administrator_adds_a_member_anywhere(org):
    member = services.member_create(actor=org.admin, data={**NEW, "branch": org.branch_b})
    assert member.branch == org.branch_b


def test_create_refuses_a_group_of_another_branch(org):
    with pytest.raises(ValidationError) as exc:
        services.member_create(actor=org.admin, data={**NEW, "branch": org.branch_b, "group": org.group_a1})
    assert "group" in exc.value.message_dict


def test_update_bumps_the_version_and_records_who(org):
    member = services.member_update(
        actor=org.secretary.user, member_id=org.member.pk, version=org.member.version, data={"post": "安全员"}
    )
    assert member.version == org.member.version + 1
    record = member.history.first()
    assert record.post == "安全员" and record.history_user == org.secretary.user


def test_second_save_from_a_stale_form_is_refused(org):
    stale = org.member.version
    services.member_update(actor=org.secretary.user, member_id=org.member.pk, version=stale, data={"post": "甲"})
    with pytest.raises(services.ConcurrentEditError):
        services.member_update(actor=org.admin, member_id=org.member.pk, version=stale, data={"post": "乙"})
    org.member.refresh_from_db()
    assert org.member.post == "甲"


def test_secretary_of_another_branch_cannot_edit(org):
    with pytest.raises(PermissionDenied):
        services.member_update(
            actor=org.other_secretary.user, member_id=org.member.pk, version=org.member.version, data={"post": "x"}
        )
    org.member.refresh_from_db()
    assert org.member.post == ""


def test_committee_member_cannot_edit(org):
    with pytest.raises(PermissionDenied):
        services.member_update(
            actor=org.committee.user, member_id=org.member.pk, version=org.member.version, data={"post": "x"}
        )


def test_secretary_cannot_move_a_member_to_another_branch(org):
    member = services.member_update(
        actor=org.secretary.user, member_id=org.member.pk, version=org.member.version, data={"branch": org.branch_b}
    )
    assert member.branch == org.branch_a


def test_update_with_invalid_dates_writes_nothing(org):
    with pytest.raises(ValidationError):
        services.member_update(
            actor=org.admin,
            member_id=org.member.pk,
            version=org.member.version,
            data={"full_on": datetime.date(2000, 1, 1), "post": "不应保存"},
        )
    org.member.refresh_from_db()
    assert org.member.post == ""


def test_opening_a_login_for_a_member_without_one(org):
    member = Member.objects.create(
        employee_no="N0200", name="无账号", gender="M", joined_on=datetime.date(2010, 1, 1), branch=org.branch_a
    )
    user = services.member_set_login(actor=org.secretary.user, member_id=member.pk, password="Str0ng-pass-2026")
    assert user.username == "N0200"
    assert user.check_password("Str0ng-pass-2026")
    member.refresh_from_db()
    assert member.user == user


def test_weak_password_is_refused(org):
    with pytest.raises(ValidationError):
        services.member_set_login(actor=org.secretary.user, member_id=org.member.pk, password="123")
    org.member.user.refresh_from_db()
    assert org.member.user.check_password("partybuild-demo")


def test_login_for_another_branch_member_is_refused(org):
    with pytest.raises(PermissionDenied):
        services.member_set_login(actor=org.secretary.user, member_id=org.member_b.pk, password="Str0ng-pass-2026")


def test_only_administrators_import_the_roster(org):
    from members.tests.xlsx import roster_row, workbook

    with pytest.raises(PermissionDenied):
        services.roster_import(file=workbook([roster_row()]), actor=org.secretary.user)
