import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def run_with_prod_settings(env_overrides: dict, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update({"DJANGO_SETTINGS_MODULE": "partybuild.settings.prod", **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_with_prod_settings({}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_with_debug_on():
    result = run_with_prod_settings({"SECRET_KEY": "x" * 64, "DEBUG": "on"}, "check")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_with_prod_settings(
        {"SECRET_KEY": "k3y-" + "a1B2c3D4e5" * 7}, "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_interface_defaults_to_simplified_chinese_in_shanghai():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "zh-hant", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ


def test_static_assets_are_vendored_with_their_licences():
    vendor = ROOT / "static" / "vendor"
    for name in ("bootstrap", "bootstrap-icons", "chartjs", "htmx"):
        assert any(p.name.startswith("LICENSE") for p in (vendor / name).iterdir()), name


def test_no_page_loads_from_the_internet(client, django_user_model):
    html = client.get(reverse("login")).content.decode()
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account(client, org):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": org.member.user.username, "password": "wrong"})
    response = client.post(url, {"username": org.member.user.username, "password": "partybuild-demo"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_good_login_reaches_the_home_page(client, org):
    response = client.post(reverse("login"), {"username": org.member.user.username, "password": "partybuild-demo"})
    assert response.status_code == 302 and response["Location"] == reverse("home")


@pytest.mark.django_db
def test_logout_needs_a_post(client_for, org):
    client = client_for(org.member)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in html


@pytest.mark.django_db
def test_the_chosen_language_sticks(client):
    client.post(reverse("set_language"), {"language": "zh-hant", "next": "/accounts/login/"})
    assert '<html lang="zh-hant">' in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert '<html lang="en">' in client.get(reverse("login")).content.decode()
