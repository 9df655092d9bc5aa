"""Pioneer posts as the branch works them in a browser: secretary1 designates member1's post
a safety pioneer post (the post name taken from the roster) and records a four-bests
recognition for them; member1 then opens their own page and sees both, with nothing to
change; secretary2 of another branch gets "not found" for the designation."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from activities.models import PioneerPost, Recognition
from members.models import Member
from tests.browser.favicon import block_favicon


def member_of(username: str) -> Member:
    return Member.objects.select_related("branch").get(user__username=username)


def open_as(browser: Browser, browser_context_args: dict, login, username: str) -> Page:
    context = browser.new_context(**browser_context_args)
    return login(block_favicon(context.new_page()), username)


def save(page: Page, testid: str) -> None:
    with page.expect_navigation():
        page.get_by_test_id(testid).locator("button[type=submit]").first.click()


def test_secretary_designates_a_pioneer_post_and_the_member_sees_it(
    demo_company, browser, browser_context_args, login, live_server, shot
):
    member = member_of("member1")
    today = timezone.localdate()

    # secretary1 opens the pioneer posts, finds none yet, and designates member1's post.
    secretary = open_as(browser, browser_context_args, login, "secretary1")
    secretary.goto(f"{live_server.url}/activities/pioneer-posts/")
    expect(secretary.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(secretary.get_by_test_id("post-empty")).to_be_visible()
    with secretary.expect_navigation():
        secretary.get_by_test_id("post-create").click()
    form = secretary.get_by_test_id("post-form")
    form.locator("#id_member").select_option(str(member.pk))
    form.locator(f"input[name=kind][value='{PioneerPost.Kind.SAFETY}']").check()
    form.locator("#id_starts_on").fill(today.replace(day=1).isoformat())
    form.locator("#id_ends_on").fill(datetime.date(today.year, 12, 31).isoformat())
    form.locator("#id_standards").fill("执行制度、遵章守规最严；作业前安全交底不漏项，责任区全年零违章。")
    shot(secretary, "post-form")
    save(secretary, "post-form")
    expect(secretary.get_by_test_id("post-title")).to_contain_text(member.post)
    expect(secretary.get_by_test_id("post-state")).to_be_visible()
    post = PioneerPost.objects.get()
    assert (post.member_id, post.post_name, post.kind) == (member.pk, member.post, PioneerPost.Kind.SAFETY)

    # A second safety designation of the same post overlapping the first is refused.
    secretary.goto(f"{live_server.url}/activities/pioneer-posts/new/?member={member.pk}")
    form = secretary.get_by_test_id("post-form")
    form.locator(f"input[name=kind][value='{PioneerPost.Kind.SAFETY}']").check()
    save(secretary, "post-form")
    expect(secretary.get_by_test_id("form-errors")).to_be_visible()
    expect(secretary.locator(".invalid-feedback").first).to_contain_text(str(today.year))
    assert PioneerPost.objects.count() == 1

    # From the designation to the member's page, and a recognition for them.
    secretary.goto(f"{live_server.url}/activities/pioneer-posts/{post.pk}/")
    with secretary.expect_navigation():
        secretary.get_by_role("link", name=member.name).click()
    with secretary.expect_navigation():
        secretary.get_by_test_id("member-recognise").click()
    recognition_form = secretary.get_by_test_id("recognition-form")
    recognition_form.locator(f"input[name=best][value='{Recognition.Best.OPERATION}']").check()
    recognition_form.locator("#id_note").fill("本季度操作考核全优，无一次误操作。")
    save(secretary, "recognition-form")
    expect(secretary.get_by_test_id("recognition-row")).to_contain_text("本季度操作考核全优")
    shot(secretary, "post-member-secretary")

    # member1 sees the current pioneer post and the recognition on their own page.
    own = open_as(browser, browser_context_args, login, "member1")
    own.goto(f"{live_server.url}/activities/pioneer-posts/mine/")
    expect(own.get_by_test_id("current-posts")).to_contain_text(member.post)
    expect(own.get_by_test_id("post-row")).to_have_count(1)
    expect(own.get_by_test_id("recognition-row")).to_contain_text("本季度操作考核全优")
    expect(own.get_by_test_id("member-designate")).to_have_count(0)
    expect(own.get_by_test_id("recognition-withdraw")).to_have_count(0)
    shot(own, "post-member-self")
    own.goto(f"{live_server.url}/activities/pioneer-posts/{post.pk}/")
    expect(own.get_by_test_id("post-edit")).to_have_count(0)
    expect(own.get_by_test_id("post-end")).to_have_count(0)

    # The secretary ends the designation early, with a reason.
    with secretary.expect_navigation():
        secretary.goto(f"{live_server.url}/activities/pioneer-posts/{post.pk}/")
    with secretary.expect_navigation():
        secretary.get_by_test_id("post-end").click()
    end_form = secretary.get_by_test_id("post-end-form")
    end_form.locator("#id_ended_on").fill(today.isoformat())
    end_form.locator("#id_reason").fill("岗位调整，调往检修班组")
    save(secretary, "post-end-form")
    expect(secretary.get_by_test_id("post-ended")).to_contain_text("岗位调整，调往检修班组")
    post.refresh_from_db()
    assert post.ended_early and post.ends_on == today

    # Another branch's secretary cannot open it.
    other = open_as(browser, browser_context_args, login, "secretary2")
    response = other.goto(f"{live_server.url}/activities/pioneer-posts/{post.pk}/")
    assert response.status == 404
