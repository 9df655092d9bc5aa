"""Accounts: login throttling, session expiry, password validation wherever a password is
set, and the admin site kept to administrators."""

import datetime

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.password_validation import password_validators_help_texts
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from members.models import User
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

GOOD = "partybuild-demo"  # every persona's password (members/tests/factories.py)


def in_chinese(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


def log_in(client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail_until_locked(client, username: str, ip: str = "10.0.0.1") -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, username, "wrong-password", ip)
    assert response.status_code == 429


# --- login throttling (django-axes) --------------------------------------------------


def test_a_locked_account_refuses_even_the_right_password_with_a_chinese_page(client, org):
    username = org.member.user.username
    fail_until_locked(client, username)

    response = log_in(client, username, GOOD)

    assert response.status_code == 429
    assert not logged_in(client)
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert in_chinese("Too many failed logins") in page
    assert in_chinese("Too many failed logins") != "Too many failed logins"  # translated, not the msgid


def test_fewer_failures_than_the_limit_do_not_lock(client, org):
    username = org.member.user.username
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, username, "wrong-password").status_code == 200
    assert log_in(client, username, GOOD).status_code == 302
    assert logged_in(client)


def test_a_good_login_clears_the_failures(client, org):
    username = org.member.user.username
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, username, "wrong-password")
    log_in(client, username, GOOD)
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, username, "wrong-password")
    assert log_in(client, username, GOOD).status_code == 302


def test_the_lock_is_per_username_and_address(client, org):
    username = org.member.user.username
    fail_until_locked(client, username, ip="10.0.0.1")

    # The same person from another address logs in ...
    assert log_in(client, username, GOOD, ip="10.0.0.2").status_code == 302
    client.logout()
    # ... and a colleague from the locked address too: one typo-prone user locks no one else out.
    assert log_in(client, org.groupmate.user.username, GOOD, ip="10.0.0.1").status_code == 302
    client.logout()
    # The locked pair stays locked.
    assert log_in(client, username, GOOD, ip="10.0.0.1").status_code == 429
    assert not logged_in(client)


def test_failures_against_an_unknown_username_lock_that_name_only(client, org):
    fail_until_locked(client, "no-such-user")
    assert log_in(client, org.member.user.username, GOOD).status_code == 302


# --- session expiry ----------------------------------------------------------------------


