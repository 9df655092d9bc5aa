"""The request's session and user, read by statements written once (partybuild.lib.sessions,
members.backends): the same answers as Django's own, on either database."""

import datetime

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from members.backends import UserBackend
from members.models import User
from partybuild.lib.sessions import SessionStore

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
