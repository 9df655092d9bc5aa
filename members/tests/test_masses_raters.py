"""Masses raters kept in the app: the secretary (their branch) and the administrator list,
add, edit, deactivate and reactivate them, and link them to the members they rate."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from members import services
from members.models import MassesRater
from members.tests.factories import MassesRaterFactory, MemberFactory, UserFactory
from partybuild.lib.errors import DomainError

pytestmark = pytest.mark.django_db

LIST = reverse("members:masses_list")
NEW = reverse("members:masses_create")


def edit_url(rater):
    return reverse("members:masses_edit", args=[rater.pk])


# --- the list -------------------------------------------------------------------------


def test_secretary_lists_their_branchs_raters_only(client_for, org):
    MassesRaterFactory(branch=org.branch_b, name="乙支部群众")
    response = client_for(org.secretary).get(LIST)
    assert response.status_code == 200
    assert [r.name for r in response.context["page"].object_list] == ["群众甲"]
    assert response.context["page"].object_list[0].ratee_count == 1
    # Asking for another branch changes nothing for a secretary.
    response = client_for(org.secretary).get(LIST, {"branch": org.branch_b.pk})
    assert [r.name for r in response.context["page"].object_list] == ["群众甲"]


def test_admin_chooses_the_branch(client_for, org):
    MassesRaterFactory(branch=org.branch_b, name="乙支部群众")
    response = client_for(org.admin).get(LIST, {"branch": org.branch_b.pk})
    assert [r.name for r in response.context["page"].object_list] == ["乙支部群众"]


def test_list_searches_and_filters_by_state(client_for, org):
    MassesRaterFactory(branch=org.branch_a, name="群众乙", employee_no="Q1234", is_active=False)
    client = client_for(org.secretary)
    names = lambda **q: [r.name for r in client.get(LIST, q).context["page"].object_list]  # noqa: E731
    assert names(q="Q12") == ["群众乙"]
    assert names(q="甲") == ["群众甲"]
    assert names(is_active="0") == ["群众乙"]
    assert names(is_active="1") == ["群众甲"]
    assert sorted(names()) == ["群众乙", "群众甲"]


@pytest.mark.parametrize("who", ["member", "leader", "committee", "masses"])
def test_only_secretaries_and_the_administrator_keep_raters(client_for, org, who):
    client = client_for(getattr(org, who))
    assert client.get(LIST).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.get(edit_url(org.masses)).status_code in (403, 404)


def test_list_pages_are_bounded(client_for, org, django_assert_max_num_queries):
    for _ in range(30):
        MassesRaterFactory(branch=org.branch_a).ratees.add(org.member)
    client = client_for(org.secretary)
    client.get(LIST)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert response.context["page"].paginator.count == 31


# --- add and edit through the pages ---------------------------------------------------


def test_secretary_adds_a_rater_linked_to_two_members(client_for, org):
    client = client_for(org.secretary)
    page = client.get(NEW)
    assert page.status_code == 200
    shown = {m.pk for m in page.context["form"].fields["ratees"].queryset}
    assert org.member.pk in shown and org.member_b.pk not in shown
    response = client.post(NEW, {"employee_no": "Q0001", "name": "群众新", "ratees": [org.member.pk, org.groupmate.pk]})
    assert response.status_code == 302
    rater = MassesRater.objects.get(employee_no="Q0001")
    assert rater.branch == org.branch_a and rater.is_active
    assert set(rater.ratees.all()) == {org.member, org.groupmate}
    assert rater.history.first().history_user == org.secretary.user


def test_a_member_of_another_branch_is_refused_on_the_picker(client_for, org):
    data = {"employee_no": "Q0002", "name": "群众", "ratees": [org.member_b.pk]}
    response = client_for(org.secretary).post(NEW, data)
    assert response.status_code == 200
    assert "ratees" in response.context["form"].errors
    assert not MassesRater.objects.filter(employee_no="Q0002").exists()


def test_a_taken_employee_number_is_refused_on_its_field(client_for, org):
    response = client_for(org.secretary).post(NEW, {"employee_no": org.masses.employee_no, "name": "群众"})
    assert "employee_no" in response.context["form"].errors
    assert MassesRater.objects.count() == 1


def test_secretary_edits_and_relinks(client_for, org):
    client = client_for(org.secretary)
    response = client.post(
        edit_url(org.masses),
        {"employee_no": org.masses.employee_no, "name": "群众甲改", "ratees": [org.groupmate.pk, org.member_a2.pk]},
    )
    assert response.status_code == 302
    org.masses.refresh_from_db()
    assert org.masses.name == "群众甲改"
    assert set(org.masses.ratees.all()) == {org.groupmate, org.member_a2}
    # Every write keeps history, the links included.
    assert org.masses.history.filter(history_user=org.secretary.user).exists()
    last = org.masses.history.first()
    assert {r.member_id for r in last.ratees.all()} == {org.groupmate.pk, org.member_a2.pk}


def test_other_branchs_secretary_and_unknown_ids_get_404(client_for, org):
    client = client_for(org.other_secretary)
    assert client.get(edit_url(org.masses)).status_code == 404
    assert client.post(reverse("members:masses_deactivate", args=[org.masses.pk])).status_code == 404
    org.masses.refresh_from_db()
    assert org.masses.is_active
    assert client_for(org.admin).get(reverse("members:masses_edit", args=[999999])).status_code == 404


def test_admin_adds_a_rater_to_the_branch_chosen(client_for, org):
    client = client_for(org.admin)
    url = f"{NEW}?branch={org.branch_b.pk}"
    assert client.get(url).context["branch"] == org.branch_b
    client.post(url, {"employee_no": "Q0003", "name": "群众丙", "ratees": [org.member_b.pk]})
    rater = MassesRater.objects.get(employee_no="Q0003")
    assert rater.branch == org.branch_b and list(rater.ratees.all()) == [org.member_b]


def test_deactivate_and_reactivate(client_for, org):
    client = client_for(org.secretary)
    client.post(reverse("members:masses_deactivate", args=[org.masses.pk]))
    org.masses.refresh_from_db()
    assert not org.masses.is_active
    again = client.post(reverse("members:masses_deactivate", args=[org.masses.pk]), follow=True)
    assert [m.level_tag for m in again.context["messages"]][-1] == "error"
    client.post(reverse("members:masses_reactivate", args=[org.masses.pk]))
    org.masses.refresh_from_db()
    assert org.masses.is_active
    assert org.masses.history.count() >= 3


def test_list_says_what_deactivating_does_before_it_is_done(client_for, org):
    html = client_for(org.secretary).get(LIST).content.decode()
    action = reverse("members:masses_deactivate", args=[org.masses.pk])
    form = html[html.index(f'action="{action}"') :].split(">", 1)[0]
    assert "data-confirm=" in form and "群众甲" in form


def test_menu_links_to_the_masses_raters(client_for, org):
    html = client_for(org.secretary).get(reverse("home")).content.decode()
    assert LIST in html
    assert LIST not in client_for(org.member).get(reverse("home")).content.decode()


# --- the services ---------------------------------------------------------------------


def test_a_login_of_a_member_cannot_be_a_raters(org):
    org.masses.user = org.member.user
    with pytest.raises(ValidationError) as exc:
        org.masses.full_clean()
    assert "user" in exc.value.message_dict


def test_a_login_of_its_own_is_fine(org):
    org.masses.user = UserFactory(username="own-login")
    org.masses.full_clean()


def test_secretary_cannot_keep_another_branchs_rater(org):
    with pytest.raises(PermissionDenied):
        services.masses_rater_create(
            actor=org.secretary.user, branch_id=org.branch_b.pk, employee_no="Q9", name="X", ratee_ids=[]
        )
    with pytest.raises(PermissionDenied):
        services.masses_rater_set_active(actor=org.committee.user, rater_id=org.masses.pk, active=False)


def test_nobody_new_is_linked_to_a_member_off_the_roll(org):
    gone = MemberFactory(branch=org.branch_a, is_active=False)
    with pytest.raises(ValidationError):
        services.masses_rater_update(
            actor=org.secretary.user,
            rater_id=org.masses.pk,
            employee_no=org.masses.employee_no,
            name=org.masses.name,
            ratee_ids=[gone.pk],
        )
    # ... but a link made while they were on the roll is kept.
    org.masses.ratees.add(gone)
    services.masses_rater_update(
        actor=org.secretary.user,
        rater_id=org.masses.pk,
        employee_no=org.masses.employee_no,
        name=org.masses.name,
        ratee_ids=[gone.pk, org.member.pk],
    )
    assert set(org.masses.ratees.all()) == {gone, org.member}


def test_setting_the_state_it_has_is_refused(org):
    with pytest.raises(DomainError):
        services.masses_rater_set_active(actor=org.secretary.user, rater_id=org.masses.pk, active=True)


def test_the_django_admin_keeps_the_same_rules(client_for, org):
    """Every door keeps the same rules: a member's login, or a member of another branch,
    is refused in the Django admin as in the app."""
    client = client_for(org.admin)
    url = reverse("admin:members_massesrater_change", args=[org.masses.pk])
    data = {
        "employee_no": org.masses.employee_no,
        "name": org.masses.name,
        "branch": org.branch_a.pk,
        "ratees": str(org.member_b.pk),
        "is_active": "on",
        "user": org.masses.user_id,
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "ratees" in response.context["adminform"].form.errors
    response = client.post(url, data | {"ratees": str(org.member.pk), "user": org.member.user_id})
    assert response.status_code == 200 and "user" in response.context["adminform"].form.errors
    assert client.post(url, data | {"ratees": str(org.member.pk)}).status_code == 302
    assert list(org.masses.ratees.all()) == [org.member]


# --- a login for a masses rater ---------------------------------------------------------


def test_secretary_opens_a_login_for_a_rater(client_for, org):
    from members.roles import get_roles

    rater = MassesRaterFactory(branch=org.branch_a, employee_no="Q5001", user=None)
    url = reverse("members:masses_login", args=[rater.pk])
    client = client_for(org.secretary)
    assert url in client.get(LIST).content.decode()
    response = client.post(url, {"password1": "Qz7#kv9Lm2", "password2": "Qz7#kv9Lm2"})
    assert response.status_code == 302
    rater.refresh_from_db()
    assert rater.user.username == "Q5001" and rater.user.check_password("Qz7#kv9Lm2")
    assert get_roles(rater.user).masses_rater == rater
    assert rater.history.first().history_user == org.secretary.user


def test_a_login_name_taken_by_a_member_is_refused(client_for, org):
    rater = MassesRaterFactory(branch=org.branch_a, employee_no=org.member.user.username, user=None)
    response = client_for(org.secretary).post(
        reverse("members:masses_login", args=[rater.pk]), {"password1": "Qz7#kv9Lm2", "password2": "Qz7#kv9Lm2"}
    )
    assert response.status_code == 200 and "password1" in response.context["form"].errors
    rater.refresh_from_db()
    assert rater.user is None


def test_a_raters_login_is_not_opened_by_another_branch(client_for, org):
    url = reverse("members:masses_login", args=[org.masses.pk])
    response = client_for(org.other_secretary).post(url, {"password1": "Qz7#kv9Lm2", "password2": "Qz7#kv9Lm2"})
    assert response.status_code == 404
    org.masses.user.refresh_from_db()
    assert not org.masses.user.check_password("Qz7#kv9Lm2")
