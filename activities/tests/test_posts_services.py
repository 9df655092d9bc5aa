"""Pioneer posts and four-bests recognitions: who may designate, change, end, record and
withdraw, and the checks on periods, overlaps and dates."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from activities.models import PioneerPost, Recognition
from activities.services import ActivityError, ConcurrentEditError
from activities.services import posts as services
from members.models import User
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

SAFETY = PioneerPost.Kind.SAFETY
MANAGEMENT = PioneerPost.Kind.MANAGEMENT
RECORDS = Recognition.Best.RECORDS
OPERATION = Recognition.Best.OPERATION


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def user_of(who) -> User:
    return who if isinstance(who, User) else who.user


def designate(org, *, actor=None, member=None, kind=SAFETY, start=None, end=None, **extra) -> PioneerPost:
    extra.setdefault("post_name", "运行值班员")
    return services.pioneer_post_designate(
        actor=user_of(actor or org.secretary),
        member_id=(member or org.member).pk,
        kind=kind,
        starts_on=start or days(-30),
        ends_on=end or days(300),
        **extra,
    )


def record(org, *, actor=None, member=None, best=RECORDS, year=None, quarter=0, awarded_on=None, note=""):
    return services.recognition_record(
        actor=user_of(actor or org.secretary),
        member_id=(member or org.member).pk,
        best=best,
        year=year or today().year,
        quarter=quarter,
        awarded_on=awarded_on or today(),
        note=note,
    )


@pytest.fixture
def leader_a2(org):
    """The leader of group A2: a group leader, but of another group than member's."""
    org.group_a2.leader = org.member_a2
    org.group_a2.save()
    return org.member_a2


# --- designate ---------------------------------------------------------------------------


def test_secretary_designates_a_post_with_the_rosters_post_name(org):
    org.member.post = "运行值班员"
    org.member.save()
    post = designate(org, post_name="", standards="执行制度最严")
    assert (post.member_id, post.branch_id, post.group_id) == (org.member.pk, org.branch_a.pk, org.group_a1.pk)
    assert post.post_name == "运行值班员"
    assert post.standards == "执行制度最严"
    assert post.designated_by == org.secretary.user
    assert post.history.get().history_user == org.secretary.user


def test_post_name_given_overrides_the_roster(org):
    post = designate(org, post_name=" 2号机组主控 ")
    assert post.post_name == "2号机组主控"


def test_committee_member_and_admin_may_designate(org):
    designate(org, actor=org.committee)
    designate(org, actor=org.admin, kind=MANAGEMENT)
    assert PioneerPost.objects.filter(member=org.member).count() == 2


@pytest.mark.parametrize("who", ["member", "groupmate", "leader", "other_secretary"])
def test_others_may_not_designate(org, who):
    with pytest.raises(PermissionDenied):
        designate(org, actor=getattr(org, who))


def test_leader_of_another_group_may_not_designate(org, leader_a2):
    with pytest.raises(PermissionDenied):
        designate(org, actor=leader_a2)


def test_masses_rater_may_not_designate(org):
    with pytest.raises(PermissionDenied):
        designate(org, actor=org.masses.user)


def test_end_before_start_is_refused(org):
    with pytest.raises(ValidationError) as exc:
        designate(org, start=days(10), end=days(5))
    assert "ends_on" in exc.value.message_dict


def test_a_member_without_a_post_needs_a_post_name(org):
    org.member.post = ""
    org.member.save()
    with pytest.raises(ValidationError) as exc:
        designate(org, post_name="")
    assert "post_name" in exc.value.message_dict


def test_bad_kind_is_refused(org):
    with pytest.raises(ValidationError) as exc:
        designate(org, kind="bravery", post_name="值班员")
    assert "kind" in exc.value.message_dict


def test_off_the_roll_member_cannot_be_designated(org):
    org.member.is_active = False
    org.member.save()
    with pytest.raises(ValidationError) as exc:
        designate(org, post_name="值班员")
    assert "member" in exc.value.message_dict


def test_overlapping_designation_of_the_same_kind_is_refused(org):
    designate(org, post_name="值班员", start=days(-30), end=days(30))
    with pytest.raises(ValidationError) as exc:
        designate(org, post_name="值班员", start=days(30), end=days(90))
    assert "starts_on" in exc.value.message_dict
    assert PioneerPost.objects.count() == 1


