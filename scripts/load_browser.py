"""The tiny browser of scripts/load_without_loss.py: a session over HTTP that reads a
page's forms and posts them as a browser would (cookies, CSRF token, redirects), and
the record of every request it made."""

from __future__ import annotations

import html.parser
import http.client
import threading
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie


@dataclass
class Write:
    """One POST that writes (or tries to write) an object."""

    kind: str  # "report" or "rating"
    key: tuple  # ("report", report_pk) or ("rating", rater_pk, ratee_pk)
    base: int  # the version the form was opened on
    content: dict  # what it wrote
    steps: int = 1  # versions a success consumes (save and submit: 2)
    race: bool = False  # one of two posts sent at the same moment from the same version
    status: int = 0  # HTTP status, 0 when no answer came
    outcome: str = ""  # ok / refused / 5xx / no-answer / unexpected
    detail: str = ""


@dataclass
class Record:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    by_status: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)  # (method, path, status or error)
    writes: list = field(default_factory=list)
    starts: dict = field(default_factory=dict)  # report pk -> created during the load

    def request(self, method: str, path: str, status: int | str) -> None:
        with self.lock:
            self.requests += 1
            self.by_status[status if isinstance(status, int) else "no answer"] += 1
            if not isinstance(status, int) or status >= 500:
                self.errors.append((method, path, status))

    def write(self, w: Write) -> None:
        with self.lock:
            self.writes.append(w)


class FormParser(html.parser.HTMLParser):
    """The forms of a page: action, and the fields a browser would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: dict = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(), "fields": {}}
            self.forms.append(self._form)
        if self._form is None:
            return
        fields = self._form["fields"]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file", "image", "reset"):
                fields[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            if self._select not in self._first_option:
                self._first_option[self._select] = a.get("value", "")
                fields.setdefault(self._select, a.get("value", ""))
            if "selected" in a:
                fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea] += data


def form_with(page: str, field_name: str) -> dict:
    parser = FormParser()
    parser.feed(page)
    for form in parser.forms:
        if field_name in form["fields"]:
            return form
    raise LookupError(f"no form with a {field_name!r} field")


class Browser:
    """One member's browser: its own cookies and keep-alive connection."""

    def __init__(self, port: int, record: Record, timeout: float = 60):
        self.port, self.record, self.timeout = port, record, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def clone(self) -> Browser:
        """A second tab: same cookies, its own connection."""
        other = Browser(self.port, self.record, self.timeout)
        other.cookies = dict(self.cookies)
        return other

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(data, doseq=True) if data is not None else None
        headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                # A keep-alive connection the server closed between requests: a GET may
                # simply be sent again; a POST may have been received, so it is not.
                self.conn.close()
                self.conn = None
                if method != "GET" or attempt == 2:
                    self.record.request(method, path, f"{type(exc).__name__}")
                    raise
            except OSError as exc:
                self.conn.close()
                self.conn = None
                self.record.request(method, path, f"{type(exc).__name__}: {exc}")
                raise
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        self.record.request(method, path, response.status)
        return response.status, dict(response.headers), text

    def get(self, path: str) -> str:
        status, headers, text = self.request("GET", path)
        if status in (301, 302):
            return self.get(headers["Location"])
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        return text

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
