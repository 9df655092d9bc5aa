"""The one shape of an action view: a refusal is shown on the form and nothing is redirected;
success redirects with its message; a button's refusal becomes a message."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from partybuild.lib.actions import button_action, form_action, hand_in
from partybuild.lib.errors import DomainError


class NoteForm(forms.Form):
    text = forms.CharField()


def _request(method: str = "post", data: dict | None = None):
    request = getattr(RequestFactory(), method)("/somewhere/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _run(request, perform, **kwargs):
    form = NoteForm(request.POST if request.method == "POST" else None)
    kwargs.setdefault("template", "partials/messages.html")
    return form, form_action(request, form, perform, **kwargs)


@pytest.mark.parametrize(
    "error, field",
    [
        (DomainError("Not now."), None),
        (ValidationError({"text": "Too short."}), "text"),
        (ValidationError("No."), None),
    ],
)
def test_a_refusal_goes_on_the_form_and_the_page_is_shown_again(error, field):
    def perform(data):
        raise error

    form, response = _run(_request(data={"text": "hello"}), perform)
    assert response.status_code == 200
    assert form.errors[field or "__all__"]


def test_an_invalid_form_does_not_call_the_service():
    called = []
    form, response = _run(_request(data={}), called.append)
    assert response.status_code == 200 and called == [] and "text" in form.errors


def test_a_get_only_renders():
    called = []
    _, response = _run(_request("get"), called.append)
    assert response.status_code == 200 and called == []


def test_success_redirects_with_its_message():
    request = _request(data={"text": "hello"})
    _, response = _run(
        request, lambda data: data["text"], success_url=lambda result: f"/done/{result}/", success_message="Saved."
    )
    assert response.status_code == 302 and response.url == "/done/hello/"
    assert [str(m) for m in get_messages(request)] == ["Saved."]


def test_a_button_refusal_becomes_a_message_on_the_page_it_returns_to():
    request = _request()

    def perform():
        raise DomainError("Not now.")

    response = button_action(request, perform, success_url="/ok/", failure_url="/back/")
    assert response.url == "/back/"
    assert [str(m) for m in get_messages(request)] == ["Not now."]


def test_a_button_that_redirects_by_its_result_must_say_where_a_refusal_goes():
    with pytest.raises(TypeError):
        button_action(_request(), lambda: None, success_url=lambda result: "/x/")


def test_a_page_with_several_forms_gets_the_posted_one_under_its_name(monkeypatch):
    import partybuild.lib.actions as actions

    seen = {}
    monkeypatch.setattr(actions, "render", lambda request, template, context: seen.update(context) or "page")
    request = _request(data={})
    form = NoteForm(request.POST)
    other = NoteForm()
    page = form_action(
        request,
        form,
        print,
        template="x.html",
        context={"return_form": other, "approve_form": None},
        form_name="approve_form",
    )
    assert page == "page" and seen["approve_form"] is form and seen["return_form"] is other


def test_handing_in_what_is_incomplete_says_so_and_what_is_missing():
    request = _request()

    def refuse():
        raise ValidationError(["No title.", "No text."])

    assert hand_in(request, refuse, not_ready="Saved, not ready.") is False
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [
        ("warning", "Saved, not ready."),
        ("error", "No title."),
        ("error", "No text."),
    ]
    handed = _request()
    assert hand_in(handed, lambda: None, not_ready="Saved, not ready.") is True
    assert list(get_messages(handed)) == []
