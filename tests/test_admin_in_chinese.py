"""The Django admin speaks Chinese where people use it: every changelist and change form,
walked as the superuser in Simplified Chinese, names its models, fields, columns, filters,
fieldsets and help in Chinese, and every object by what it is (never "Result object (92)").

Only the labels are read (headers, labels, headings, help text, filter titles): the data in
the cells is whatever people typed (user names such as ``secretary1`` are theirs).
"""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.models import User

# Words that stay as they are in a Chinese interface: abbreviations and names of things.
PROPER_NOUNS = {
    *("ID", "URL", "IP", "HTTP", "GET", "POST", "AMQP", "JSON", "UTC", "Cron", "Celery", "Redis", "RabbitMQ"),
    # Django's own help for a multiple choice: 按住 Control，或者 Mac 上的 Command
    *("Control", "Command", "Mac"),
    # The time zone's name, as the schedule stores it, and the cron fields' legend of a
    # schedule's name ("0 8 * * * (m/h/dM/MY/d) Asia/Shanghai").
    *("Asia", "Shanghai", "dM", "MY"),
    # Code in django-celery-beat's own (Chinese) help texts: CELERY_TASK_QUEUES, None, True,
    # False, enabled, {"argument": "value"}, ["arg1", "arg2"].
    *("CELERY", "TASK", "QUEUES", "None", "True", "False", "enabled", "argument", "value", "arg"),
}
# Data, not labels: the user names of the demo, which the admin prints in titles and breadcrumbs.
DATA = re.compile(
    r"\b(?:admin|secretary|member|leader|masses)\d*\b"
    # django-axes' rows name themselves in English (their __str__, which no catalogue
    # reaches): a login attempt's record, shown as its title.
    r"|Attempted Access:|Access Log for|Failed access: user .*? on .*? from"
)
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z-]+")
TAG = re.compile(r"<[^>]+>")
# Where the admin prints labels rather than data.
LABELS = [
    re.compile(r"<label[^>]*>(.*?)</label>", re.S),
    re.compile(r'<th scope="col"[^>]*>(.*?)</th>', re.S),
    re.compile(r"<h2[^>]*>(.*?)</h2>", re.S),
    re.compile(r"<h3[^>]*>(.*?)</h3>", re.S),
    re.compile(r"<summary[^>]*>(.*?)</summary>", re.S),
    re.compile(r"<caption[^>]*>(.*?)</caption>", re.S),
    re.compile(r'<div class="help"[^>]*>(.*?)</div>', re.S),
    re.compile(r"<title>(.*?)</title>", re.S),
    re.compile(r'<div class="breadcrumbs">(.*?)</div>', re.S),
    re.compile(r'<select name="action"[^>]*>(.*?)</select>', re.S),
]


def english_words(html: str) -> set[str]:
    found: set[str] = set()
    for pattern in LABELS:
        for fragment in pattern.findall(html):
            text = DATA.sub(" ", unescape(TAG.sub(" ", fragment)))
            found.update(w for w in LATIN_WORD.findall(text) if w not in PROPER_NOUNS)
    return found


def walk() -> dict[str, str]:
    """Every admin page a superuser opens, in Chinese: the index, each app's index, each
    changelist, and each model's first change form and its history (the add form where the
    demo has no row)."""
    call_command("seed_demo", "--members", "30", stdout=io.StringIO())
    login = {
        "user_agent": "Mozilla/5.0",
        "ip_address": "10.0.0.9",
        "username": "member1",
        "http_accept": "text/html",
        "path_info": "/accounts/login/",
    }
    AccessAttempt.objects.create(**login, get_data="", post_data="username=member1", failures_since_start=2)
    AccessLog.objects.create(**login, logout_time=timezone.now())
    AccessFailureLog.objects.create(**login)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(username="admin"))
    pages: dict[str, str] = {}

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        pages[url] = response.content.decode()

    get(reverse("admin:index"))
    for label in sorted({model._meta.app_label for model in admin.site._registry}):
        get(reverse("admin:app_list", args=[label]))
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        get(reverse("admin:{}_{}_changelist".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            get(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            get(reverse("admin:{}_{}_history".format(*info), args=[first.pk]))
        elif (response := client.get(reverse("admin:{}_{}_add".format(*info)))).status_code == 200:
            pages[response.request["PATH_INFO"]] = response.content.decode()
    return pages


@pytest.mark.django_db
def test_the_admin_speaks_chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    pages = walk()
    assert len(pages) > 60
    untranslated = {url: sorted(words) for url, html in pages.items() if (words := english_words(html))}
    assert not untranslated, "\n".join(f"{url}: {' '.join(words)}" for url, words in untranslated.items())
    nameless = [url for url, html in pages.items() if re.search(r"\b\w+ object \(\d+\)", html)]
    assert not nameless, f"objects named by their id: {nameless}"
    for name in ("study_quarterlyreport", "activities_suggestion", "reminders_notification"):
        changelist = pages[reverse(f"admin:{name}_changelist")]
        assert not re.search(r">\d{4}Q[1-4]<", changelist), f"{name}: a quarter shown by its code"
    assert "年第" in pages[reverse("admin:study_quarterlyreport_changelist")]
    index = pages[reverse("admin:index")]
    assert "Axes" not in index
    tasks = pages[reverse("admin:django_celery_beat_periodictask_changelist")]
    assert "Daily reminders" not in tasks
