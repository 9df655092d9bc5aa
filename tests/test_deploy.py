"""Production settings: the deploy check is clean, a misconfiguration refuses to start, the
security headers and cookie flags reach a real response, and no secret is in the repository.

Everything that loads the production settings runs in a subprocess with a clean
environment: the test process has the test settings loaded, and production must be judged
as it starts on a server, not as the developer's shell happens to be set up."""

import json
import os
import re
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEV_KEY = "dev-only-insecure-key-do-not-use-in-production"
TEST_KEY = "test-only-key"
SHORT_KEY = "x" * 49  # one short of production's minimum


def clean_env(**extra: str) -> dict[str, str]:
    """Only what a service manager would give the process, plus the production settings."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "HOME": str(Path.home())}
    env["DJANGO_SETTINGS_MODULE"] = "partybuild.settings.prod"
    env.update(extra)
    return env


def real_secret() -> str:
    return secrets.token_urlsafe(64)


def python(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


# --- check --deploy -------------------------------------------------------------------------------


def test_the_deploy_check_prints_no_warnings():
    result = python(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", env=clean_env(SECRET_KEY=real_secret())
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_the_deploy_check_can_fail():
    """The same check, with HSTS switched off through the environment, does warn."""
    env = clean_env(SECRET_KEY=real_secret(), SECURE_HSTS_SECONDS="0")
    result = python("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


# --- refusing to start -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": DEV_KEY}, "SECRET_KEY"),
        ({"SECRET_KEY": TEST_KEY}, "SECRET_KEY"),
        ({"SECRET_KEY": SHORT_KEY}, "SECRET_KEY"),
        ({"SECRET_KEY": SHORT_KEY, "DEBUG": "on"}, "SECRET_KEY"),
        ({"DEBUG": "on"}, "DEBUG"),
        ({"DEBUG": "true"}, "DEBUG"),
    ],
    ids=["unset", "empty", "dev-key", "test-key", "too-short", "short-and-debug", "debug-on", "debug-true"],
)
def test_production_refuses_to_start(overrides, reason):
    env = clean_env(**overrides)
    if reason == "DEBUG":
        env["SECRET_KEY"] = real_secret()
    result = python("-c", "import partybuild.settings.prod", env=env)
    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert reason in result.stderr.strip().splitlines()[-1]


def test_production_starts_with_a_real_secret_and_debug_off():
    script = "import partybuild.settings.prod as s; print(s.DEBUG, len(s.SECRET_KEY) >= 50)"
    result = python("-c", script, env=clean_env(SECRET_KEY=real_secret(), DEBUG="off"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


# --- headers and cookies on real responses ---------------------------------------------------------

# Runs under the production settings: an in-memory database built from the models, a
# login made with production's password hasher, responses through the whole middleware.
RESPONSES_SCRIPT = textwrap.dedent(
    """
    import json
    import django
    from django.conf import settings
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    apps = [a.split(".")[-1] for a in settings.INSTALLED_APPS]
    with override_settings(MIGRATION_MODULES={label: None for label in apps}):
        call_command("migrate", run_syncdb=True, verbosity=0)
    from members.models import User
    User.objects.create_user("deploy-check", password="Red-Flag-2026!")

    def describe(response):
        return {
            "status": response.status_code,
            "headers": dict(response.headers),
            "cookies": {
                name: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]), "samesite": m["samesite"]}
                for name, m in response.cookies.items()
            },
        }

    proxy = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    client = Client()
    out = {
        "plain": describe(client.get("/accounts/login/", HTTP_X_FORWARDED_FOR="203.0.113.7")),
        "login": describe(
            client.post("/accounts/login/", {"username": "deploy-check", "password": "Red-Flag-2026!"}, **proxy)
        ),
    }
    out["anonymous"] = describe(Client().get("/", **proxy))
    print("RESULT" + json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def responses():
    env = clean_env(SECRET_KEY=real_secret(), DATABASE_URL="sqlite://:memory:", ALLOWED_HOSTS="testserver")
    result = python("-c", RESPONSES_SCRIPT, env=env)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT"))
    return json.loads(line.removeprefix("RESULT"))


def test_plain_http_is_redirected_to_https(responses):
    plain = responses["plain"]
    assert plain["status"] == 301
    assert plain["headers"]["Location"] == "https://testserver/accounts/login/"


@pytest.mark.parametrize("name", ["login", "anonymous"])
def test_security_headers_are_on_https_responses(responses, name):
    headers = responses[name]["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("name", ["login", "anonymous"])
def test_a_content_security_policy_is_on_https_responses(responses, name):
    header = responses[name]["headers"]["Content-Security-Policy"]
    policy = dict(directive.strip().split(" ", 1) for directive in header.split(";"))
    assert policy["default-src"] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["style-src-elem"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'self'"


def test_the_login_sets_secure_cookies(responses):
    login = responses["login"]
    assert login["status"] == 302  # the login went through, so the session cookie was set
    session, csrf = login["cookies"]["sessionid"], login["cookies"]["csrftoken"]
    assert session == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert csrf["secure"] and csrf["samesite"] == "Lax"


# --- no secret in the repository ---------------------------------------------------------------------


def tracked_text_files() -> dict[str, str]:
    names = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    )
    files = {}
    for name in filter(None, names):
        path = ROOT / name
        if not path.is_file():
            continue  # deleted in the working tree, not yet committed
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue  # binary: images, workbooks, compiled catalogues
        files[name] = data.decode("utf-8", "replace")
    return files


@pytest.fixture(scope="module")
def tracked():
    files = tracked_text_files()
    assert "partybuild/settings/prod.py" in files and len(files) > 100
    return files


# Built from pieces, so that this file does not match its own patterns.
PRIVATE_KEY = re.compile("-----BEGIN " + r"(?:[A-Z0-9]+ )*PRIVATE" + " KEY-----")
AWS_KEY_ID = re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b")
AWS_SECRET = re.compile(r"aws_secret_access_key\s*[=:]\s*[\"']?[A-Za-z0-9/+=]{40}", re.IGNORECASE)
SECRET_KEY_LITERAL = re.compile(r"SECRET_KEY[\"']?\s*(?:=|:|,\s*default\s*=)\s*[\"']([^\"'\n]+)[\"']")
SECRET_KEY_ASSIGNED = re.compile(r"^\s*(?:export\s+)?SECRET_KEY\s*=\s*([^\s\"'$#][^\s#]{7,})", re.MULTILINE)
PASSWORD_LITERAL = re.compile(r"PASSWORD[\"']?\s*[:=]\s*[\"']([^\"']+)[\"']")
URL_CREDENTIALS = re.compile(r"[a-z+]+://[^/\s:@\"'`]+:([^@\s\"'`/]+)@")
SECRET_FILE = re.compile(r"(^|/)(\.env(\..+)?|id_rsa[^/]*|id_ed25519[^/]*|[^/]+\.(pem|key|p12|pfx|keystore))$")


def test_no_private_keys_or_cloud_credentials_are_tracked(tracked):
    found = [
        (name, pattern.pattern)
        for name, text in tracked.items()
        for pattern in (PRIVATE_KEY, AWS_KEY_ID, AWS_SECRET)
        if pattern.search(text)
    ]
    assert found == []


def test_the_scanner_recognises_what_it_looks_for():
    key_header = "-----BEGIN " + "RSA PRIVATE" + " KEY-----"
    assert PRIVATE_KEY.search(f"{key_header}\nMIIE...")
    assert AWS_KEY_ID.search("key = " + "AKIA" + "ABCDEFGHIJKLMNOP")
    assert SECRET_KEY_ASSIGNED.search("SECRET_KEY=s3cr3t-value-from-prod\n")
    assert PASSWORD_LITERAL.search('EMAIL_HOST_PASSWORD = "hunter2"')
    assert URL_CREDENTIALS.search('env.db(default="postgres://app:' + 'hunter2@db/app")')
    assert SECRET_FILE.search("deploy/.env.production") and SECRET_FILE.search("certs/server.key")


def test_no_env_or_key_files_are_tracked(tracked):
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    found = [name for name in names.splitlines() if SECRET_FILE.search(name) and not name.endswith(".env.example")]
    assert found == []
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def test_the_env_example_holds_no_values_that_matter(tracked):
    for line in tracked[".env.example"].splitlines():
        assert not line.strip() or line.startswith("#"), line  # every setting commented out
    assert "# SECRET_KEY=\n" in tracked[".env.example"]


def test_the_only_secret_key_literals_are_the_documented_insecure_ones(tracked):
    literals = {(name, value) for name, text in tracked.items() for value in SECRET_KEY_LITERAL.findall(text)}
    # Unquoted assignments (shell, .env, CI files); in Python an unquoted value is code.
    literals |= {
        (name, value)
        for name, text in tracked.items()
        if not name.endswith(".py")
        for value in SECRET_KEY_ASSIGNED.findall(text)
    }
    # `make run` makes a random key of its own in var/ (partybuild/settings/dev.py): the test
    # settings hold the only literal, which says what it is, and production refuses it
    # (test_production_refuses_to_start), as it refuses the old development key.
    assert literals == {("partybuild/settings/test.py", TEST_KEY)}, sorted(literals)
    assert "test-only" in TEST_KEY


def test_settings_hold_no_passwords(tracked):
    for name, text in tracked.items():
        if not name.startswith("partybuild/settings/"):
            continue
        assert PASSWORD_LITERAL.findall(text) == [], name
        assert URL_CREDENTIALS.findall(text) == [], name


def test_no_credentials_in_urls_outside_the_documentation(tracked):
    """Examples in READMEs and .env.example are placeholders; code and configuration have none."""
    found = [
        (name, password)
        for name, text in tracked.items()
        if not name.endswith((".md", ".env.example", ".po"))
        for password in URL_CREDENTIALS.findall(text)
    ]
    assert found == []
