"""The request's session and user are Django's own (database sessions, ModelBackend with
axes); a person's roles are read through the ORM in at most two queries and kept for the
request, and so is their unread count."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from members.models import Member
from members.roles import get_roles
from reminders.models import Notification
from reminders.selectors import unread_count_of

pytestmark = pytest.mark.django_db


def test_the_plumbing_is_djangos_own():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.AUTHENTICATION_BACKENDS == [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]


def test_a_logged_in_person_is_recognised_and_an_expired_session_is_not(client, org):
    client.force_login(org.member.user)
    assert client.get(reverse("home")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_inactive_member_record_gives_no_member_role(org):
    Member.objects.filter(pk=org.leader.pk).update(is_active=False)
    user = type(org.leader.user).objects.get(pk=org.leader.user.pk)
    roles = get_roles(user)
    assert roles.member is None and not roles.is_group_leader


def test_the_unread_count_is_counted_once_a_request(org, django_assert_num_queries):
    for subject, read_at in (("a", None), ("b", None), ("c", timezone.now())):
        Notification.objects.create(
            recipient=org.leader.user, kind="report_due", subject=subject, title="t", read_at=read_at
        )
    user = type(org.leader.user).objects.get(pk=org.leader.user.pk)
    with django_assert_num_queries(1):
        assert unread_count_of(user) == 2
    with django_assert_num_queries(0):
        assert unread_count_of(user) == 2
