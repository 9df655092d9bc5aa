"""The Celery path of a reminder run, run eagerly in this process (the worker integration
test runs it on a real broker): the fan-out first, then one e-mail per person."""

import pytest
from django.core import mail

from partybuild.celery import app
from reminders import tasks
from reminders.models import Notification
from study.models import QuarterlyReport, Talk
from study.tests.factories import QuarterlyReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager():
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def test_a_run_sends_each_person_one_email_after_the_whole_fan_out(org, settings, eager):
    settings.REMINDER_SLICE_MEMBERS = 2  # several slices, so several deliveries per job
    for who, address in ((org.secretary, "secretary@example.com"), (org.member, "member@example.com")):
        who.user.email = address
        who.user.save()
    QuarterlyReportFactory(member=org.groupmate, quarter="2026Q3", status=QuarterlyReport.Status.WITH_BRANCH)
    for who in (org.member, org.leader, org.member_a2):
        Talk.objects.create(member=who, branch=org.branch_a, source=Talk.Source.OTHER)
    tasks.run_reminders("2026-10-05")
    assert Notification.objects.filter(recipient=org.secretary.user).count() >= 4
    assert sorted(m.to[0] for m in mail.outbox) == ["member@example.com", "secretary@example.com"]
