"""The cards' Word documents: the goal plan card (党员争优目标计划卡, 5+X) and the pledge
form (争优承诺表, 3+X) in their paper layout (partybuild.lib.word).

One writer serves every kind, driven by the card's template as the card's page is: the
head (the pledge adds the role aimed at), a ruled table with a row per section and its
numbered items (the X tasks with who assigned them), once the card is approved a table
per checkpoint with each item's result and note, then the branch's approval and the
lines signed by hand on paper.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from partybuild.lib import word
from partybuild.lib.filenames import download_name

from .models import Card, CardItem, CardLog, Checkpoint, SelfCheck
from .models.cards import checkpoint_opens
from .selectors import cards as selectors

# The width of the text on an A4 page with the official margins (21 − 2.8 − 2.6 cm).
TEXT_WIDTH = 15.6
HEAD_WIDTHS = (3.6, 4.2, 2.8, 5.0)  # the first column as wide as the sections' labels below
SECTION_WIDTHS = (3.6, 12.0)
CHECK_WIDTHS = (1.2, 7.0, 2.4, 5.0)
LABEL_WIDTHS = (3.6, 12.0)
# static/css/print.css's grey of a section's row (a label's is word.LABEL_FILL).
SECTION_FILL = "E8E8E8"


def _table(document, rows: int, widths: tuple[float, ...]):
    return word.table(document, rows, len(widths), widths)


def _date(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d") if moment else ""


def _person(user) -> str:
    member = getattr(user, "member", None) if user is not None else None
    return member.name if member is not None else getattr(user, "username", "")


def _last(logs: list[CardLog], *actions: str, self_check: SelfCheck | None = None) -> CardLog | None:
    """The latest log row of one of ``actions``, on the card itself or on ``self_check``."""
    wanted = self_check.pk if self_check is not None else None
    return next((log for log in reversed(logs) if log.action in actions and log.self_check_id == wanted), None)


def _head(document, card: Card) -> None:
    rows = 3 if card.template.has_role_aimed else 2
    grid = _table(document, rows, HEAD_WIDTHS)
    cells = [
        (_("Name"), card.member.name, _("Year"), str(card.year)),
        (_("Branch"), card.branch.name, _("Party group"), card.group.name if card.group else "—"),
    ]
    for row, values in zip(grid.rows, cells, strict=False):
        for index, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            word.fill(cell, text, bold=index % 2 == 0)
            if index % 2 == 0:
                word.shade(cell)
    if card.template.has_role_aimed:
        row = grid.rows[2]
        word.fill(row.cells[0], capfirst(Card._meta.get_field("role_aimed").verbose_name), bold=True)
        word.shade(row.cells[0])
        word.fill(row.cells[1].merge(row.cells[3]), card.get_role_aimed_display() or "—")


def _item_line(number: int, item: CardItem, *, by_branch: bool) -> str:
    line = f"{number}. {item.text}"
    if by_branch and item.assigned_by_id:
        line += "\n（%s）" % (
            _("Assigned by %(name)s on %(date)s") % {"name": _person(item.assigned_by), "date": _date(item.created_at)}
        )
    return line


def _sections(document, card: Card, items: list[CardItem]) -> None:
    """A row per section of the template: its label, then its items numbered."""
    specs = card.template.sections
    grid = _table(document, len(specs), SECTION_WIDTHS)
    for row, spec in zip(grid.rows, specs, strict=True):
        word.fill(row.cells[0], str(spec.label), bold=True)
        word.shade(row.cells[0])
        own = [item for item in items if item.section == spec.key]
        if own:
            text = "\n".join(_item_line(n, item, by_branch=spec.by_branch) for n, item in enumerate(own, 1))
        elif spec.by_branch:
            text = _("The branch has assigned no task yet.")
        else:
            text = _("Nothing written yet.")
        word.fill(row.cells[1], text)


def _check_table(document, card: Card, items: list[CardItem], self_check: SelfCheck) -> None:
    """Each item under its section with its result and note at the checkpoint."""
    entries = {entry.item_id: entry for entry in self_check.entries.all()}
    sections = [(spec, [i for i in items if i.section == spec.key]) for spec in card.template.sections]
    sections = [(spec, own) for spec, own in sections if own]
    grid = _table(document, 1 + sum(1 + len(own) for _spec, own in sections), CHECK_WIDTHS)
    word.header_row(grid, (_("No."), _("Item"), _("Result"), _("Note")))
    rows = iter(grid.rows)
    next(rows)
    for spec, own in sections:
        row = next(rows)
        label = row.cells[0].merge(row.cells[3])
        word.fill(label, str(spec.label), bold=True)
        word.shade(label, SECTION_FILL)
        for number, item in enumerate(own, 1):
            entry = entries.get(item.pk)
            row = next(rows)
            word.fill(row.cells[0], str(number), centre=True)
            word.fill(row.cells[1], item.text)
            result = entry.get_result_display() if entry is not None and entry.result else _("Not filled in")
            word.fill(row.cells[2], result, centre=True)
            word.fill(row.cells[3], entry.note if entry is not None else "")


def _checks(document, card: Card, items: list[CardItem], logs: list[CardLog], today: datetime.date) -> None:
    """Every checkpoint of the template, as the card's page lists them."""
    word.heading(document, _("Self-checks"))
    checks = {check.checkpoint: check for check in card.checks.all()}
    labels = dict(Checkpoint.choices)
    for checkpoint in card.template.checkpoints:
        self_check = checks.get(checkpoint)
        if self_check is not None:
            state = self_check.get_status_display()
        elif (opens := checkpoint_opens(checkpoint, card.year)) > today:
            state = _("Opens on %(date)s") % {"date": opens.isoformat()}
        else:
            state = _("Not reported")
        word.paragraph(document, f"{labels[checkpoint]} · {state}", bold=True)
        if self_check is None:
            continue
        _check_table(document, card, items, self_check)
        review = _last(logs, "acknowledge", "return_check", self_check=self_check)
        if review is not None and review.comment:
            word.paragraph(document, f"{_('Branch review')}：{review.comment}")