def test_another_kind_or_a_following_period_may_be_designated(org):
    designate(org, post_name="值班员", start=days(-30), end=days(30))
    designate(org, post_name="值班员", kind=MANAGEMENT, start=days(-30), end=days(30))
    designate(org, post_name="值班员", start=days(31), end=days(90))
    designate(org, member=org.groupmate, post_name="值班员", start=days(-30), end=days(30))
    assert PioneerPost.objects.count() == 4


# --- update ------------------------------------------------------------------------------


def update(org, post, *, actor=None, version=None, **changes):
    data = {
        "kind": post.kind,
        "post_name": post.post_name,
        "starts_on": post.starts_on,
        "ends_on": post.ends_on,
        "standards": post.standards,
    }
    data.update(changes)
    return services.pioneer_post_update(
        actor=(actor or org.secretary.user),
        post_id=post.pk,
        version=post.version if version is None else version,
        **data,
    )


def test_committee_changes_a_designation(org):
    post = designate(org, post_name="值班员")
    post = update(org, post, actor=org.committee.user, post_name="主值班员", ends_on=days(100))
    assert (post.post_name, post.ends_on, post.version) == ("主值班员", days(100), 2)
    assert post.history.count() == 2


def test_update_from_a_stale_form_is_refused(org):
    post = designate(org, post_name="值班员")
    update(org, post, post_name="主值班员")
    with pytest.raises(ConcurrentEditError):
        update(org, post, version=1, post_name="副值班员")


def test_update_may_not_overlap_another_designation(org):
    designate(org, post_name="值班员", start=days(-30), end=days(30))
    later = designate(org, post_name="值班员", start=days(60), end=days(90))
    with pytest.raises(ValidationError):
        update(org, later, starts_on=days(20))
    update(org, later, starts_on=days(31))  # its own period is not a clash


@pytest.mark.parametrize("who", ["member", "leader", "other_secretary"])
def test_others_may_not_change_a_designation(org, who):
    post = designate(org, post_name="值班员")
    with pytest.raises(PermissionDenied):
        update(org, post, actor=getattr(org, who).user, post_name="别的")


def test_update_end_before_start_is_refused(org):
    post = designate(org, post_name="值班员")
    with pytest.raises(ValidationError):
        update(org, post, ends_on=post.starts_on - datetime.timedelta(days=1))


# --- end ---------------------------------------------------------------------------------


def test_secretary_ends_a_designation_early(org):
    post = designate(org, post_name="值班员", start=days(-30), end=days(300))
    post = services.pioneer_post_end(actor=org.secretary.user, post_id=post.pk, ended_on=today(), reason="调岗")
    assert (post.ends_on, post.planned_ends_on, post.end_reason) == (today(), days(300), "调岗")
    assert post.ended_early
    assert post.state_on(days(1)) == PioneerPost.State.ENDED


def test_an_ended_designation_can_be_neither_ended_again_nor_changed(org):
    post = designate(org, post_name="值班员")
    services.pioneer_post_end(actor=org.secretary.user, post_id=post.pk, ended_on=today(), reason="调岗")
    with pytest.raises(ActivityError):
        services.pioneer_post_end(actor=org.secretary.user, post_id=post.pk, ended_on=today(), reason="再次")
    post.refresh_from_db()
    with pytest.raises(ActivityError):
        update(org, post, post_name="别的")


@pytest.mark.parametrize(
    ("offset", "field"),
    [(-31, "ended_on"), (300, "ended_on"), (301, "ended_on")],
)
def test_end_must_fall_inside_the_period(org, offset, field):
    post = designate(org, post_name="值班员", start=days(-30), end=days(300))
    with pytest.raises(ValidationError) as exc:
        services.pioneer_post_end(actor=org.secretary.user, post_id=post.pk, ended_on=days(offset), reason="调岗")
    assert field in exc.value.message_dict


def test_end_needs_a_reason(org):
    post = designate(org, post_name="值班员")
    with pytest.raises(ValidationError) as exc:
        services.pioneer_post_end(actor=org.secretary.user, post_id=post.pk, ended_on=today(), reason="  ")
    assert "reason" in exc.value.message_dict


