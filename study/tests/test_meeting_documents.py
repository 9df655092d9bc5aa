"""A criticism meeting's minutes as a Word document: what it holds, its name, its paper
layout, who may download it (exactly who may open the meeting page), and a fixed number of
queries however big the meeting."""

import datetime
import io
from urllib.parse import quote

import docx
import pytest
from django.urls import reverse
from docx.oxml.ns import qn

from members.tests.factories import MemberFactory
from partybuild.lib.word import DOCX_CONTENT_TYPE, document_text
from study.documents.meetings import minutes_document, minutes_filename
from study.models import CriticismMeeting
from study.services import meetings as services
from study.tests.test_meetings_views import add_item, new_meeting, today

pytestmark = pytest.mark.django_db


def docx_url(meeting) -> str:
    return reverse("study:meeting_docx", args=[meeting.pk])


def opened(response) -> docx.document.Document:
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    return docx.Document(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def meeting(org) -> CriticismMeeting:
    m = new_meeting(org, held_on=datetime.date(2026, 11, 20))
    services.self_criticism_save(
        actor=org.member.user, meeting_id=m.pk, member_id=org.member.pk, content="理论学习不够系统\n联系群众不够"
    )
    services.criticism_add(
        actor=org.secretary.user,
        meeting_id=m.pk,
        from_member_id=org.groupmate.pk,
        to_member_id=org.member.pk,
        matter="发言偏少",
        evidence="四次活动两次未发言",
    )
    item = add_item(org, m, days=-2)
    services.rectification_follow_up(actor=org.member.user, item_id=item.pk, note="已走访一次", status="in_progress")
    services.rectification_follow_up(actor=org.member.user, item_id=item.pk, note="已走访两次", status="in_progress")
    return m


@pytest.fixture
def meeting_b(org) -> CriticismMeeting:
    return new_meeting(
        org,
        branch=org.branch_b,
        actor=org.other_secretary.user,
        participants=[org.other_secretary, org.member_b],
        title="第二支部机密组织生活会",
    )


def test_participant_downloads_the_minutes_with_every_section(client_for, org, meeting):
    document = opened(client_for(org.member).get(docx_url(meeting)))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Organisational life meeting minutes" or paragraphs[0] == "组织生活会会议记录"
    assert paragraphs[1] == org.branch_a.name
    text = document_text(document)
    for expected in (
        meeting.title,
        "2026-11-20",
        "党员活动室",
        "对照党员标准查找差距",
        "理论学习不够系统",
        "联系群众不够",
        "发言偏少",
        "四次活动两次未发言",
        "每月走访联系点两次",
        "已走访两次",
    ):
        assert expected in text, expected
    assert "已走访一次" not in text  # only the latest follow-up
    for person in (org.secretary, org.member, org.groupmate):
        assert person.name in text


def test_the_minutes_are_laid_out_as_on_paper(client_for, org, meeting):
    document = opened(client_for(org.secretary).get(docx_url(meeting)))
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    head, criticisms, items = document.tables
    assert all(t.style.name == "Table Grid" for t in document.tables)  # every cell ruled
    head_rows = {row.cells[0].text: row.cells[1].text for row in head.rows}
    assert "、".join([org.secretary.name, org.member.name, org.groupmate.name]) in head_rows.values()
    expected = [org.groupmate.name, org.member.name, "发言偏少", "四次活动两次未发言"]
    assert [c.text for c in criticisms.rows[1].cells] == expected
    assert len(criticisms.rows) == 2
    item_row = [c.text for c in items.rows[1].cells]
    assert item_row[:3] == ["每月走访联系点两次", org.member.name, (today() - datetime.timedelta(days=2)).isoformat()]
    assert item_row[4].endswith("已走访两次") and org.member.name in item_row[4]
    # The section headings come in the page's order: self-examination, criticism, rectification.
    headings = [p.text for p in document.paragraphs if p.text[:2] in ("1.", "2.", "3.", "一、", "二、", "三、")]
    assert len(headings) == 3


def test_the_file_is_named_after_the_kind_title_and_date(client_for, org, meeting):
    response = client_for(org.secretary).get(docx_url(meeting))
    name = minutes_filename(meeting)
    assert name.endswith(f"-{meeting.title}-2026-11-20.docx")
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")


def test_a_title_with_slashes_makes_a_file_name_all_the_same(org):
    meeting = new_meeting(org, title="2026/上半年: 组织生活会?", held_on=datetime.date(2026, 6, 30))
    assert minutes_filename(meeting).endswith("-2026_上半年_ 组织生活会_-2026-06-30.docx")


def test_a_democratic_life_meeting_has_its_own_title(org):
    meeting = new_meeting(org, kind=CriticismMeeting.Kind.DEMOCRATIC_LIFE)
    assert minutes_filename(meeting) != minutes_filename(new_meeting(org))
    assert minutes_document(meeting).paragraphs[0].text in ("Democratic life meeting minutes", "民主生活会会议记录")


def test_a_meeting_with_nothing_recorded_still_makes_minutes(client_for, org):
    meeting = new_meeting(org, location="", topic="")
    document = opened(client_for(org.secretary).get(docx_url(meeting)))
    assert len(document.tables) == 1  # the head only: no criticism or item table
    text = document_text(document)
    assert org.member.name in text and "—" in text


@pytest.mark.parametrize("who", ["secretary", "committee", "member", "leader", "member_a2", "masses"])
def test_another_branchs_meeting_is_not_found(client_for, org, meeting_b, who):
    response = client_for(getattr(org, who)).get(docx_url(meeting_b))
    assert response.status_code == 404
    assert "第二支部" not in response.content.decode()


def test_a_branch_member_who_did_not_take_part_gets_404_as_on_the_page(client_for, org, meeting):
    client = client_for(org.member_a2)
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert client.get(docx_url(meeting)).status_code == 404


@pytest.mark.parametrize("who", ["secretary", "committee", "member", "groupmate", "admin"])
def test_whoever_opens_the_page_downloads_the_minutes(client_for, org, meeting, who):
    client = client_for(getattr(org, who))
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert "发言偏少" in document_text(opened(client.get(docx_url(meeting))))


def test_anonymous_visitor_is_sent_to_login(client, meeting):
    response = client.get(docx_url(meeting))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_download_is_read_only(client_for, org, meeting):
    assert client_for(org.secretary).post(docx_url(meeting)).status_code == 405


def test_the_meeting_page_offers_print_and_word(client_for, org, meeting):
    html = client_for(org.member).get(meeting.get_absolute_url()).content.decode()
    assert 'data-testid="meeting-print"' in html and "data-print" in html
    assert f'href="{docx_url(meeting)}"' in html


def test_the_download_takes_the_same_queries_for_a_big_meeting(client_for, org, meeting, django_assert_max_num_queries):
    client = client_for(org.secretary)
    client.get(docx_url(meeting))
    with django_assert_max_num_queries(12) as small:
        opened(client.get(docx_url(meeting)))
    extra = MemberFactory.create_batch(12, branch=org.branch_a, group=org.group_a2)
    services.meeting_update(
        actor=org.secretary.user,
        meeting_id=meeting.pk,
        kind=meeting.kind,
        title=meeting.title,
        held_on=meeting.held_on,
        participants=[*meeting.participants.all(), *extra],
    )
    for a, b in zip(extra, extra[1:], strict=False):
        services.self_criticism_save(actor=org.secretary.user, meeting_id=meeting.pk, member_id=a.pk, content="检查")
        services.criticism_add(
            actor=org.secretary.user, meeting_id=meeting.pk, from_member_id=a.pk, to_member_id=b.pk, matter="问题"
        )
        item = add_item(org, meeting, owner=a)
        services.rectification_follow_up(actor=a.user, item_id=item.pk, note="跟进", status="in_progress")
    with django_assert_max_num_queries(len(small)) as large:
        document = opened(client.get(docx_url(meeting)))
    assert len(large) == len(small), len(small)
    assert len(document.tables[1].rows) == 1 + 12 and len(document.tables[2].rows) == 1 + 12


def test_columns_keep_their_widths_in_every_word_processor(client_for, org, meeting):
    """Word reads the cells' widths, WPS and LibreOffice the table grid: both agree."""
    document = opened(client_for(org.secretary).get(docx_url(meeting)))
    for grid in document.tables:
        grid_widths = [round(column.width.cm, 1) for column in grid.columns]
        assert grid_widths == [round(cell.width.cm, 1) for cell in grid.rows[0].cells]
        assert round(sum(grid_widths), 1) <= 15.6  # the text width of A4 with the official margins
    header = document.tables[1].rows[0]._tr
    assert header.trPr is not None and header.trPr.find(qn("w:tblHeader")) is not None
