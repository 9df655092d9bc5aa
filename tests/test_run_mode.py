"""`make run`: DEBUG off unless asked for, the Chinese error pages, static files still served,
a secret key of the machine's own, and a server only this machine reaches.

The settings `make run` uses (manage.py's and celery's default, partybuild.settings.dev) are
loaded in a subprocess with a clean environment: the test process has the test settings, and
the run mode must be judged as `make run` starts it on a fresh machine."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-hans")
missing = client.get("/no-such-page/")
static = client.get("/static/css/partybuild.css")
expired = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True).post("/accounts/login/", {"username": "x"})
from django.test import RequestFactory
from django.urls import get_resolver
from django.utils import translation
translation.activate("zh-hans")
broken = get_resolver().resolve_error_handler(500)(RequestFactory().get("/"))
print(json.dumps({
    "debug": settings.DEBUG,
    "site": settings.SITE_URL,
    "key": settings.SECRET_KEY,
    "missing": [missing.status_code, missing.content.decode()],
    "static": static.status_code,
    "expired": [expired.status_code, expired.content.decode()],
    "broken": [broken.status_code, broken.content.decode()],
}))
"""


def run_mode(tmp_path: Path, **extra: str) -> dict:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(Path.home()),
        "DJANGO_SETTINGS_MODULE": "partybuild.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "LOG_LEVEL": "ERROR",
        **extra,
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def default_run(tmp_path_factory) -> dict:
    """The run mode as `make run` starts it: nothing set but the database."""
    return run_mode(tmp_path_factory.mktemp("run"))


def test_make_run_serves_with_debug_off_and_the_chinese_404_page(default_run):
    seen = default_run
    assert seen["debug"] is False
    status, page = seen["missing"]
    assert status == 404
    assert "未找到该页面或记录" in page
    assert "URLconf" not in page  # not Django's technical page listing every URL
    assert seen["static"] == 200  # WhiteNoise serves the source folders, nothing collected


def test_a_server_error_gets_the_chinese_500_page(default_run):
    status, page = default_run["broken"]
    assert status == 500 and "服务器出现了问题" in page


def test_an_expired_form_gets_the_applications_page_not_djangos(default_run):
    status, page = default_run["expired"]
    assert status == 403
    assert 'data-testid="form-expired"' in page and "返回首页" in page
    assert "DEBUG" not in page  # Django's own page ends "set DEBUG=True for more information"


@pytest.mark.parametrize("value", ["1", "on", "true"])
def test_debug_is_on_only_when_asked_for(tmp_path, value):
    seen = run_mode(tmp_path, DEBUG=value)
    assert seen["debug"] is True
    status, page = seen["missing"]
    assert status == 404 and "URLconf" in page


def test_without_a_secret_key_the_run_mode_makes_one_of_its_own(default_run, tmp_path):
    key = default_run["key"]
    assert len(key) >= 50 and "insecure" not in key
    assert run_mode(tmp_path)["key"] == key  # the same on every start: sessions survive a restart
    given = secrets.token_urlsafe(64)
    assert run_mode(tmp_path, SECRET_KEY=given)["key"] == given


def test_the_local_key_is_made_once_and_kept_private(tmp_path):
    from partybuild.settings.dev import local_secret_key

    path = tmp_path / "secret_key"
    first = local_secret_key(path)
    assert local_secret_key(path) == first
    assert path.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]  # no draft left behind


def test_links_in_e_mails_name_the_port_make_run_serves_on(default_run, tmp_path):
    assert default_run["site"] == "http://127.0.0.1:8000"
    assert run_mode(tmp_path, PORT="8080")["site"] == "http://127.0.0.1:8080"
    assert run_mode(tmp_path, PORT="8080", SITE_URL="https://dj.example.com")["site"] == "https://dj.example.com"


def test_the_server_listens_on_this_machine_only_on_the_port_asked_for():
    web = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    assert "runserver 127.0.0.1:${PORT:-8000}" in web
    makefile = (ROOT / "Makefile").read_text()
    assert "PORT=$(PORT)" in makefile
