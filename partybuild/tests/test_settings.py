from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


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