def _approval(document, card: Card, logs: list[CardLog]) -> None:
    """The card's state and the branch's word on it, as its page and history show."""
    word.heading(document, _("Branch approval"))
    pairs = [(_("Status"), card.get_status_display())]
    if card.submitted_at:
        pairs.append((_("Submitted on"), _date(card.submitted_at)))
    if card.status == Card.Status.APPROVED:
        approval = _last(logs, "approve")
        pairs.append((_("Approved on"), _date(card.approved_at)))
        if approval is not None:
            pairs.append((_("Approved by"), _person(approval.actor)))
            pairs.append((_("Branch's comment"), approval.comment or "—"))
    elif card.status == Card.Status.RETURNED:
        returned = _last(logs, "return")
        if returned is not None:
            pairs.append((_("Reason for return"), returned.comment))
    grid = _table(document, len(pairs), LABEL_WIDTHS)
    for row, (label, value) in zip(grid.rows, pairs, strict=True):
        word.fill(row.cells[0], label, bold=True)
        word.shade(row.cells[0])
        word.fill(row.cells[1], value)


def _signatures(document) -> None:
    """The lines signed by hand on paper, as on the report's print form."""
    word.paragraph(document)
    grid = _table(document, 2, (3.6, 5.0, 1.6, 5.4))
    for row, label in zip(grid.rows, (_("Member's signature"), _("Branch secretary's signature")), strict=True):
        word.fill(row.cells[0], label, bold=True)
        word.fill(row.cells[2], _("Date"), bold=True)
        word.shade(row.cells[0])
        word.shade(row.cells[2])
        word.fill(row.cells[3], _("____ year __ month __ day"))


def write_card(document, card: Card, *, today: datetime.date | None = None) -> None:
    """Write one card into ``document``; several cards go in one document with
    :func:`partybuild.lib.word.page_break` between them. Reads what
    :func:`selectors.cards_for_document` fetched (no query of its own once it has run)."""
    items = list(card.items.all())
    logs = list(card.logs.all())
    word.title(document, str(card.template.title), _("Year %(year)s") % {"year": card.year})
    _head(document, card)
    word.paragraph(document)
    _sections(document, card, items)
    if card.status == Card.Status.APPROVED:
        _checks(document, card, items, logs, today or timezone.localdate())
    _approval(document, card, logs)
    _signatures(document)


def card_document(card: Card):
    """One card as a Word document."""
    selectors.cards_for_document([card])
    document = word.new_document()
    write_card(document, card)
    return document


def card_filename(card: Card) -> str:
    """党员争优目标计划卡-张三-2026.docx: the kind, the member, the year."""
    return download_name(card.template.title, card.member.name, card.year, extension="docx")
