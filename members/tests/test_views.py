import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from members.models import Member
from members.tests.factories import MemberFactory
from members.tests.xlsx import roster_row, workbook

pytestmark = pytest.mark.django_db


def names_in(response):
    return {m.name for m in response.context["page"].object_list}


# --- login and home -----------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client, org):
    response = client.get(reverse("members:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_in_simplified_chinese_by_default(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()


def test_secretary_home_shows_branch_counts(client_for, org):
    response = client_for(org.secretary).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["branch_roster"].total == 6
    assert [g.active_count for g in response.context["branch_groups"]] == [4, 2]


def test_member_home_shows_their_own_record(client_for, org):
    response = client_for(org.member).get(reverse("home"))
    assert response.status_code == 200
    assert "branch_roster" not in response.context
    assert "第一党支部" in response.content.decode()


def test_masses_rater_home_lists_the_members_they_rate(client_for, org):
    response = client_for(org.masses).get(reverse("home"))
    assert [m.name for m in response.context["ratees"]] == ["党员甲"]


def test_admin_home_shows_company_counts(client_for, org):
    response = client_for(org.admin).get(reverse("home"))
    assert response.context["company_roster"].total == Member.objects.count()
    assert response.context["company"]["branches"] == 2


def test_home_query_count_does_not_grow_with_the_branch(client_for, org, django_assert_max_num_queries):
    client = client_for(org.secretary)
    client.get(reverse("home"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    MemberFactory.create_batch(30, branch=org.branch_a, group=org.group_a2)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("home"))
    assert len(large) == len(small) <= 20


# --- roster list -----------------------------------------------------------------


def test_secretary_roster_lists_only_their_branch(client_for, org):
    response = client_for(org.secretary).get(reverse("members:list"))
    assert names_in(response) == {"书记甲", "支委甲", "组长甲", "党员甲", "党员乙", "党员丙"}


def test_other_branch_secretary_never_sees_branch_a(client_for, org):
    response = client_for(org.other_secretary).get(reverse("members:list"), {"branch": org.branch_a.pk})
    # A branch outside the scope is not even a valid choice; nothing of branch A leaks.
    assert names_in(response) <= {"书记乙", "党员丁"}
    assert "党员甲" not in response.content.decode()


def test_group_leader_roster_lists_their_group(client_for, org):
    response = client_for(org.leader).get(reverse("members:list"))
    assert names_in(response) == {"书记甲", "组长甲", "党员甲", "党员乙"}


def test_plain_member_has_no_roster(client_for, org):
    assert client_for(org.member).get(reverse("members:list")).status_code == 403


def test_masses_rater_has_no_roster(client_for, org):
    assert client_for(org.masses).get(reverse("members:list")).status_code == 403


def test_roster_filters_by_group_status_and_search(client_for, org):
    client = client_for(org.secretary)
    assert names_in(client.get(reverse("members:list"), {"group": org.group_a2.pk})) == {"支委甲", "党员丙"}
    assert names_in(client.get(reverse("members:list"), {"q": "党员"})) == {"党员甲", "党员乙", "党员丙"}
    assert names_in(client.get(reverse("members:list"), {"q": org.member.employee_no})) == {"党员甲"}
    org.member_a2.party_status = Member.PartyStatus.PROBATIONARY
    org.member_a2.full_on = None
    org.member_a2.save()
    assert names_in(client.get(reverse("members:list"), {"party_status": "probationary"})) == {"党员丙"}
    org.groupmate.is_active = False
    org.groupmate.save()
    assert "党员乙" not in names_in(client.get(reverse("members:list"), {"is_active": "1"}))
    assert names_in(client.get(reverse("members:list"), {"is_active": "0"})) == {"党员乙"}


def test_roster_paginates_and_keeps_the_filter(client_for, org):
    MemberFactory.create_batch(40, branch=org.branch_a, group=org.group_a2)
    response = client_for(org.secretary).get(reverse("members:list"), {"group": org.group_a2.pk})
    page = response.context["page"]
    assert page.paginator.count == 42 and len(page.object_list) == 25
    assert f"group={org.group_a2.pk}&amp;page=2" in response.content.decode()
    second = client_for(org.secretary).get(reverse("members:list"), {"group": org.group_a2.pk, "page": 2})
    assert len(second.context["page"].object_list) == 17


def test_roster_bad_filter_values_do_not_break_the_page(client_for, org):
    client = client_for(org.secretary)
    for params in ({"group": "abc"}, {"branch": "999999"}, {"page": "x"}, {"is_active": "maybe"}):
        assert client.get(reverse("members:list"), params).status_code == 200


def test_roster_query_count_is_bounded(client_for, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(org.admin)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("members:list"))
    MemberFactory.create_batch(30, branch=org.branch_b, group=org.group_b1)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("members:list"))
    assert len(large) == len(small) <= 20


# --- detail and edit ----------------------------------------------------------------


@pytest.mark.parametrize(
    "who, target, status",
    [
        ("member", "member", 200),
        ("member", "groupmate", 404),
        ("member", "member_b", 404),
        ("leader", "groupmate", 200),
        ("leader", "member_a2", 404),
        ("committee", "member_a2", 200),
        ("secretary", "member_b", 404),
        ("other_secretary", "member", 404),
        ("masses", "member", 404),
        ("admin", "member_b", 200),
    ],
)
def test_detail_applies_the_scope_rule(client_for, org, who, target, status):
    response = client_for(getattr(org, who)).get(reverse("members:detail", args=[getattr(org, target).pk]))
    assert response.status_code == status


def test_unknown_member_id_is_not_found(client_for, org):
    assert client_for(org.admin).get(reverse("members:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    "who, status", [("member", 404), ("leader", 403), ("committee", 403), ("other_secretary", 404)]
)
def test_edit_page_refuses_those_who_may_not_edit(client_for, org, who, status):
    response = client_for(getattr(org, who)).get(reverse("members:edit", args=[org.groupmate.pk]))
    assert response.status_code == status


def test_post_to_edit_by_another_branch_changes_nothing(client_for, org):
    response = client_for(org.other_secretary).post(
        reverse("members:edit", args=[org.member.pk]), {"name": "被篡改", "version": org.member.version}
    )
    assert response.status_code == 404
    org.member.refresh_from_db()
    assert org.member.name == "党员甲"


def edit_data(member, **changes):
    data = {
        "employee_no": member.employee_no,
        "name": member.name,
        "gender": member.gender,
        "birth_date": "1985-05-01",
        "party_status": member.party_status,
        "joined_on": "2010-07-01",
        "full_on": "2011-07-01",
        "post": member.post,
        "job_title": "",
        "phone": "",
        "email": "",
        "group": member.group_id or "",
        "is_active": "on",
        "version": member.version,
    }
    data.update(changes)
    return data


def test_secretary_edits_a_member(client_for, org):
    response = client_for(org.secretary).post(
        reverse("members:edit", args=[org.member.pk]), edit_data(org.member, post="调度员")
    )
    assert response.status_code == 302
    org.member.refresh_from_db()
    assert org.member.post == "调度员"


def test_edit_with_bad_input_names_the_field(client_for, org):
    response = client_for(org.secretary).post(
        reverse("members:edit", args=[org.member.pk]),
        edit_data(org.member, joined_on="not-a-date", email="nope", name=""),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"joined_on", "email", "name"}


def test_edit_from_a_stale_page_is_refused_with_a_message(client_for, org):
    client = client_for(org.secretary)
    stale = edit_data(org.member, post="第一次")
    client.post(reverse("members:edit", args=[org.member.pk]), stale)
    response = client.post(reverse("members:edit", args=[org.member.pk]), {**stale, "post": "第二次"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    org.member.refresh_from_db()
    assert org.member.post == "第一次"


def test_secretary_adds_a_member_through_the_form(client_for, org):
    data = edit_data(org.member, employee_no="N0300", name="新同志", group=org.group_a2.pk)
    data.pop("version")
    response = client_for(org.secretary).post(reverse("members:create"), data)
    assert response.status_code == 302
    created = Member.objects.get(employee_no="N0300")
    assert created.branch == org.branch_a and created.group == org.group_a2


def test_the_date_pickers_offer_only_possible_dates(client_for, org):
    html = client_for(org.secretary).get(reverse("members:create")).content.decode()
    today = timezone.localdate().isoformat()
    assert f'name="birth_date" min="1900-01-01" max="{today}"' in html
    assert f'name="joined_on" min="1921-01-01" max="{today}"' in html
    assert f'name="full_on" min="1921-01-01" max="{today}"' in html


def test_secretary_cannot_place_a_member_in_another_branchs_group(client_for, org):
    data = edit_data(org.member, employee_no="N0301", group=org.group_b1.pk)
    data.pop("version")
    response = client_for(org.secretary).post(reverse("members:create"), data)
    assert response.status_code == 200
    assert "group" in response.context["form"].errors
    assert not Member.objects.filter(employee_no="N0301").exists()


def test_duplicate_employee_number_is_refused_on_the_form(client_for, org):
    data = edit_data(org.member, employee_no=org.groupmate.employee_no)
    data.pop("version")
    response = client_for(org.admin).post(reverse("members:create"), {**data, "branch": org.branch_a.pk})
    assert "employee_no" in response.context["form"].errors


def test_history_is_for_administrators(client_for, org):
    client_for(org.secretary).post(reverse("members:edit", args=[org.member.pk]), edit_data(org.member, post="x"))
    assert client_for(org.secretary).get(reverse("members:history", args=[org.member.pk])).status_code == 403
    response = client_for(org.admin).get(reverse("members:history", args=[org.member.pk]))
    assert response.status_code == 200
    latest = response.context["rows"][0]
    assert latest.record.history_user == org.secretary.user
    assert any(new == "x" for _, _, new in latest.changes)


def test_history_shows_names_not_ids(client_for, org):
    response = client_for(org.admin).post(
        reverse("members:edit", args=[org.member.pk]),
        edit_data(org.member, group=org.group_a2.pk, gender="F", branch=org.branch_a.pk, committee_role=""),
    )
    assert response.status_code == 302
    response = client_for(org.admin).get(reverse("members:history", args=[org.member.pk]))
    changes = {old: new for _, old, new in response.context["rows"][0].changes}
    assert changes["第一党小组"] == "第二党小组"
    assert "F" not in changes.values()


def test_admin_roster_import_page_renders(client_for, org):
    assert client_for(org.admin).get("/admin/members/member/import/").status_code == 200
    assert client_for(org.admin).get("/admin/members/member/").status_code == 200


def test_open_a_login_through_the_form(client_for, org):
    member = MemberFactory(branch=org.branch_a, user=None)
    response = client_for(org.secretary).post(
        reverse("members:login", args=[member.pk]),
        {"password1": "Red-Flag-2026!", "password2": "Red-Flag-2026!"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.user.check_password("Red-Flag-2026!")


# --- import and export --------------------------------------------------------------


def test_web_import_previews_then_writes_on_confirm(client_for, org):
    client = client_for(org.admin)
    upload = workbook([roster_row()])
    upload.name = "roster.xlsx"
    response = client.post(reverse("members:import"), {"file": upload})
    assert response.status_code == 200
    assert response.context["report"].new == 1
    assert not Member.objects.filter(employee_no="N0001").exists()
    response = client.post(reverse("members:import_confirm"), {"token": response.context["token"]})
    assert response.status_code == 302
    assert Member.objects.filter(employee_no="N0001").exists()


def test_web_import_with_errors_offers_no_confirm(client_for, org):
    upload = workbook([roster_row(党支部="无此支部")])
    upload.name = "roster.xlsx"
    response = client_for(org.admin).post(reverse("members:import"), {"file": upload})
    assert response.context["token"] == ""
    assert "无此支部" in response.content.decode()


def test_web_import_confirm_with_a_forged_token_writes_nothing(client_for, org):
    response = client_for(org.admin).post(reverse("members:import_confirm"), {"token": "../../etc/passwd"})
    assert response.status_code == 302
    assert response["Location"] == reverse("members:import")


def test_web_import_refuses_other_file_types(client_for, org):
    upload = io.BytesIO(b"a,b\n")
    upload.name = "roster.csv"
    response = client_for(org.admin).post(reverse("members:import"), {"file": upload})
    assert "file" in response.context["form"].errors


def test_secretary_cannot_import(client_for, org):
    assert client_for(org.secretary).get(reverse("members:import")).status_code == 403


def test_secretary_export_holds_only_their_branch(client_for, org):
    response = client_for(org.secretary).get(reverse("members:export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    branches = {row[11] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert branches == {"第一党支部"}


def test_member_cannot_export(client_for, org):
    assert client_for(org.member).get(reverse("members:export")).status_code == 403


def test_every_demo_login_reaches_its_home_page(client, db):
    from django.core.management import call_command

    from members.demo import DEMO_LOGINS
    from members.models import User

    call_command("seed_demo", stdout=io.StringIO())
    panels = {
        "admin": "home-admin",
        "secretary1": "home-board",
        "secretary2": "home-board",
        "leader1": "home-group-waiting",
        "member1": "home-my-report",
        "member2": "home-my-report",
        "masses1": "home-masses",
    }
    for username in DEMO_LOGINS:
        client.force_login(User.objects.get(username=username))
        response = client.get(reverse("home"))
        assert response.status_code == 200, username
        assert f'data-testid="{panels[username]}"' in response.content.decode(), username


def test_cached_menus_follow_a_change_of_role_and_of_page(client_for, org):
    """The menus are cached (base.html); their key must change with what they show."""
    client = client_for(org.member)
    board = reverse("study:review_board").encode()
    home = client.get(reverse("home")).content
    assert board not in home
    assert b'nav-link active" href="/"' in home
    Member.objects.filter(pk=org.member.pk).update(committee_role=Member.CommitteeRole.COMMITTEE)
    promoted = client.get(reverse("home")).content
    assert board in promoted
    # Another page of the same person: "Home" is no longer the active entry.
    assert b'nav-link active" href="/"' not in client.get(reverse("reminders:list")).content
