"""The request's session and user, read by statements written once (partybuild.lib.sessions,
partybuild.auth): the same answers as Django's own, on either database."""

import datetime

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from members.models import User
from members.roles import get_roles
from partybuild.auth import UserBackend
from partybuild.lib.sessions import SessionStore
from reminders.models import Notification
from reminders.selectors import unread_count_of

pytestmark = pytest.mark.django_db


def test_the_user_is_the_one_modelbackend_reads(org):
    for user in (org.member.user, org.admin, org.masses.user):
        got, want = UserBackend().get_user(str(user.pk)), ModelBackend().get_user(user.pk)
        assert got == want
        assert {f.attname: getattr(got, f.attname) for f in User._meta.concrete_fields} == {
            f.attname: getattr(want, f.attname) for f in User._meta.concrete_fields
        }


@pytest.mark.parametrize("user_id", [None, "", "x", "1.5", str(2**70), "-1", 0, 10**9])
def test_no_user_for_an_id_that_names_none(user_id, org):
    assert UserBackend().get_user(user_id) is None


def test_an_inactive_user_is_not_loaded(org):
    User.objects.filter(pk=org.member.user.pk).update(is_active=False)
    assert UserBackend().get_user(org.member.user.pk) is None


def test_the_session_is_the_one_django_reads(org):
    store = SessionStore()
    store["who"] = "党员甲"
    store.set_expiry(3600)
    store.save()
    loaded = SessionStore(store.session_key).load()
    assert loaded == DjangoSessionStore(store.session_key).load() and loaded["who"] == "党员甲"


def test_an_expired_or_unknown_session_is_empty_and_forgotten(org):
    store = SessionStore()
    store["who"] = "x"
    store.save()
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    for key in (store.session_key, "nosuchsession0000000000000000000", None):
        loaded = SessionStore(key)
        assert loaded.load() == {} and loaded.session_key is None


def test_a_logged_in_person_is_recognised_and_an_expired_session_is_not(client, org):
    client.force_login(org.member.user)
    assert client.get(reverse("home")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_roles_and_unread_count_come_with_the_user(org, django_assert_num_queries):
    Notification.objects.create(recipient=org.leader.user, kind="report_due", subject="a", title="t")
    Notification.objects.create(recipient=org.leader.user, kind="report_due", subject="b", title="t")
    Notification.objects.create(
        recipient=org.leader.user, kind="report_due", subject="c", title="t", read_at=timezone.now()
    )
    # A group leader: the user with roles and count, then their groups' ids.
    with django_assert_num_queries(2):
        user = UserBackend().get_user(org.leader.user.pk)
    with django_assert_num_queries(0):
        roles = get_roles(user)
        count = unread_count_of(user)
    assert roles.member == org.leader and roles.led_group_ids == {org.group_a1.pk}
    assert roles.member.branch.name == org.branch_a.name and roles.member.group.name == org.group_a1.name
    assert count == 2


def test_a_masses_rater_and_an_administrator_are_each_read_in_one_query(org, django_assert_num_queries):
    with django_assert_num_queries(2):
        rater, admin = UserBackend().get_user(org.masses.user.pk), UserBackend().get_user(org.admin.pk)
    with django_assert_num_queries(0):
        assert get_roles(rater).masses_rater == org.masses and get_roles(rater).member is None
        assert get_roles(rater).masses_rater.branch.name == org.branch_a.name
        assert get_roles(admin).is_admin and get_roles(admin).member is None
