"""The demo data of pioneer posts and warmth delivery: built in bulk from the roster,
deterministic, valid against the services' rules, and with members left to chase."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext

from activities.demo import posts_warmth
from activities.models import ContactPoint, HelpRecord, PioneerPost, Recognition, ResponsibilityArea
from activities.selectors import warmth as warmth_selectors
from members import demo
from members.models import Branch, Member
from partybuild.lib.quarters import Quarter

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 20)


def snapshot() -> list:
    return [
        list(PioneerPost.objects.order_by("pk").values_list("member__employee_no", "kind", "starts_on", "ends_on")),
        list(Recognition.objects.order_by("pk").values_list("member__employee_no", "best", "year", "quarter")),
        list(HelpRecord.objects.order_by("pk").values_list("member__employee_no", "kind", "helped_on", "content")),
    ]


def test_demo_builds_every_kind_of_record():
    demo.build(members=60, seed=7, today=TODAY)
    summary = posts_warmth.build(seed=7, today=TODAY)
    assert summary["pioneer_posts"] == PioneerPost.objects.count() > 0
    assert summary["recognitions"] == Recognition.objects.count() > 0
    assert summary["areas"] == ResponsibilityArea.objects.count() > 0
    assert summary["contact_points"] == ContactPoint.objects.count() > 0
    assert summary["help_records"] == HelpRecord.objects.count() > 0
    assert summary["without_help_this_quarter"] > 0

    # Pioneer posts in several branches, current ones and ended ones, and history rows.
    assert PioneerPost.objects.values("branch").distinct().count() == Branch.objects.count()
    assert PioneerPost.objects.filter(starts_on__lte=TODAY, ends_on__gte=TODAY).exists()
    assert PioneerPost.objects.filter(ends_on__lt=TODAY, planned_ends_on__isnull=False).exists()
    assert PioneerPost.history.count() == PioneerPost.objects.count()
    assert all(p.ends_on >= p.starts_on for p in PioneerPost.objects.all())
    # Every recognition's period has begun and its date is not in the future.
    assert not Recognition.objects.filter(awarded_on__gt=TODAY).exists()
    # Help over several quarters, never in the future, naming only the member's own contacts.
    assert not HelpRecord.objects.filter(helped_on__gt=TODAY).exists()
    quarters = {Quarter.of(d) for d in HelpRecord.objects.values_list("helped_on", flat=True)}
    assert len(quarters) == 4
    assert (
        not HelpRecord.objects.exclude(contact_point__isnull=True).exclude(contact_point__member=F("member")).exists()
    )
    assert set(HelpRecord.objects.values_list("kind", flat=True)) == set(HelpRecord.Kind.values)

    # The demo logins have data to show; and each branch has someone to chase this quarter.
    member1 = Member.objects.get(user__username="member1")
    assert PioneerPost.objects.filter(member=member1).exists()
    assert HelpRecord.objects.filter(member=member1, helped_on__gte=Quarter.of(TODAY).first_day).exists()
    branch = Member.objects.get(user__username="secretary1").branch_id
    counts = warmth_selectors.warmth_board_counts(branch_id=branch, quarter=Quarter.of(TODAY))
    assert 0 < counts.missing < counts.members


def test_demo_is_deterministic():
    demo.build(members=40, seed=3, today=TODAY)
    posts_warmth.build(seed=3, today=TODAY)
    first = snapshot()
    posts_warmth.reset()
    assert not HelpRecord.objects.exists() and not PioneerPost.objects.exists()
    posts_warmth.build(seed=3, today=TODAY)
    assert snapshot() == first


def test_demo_issues_no_query_per_member():
    demo.build(members=30, seed=5, today=TODAY)
    with CaptureQueriesContext(connection) as small:
        posts_warmth.build(seed=5, today=TODAY)
    posts_warmth.reset()
    demo.reset()
    demo.build(members=300, seed=5, today=TODAY)
    with CaptureQueriesContext(connection) as large:
        posts_warmth.build(seed=5, today=TODAY)
    # Rows go in batches (SQLite caps a batch by its variable limit): ten times the
    # members is a few more inserts, nowhere near one query per member.
    assert len(small.captured_queries) < 30
    assert len(large.captured_queries) < 300 // 5
    assert Member.objects.aggregate(n=Count("help_records"))["n"] > 0
