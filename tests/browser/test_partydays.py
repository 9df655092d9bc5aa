"""A themed Party day walked through in a browser: secretary1 plans an interactive day
held yesterday, takes attendance for the whole list on one page, records a report and
a senior member's story, and uploads a photo (a script renamed .jpg is refused);
member1 then finds the reflection waiting, writes it, and sees the photo, which a
secretary of another branch cannot load."""

from __future__ import annotations

import datetime
import io

from django.utils import timezone
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from activities.models import PartyDay, PartyDayContribution, PartyDayParticipant, PartyDayPhoto
from members.models import Member
from tests.browser.favicon import block_favicon

THEME = "老中青讲成长经历，党员汇报思想和工作"


def open_as(browser: Browser, browser_context_args: dict, login, username: str) -> Page:
    context = browser.new_context(**browser_context_args)
    page = block_favicon(context.new_page())
    return login(page, username)


def click_and_wait(page: Page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (179, 22, 27)).save(out, format="JPEG")
    return out.getvalue()


def test_secretary_holds_an_interactive_day_and_member_reflects(
    demo_company, browser, browser_context_args, login, live_server, shot
):
    url = f"{live_server.url}/activities/party-days"
    me = Member.objects.get(user__username="member1")
    outsider = Member.objects.get(user__username="secretary2")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    # secretary1 plans the day: the branch's members are offered, none ticked beforehand, nobody from elsewhere.
    secretary = open_as(browser, browser_context_args, login, "secretary1")
    secretary.goto(f"{url}/")
    expect(secretary.get_by_test_id("partyday-empty")).to_be_visible()
    click_and_wait(secretary, secretary.get_by_test_id("partyday-create"))
    form = secretary.get_by_test_id("partyday-form")
    expect(form.locator(f"input[name=participants][value='{outsider.pk}']")).to_have_count(0)
    expect(form.locator("input[name=participants]:checked")).to_have_count(0)
    form.get_by_test_id("participants").locator("[data-pb-check=all]").click()
    expect(form.locator(f"input[name=participants][value='{me.pk}']")).to_be_checked()
    form.locator("input[name=kind][value=interactive]").check()
    form.locator("#id_theme").fill(THEME)
    form.locator("#id_held_on").fill(yesterday.isoformat())
    form.locator("#id_place").fill("党员活动室")
    form.locator("#id_plan").fill("党员汇报思想和工作；书记谈心谈话；老中青三代党员讲述成长经历。")
    shot(secretary, "partyday-form")
    click_and_wait(secretary, form.locator("button[type=submit]"))
    expect(secretary.get_by_test_id("partyday-theme")).to_contain_text(THEME)
    day = PartyDay.objects.get(theme=THEME)
    expected = Member.objects.filter(branch=me.branch, is_active=True).count()
    expect(secretary.get_by_test_id("participant-row")).to_have_count(expected)

    # Attendance for the whole list on one page: everyone present but one, excused.
    click_and_wait(secretary, secretary.get_by_test_id("partyday-record"))
    rows = secretary.get_by_test_id("participant-row")
    expect(rows).to_have_count(expected)
    excused = rows.last
    excused.locator("input[value=excused]").check()
    excused.locator("input[name$='-reason']").fill("出差")
    secretary.locator("#id_summary").fill("党员与组织、党员与党员之间充分互动。")
    shot(secretary, "partyday-attendance")
    click_and_wait(secretary, secretary.get_by_test_id("participants-form").locator("button[type=submit]"))
    day.refresh_from_db()
    assert day.status == PartyDay.Status.HELD
    assert day.participants.filter(attendance=PartyDayParticipant.Attendance.PRESENT).count() == expected - 1

    # A work report and a senior member's story.
    for kind, generation, summary in [
        ("work", "", "汇报本季度检修任务和技术攻关进展。"),
        ("story", "old", "讲述三十年前参加建厂会战的经历。"),
    ]:
        click_and_wait(secretary, secretary.get_by_test_id("contribution-add"))
        cform = secretary.get_by_test_id("contribution-form")
        cform.locator("#id_member").select_option(str(me.pk))
        cform.locator("#id_kind").select_option(kind)
        if generation:
            cform.locator("#id_generation").select_option(generation)
        cform.locator("#id_summary").fill(summary)
        click_and_wait(secretary, cform.locator("button[type=submit]").first)
    expect(secretary.get_by_test_id("contribution-row")).to_have_count(2)
    assert PartyDayContribution.objects.filter(party_day=day).count() == 2

    # Photos: a script renamed .jpg is refused, a real photo is kept.
    photo_form = secretary.get_by_test_id("photo-form")
    photo_form.locator("input[type=file]").set_input_files(
        {"name": "合影.jpg", "mimeType": "image/jpeg", "buffer": b"#!/bin/sh\necho hacked\n"}
    )
    click_and_wait(secretary, photo_form.locator("button[type=submit]"))
    expect(secretary.locator(".alert-danger, .alert-error").first).to_be_visible()
    assert not PartyDayPhoto.objects.exists()
    photo_form = secretary.get_by_test_id("photo-form")
    photo_form.locator("input[type=file]").set_input_files(
        {"name": "合影.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}
    )
    photo_form.locator("#id_caption").fill("全体党员合影")
    click_and_wait(secretary, photo_form.locator("button[type=submit]"))
    expect(secretary.get_by_test_id("photo")).to_have_count(1)
    shot(secretary, "partyday-detail-secretary")
    photo = PartyDayPhoto.objects.get()

    # member1 writes the reflection waiting for them and sees the photo.
    member = open_as(browser, browser_context_args, login, "member1")
    member.goto(f"{url}/")
    waiting = member.get_by_test_id("to-reflect")
    expect(waiting).to_contain_text(THEME)
    click_and_wait(member, waiting.get_by_role("link"))
    member.get_by_test_id("reflection-form").locator("#id_text").fill("听老党员讲成长经历很受触动，要在岗位上站排头。")
    click_and_wait(member, member.get_by_test_id("reflection-form").locator("button[type=submit]"))
    expect(member.get_by_test_id("reflection")).to_contain_text("听老党员讲成长经历很受触动")
    image = member.get_by_test_id("photo").locator("img")
    expect(image).to_be_visible()
    # The photo loads lazily: bring it into view and wait for it to finish (a busy machine is slow).
    image.scroll_into_view_if_needed()
    loaded = (
        "img => img.complete ? img.naturalWidth : new Promise(done => {"
        " img.addEventListener('load', () => done(img.naturalWidth));"
        " img.addEventListener('error', () => done(0)); })"
    )
    assert image.evaluate(loaded) == 320
    expect(member.get_by_test_id("partyday-edit")).to_have_count(0)
    expect(member.get_by_test_id("photo-form")).to_have_count(0)
    shot(member, "partyday-detail-member")
    assert day.participants.get(member=me).reflection.startswith("听老党员")

    # Another branch's secretary sees neither the day nor its photo.
    other = open_as(browser, browser_context_args, login, "secretary2")
    for target in (f"{url}/{day.pk}/", f"{url}/photos/{photo.pk}/"):
        response = other.goto(target)
        assert response is not None and response.status == 404