@pytest.mark.parametrize("who", ["member", "groupmate", "leader", "other_secretary"])
def test_others_may_not_end_a_designation(org, who):
    post = designate(org, post_name="值班员")
    with pytest.raises(PermissionDenied):
        services.pioneer_post_end(actor=getattr(org, who).user, post_id=post.pk, ended_on=today(), reason="x")


def test_the_designating_branch_keeps_the_post_when_the_member_moves(org):
    post = designate(org, post_name="值班员")
    org.member.branch, org.member.group = org.branch_b, org.group_b1
    org.member.save()
    with pytest.raises(PermissionDenied):
        services.pioneer_post_end(actor=org.other_secretary.user, post_id=post.pk, ended_on=today(), reason="x")
    services.pioneer_post_end(actor=org.secretary.user, post_id=post.pk, ended_on=today(), reason="调离本支部")


# --- recognitions ------------------------------------------------------------------------


def test_committee_records_a_recognition(org):
    r = record(org, actor=org.committee, best=OPERATION, quarter=0, note="全年操作零差错")
    assert (r.member_id, r.branch_id, r.group_id, r.best) == (
        org.member.pk,
        org.branch_a.pk,
        org.group_a1.pk,
        OPERATION,
    )
    assert r.period_label.startswith(str(today().year))
    assert r.awarded_by == org.committee.user
    assert r.history.get().history_user == org.committee.user


def test_a_quarters_recognition(org):
    quarter = (today().month - 1) // 3 + 1
    r = record(org, quarter=quarter)
    with translation.override("zh-hans"):
        assert r.period_label == f"{today().year}年第{quarter}季度"


def test_the_same_recognition_twice_for_one_period_is_refused(org):
    record(org)
    with pytest.raises(ValidationError) as exc:
        record(org)
    assert "best" in exc.value.message_dict
    record(org, best=OPERATION)
    record(org, member=org.groupmate)
    assert Recognition.objects.count() == 3


def test_a_future_date_is_refused(org):
    with pytest.raises(ValidationError) as exc:
        record(org, awarded_on=days(1))
    assert "awarded_on" in exc.value.message_dict


def test_a_period_that_has_not_begun_is_refused(org):
    with pytest.raises(ValidationError) as exc:
        record(org, year=today().year + 1)
    assert "year" in exc.value.message_dict
    if today().month <= 9:
        with pytest.raises(ValidationError) as exc:
            record(org, quarter=4)
        assert "quarter" in exc.value.message_dict


def test_a_date_before_the_period_is_refused(org):
    last_year = today().year - 1
    with pytest.raises(ValidationError) as exc:
        record(org, year=today().year, awarded_on=datetime.date(last_year, 12, 31))
    assert "awarded_on" in exc.value.message_dict
    record(org, year=last_year, awarded_on=today())


@pytest.mark.parametrize("who", ["member", "groupmate", "leader", "other_secretary"])
def test_others_may_not_record_a_recognition(org, who):
    with pytest.raises(PermissionDenied):
        record(org, actor=getattr(org, who))


def test_masses_rater_and_other_leader_may_not_record(org, leader_a2):
    with pytest.raises(PermissionDenied):
        record(org, actor=org.masses.user)
    with pytest.raises(PermissionDenied):
        record(org, actor=leader_a2)


def test_withdraw_a_recognition_keeps_its_history(org):
    r = record(org)
    services.recognition_withdraw(actor=org.secretary.user, recognition_id=r.pk)
    assert not Recognition.objects.exists()
    deleted = Recognition.history.filter(id=r.pk, history_type="-").get()
    assert deleted.history_user == org.secretary.user


@pytest.mark.parametrize("who", ["member", "leader", "other_secretary"])
def test_others_may_not_withdraw(org, who):
    r = record(org)
    with pytest.raises(PermissionDenied):
        services.recognition_withdraw(actor=getattr(org, who).user, recognition_id=r.pk)


def test_admin_records_for_any_branch(org):
    r = record(org, actor=org.admin, member=org.member_b)
    assert r.branch_id == org.branch_b.pk


def test_other_branch_member_is_refused_to_the_secretary(org):
    with pytest.raises(PermissionDenied):
        record(org, member=MemberFactory(branch=org.branch_b))