def test_the_session_cookie_ends_with_the_browser(client, org):
    response = log_in(client, org.member.user.username, GOOD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert not cookie["max-age"] and not cookie["expires"]
    assert cookie["httponly"]


def test_the_session_lasts_the_configured_age_on_the_server(client, org):
    before = timezone.now()
    log_in(client, org.member.user.username, GOOD)
    session = Session.objects.get(session_key=client.session.session_key)
    age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert before + age <= session.expire_date <= timezone.now() + age
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600  # a working day, not weeks


def test_a_session_older_than_the_age_is_sent_to_login(client, org):
    log_in(client, org.member.user.username, GOOD)
    assert client.get(reverse("home")).status_code == 200
    # The session as it would be SESSION_COOKIE_AGE and a minute after the login.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(minutes=1)
    )

    response = client.get(reverse("study:report_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- password validators --------------------------------------------------------------

WEAK = {
    "too short": "Ab3$x",
    "common": "password123",
    "all digits": "8302749165",
}


def weak_passwords_for(username: str) -> dict[str, str]:
    return {**WEAK, "like the username": f"{username}x"}


@pytest.mark.parametrize("kind", ["too short", "common", "all digits", "like the username"])
def test_opening_a_login_refuses_a_weak_password(client_for, org, kind):
    member = MemberFactory(branch=org.branch_a, user=None, employee_no="E900001")
    password = weak_passwords_for("E900001")[kind]

    response = client_for(org.secretary).post(
        reverse("members:login", args=[member.pk]), {"password1": password, "password2": password}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    member.refresh_from_db()
    assert member.user is None
    assert not User.objects.filter(username="E900001").exists()


@pytest.mark.parametrize("kind", ["too short", "common", "all digits", "like the username"])
def test_resetting_a_members_password_refuses_a_weak_one(client_for, org, kind):
    user = org.member.user
    password = weak_passwords_for(user.username)[kind]

    response = client_for(org.secretary).post(
        reverse("members:login", args=[org.member.pk]), {"password1": password, "password2": password}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    user.refresh_from_db()
    assert user.check_password(GOOD) and not user.check_password(password)


def test_the_weak_password_message_is_in_chinese(client_for, org):
    member = MemberFactory(branch=org.branch_a, user=None)
    response = client_for(org.secretary).post(
        reverse("members:login", args=[member.pk]), {"password1": "Ab3$x", "password2": "Ab3$x"}
    )
    errors = response.context["form"].errors["password1"]
    assert any("密码" in error for error in errors), errors


@pytest.mark.parametrize("kind", ["too short", "common", "all digits", "like the username"])
def test_changing_ones_own_password_refuses_a_weak_one(client_for, org, kind):
    user = org.member.user
    password = weak_passwords_for(user.username)[kind]

    response = client_for(org.member).post(
        reverse("password_change"),
        {"old_password": GOOD, "new_password1": password, "new_password2": password},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    user.refresh_from_db()
    assert user.check_password(GOOD)


def test_changing_ones_own_password_to_a_strong_one_works(client_for, org):
    response = client_for(org.member).post(
        reverse("password_change"),
        {"old_password": GOOD, "new_password1": "Red-Flag-2026!", "new_password2": "Red-Flag-2026!"},
    )
    assert response.status_code == 302
    org.member.user.refresh_from_db()
    assert org.member.user.check_password("Red-Flag-2026!")


def test_the_password_change_page_lists_the_rules(client_for, org):
    page = client_for(org.member).get(reverse("password_change")).content.decode()
    with translation.override("zh-hans"):
        rules = password_validators_help_texts()
    assert len(rules) == len(settings.AUTH_PASSWORD_VALIDATORS)
    for rule in rules:
        assert rule in page


@pytest.mark.parametrize("kind", ["too short", "common", "all digits"])
def test_the_admin_refuses_a_weak_password_too(client_for, org, kind):
    client = client_for(org.admin)
    password = WEAK[kind]
    target = org.member.user

    response = client.post(
        reverse("admin:auth_user_password_change", args=[target.pk]),
        {"password1": password, "password2": password},
    )
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.check_password(GOOD)

    response = client.post(
        reverse("admin:members_user_add"),
        {"username": "new-login", "password1": password, "password2": password, "usable_password": "true"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="new-login").exists()


# --- the admin site is for administrators ---------------------------------------------------


def admin_urls(org) -> list[str]:
    """The admin's index, and every registered model's list, add and change page."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_add".format(*info)))
        instance = model.objects.first()
        urls.append(reverse("admin:{}_{}_change".format(*info), args=[instance.pk if instance else 1]))
    urls.append(reverse("admin:auth_user_password_change", args=[org.member.user.pk]))
    urls.append(reverse("admin:members_member_change", args=[org.member.pk]))
    return urls


@pytest.mark.parametrize("who", ["member", "leader", "secretary", "committee", "masses"])
def test_only_administrators_reach_the_admin(client_for, org, who):
    client = client_for(getattr(org, who))
    urls = admin_urls(org)
    assert len(urls) > 20
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


@pytest.mark.parametrize("who", ["member", "secretary", "masses"])
def test_a_post_to_an_admin_change_page_changes_nothing(client_for, org, who):
    client = client_for(getattr(org, who))
    target = org.member_b.user

    client.post(
        reverse("admin:members_user_change", args=[target.pk]),
        {"username": target.username, "is_staff": "on", "is_superuser": "on", "is_active": "on"},
    )
    client.post(
        reverse("admin:auth_user_password_change", args=[target.pk]),
        {"password1": "Taken-Over-2026!", "password2": "Taken-Over-2026!"},
    )

    target.refresh_from_db()
    assert not target.is_staff and not target.is_superuser
    assert target.check_password(GOOD)


def test_the_administrator_does_reach_the_admin(client_for, org):
    """The same pages let the administrator in (so the refusals above are about the person)."""
    client = client_for(org.admin)
    for url in admin_urls(org):
        response = client.get(url)
        # A change page of a model with no rows sends the administrator back to the index;
        # a model whose rows are only written by the system (axes' attempts) has no add page.
        assert response.status_code in (200, 302, 403), url
        if response.status_code == 302:
            assert response["Location"] == reverse("admin:index"), url
        if url.endswith("/") and url.count("/") <= 4:  # the index and every model's list
            assert response.status_code == 200, url


def test_a_username_longer_than_the_column_is_refused_on_its_field(client):
    """The stock login form only sets the HTML limit; a longer name reached django-axes'
    attempt log and overflowed its column on PostgreSQL (a server error)."""
    response = client.post(reverse("login"), {"username": "x" * 400, "password": "whatever"})
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
