import re

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the person chose another language in the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an
    English-language browser on the intranet would get the English interface;
    the product speaks Chinese by default and changes only on request.
    """

    def process_request(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# The range of a 64-bit integer column: PostgreSQL refuses a number outside it where SQLite
# compared it quietly, and Python's dates overflow on it (the admin's date hierarchy).
_INTEGER = re.compile(r"\s*([+-]?)0*([0-9]+)\s*")


def _past_64_bits(value: str) -> bool:
    match = _INTEGER.fullmatch(value)
    if not match:
        return False
    sign, digits = match.groups()
    # Compared by length first: int() refuses a string of thousands of digits (ValueError).
    return len(digits) > 19 or int(digits) > 2**63 - (sign != "-")


def _odd_request(request) -> str | None:
    """Why the request cannot be answered, or None: a NUL byte in the path, a query or form
    key or value, or a cookie; a whole number in the query too large for any column."""
    if "\x00" in request.path_info:
        return gettext("The address contains a character that is not allowed.")
    if any("\x00" in key or "\x00" in value for key, value in request.COOKIES.items()):
        return gettext("A cookie of this site contains a character that is not allowed; clear the site's cookies.")
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return gettext("The address contains a character that is not allowed.")
        if any(_past_64_bits(value) for value in values):
            return gettext("A number in the address is too large.")
    if request.method == "POST":
        for key, values in request.POST.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return gettext("The form contains a character that is not allowed.")
    return None


class OddRequestMiddleware:
    """Answers 400 to a request no page could read, before any of it reaches a query.

    PostgreSQL refuses a string holding a NUL byte ("A string literal cannot contain NUL")
    and an integer past 64 bits, where SQLite took both: every filter, search and form of
    every page (the Django admin's included) would otherwise need its own check, and one
    forgotten is a server error on PostgreSQL only. No person types either; a tampered
    address or a fuzzer does. An admin filter the change list cannot resolve (import-export's
    export passes it on unchecked) is a 400 for the same reason.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reason = _odd_request(request)
        if reason is not None:
            return bad_request_response(reason)
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.contrib.admin.options import IncorrectLookupParameters

        if isinstance(exception, IncorrectLookupParameters):
            return bad_request_response(gettext("The list cannot be filtered that way."))
        return None


def bad_request_response(reason: str) -> HttpResponseBadRequest:
    # No request to the template: the middleware runs before authentication, and the page
    # stands alone (like 500.html), so it needs none of the layout's context.
    return HttpResponseBadRequest(loader.render_to_string("400.html", {"reason": reason}))
