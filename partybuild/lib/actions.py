"""The one shape of a workflow action view.

Every action a person takes on a record (submit a report, return a card, answer a
suggestion, record a talk…) is the same few steps: the record was loaded in scope by the
view, a form is bound, on a valid POST one service is called, a refusal of that service
is shown on the form (or, for a button without a form, as a message), and a success
redirects with a message. The view keeps only what differs: which form, which service,
where to go and what to say.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .errors import DomainError
from .forms import add_service_errors

# What to say or where to go after the service succeeded: a value, or a function of the
# service's result (a redirect target may be a model instance: its get_absolute_url()).
Then = Any | Callable[[Any], Any]


def _resolve(value: Then, result: Any) -> Any:
    return value(result) if callable(value) else value


def form_action(
    request: HttpRequest,
    form: forms.BaseForm,
    perform: Callable[[dict], Any],
    *,
    template: str,
    context: dict | None = None,
    success_url: Then = None,
    success_message: Then = "",
    form_name: str = "form",
) -> HttpResponse:
    """Render ``template`` with ``form`` (as ``form_name``: a page with several forms, such
    as a record's page with one per action, names each); on a valid POST call
    ``perform(cleaned_data)``.

    A ``DomainError`` or ``ValidationError`` from the service goes onto the form (keyed
    errors on their field) and the page is shown again with what was typed; otherwise the
    user is redirected to ``success_url`` (default: the service's result, through its
    ``get_absolute_url()``) with ``success_message``."""
    if request.method == "POST" and form.is_valid():
        try:
            result = perform(form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, result, success_url, success_message)
    return render(request, template, {**(context or {}), form_name: form})


def button_action(
    request: HttpRequest,
    perform: Callable[[], Any],
    *,
    success_url: Then,
    success_message: Then = "",
    failure_url: Then = None,
) -> HttpResponse:
    """A POST without a form (a button): call ``perform()``; a refusal becomes an error
    message on the page the user goes back to (``failure_url``, default ``success_url``,
    which must then not be a function of the result)."""
    if failure_url is None and callable(success_url):
        raise TypeError("button_action needs a failure_url when success_url depends on the result")
    try:
        result = perform()
    except (DomainError, ValidationError) as exc:
        for message in exc.messages if isinstance(exc, ValidationError) else [exc.message]:
            messages.error(request, message)
        return redirect(failure_url if failure_url is not None else success_url)
    return _done(request, result, success_url, success_message)


def _done(request: HttpRequest, result: Any, success_url: Then, success_message: Then) -> HttpResponse:
    message = _resolve(success_message, result)
    if message:
        messages.success(request, message)
    return redirect(result if success_url is None else _resolve(success_url, result))


def hand_in(request: HttpRequest, perform: Callable[[], Any], *, not_ready: str) -> bool:
    """Hand in what an edit page has just saved (a report, a card, a self-check): refused
    as incomplete, it stays saved and the page says what is missing (``not_ready``, then
    each missing thing). True when it was handed in."""
    try:
        perform()
    except ValidationError as exc:
        messages.warning(request, not_ready)
        for message in exc.messages:
            messages.error(request, message)
        return False
    return True
