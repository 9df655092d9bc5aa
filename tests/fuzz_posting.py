"""Posting to a form as the fuzzing test does: which URL patterns accept POST, reading a
form off its page for valid values, posting in a rolled-back transaction and judging the answer
(below 500; a refusal writes nothing, speaks Chinese and names its field).

Used by tests/test_bad_input.py, whose registry says who posts to which form.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.forms import BaseForm, BaseFormSet
from django.test import Client
from django.test.utils import ContextList
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.html import escape

from tests.fuzz_targets import Form

APP_LABELS = ("members", "study", "activities", "assessment", "reminders")
CJK = re.compile(r"[\u4e00-\u9fff]")

# ---------------------------------------------------------------------------
# Which patterns accept POST


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def _allowed_methods(view) -> set[str] | None:
    """The methods a ``require_http_methods`` decorator lets through, or None without one."""
    func = view
    while func is not None:
        for name, cell in zip(func.__code__.co_freevars, func.__closure__ or (), strict=False):
            if name == "request_method_list":
                return set(cell.cell_contents)
        func = getattr(func, "__wrapped__", None)
    return None


def accepts_post(view) -> bool:
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    methods = _allowed_methods(view)
    if methods is not None:
        return "POST" in methods
    source = inspect.getsource(inspect.unwrap(view))
    return "request.POST" in source or "request.FILES" in source or '"POST"' in source


def post_endpoints() -> set[str]:
    return {
        name
        for name, pattern in _walk(get_resolver().url_patterns)
        if not name.startswith("admin:") and accepts_post(pattern.callback)
    }


# Patterns that accept POST but take no input worth fuzzing, with the reason.
NOT_FUZZED = {
    "logout": "takes no input; logging out ends the fuzzing client's session",
}

# ---------------------------------------------------------------------------
# Reading a form off its page


@dataclass
class ScrapedForm:
    action: str
    values: dict[str, list[str]] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)  # date and datetime pickers


class _FormParser(HTMLParser):
    """Collects each POST form's fields with the value a browser would send unchanged."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[ScrapedForm] = []
        self.current: ScrapedForm | None = None
        self.select: tuple[str, bool, list[str], list[str]] | None = None
        self.textarea: str | None = None
        self.text: list[str] = []
        self.radios: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            action = urlsplit(a.get("action") or self.page_url).path
            self.current = ScrapedForm(action=action)
            self.radios = {}
            return
        form = self.current
        if form is None or "name" not in a and tag != "option":
            return
        if tag == "input":
            name, kind = a["name"], a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            form.names.add(name)
            if kind in ("date", "datetime-local", "month"):
                form.dates.add(name)
            if kind == "file":
                form.files.add(name)
            elif kind == "hidden":
                form.values.setdefault(name, []).append(a.get("value", ""))
            elif kind == "checkbox":
                if "checked" in a:
                    form.values.setdefault(name, []).append(a.get("value") or "on")
            elif kind == "radio":
                self.radios.setdefault(name, []).append(a.get("value", ""))
                if "checked" in a:
                    form.values[name] = [a.get("value", "")]
            else:
                form.values.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select":
            self.select = (a["name"], "multiple" in a, [], [])
            form.names.add(a["name"])
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            self.select[3].append(value)
            if "selected" in a:
                self.select[2].append(value)
        elif tag == "textarea":
            self.textarea = a["name"]
            self.text = []
            form.names.add(a["name"])

    def handle_data(self, data):
        if self.textarea is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        form = self.current
        if form is None:
            return
        if tag == "select" and self.select is not None:
            name, multiple, selected, options = self.select
            if selected:
                form.values[name] = selected
            elif not multiple:
                chosen = [o for o in options if o] or options[:1]
                form.values[name] = chosen[:1]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            form.values[self.textarea] = ["".join(self.text).removeprefix("\n")]
            self.textarea = None
        elif tag == "form":
            for name, values in self.radios.items():
                if name not in form.values:
                    form.values[name] = [v for v in values if v][:1] or values[:1]
            self.forms.append(form)
            self.current = None


