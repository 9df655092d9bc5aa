import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from reminders.models import Notification

pytestmark = pytest.mark.django_db


def note(user, **kwargs):
    defaults = {
        "kind": "talk_open",
        "subject": "talk:1",
        "quarter": "2026Q4",
        "title": "记录谈话",
        "url": "/study/talks/",
    }
    defaults.update(kwargs)
    return Notification.objects.create(recipient=user, **defaults)


def test_unread_count_in_the_navigation(client_for, org):
    note(org.secretary.user)
    html = client_for(org.secretary).get(reverse("home")).content.decode()
    assert 'data-testid="unread-count">1<' in html


def test_opening_marks_read_and_follows_the_link(client_for, org):
    n = note(org.secretary.user, url="/study/talks/")
    client = client_for(org.secretary)
    response = client.post(reverse("reminders:open"), {"notification": n.pk})
    assert response.status_code == 302 and response["Location"] == "/study/talks/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_someone_elses_notification_is_not_found(client_for, org):
    n = note(org.secretary.user, url="/study/talks/")
    client = client_for(org.member)
    for chosen in (n.pk, "", "x", 2**70):
        response = client.post(reverse("reminders:open"), {"notification": chosen}, follow=True)
        assert response.redirect_chain == [(reverse("reminders:list"), 302)]
        assert "没有找到" in response.content.decode()
    n.refresh_from_db()
    assert n.read_at is None


def test_the_list_is_one_form_whose_buttons_carry_the_ids(client_for, org):
    first, second = note(org.secretary.user, subject="a"), note(org.secretary.user, subject="b")
    html = client_for(org.secretary).get(reverse("reminders:list")).content.decode()
    assert html.count(f'action="{reverse("reminders:open")}"') == 1
    for n in (first, second):
        assert f'name="notification" value="{n.pk}"' in html


def test_list_shows_only_ones_own_and_mark_all_read(client_for, org):
    note(org.secretary.user, subject="a")
    note(org.member.user, subject="b")
    client = client_for(org.secretary)
    assert len(client.get(reverse("reminders:list")).context["page"].object_list) == 1
    client.post(reverse("reminders:read_all"))
    assert list(client.get(reverse("reminders:list")).context["page"].object_list) == []
    assert len(client.get(reverse("reminders:list"), {"show": "all"}).context["page"].object_list) == 1


def test_external_urls_are_not_followed(client_for, org):
    n = note(org.secretary.user, url="https://evil.example.com/")
    response = client_for(org.secretary).post(reverse("reminders:open"), {"notification": n.pk})
    assert response["Location"] == reverse("reminders:list")


def test_run_reminders_twice_on_the_demo_data_creates_nothing_the_second_time(db):
    call_command("seed_demo", stdout=io.StringIO())
    first, second = io.StringIO(), io.StringIO()
    call_command("run_reminders", "--today", "2026-10-05", "--no-email", stdout=first)
    call_command("run_reminders", "--today", "2026-10-05", "--no-email", stdout=second)
    assert Notification.objects.count() > 0
    total_line = [line for line in second.getvalue().splitlines() if line.strip().endswith(": 0")][-1]
    assert total_line
    assert second.getvalue().strip().splitlines()[-1].endswith("0")


def test_run_reminders_refuses_a_bad_date(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("run_reminders", "--today", "2026-13-01")


def test_the_schedule_exists_after_migrating(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="每日提醒")
    assert task.task == "reminders.run_reminders" and task.enabled


def test_a_days_notifications_of_one_kind_are_one_entry(client_for, org):
    """A reminder run's talks to record are one entry listing them, not one entry each."""
    for i in range(27):
        note(org.secretary.user, subject=f"talk:{i}", title=f"记录谈话{i}")
    note(org.secretary.user, kind="branch_waiting", subject="due", title="报告单待审核")
    html = client_for(org.secretary).get(reverse("reminders:list")).content.decode()
    assert html.count('data-testid="notification-group"') == 1
    group = html.split('data-testid="notification-group"', 1)[1].split("</details>", 1)[0]
    assert group.count('name="notification"') == 27 and ">27<" in group
    assert html.count('name="notification"') == 28
    assert html.count('data-testid="notification-day"') == 1
