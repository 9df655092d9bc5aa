"""The cards' Word documents (assessment/documents.py): the goal plan card (5+X) and the
pledge form (3+X) open in python-docx with the member, every section of their kind, the
items and X tasks, each checkpoint's results and notes and the branch's approval; they
download from the card's page under the page's scope, in a bounded number of queries."""

from __future__ import annotations

import io
from urllib.parse import quote

import docx
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessment.documents import card_document
from assessment.models import GOAL_CARD, PLEDGE, Card, CardKind, CheckResult, SelfCheck
from assessment.services import cards as services
from assessment.tests.test_cards_factories import THIS_YEAR, CardItemFactory, card_in, check_in, user_of
from partybuild.lib import word

pytestmark = pytest.mark.django_db
S = Card.Status
K = SelfCheck.Status


def shown(msgid) -> str:
    """The msgid as the document says it: the test client chose no language, so the default one."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(translation.gettext(str(msgid)) if isinstance(msgid, str) else msgid)


def download(client, card: Card):
    response = client.get(reverse("assessment:card_docx", args=[card.pk]))
    assert response.status_code == 200
    return response, docx.Document(io.BytesIO(b"".join(response.streaming_content)))


def rows_of(grid) -> list[list[str]]:
    """A table's rows as their cells' text, a merged cell once."""
    out = []
    for row in grid.rows:
        cells = []
        for cell in row.cells:
            if not cells or cell.text != cells[-1]:
                cells.append(cell.text)
        out.append(cells)
    return out


def approved(card: Card, secretary, comment: str = "同意") -> Card:
    """Through the services, so the log holds who approved and what they said."""
    services.card_task_add(actor=secretary, card_id=card.pk, text="帮带一名新党员")
    card.refresh_from_db()
    services.card_approve(actor=secretary, card_id=card.pk, version=card.version, comment=comment)
    card.refresh_from_db()
    return card


def test_goal_card_document_is_the_paper_card(client_for, org):
    card = approved(card_in(org.member, S.SUBMITTED), org.secretary.user, comment="目标具体，同意")
    check = check_in(card, K.ACKNOWLEDGED, filled=True)
    study = check.entries.get(item__section="study")
    study.result, study.note = CheckResult.IN_PROGRESS, "第二本书还在读"
    study.save()

    response, document = download(client_for(org.member), card)

    filename = shown("%(title)s-%(name)s-%(year)s.docx") % {
        "title": shown(GOAL_CARD.title),
        "name": "党员甲",
        "year": THIS_YEAR,
    }
    assert response["Content-Type"] == word.DOCX_CONTENT_TYPE
    assert response["Content-Disposition"].endswith(quote(filename))
    # A4, in the official typefaces, every table ruled.
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert document.paragraphs[0].text == shown(GOAL_CARD.title)
    assert document.paragraphs[0].runs[0].element.rPr.rFonts.get(word.qn("w:eastAsia")) == word.TITLE_FONT
    assert all(grid.style.name == "Table Grid" for grid in document.tables)
    # Columns as wide as the text, in the table's grid too (what WPS and LibreOffice read).
    assert all(round(sum(c.width.cm for c in grid.columns), 1) == 15.6 for grid in document.tables)
    assert [round(c.width.cm, 1) for c in document.tables[1].columns] == [3.6, 12.0]

    head, sections, checks, approval, _signatures = (rows_of(t) for t in document.tables)
    assert head == [
        [shown("Name"), "党员甲", shown("Year"), str(THIS_YEAR)],
        [shown("Branch"), "第一党支部", shown("Party group"), "第一党小组"],
    ]
    # A row per section of the 5+X card, in order, with its items numbered.
    assert [row[0] for row in sections] == [shown(spec.label) for spec in GOAL_CARD.sections]
    assert [row[1].split("\n")[0] for row in sections[:5]] == [f"1. {spec.key}-1" for spec in GOAL_CARD.member_sections]
    task = sections[5][1]
    assert task.startswith("1. 帮带一名新党员")
    assert "书记甲" in task

    # Only the quarter with a check has a table: each item with its result and note.
    text = word.document_text(document)
    assert f"{shown('Quarter 1')} · {shown(K.ACKNOWLEDGED.label)}" in text
    assert f"{shown('Quarter 2')} · " in text
    by_item = {row[1]: row[2:] for row in checks if len(row) == 4}
    assert by_item["study-1"] == [shown("In progress"), "第二本书还在读"]
    assert by_item["goals-1"] == [shown("Done"), "按计划完成"]
    assert by_item["帮带一名新党员"] == [shown("Done"), "按计划完成"]

    assert dict(map(tuple, approval))[shown("Status")] == shown(S.APPROVED.label)
    assert dict(map(tuple, approval))[shown("Approved by")] == "书记甲"
    assert dict(map(tuple, approval))[shown("Branch's comment")] == "目标具体，同意"


def test_pledge_document_has_the_role_aimed_its_three_sections_and_the_year_end_check(client_for, org):
    card = card_in(org.member, S.SUBMITTED, kind=CardKind.PLEDGE, role_aimed=Card.RoleAimed.TECHNICAL)
    card = approved(card, org.secretary.user)
    check = check_in(card, K.REPORTED, checkpoint="year_end", filled=True)
    missed = check.entries.get(item__section="commitments")
    missed.result, missed.note = CheckResult.NOT_DONE, "项目延期"
    missed.save()

    response, document = download(client_for(org.secretary), card)

    filename = shown("%(title)s-%(name)s-%(year)s.docx") % {
        "title": shown(PLEDGE.title),
        "name": "党员甲",
        "year": THIS_YEAR,
    }
    assert response["Content-Disposition"].endswith(quote(filename))
    assert document.paragraphs[0].text == shown(PLEDGE.title)
    head, sections, checks, _approval, _signatures = (rows_of(t) for t in document.tables)
    assert head[2] == [shown(Card._meta.get_field("role_aimed").verbose_name), shown("Technical backbone")]
    assert [row[0] for row in sections] == [shown(spec.label) for spec in PLEDGE.sections]
    assert sections[3][1].startswith("1. 帮带一名新党员")
    text = word.document_text(document)
    assert f"{shown('Year end')} · {shown(K.REPORTED.label)}" in text
    assert shown("Quarter 1") not in text
    by_item = {row[1]: row[2:] for row in checks if len(row) == 4}
    assert by_item["commitments-1"] == [shown("Not done"), "项目延期"]
    assert by_item["goals-1"] == [shown("Done"), "按计划完成"]


def test_a_draft_card_has_its_sections_but_no_checks_yet(client_for, org):
    card = card_in(org.member, S.DRAFT)
    _response, document = download(client_for(org.member), card)
    text = word.document_text(document)
    assert shown("The branch has assigned no task yet.") in text
    assert shown("Self-checks") not in text
    assert shown(S.DRAFT.label) in text
    assert len(document.tables) == 4  # head, sections, approval, signatures


def test_a_returned_card_says_why(client_for, org):
    card = card_in(org.member, S.SUBMITTED)
    services.card_return(actor=org.secretary.user, card_id=card.pk, version=card.version, comment="措施不具体")
    _response, document = download(client_for(org.member), card)
    assert "措施不具体" in word.document_text(document)


@pytest.mark.parametrize(
    "who, status",
    [
        ("member", S.DRAFT),
        ("leader", S.SUBMITTED),
        ("secretary", S.DRAFT),
        ("committee", S.APPROVED),
        ("admin", S.RETURNED),
    ],
)
def test_the_document_downloads_where_the_page_opens(client_for, org, who, status):
    card = card_in(org.member, status, tasks=1)
    client = client_for(user_of(org, who))
    assert client.get(reverse("assessment:card_detail", args=[card.pk])).status_code == 200
    _response, document = download(client, card)
    assert "党员甲" in word.document_text(document)


@pytest.mark.parametrize(
    "who, status",
    [
        ("groupmate", S.APPROVED),
        ("leader", S.DRAFT),  # a draft is not yet with the group
        ("other_secretary", S.SUBMITTED),
        ("member_b", S.APPROVED),
        ("masses", S.APPROVED),
    ],
)
@pytest.mark.parametrize("kind", [CardKind.GOAL_CARD, CardKind.PLEDGE])
def test_the_document_is_404_outside_the_scope(client_for, org, who, status, kind):
    card = card_in(org.member, status, kind=kind, tasks=1)
    client = client_for(user_of(org, who))
    assert client.get(reverse("assessment:card_detail", args=[card.pk])).status_code == 404
    assert client.get(reverse("assessment:card_docx", args=[card.pk])).status_code == 404


def test_a_visitor_is_sent_to_log_in(client, org):
    card = card_in(org.member, S.APPROVED)
    response = client.get(reverse("assessment:card_docx", args=[card.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_card_page_offers_the_word_document_and_printing(client_for, org):
    card = card_in(org.member, S.APPROVED)
    page = client_for(org.member).get(reverse("assessment:card_detail", args=[card.pk])).content.decode()
    assert f'href="{reverse("assessment:card_docx", args=[card.pk])}"' in page
    assert 'data-testid="card-print"' in page
    assert "onclick" not in page  # the print button is wired by partybuild.js (the CSP allows no inline script)


def _queries(client, card: Card) -> int:
    with CaptureQueriesContext(connection) as queries:
        download(client, card)
    return len(queries)


def test_the_document_reads_a_fixed_number_of_queries(client_for, org, django_assert_max_num_queries):
    small = card_in(org.member, S.APPROVED)
    check_in(small, K.ACKNOWLEDGED, filled=True)
    big = card_in(org.groupmate, S.APPROVED, tasks=6, assigned_by=org.secretary.user)
    for n in range(30):
        CardItemFactory(card=big, section=GOAL_CARD.member_sections[n % 5].key, text=f"多{n}")
    for checkpoint in ("q1", "q2", "q3", "q4"):
        check_in(big, K.ACKNOWLEDGED, checkpoint=checkpoint, filled=True)
    client = client_for(org.secretary)
    _queries(client, small)  # warm the per-process caches
    assert _queries(client, big) == _queries(client, small)
    with django_assert_max_num_queries(12):
        download(client, big)


def test_card_document_writes_without_a_query_of_its_own_once_fetched(org, django_assert_max_num_queries):
    card = Card.objects.select_related("member", "branch", "group").get(pk=card_in(org.member, S.APPROVED, tasks=2).pk)
    check_in(card, K.ACKNOWLEDGED, filled=True)
    with django_assert_max_num_queries(5):  # items, checks, entries, logs
        card_document(card)
