"""Something on every page for the phone-layout test: the demo company (members only) plus,
in the first branch, the records that fill each list and form with rows: a study session
with attendance, reports in every state, a talk, a criticism meeting with rectification
items, suggestions, a themed Party day, a pioneer post and a recognition, warmth records,
5+X and 3+X cards with a self-check, a published assessment period with results, an open
one with a masses rater's one-time link, and notifications.

Texts are as long as real ones (a branch's full name, a post title in a table cell): the
phone squeezes long texts, not short ones.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.utils import timezone

from activities.models import (
    ContactPoint,
    HelpRecord,
    PartyDay,
    PartyDayContribution,
    PioneerPost,
    Recognition,
    ResponsibilityArea,
)
from activities.tests.factories import ParticipantFactory, PartyDayFactory, SuggestionFactory
from assessment.models import Card, CardItem, CardKind, MassesBallot, Period, RaterGroup, SelfCheck, SelfCheckEntry
from assessment.services import objections as objection_services
from assessment.services import periods as period_services
from assessment.services import results as result_services
from assessment.tests.factories import PeriodFactory, rate
from members.models import MassesRater, Member
from partybuild.lib.quarters import Quarter
from reminders.models import Notification
from study.models import (
    Attendance,
    Criticism,
    CriticismMeeting,
    QuarterlyReport,
    RectificationItem,
    SelfCriticism,
    Talk,
)
from study.tests.factories import QuarterlyReportFactory, ReportProblemFactory, StudySessionFactory

BALLOT_TOKEN = "phone-layout-ballot-token"


def member(username: str) -> Member:
    return Member.objects.select_related("branch", "group").get(user__username=username)


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    today = timezone.localdate()
    quarter = Quarter.current()
    year = today.year
    secretary, leader, member1 = member("secretary1"), member("leader1"), member("member1")
    branch = secretary.branch
    people = list(Member.objects.filter(branch=branch).order_by("pk"))
    group_mates = [m for m in people if m.group_id == member1.group_id]
    w.member1, w.secretary, w.leader = member1, secretary, leader

    # Study: a session with everyone's attendance, a few absent with and without a reason.
    session = StudySessionFactory(
        branch=branch,
        title="学习贯彻习近平新时代中国特色社会主义思想主题教育专题学习",
        location="生产运行中心三楼党员活动室",
        requirements="每名党员撰写不少于五百字的学习心得",
        starts_at=timezone.now() - datetime.timedelta(days=3),
        attendance_taken_at=timezone.now() - datetime.timedelta(days=3),
    )
    statuses = [Attendance.Status.PRESENT] * 6 + [Attendance.Status.EXCUSED, Attendance.Status.ABSENT]
    Attendance.objects.bulk_create(
        Attendance(
            session=session,
            member=m,
            status=statuses[i % len(statuses)],
            reason="外出参加集团公司安全生产专项检查" if i % len(statuses) == 6 else "",
        )
        for i, m in enumerate(people)
    )
    w.session = session

    # Quarterly reports: member1's with the group, the leader's with the branch, others in
    # every other state; member1's last quarter approved, with problems.
    states = [
        QuarterlyReport.Status.DRAFT,
        QuarterlyReport.Status.WITH_GROUP,
        QuarterlyReport.Status.WITH_BRANCH,
        QuarterlyReport.Status.RETURNED,
        QuarterlyReport.Status.APPROVED,
    ]
    now = timezone.now()
    for i, m in enumerate(people):
        if m.pk in (member1.pk, leader.pk):
            continue
        QuarterlyReportFactory(member=m, quarter=quarter.code, status=states[i % len(states)], submitted_at=now)
    w.draft = QuarterlyReport.objects.get(member=secretary, quarter=quarter.code)  # people[0]: a draft
    w.report = QuarterlyReportFactory(
        member=member1, quarter=quarter.code, status=QuarterlyReport.Status.WITH_GROUP, submitted_at=now
    )
    ReportProblemFactory(
        report=w.report, problem="理论学习的系统性不强，学用结合不够紧密", measure="每周集中学习不少于两小时"
    )
    QuarterlyReportFactory(
        member=leader, quarter=quarter.code, status=QuarterlyReport.Status.WITH_BRANCH, submitted_at=now
    )
    last = QuarterlyReportFactory(
        member=member1, quarter=quarter.previous().code, status=QuarterlyReport.Status.APPROVED, submitted_at=now
    )
    ReportProblemFactory(report=last, problem="联系服务群众不够经常", measure="每月走访联系点两次")

    w.talk = Talk.objects.create(
        member=member1,
        branch=branch,
        source=Talk.Source.OTHER,
        reason="连续两个季度学习心得未按时提交，需要支部书记谈心谈话",
        due_on=today + datetime.timedelta(days=7),
    )

    # A criticism meeting with a rectification item for member1 (its 跟进 button).
    meeting = CriticismMeeting.objects.create(
        kind=CriticismMeeting.Kind.ORGANISATIONAL_LIFE,
        branch=branch,
        title="2026年度专题组织生活会暨民主评议党员",
        held_on=today - datetime.timedelta(days=2),
        location="生产运行中心三楼党员活动室",
        topic="对照党员标准查找差距",
    )
    meeting.participants.set([secretary, leader, member1, *group_mates[:3]])
    SelfCriticism.objects.create(meeting=meeting, member=member1, content="理论学习的系统性不强，联系群众不够深入。")
    Criticism.objects.create(
        meeting=meeting,
        from_member=leader,
        to_member=member1,
        matter="与责任区职工谈心谈话偏少",
        evidence="一季度以来未与三名联系职工谈过话。",
    )
    for owner in (member1, leader, secretary):
        RectificationItem.objects.create(
            meeting=meeting,
            owner=owner,
            description="每月至少走访联系点两次，建立职工思想动态台账，按季度向党小组汇报。",
            deadline=today + datetime.timedelta(days=30),
        )
    w.meeting = meeting
    w.item = meeting.rectifications.get(owner=member1)

    # Activities.
    w.suggestion = SuggestionFactory(member=member1, title="关于完善夜班交接班设备巡检记录制度的合理化建议")
    SuggestionFactory(member=leader)
    day = PartyDayFactory(
        branch=branch,
        kind=PartyDay.Kind.INTERACTIVE,
        status=PartyDay.Status.HELD,
        theme="走进“工人先锋号”标杆班组主题党日",
    )
    for m in people[:8]:
        ParticipantFactory(party_day=day, member=m, reflection="学习了标杆班组的安全管理经验。")
    PartyDayContribution.objects.create(
        party_day=day, member=member1, kind=PartyDayContribution.Kind.STORY, summary="从学徒工到技术能手的成长经历"
    )
    w.party_day = day
    w.post = PioneerPost.objects.create(
        member=member1,
        branch=branch,
        group=member1.group,
        kind=PioneerPost.Kind.SAFETY,
        post_name="三号机组运行值班安全生产党员先锋岗",
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=300),
    )
    w.recognition = Recognition.objects.create(
        member=member1,
        branch=branch,
        group=member1.group,
        best=Recognition.Best.RECORDS,
        year=year,
        awarded_on=today,
        note="全年安全运行无差错",
    )
    ResponsibilityArea.objects.create(member=member1, description="生产运行中心三号机组及其辅助设备所在区域")
    w.contact = ContactPoint.objects.create(member=member1, name="运行三值值班员王建国", note="家中老人长期卧病")
    w.help = HelpRecord.objects.create(
        member=member1,
        branch=branch,
        group=member1.group,
        contact_point=w.contact,
        kind=HelpRecord.Kind.SKILLS,
        helped_on=today,
        content="指导掌握DCS画面异常报警的判断与处置",
    )

    # Cards: member1's 5+X card submitted with a reported first-quarter self-check, a
    # pledge, and the leader's draft.
    def card(who: Member, kind: str, status: str) -> Card:
        c = Card.objects.create(kind=kind, member=who, year=year, branch=who.branch, group=who.group, status=status)
        for i, section in enumerate(s.key for s in c.template.member_sections):
            CardItem.objects.create(card=c, section=section, text="坚持每周学习党的创新理论不少于两小时", position=i)
        CardItem.objects.create(card=c, section="tasks", text="牵头完成三号机组检修安全风险辨识", position=9)
        return c

    w.card = card(member1, CardKind.GOAL_CARD, Card.Status.SUBMITTED)
    check = SelfCheck.objects.create(card=w.card, checkpoint="q1", status=SelfCheck.Status.REPORTED)
    for item in w.card.items.all():
        SelfCheckEntry.objects.create(self_check=check, item=item, result="done", note="已按计划完成")
    w.pledge = card(member1, CardKind.PLEDGE, Card.Status.SUBMITTED)
    card(leader, CardKind.GOAL_CARD, Card.Status.DRAFT)

    # Assessment: last year's period published, this year's open for rating.
    admin = get_user_model().objects.get(username="admin")
    w.published = PeriodFactory(code=str(year - 1), name=f"{year - 1}年度党员量化考核", state=Period.State.OPEN)
    for i, m in enumerate(Member.objects.order_by("pk")):
        rate(w.published, m, RaterGroup.ORG, 80 + i % 15)
    Period.objects.filter(pk=w.published.pk).update(state=Period.State.CLOSED)
    result_services.results_publish(actor=admin, period_id=w.published.pk)
    w.published.refresh_from_db()
    # The group leader's objection awaits the secretary's ruling; member1 may still file one.
    w.objection = objection_services.objection_file(
        actor=leader.user, period_id=w.published.pk, reason="组织考评中“党员先锋岗”一项未计入本人全年值守记录，请复核。"
    )
    w.open = PeriodFactory(code=str(year), name=f"{year}年度党员量化考核", state=Period.State.OPEN)
    # The year before last: rating closed and results computed, waiting to be published.
    w.closed = PeriodFactory(code=str(year - 2), name=f"{year - 2}年度党员量化考核", state=Period.State.OPEN)
    for m in Member.objects.filter(branch=branch):
        rate(w.closed, m, RaterGroup.ORG, 88)
    Period.objects.filter(pk=w.closed.pk).update(state=Period.State.CLOSED)
    result_services.results_compute(actor=admin, period_id=w.closed.pk)
    # A rubric no period uses yet: still editable.
    w.rubric = period_services.rubric_copy(
        actor=admin, rubric_id=w.open.rubric_id, name="党员量化考核评分细则（修订稿）"
    )
    masses = MassesRater.objects.get(user__username="masses1")
    MassesBallot.objects.create(period=w.open, rater=masses, token=BALLOT_TOKEN, code="PL0001")

    for who, kind in ((member1, Notification.Kind.REPORT_DUE), (secretary, Notification.Kind.BRANCH_WAITING)):
        Notification.objects.create(
            recipient=who.user,
            kind=kind,
            subject="phone",
            quarter=quarter.code,
            title="季度学习报告待办：请在截止日期前提交本季度的学习报告",
            body="截止日期前未提交的，将提醒党小组组长。",
            url="/study/reports/",
        )
    return w
