"""The roster's filter and the admin's lists at a group company's size (issue 19): the branch
and Party group choices stay bounded however many branches there are, and still filter."""

import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.filters import BRANCH_CHOICES_MAX
from members.models import Branch, PartyGroup
from members.tests.factories import MemberFactory
from partybuild.lib.admin_lists import FewChoicesRelatedFilter

pytestmark = pytest.mark.django_db

MANY = BRANCH_CHOICES_MAX + 10


def add_many_branches() -> list[Branch]:
    """Enough branches (each with a group) that no list of them is offered."""
    branches = Branch.objects.bulk_create(Branch(name=f"机关第{n:03d}支部", sort_order=n + 10) for n in range(MANY))
    PartyGroup.objects.bulk_create(PartyGroup(branch=b, name=f"{b.name}小组") for b in branches)
    return branches


@pytest.fixture
def many_branches(org):
    return add_many_branches()


def options(html: str, name: str) -> list[str]:
    """The values offered by the select named ``name`` (empty if there is none)."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r'<option value="([^"]*)"', select.group(1)) if select else []


def test_admin_roster_with_many_branches_offers_a_name_field_and_no_list(client_for, org, many_branches):
    with CaptureQueriesContext(connection) as ctx:
        response = client_for(org.admin).get(reverse("members:list"))
    html = response.content.decode()
    assert 'name="branch_name"' in html
    assert options(html, "branch") == [] and options(html, "group") == [""]
    assert many_branches[-1].name not in html and f"{many_branches[0].name}小组" not in html
    # No query reads more branches than a list would show, nor any group.
    branch_reads = [q["sql"] for q in ctx.captured_queries if 'FROM "members_branch"' in q["sql"]]
    assert branch_reads and all(f"LIMIT {BRANCH_CHOICES_MAX + 1}" in q for q in branch_reads)
    assert not [q for q in ctx.captured_queries if 'FROM "members_partygroup"' in q["sql"]]


def test_branch_name_lists_those_branches_and_offers_them_to_pick(client_for, org, many_branches):
    MemberFactory(branch=many_branches[5], name="党员戊")
    MemberFactory(branch=many_branches[15], name="党员己")
    response = client_for(org.admin).get(reverse("members:list"), {"branch_name": "第00"})
    names = {m.name for m in response.context["page"].object_list}
    assert names == {"党员戊"}
    assert options(response.content.decode(), "branch") == ["", *(str(b.pk) for b in many_branches[:10])]

    picked = client_for(org.admin).get(reverse("members:list"), {"branch": many_branches[15].pk})
    html = picked.content.decode()
    assert {m.name for m in picked.context["page"].object_list} == {"党员己"}
    assert options(html, "branch") == ["", str(many_branches[15].pk)]
    assert options(html, "group") == ["", str(many_branches[15].groups.get().pk)]


def test_the_group_choice_is_the_chosen_branchs_groups_and_none_before(client_for, org):
    client = client_for(org.admin)
    html = client.get(reverse("members:list")).content.decode()
    assert options(html, "branch") == ["", str(org.branch_a.pk), str(org.branch_b.pk)]
    assert options(html, "group") == [""]

    html = client.get(reverse("members:list"), {"branch": org.branch_a.pk}).content.decode()
    assert options(html, "group") == ["", str(org.group_a1.pk), str(org.group_a2.pk)]

    # A link to a group alone (the branch home's) offers that group's branch's groups.
    response = client.get(reverse("members:list"), {"group": org.group_b1.pk})
    assert {m.name for m in response.context["page"].object_list} == {"书记乙", "党员丁"}
    assert options(response.content.decode(), "group") == ["", str(org.group_b1.pk)]

    # A secretary (one branch) keeps their branch's groups, chosen branch or not.
    html = client_for(org.secretary).get(reverse("members:list")).content.decode()
    assert options(html, "branch") == ["", str(org.branch_a.pk)]
    assert options(html, "group") == ["", str(org.group_a1.pk), str(org.group_a2.pk)]
    assert 'name="branch_name"' not in html


def test_a_group_of_another_branch_is_not_applied_and_says_so(client_for, org):
    response = client_for(org.admin).get(reverse("members:list"), {"branch": org.branch_a.pk, "group": org.group_b1.pk})
    assert {m.branch_id for m in response.context["page"].object_list} == {org.branch_a.pk}
    assert len(response.context["page"].object_list) == 6
    assert 'data-testid="roster-filter-error"' in response.content.decode()


# --- the Django admin's lists ----------------------------------------------------------


def test_admin_member_list_offers_no_branch_list_when_there_are_many(client_for, org):
    client = client_for(org.admin)
    url = reverse("admin:members_member_changelist")
    few = client.get(url).content.decode()
    assert f"branch__id__exact={org.branch_b.pk}" in few  # while they are few, listed

    many_branches = add_many_branches()
    MemberFactory(branch=many_branches[7], name="党员庚")
    html = client.get(url).content.decode()
    assert "branch__id__exact=" not in html and many_branches[-1].name not in html

    chosen = client.get(url, {"branch__id__exact": many_branches[7].pk})
    assert [m.name for m in chosen.context_data["cl"].result_list] == ["党员庚"]
    assert many_branches[7].name in chosen.content.decode()  # the filter shows what is chosen

    by_name = client.get(url, {"q": many_branches[7].name})
    assert [m.name for m in by_name.context_data["cl"].result_list] == ["党员庚"]


def test_every_admin_list_filtered_by_branch_bounds_its_choices():
    by_branch = {
        type(model_admin).__name__: entry
        for model_admin in admin.site._registry.values()
        for entry in model_admin.list_filter
        if entry == "branch" or (isinstance(entry, tuple) and entry[0] == "branch")
    }
    assert by_branch and all(entry == ("branch", FewChoicesRelatedFilter) for entry in by_branch.values()), by_branch
    for model_admin in admin.site._registry.values():
        if type(model_admin).__name__ in by_branch:
            assert "branch__name" in model_admin.search_fields, type(model_admin).__name__
