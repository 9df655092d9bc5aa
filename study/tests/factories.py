import datetime

import factory
from django.utils import timezone

from members.tests.factories import BranchFactory, MemberFactory
from partybuild.lib.quarters import Quarter
from study.models import QuarterlyReport, ReportProblem, StudySession


class StudySessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudySession

    branch = factory.SubFactory(BranchFactory)
    kind = StudySession.Kind.ASSEMBLY
    title = factory.Sequence(lambda n: f"学习专题{n}")
    content_tag = StudySession.ContentTag.PRESCRIBED
    content = "学习党章"
    requirements = "会前自学，会上发言"
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    audience = StudySession.Audience.BRANCH


class QuarterlyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuarterlyReport

    member = factory.SubFactory(MemberFactory)
    quarter = factory.LazyFunction(lambda: Quarter.current().code)
    branch = factory.SelfAttribute("member.branch")
    group = factory.SelfAttribute("member.group")
    insights = "深刻体会"
    analysis = "对照党员标准查找差距"


class ReportProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportProblem

    report = factory.SubFactory(QuarterlyReportFactory)
    problem = "理论学习不够系统"
    cause = "工作忙"
    measure = "每周学习两小时"
