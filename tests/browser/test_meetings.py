"""A criticism meeting as people record it in a browser: the secretary records the
meeting, a self-criticism, a criticism and a rectification item; the owner of the item
then logs in and reports progress on it."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import Page, expect

from members.models import Member
from study.models import Criticism, CriticismMeeting, RectificationItem, SelfCriticism

TITLE = "浏览器测试·年度组织生活会"


def member_of(username: str) -> Member:
    return Member.objects.select_related("branch").get(user__username=username)


def save(page: Page, testid: str) -> None:
    """Press the form's first submit button (Save) and wait for the next page."""
    page.get_by_test_id(testid).locator("button[type=submit]").first.click()
    page.wait_for_load_state()


def test_secretary_records_a_meeting_and_the_owner_follows_up(page, live_server, demo_company, login, shot):
    secretary, owner, leader = member_of("secretary1"), member_of("member1"), member_of("leader1")
    outsider = member_of("secretary2")
    today = timezone.localdate()

    # The secretary records the meeting with three participants of the branch.
    login(page, "secretary1")
    page.goto(f"{live_server.url}/study/meetings/")
    page.get_by_test_id("meeting-create").click()
    form = page.get_by_test_id("meeting-form")
    expect(form.locator(f"input[name=participants][value='{outsider.pk}']")).to_have_count(0)
    form.locator("#id_kind").select_option(CriticismMeeting.Kind.ORGANISATIONAL_LIFE)
    form.locator("#id_title").fill(TITLE)
    form.locator("#id_held_on").fill((today - datetime.timedelta(days=2)).isoformat())
    form.locator("#id_location").fill("党员活动室")
    form.locator("#id_topic").fill("对照党员标准查找差距")
    for person in (secretary, owner, leader):
        form.locator(f"input[name=participants][value='{person.pk}']").check()
    shot(page, "meeting-form")
    save(page, "meeting-form")
    expect(page.get_by_test_id("meeting-title")).to_contain_text(TITLE)
    expect(page.get_by_test_id("participant-table").locator("tbody tr")).to_have_count(3)
    expect(page.get_by_test_id("criticisms-empty")).to_be_visible()
    expect(page.get_by_test_id("items-empty")).to_be_visible()
    meeting = CriticismMeeting.objects.get(title=TITLE)
    assert meeting.branch_id == secretary.branch_id

    # Her own self-criticism.
    page.get_by_test_id("my-self-criticism").click()
    page.get_by_test_id("self-criticism-form").locator("#id_content").fill("理论学习的系统性不强，联系群众不够深入。")
    save(page, "self-criticism-form")
    expect(page.get_by_test_id("self-criticism")).to_contain_text("理论学习的系统性不强")

    # A criticism the group leader gave member1, with its evidence.
    page.get_by_test_id("criticism-add").click()
    criticism_form = page.get_by_test_id("criticism-form")
    criticism_form.locator("#id_from_member").select_option(str(leader.pk))
    criticism_form.locator("#id_to_member").select_option(str(owner.pk))
    criticism_form.locator("#id_matter").fill("与责任区职工谈心谈话偏少。")
    criticism_form.locator("#id_evidence").fill("一季度以来未与三名联系职工谈过话。")
    save(page, "criticism-form")
    row = page.get_by_test_id("criticism-table").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(leader.name)
    expect(row).to_contain_text(owner.name)
    expect(row).to_contain_text("一季度以来未与三名联系职工谈过话")

    # A rectification item for member1.
    deadline = today + datetime.timedelta(days=30)
    page.get_by_test_id("item-add").click()
    item_form = page.get_by_test_id("item-form")
    item_form.locator("#id_owner").select_option(str(owner.pk))
    item_form.locator("#id_description").fill("每月至少走访联系点两次，建立职工思想动态台账。")
    item_form.locator("#id_deadline").fill(deadline.isoformat())
    save(page, "item-form")
    expect(page.get_by_test_id("item-row")).to_contain_text(deadline.isoformat())
    shot(page, "meeting-detail-secretary")

    assert SelfCriticism.objects.get(meeting=meeting).member_id == secretary.pk
    assert Criticism.objects.get(meeting=meeting).to_member_id == owner.pk
    item = RectificationItem.objects.get(meeting=meeting)
    assert (item.owner_id, item.status) == (owner.pk, RectificationItem.Status.OPEN)

    # The owner logs in, finds the meeting and reports progress.
    page.context.clear_cookies()
    login(page, "member1")
    page.goto(f"{live_server.url}/study/meetings/")
    expect(page.get_by_test_id("meeting-create")).to_have_count(0)
    expect(page.get_by_test_id("my-items")).to_contain_text("每月至少走访联系点两次")
    shot(page, "meeting-list-owner")
    page.get_by_test_id("meeting-table").get_by_role("link", name=TITLE).click()
    expect(page.get_by_test_id("meeting-edit")).to_have_count(0)
    expect(page.get_by_test_id("item-add")).to_have_count(0)
    page.get_by_test_id("item-row").get_by_test_id("item-follow-up").click()
    shot(page, "meeting-follow-up")
    follow_up = page.get_by_test_id("follow-up-form")
    follow_up.locator(f"input[name=status][value='{RectificationItem.Status.IN_PROGRESS}']").check()
    follow_up.locator("#id_note").fill("已走访联系点两次，台账已建立。")
    save(page, "follow-up-form")
    item_row = page.get_by_test_id("item-row")
    item_row.locator("summary").click()
    expect(item_row.get_by_test_id("item-updates")).to_contain_text("已走访联系点两次，台账已建立。")
    expect(item_row.get_by_test_id("item-updates")).to_contain_text(owner.name)
    shot(page, "meeting-detail-owner")

    item.refresh_from_db()
    assert item.status == RectificationItem.Status.IN_PROGRESS
    update = item.updates.get()
    assert update.author.username == "member1" and update.status == RectificationItem.Status.IN_PROGRESS
