"""A criticism meeting's minutes (会议记录) as a Word document, laid out like the meeting page
prints: the head of the meeting, then 一、对照检查 (each participant's self-criticism),
二、相互批评 (who criticised whom, the matter and the evidence) and 三、整改事项 (each item
with its owner, deadline, status and latest follow-up).

The reader is not asked for: the meeting page shows every self-criticism, criticism and item
to everyone who may open the meeting (the selector's scope), so the minutes do too. The
caller finds the meeting through ``meeting_get_for_user`` first, as the page does.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partybuild.lib import word
from partybuild.lib.filenames import download_name

from ..models import Criticism, CriticismMeeting, RectificationItem
from ..selectors.meetings import MeetingDetail, meeting_detail

# The text width of an A4 page with the official margins (21 - 2.8 - 2.6 cm).
HEAD_WIDTHS = (3.2, 12.4)
CRITICISM_WIDTHS = (2.4, 2.4, 6.2, 4.6)
ITEM_WIDTHS = (4.8, 2.2, 2.6, 2.2, 3.8)


def minutes_title(meeting: CriticismMeeting) -> str:
    if meeting.kind == CriticismMeeting.Kind.DEMOCRATIC_LIFE:
        return _("Democratic life meeting minutes")
    return _("Organisational life meeting minutes")


def minutes_filename(meeting: CriticismMeeting) -> str:
    """“组织生活会会议记录-<title>-2026-11-20.docx”, without the characters a file name cannot hold."""
    return download_name(minutes_title(meeting), meeting.title, meeting.held_on.isoformat(), extension="docx")


def _label(model, field: str) -> str:
    """A column or row named as its model field is (the translations the admin uses too)."""
    return str(capfirst(model._meta.get_field(field).verbose_name))


def _write_head(document, detail: MeetingDetail) -> None:
    meeting = detail.meeting
    names = [row.member.name for row in detail.participants]
    head = word.label_rows(
        document,
        [
            (_label(CriticismMeeting, "kind"), meeting.get_kind_display()),
            (_label(CriticismMeeting, "title"), meeting.title),
            (_label(CriticismMeeting, "held_on"), meeting.held_on.isoformat()),
            (_label(CriticismMeeting, "location"), meeting.location or "—"),
            (_label(CriticismMeeting, "topic"), meeting.topic or "—"),
            (_label(CriticismMeeting, "branch"), meeting.branch.name),
            (_("Participants"), "、".join(names) or _("No participants are recorded.")),
            (
                _("Number of participants"),
                ngettext("%(count)d person", "%(count)d people", len(names)) % {"count": len(names)},
            ),
        ],
        widths=HEAD_WIDTHS,
    )
    for row in head.rows:
        word.shade(row.cells[0])


def _write_self_criticisms(document, detail: MeetingDetail) -> None:
    word.heading(document, _("1. Self-examination"))
    if not detail.participants:
        word.paragraph(document, _("No participants are recorded."))
    for row in detail.participants:
        word.paragraph(document, row.member.name, bold=True)
        word.paragraph(document, row.self_criticism.content if row.self_criticism else _("Not written"))


def _write_criticisms(document, criticisms: list[Criticism]) -> None:
    word.heading(document, _("2. Criticism of one another"))
    if not criticisms:
        word.paragraph(document, _("No criticism has been recorded yet."))
        return
    grid = word.table(document, len(criticisms) + 1, 4, CRITICISM_WIDTHS)
    labels = [_label(Criticism, "from_member"), _label(Criticism, "to_member"), _("The matter"), _("Evidence")]
    word.header_row(grid, labels)
    for row, c in zip(grid.rows[1:], criticisms, strict=True):
        word.fill(row.cells[0], c.from_member.name)
        word.fill(row.cells[1], c.to_member.name)
        word.fill(row.cells[2], c.matter)
        word.fill(row.cells[3], c.evidence or "—")


def _status(item: RectificationItem) -> str:
    status = item.get_status_display()
    return f"{status}\n{_('Overdue')}" if getattr(item, "is_overdue", False) else status


def _latest_follow_up(item: RectificationItem) -> str:
    updates = list(item.updates.all())  # prefetched, oldest first
    if not updates:
        return _("No follow-up yet.")
    latest = updates[-1]
    member = getattr(latest.author, "member", None)
    author = member.name if member is not None else latest.author.get_username()
    when = timezone.localtime(latest.created_at).date().isoformat()
    return f"{when} · {author}\n{latest.note}"


def _write_items(document, detail: MeetingDetail) -> None:
    word.heading(document, _("3. Rectification items"))
    items = detail.items
    if not items:
        word.paragraph(document, _("No rectification item has been set yet."))
        return
    counts = detail.counts
    word.paragraph(
        document,
        _("not started %(open)s · in progress %(progress)s · done %(done)s · overdue %(overdue)s")
        % {
            "open": counts["open"],
            "progress": counts["in_progress"],
            "done": counts["done"],
            "overdue": counts["overdue"],
        },
    )
    grid = word.table(document, len(items) + 1, 5, ITEM_WIDTHS)
    word.header_row(grid, [_("Rectification item"), _("Owner"), _("Deadline"), _("Status"), _("Latest follow-up")])
    for row, item in zip(grid.rows[1:], items, strict=True):
        word.fill(row.cells[0], item.description)
        word.fill(row.cells[1], item.owner.name, centre=True)
        word.fill(row.cells[2], item.deadline.isoformat(), centre=True)
        word.fill(row.cells[3], _status(item), centre=True)
        word.fill(row.cells[4], _latest_follow_up(item))


def write_minutes(
    document, meeting: CriticismMeeting, *, detail: MeetingDetail | None = None, today: datetime.date | None = None
) -> None:
    """Write the meeting's minutes into ``document`` (one meeting; :func:`word.page_break` between
    several). ``detail`` is what :func:`meeting_detail` read, if the caller has it already."""
    if detail is None:
        detail = meeting_detail(meeting=meeting, today=today or timezone.localdate())
    word.title(document, minutes_title(meeting), meeting.branch.name)
    _write_head(document, detail)
    _write_self_criticisms(document, detail)
    _write_criticisms(document, detail.criticisms)
    _write_items(document, detail)


def minutes_document(meeting: CriticismMeeting, *, today: datetime.date | None = None):
    """A new A4 document holding the meeting's minutes, in a fixed number of queries."""
    document = word.new_document()
    write_minutes(document, meeting, today=today)
    return document