def scrape_form(client: Client, page: str, action: str) -> ScrapedForm:
    response = client.get(page)
    assert response.status_code == 200, f"{page} answered {response.status_code}"
    parser = _FormParser(page)
    parser.feed(response.content.decode())
    found = [f for f in parser.forms if f.action == urlsplit(action).path]
    assert found, f"no POST form to {action} on {page}"
    merged = found[0]
    for extra in found[1:]:  # a page may split one action over several forms (one per row)
        for name, values in extra.values.items():
            merged.values.setdefault(name, values)
        merged.names |= extra.names
        merged.files |= extra.files
        merged.dates |= extra.dates
    return merged


# ---------------------------------------------------------------------------
# Posting and judging


def _app_tables() -> list[str]:
    return sorted(
        model._meta.db_table
        for label in APP_LABELS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    )


def snapshot() -> dict[str, str]:
    """A fingerprint of every row of the application's tables (history and many-to-many
    tables included): stronger than row counts, it also sees an update."""
    prints = {}
    with connection.cursor() as cursor:
        for table in _app_tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")  # noqa: S608
            prints[table] = hashlib.sha1(repr(cursor.fetchall()).encode(), usedforsecurity=False).hexdigest()
    return prints


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(label for label, digest in after.items() if before.get(label) != digest)


def _forms_in(value, found: list, depth: int = 0) -> None:
    if isinstance(value, BaseForm | BaseFormSet):
        found.append(value)
    elif depth < 2 and isinstance(value, list | tuple):
        for item in value:
            _forms_in(item, found, depth + 1)
    elif depth < 2 and isinstance(value, dict):
        for item in value.values():
            _forms_in(item, found, depth + 1)


def form_errors(response) -> dict[str, list[str]]:
    """The errors of every bound form in the response's context, by the posted field name
    ("__all__" for errors of a whole form or formset)."""
    found: list = []
    # One template rendered (a page of its own, such as 400.html) gives its Context itself,
    # not a list of them.
    contexts = response.context if isinstance(response.context, ContextList) else [response.context]
    for context in filter(None, contexts):
        for value in context.flatten().values():
            _forms_in(value, found)
    errors: dict[str, list[str]] = {}
    seen = set()
    for form in found:
        if id(form) in seen or not form.is_bound:
            continue
        seen.add(id(form))
        forms = [form] if isinstance(form, BaseForm) else [form.management_form, *form.forms]
        if isinstance(form, BaseFormSet) and form.non_form_errors():
            # A tampered management form is reported on its (hidden) TOTAL_FORMS field.
            key = "__all__" if form.management_form.is_valid() else form.add_prefix("TOTAL_FORMS")
            errors.setdefault(key, []).extend(form.non_form_errors())
            forms = forms[1:]
        for each in forms:
            for key, messages in each.errors.items():
                name = "__all__" if key == "__all__" else each.add_prefix(key)
                errors.setdefault(name, []).extend(messages)
    return errors


@dataclass
class Prepared:
    name: str
    client: Client
    user: object
    url: str
    baseline: dict
    files: set[str]
    fields: list[str]
    baseline_errors: set[str] = field(default_factory=set)
    before: dict[str, str] = field(default_factory=dict)
    dates: set[str] = field(default_factory=set)


INPUTS_TRIED = [0]
# A password and its confirmation: "the two passwords differ" goes on the confirmation.
PAIRED = {"password1": "password2", "new_password1": "new_password2"}


