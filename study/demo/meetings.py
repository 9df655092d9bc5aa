"""Demo data: one organisational life meeting (组织生活会) of a branch, as it is recorded
after the meeting — participants, a self-criticism each, criticisms given, and the
rectification items that followed, in every status and at least one overdue.

Called by ``seed_demo`` with the branch's members and the seed's random generator,
so the same seed builds the same meeting.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from members.models import Branch, Member

from ..models import Criticism, CriticismMeeting, RectificationItem, RectificationUpdate, SelfCriticism

STUDY_PROBLEMS = [
    "理论学习的自觉性还不够强，存在“工作忙时少学、工作闲时多学”的现象，学习党的创新理论满足于读原文、记笔记，"
    "联系{post}岗位实际深入思考不够",
    "学用结合不够紧密，对新修订的安全生产规程学习不够系统，遇到现场新情况时还要临时翻阅制度",
    "参加“三会一课”以完成任务为主，党小组会上发言准备不充分，谈体会多、谈问题少",
    "学习的系统性不强，碎片化学习多、集中研读少，对党章党规中的具体条款理解不深不透",
]
STYLE_PROBLEMS = [
    "担当作为还有差距，面对{post}工作中的难点问题，有时存在等靠思想，主动向前一步不够",
    "工作标准有所放松，满足于“过得去”，对台账资料的准确性复核不细，出现过数据填报错误",
    "联系服务群众不够深入，落实“1+2+3”温暖传递时走访联系点次数偏少，对职工的思想动态掌握不及时",
    "创新意识不强，习惯于按老办法、老经验办事，对合理化建议的提出和推广参与不多",
]
DISCIPLINE_PROBLEMS = [
    "纪律规矩意识有所松懈，对个别同事作业期间使用手机等现象碍于情面没有及时提醒制止",
    "批评与自我批评开展不够经常，对身边同志的问题存在“好人主义”，提意见多是“工作建议”",
    "廉洁自律要求还不够严，对身边的“微腐败”问题警惕性不高，事前提醒做得不够",
    "执行制度有时打折扣，对作业前安全交底等程序存在图省事、走过场的情况",
]
CAUSES = [
    "究其根源：一是理想信念的“总开关”拧得还不够紧，对理论武装的重要性认识不足；二是宗旨意识有所淡化，"
    "把自己等同于普通职工，先锋模范作用发挥不够；三是自我要求有所放松，习惯于在舒适区干工作。",
    "深挖根源：一是党性修养有所放松，政治理论学习没有做到常态化；二是工作中重业务、轻思想，"
    "对党员身份意识强调不够；三是缺乏较真碰硬的精神，怕得罪人的思想还不同程度存在。",
]
MEASURES = [
    "下一步，我将做到：一是坚持每周至少安排两个晚上系统学习，结合{post}岗位撰写学习体会；二是对照岗位标准"
    "逐项查找差距，做到“我的操作最标准”；三是主动联系责任区职工，每月至少走访两次联系点；四是敢于较真碰硬，"
    "认真开展批评与自我批评。",
    "整改措施：一是制定个人学习计划，按时参加支部集中学习和党小组学习，做好笔记、谈好体会；二是树牢“业绩最优秀”"
    "的目标，把{post}岗位的每项工作做细做实；三是严守纪律规矩，自觉接受组织和群众监督。",
]
CRITICISMS = [
    (
        "在班组安全学习中发言偏少，以身作则的带头作用不够明显。",
        "本季度四次班组安全活动中，有两次只签到、未发言；会后也没有结合自身岗位谈落实措施。",
    ),
    (
        "对新进职工传帮带不够主动。",
        "今年分配到班组的两名青工，技能带教记录中由本人带教的只有一次，其余均由班长临时安排。",
    ),
    (
        "工作计划性不强，临时任务多时容易顾此失彼。",
        "十月份的设备月度检查报表两次延迟报送，影响了部门的月度汇总。",
    ),
    (
        "参加理论学习时存在应付现象。",
        "学习笔记以抄录原文为主，心得体会篇幅短，与本职工作联系不够，党小组长已提醒过一次。",
    ),
    (
        "与职工谈心谈话次数偏少，对责任区职工的困难了解不够。",
        "责任区内三名职工反映，一季度以来未与其开展过谈心谈话。",
    ),
    (
        "执行作业制度有时打折扣。",
        "九月份一次检修作业中工作票填写不规范，被安全监察员指出后才整改。",
    ),
]
ITEMS = [
    "制定个人理论学习计划，每月撰写一篇学习体会，并在党小组会上交流。",
    "建立台账资料复核制度，每周五对当周填报的数据进行一次核对，杜绝错报漏报。",
    "每月至少走访责任区联系点两次，建立职工思想动态台账，及时反映职工诉求。",
    "签订师带徒协议，带教两名青工，年底前帮助其通过岗位技能考核。",
    "组织一次工作票规范填写专题学习，本人作业前严格执行安全交底程序。",
    "每季度至少与责任区职工开展一次谈心谈话，并做好记录。",
]
NOTES = {
    RectificationItem.Status.IN_PROGRESS: [
        "已制定计划并开始落实，完成了第一阶段的工作，其余部分正在推进。",
        "已召开专题会议研究落实措施，目前完成约一半。",
    ],
    RectificationItem.Status.DONE: [
        "各项措施已全部落实，相关记录已报支部审核，经支委会确认整改到位。",
        "整改完成：建立了长效机制，支部已复核并同意销号。",
    ],
}


def _title(held_on: datetime.date) -> str:
    # The annual meeting is held early in the year about the year before.
    if held_on.month <= 3:
        return f"{held_on.year - 1}年度组织生活会"
    return f"{held_on.year}年专题组织生活会"


def _self_criticism(member: Member, rng: random.Random) -> str:
    post = member.post or "本职"
    parts = [
        "按照支部通知要求，我认真学习了规定篇目，广泛征求了党小组和责任区职工的意见，"
        "对照党章党规和党员标准进行了深入查摆，现将个人情况汇报如下。",
        "一、存在的主要问题",
        f"（一）理论学习方面。{rng.choice(STUDY_PROBLEMS).format(post=post)}。",
        f"（二）工作作风方面。{rng.choice(STYLE_PROBLEMS).format(post=post)}。",
        f"（三）纪律规矩方面。{rng.choice(DISCIPLINE_PROBLEMS)}。",
        "二、产生问题的原因",
        rng.choice(CAUSES),
        "三、整改措施",
        rng.choice(MEASURES).format(post=post),
        "恳请各位同志批评指正。",
    ]
    return "\n".join(parts)


def build_meeting(
    *, branch: Branch, members: list[Member], today: datetime.date, rng: random.Random
) -> CriticismMeeting:
    """One organisational life meeting of ``branch``, held two to three months before ``today``."""
    people = [m for m in members if m.branch_id == branch.pk and m.is_active]
    if len(people) < 2:
        raise ValueError("A criticism meeting needs at least two members of the branch.")
    secretary = next((m for m in people if m.committee_role == Member.CommitteeRole.SECRETARY), people[0])
    recorder = secretary.user if secretary.user_id else None
    held_on = today - datetime.timedelta(days=rng.randint(60, 90))

    meeting = CriticismMeeting(
        kind=CriticismMeeting.Kind.ORGANISATIONAL_LIFE,
        branch=branch,
        title=_title(held_on),
        held_on=held_on,
        location=rng.choice(["党员活动室", "三楼会议室", "生产调度楼会议室"]),
        topic="深入学习贯彻党的创新理论，对照党员标准，围绕理论学习、工作作风、纪律规矩和发挥先锋模范作用"
        "等方面查找差距，开展批评与自我批评，明确整改措施。",
        created_by=recorder,
    )
    meeting._history_user = recorder
    meeting.save()
    meeting.participants.set(people)

    bulk_create_with_history(
        [SelfCriticism(meeting=meeting, member=m, content=_self_criticism(m, rng)) for m in people],
        SelfCriticism,
        default_user=recorder,
        default_change_reason="seed_demo",
    )

    criticisms = []
    for matter, evidence in rng.sample(CRITICISMS, min(len(CRITICISMS), max(3, len(people) // 3))):
        critic, target = rng.sample(people, 2)
        criticisms.append(
            Criticism(meeting=meeting, from_member=critic, to_member=target, matter=matter, evidence=evidence)
        )
    bulk_create_with_history(criticisms, Criticism, default_user=recorder, default_change_reason="seed_demo")

    Status = RectificationItem.Status
    # (status, deadline, days after the meeting of each follow-up with the status it reported)
    plans = [
        (Status.DONE, held_on + datetime.timedelta(days=30), [(10, Status.IN_PROGRESS), (25, Status.DONE)]),
        (Status.IN_PROGRESS, today - datetime.timedelta(days=rng.randint(5, 20)), [(15, Status.IN_PROGRESS)]),
        (Status.OPEN, today - datetime.timedelta(days=rng.randint(1, 4)), []),
        (Status.IN_PROGRESS, today + datetime.timedelta(days=rng.randint(10, 40)), [(20, Status.IN_PROGRESS)]),
        (Status.OPEN, today + datetime.timedelta(days=rng.randint(20, 60)), []),
    ]
    owners = rng.sample(people, min(len(people), len(plans)))
    descriptions = rng.sample(ITEMS, len(plans))
    now = timezone.now()
    for index, (status, deadline, follow_ups) in enumerate(plans):
        owner = owners[index % len(owners)]
        item = RectificationItem(
            meeting=meeting, owner=owner, description=descriptions[index], deadline=deadline, status=status
        )
        item._history_user = recorder
        item.save()
        author = owner.user if owner.user_id else recorder
        if author is None:
            continue
        for days, reported in follow_ups:
            update = RectificationUpdate.objects.create(
                item=item, note=rng.choice(NOTES[reported]), status=reported, author=author
            )
            when = min(
                now - datetime.timedelta(hours=1),
                timezone.make_aware(
                    datetime.datetime.combine(held_on + datetime.timedelta(days=days), datetime.time(16))
                ),
            )
            RectificationUpdate.objects.filter(pk=update.pk).update(created_at=when)
    return meeting