def prepare(org, name: str, entry: Form, fill: Callable[..., dict] | None) -> Prepared:
    """Log in as the entry's persona, read the form's valid values off its page (with
    ``fill``'s values for what the page leaves empty) and post them once to learn the
    baseline's own errors."""
    client = Client(raise_request_exception=False)
    user = None
    if entry.persona == "admin":
        user = org.admin
    elif entry.persona is not None:
        user = getattr(org, entry.persona).user
    if user is not None:
        client.force_login(user)
    target = entry.build(org)
    if target.baseline is not None:
        baseline, files, names, dates = dict(target.baseline), set(), set(target.baseline), set()
    else:
        scraped = scrape_form(client, target.page or target.url, target.url)
        baseline, files, names, dates = scraped.values, scraped.files, scraped.names, scraped.dates
    missing = set(entry.fields) - names
    assert not missing, f"{name}: the form on the page has no field {sorted(missing)}"
    baseline = {k: v for k, v in baseline.items() if k not in files} | (fill(org) if fill else {})
    # The CSRF token is not checked by the test client; fuzzing it would test nothing.
    fields = sorted((names | set(baseline)) - {"csrfmiddlewaretoken"})
    prepared = Prepared(name, client, user, target.url, baseline, files, fields, dates=dates)
    with transaction.atomic():
        response = post(prepared, baseline)
        prepared.baseline_errors = set(form_errors(response))
        transaction.set_rollback(True)
    keep_logged_in(prepared)
    prepared.before = snapshot()
    return prepared


def keep_logged_in(prepared: Prepared) -> None:
    """Log in again when a rolled-back post took the session with it (a password change
    gives the session a new key, and the new row was rolled back)."""
    session = prepared.client.cookies.get(settings.SESSION_COOKIE_NAME)
    if prepared.user is not None and not (session and Session.objects.filter(pk=session.value).exists()):
        prepared.client.force_login(prepared.user)
        prepared.before = snapshot()


MISSING = object()


def upload(value) -> SimpleUploadedFile:
    if isinstance(value, bytes):
        return SimpleUploadedFile("upload.xlsx", value)
    return SimpleUploadedFile(f"{value[:50]}.xlsx" if value else "upload.xlsx", value.encode("utf-8", "replace"))


def post(prepared: Prepared, data: dict):
    INPUTS_TRIED[0] += 1
    body = {}
    for key, value in data.items():
        if value is MISSING:
            continue
        if key in prepared.files:
            body[key] = [upload(v) for v in value] if isinstance(value, list) else upload(value)
        else:
            body[key] = value
    return prepared.client.post(prepared.url, body)


def judge(prepared: Prepared, data: dict, mutated: str | None) -> None:
    """Post in a transaction that is rolled back, so every input meets the same state
    (and the fingerprint taken once before the first post stays valid)."""
    with transaction.atomic():
        _judge(prepared, data, mutated)
        transaction.set_rollback(True)
    keep_logged_in(prepared)


def _judge(prepared: Prepared, data: dict, mutated: str | None) -> None:
    before = prepared.before
    response = post(prepared, data)
    what = f"{prepared.name} with {mutated or 'every field'} = {data.get(mutated) if mutated else data!r:.200}"
    assert response.status_code < 500, f"{what}: server error {response.status_code}"
    errors = form_errors(response)
    notes = [(m.level, str(m)) for m in get_messages(response.wsgi_request)]
    refused = [text for level, text in notes if level >= 40]
    rejected = response.status_code >= 400 or bool(errors) or bool(refused)
    if not rejected:
        return
    changed = changed_tables(before, snapshot())
    assert not changed, f"{what}: refused ({response.status_code}) but wrote to {changed}"
    for text in [m for ms in errors.values() for m in ms] + refused:
        assert CJK.search(text), f"{what}: message not in Chinese: {text!r}"
    if errors and response.status_code == 200:
        html = response.content.decode()
        # A bad hidden field (the version, a row's id) must be refused with a message too:
        # above the form, or beside its row.
        shown = [m for ms in errors.values() for m in ms if escape(m) in html]
        assert shown, f"{what}: the form came back with errors {errors} but the page shows none of them"
        if mutated and mutated in prepared.baseline | dict.fromkeys(prepared.files):
            named = (
                mutated in errors
                or PAIRED.get(mutated) in errors
                or "__all__" in errors
                or bool(refused)
                or set(errors) == prepared.baseline_errors
            )
            assert named, f"{what}: refused without naming the field; errors on {sorted(errors)}"
