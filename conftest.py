"""Personas shared by every test module: one small company, two branches.

branch A has group A1 (led by ``leader``) and group A2; branch B has group B1.
``secretary`` and ``committee`` sit on branch A's committee; ``other_secretary``
runs branch B; ``admin`` is company staff; ``masses`` rates ``member``.
"""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.utils import translation

from members.models import Branch, MassesRater, Member, PartyGroup, User
from members.tests.factories import (
    BranchFactory,
    MassesRaterFactory,
    MemberFactory,
    PartyGroupFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request leaves its language active in the thread (LocaleMiddleware activates it and
    nothing deactivates it), so a test that asked for English would make a later test's
    messages English; every test starts from the interface's default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


# The fixtures through which a test reaches the database (pytest-django's).
DB_FIXTURES = ("db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback")


@pytest.fixture(autouse=True)
def _meeting_requirements(request):
    """The meeting requirements (三会一课) a migration writes, back in a test database that a
    transactional test (the browser's live server) has flushed: every real database has them,
    and forms, pages and counts read them."""
    if request.node.get_closest_marker("django_db") is None and not any(
        name in request.fixturenames for name in DB_FIXTURES
    ):
        return
    request.getfixturevalue("_django_db_helper")
    from study.selectors.compliance import rules_in_force

    rules_in_force()


@dataclass
class Org:
    branch_a: Branch
    branch_b: Branch
    group_a1: PartyGroup
    group_a2: PartyGroup
    group_b1: PartyGroup
    secretary: Member
    committee: Member
    leader: Member
    member: Member
    groupmate: Member
    member_a2: Member
    other_secretary: Member
    member_b: Member
    masses: MassesRater
    admin: User


@pytest.fixture
def org(db) -> Org:
    branch_a = BranchFactory(name="第一党支部")
    branch_b = BranchFactory(name="第二党支部")
    group_a1 = PartyGroupFactory(branch=branch_a, name="第一党小组")
    group_a2 = PartyGroupFactory(branch=branch_a, name="第二党小组")
    group_b1 = PartyGroupFactory(branch=branch_b, name="第一党小组")
    secretary = MemberFactory(
        branch=branch_a, group=group_a1, committee_role=Member.CommitteeRole.SECRETARY, name="书记甲"
    )
    committee = MemberFactory(
        branch=branch_a, group=group_a2, committee_role=Member.CommitteeRole.COMMITTEE, name="支委甲"
    )
    leader = MemberFactory(branch=branch_a, group=group_a1, name="组长甲")
    group_a1.leader = leader
    group_a1.save()
    member = MemberFactory(branch=branch_a, group=group_a1, name="党员甲")
    groupmate = MemberFactory(branch=branch_a, group=group_a1, name="党员乙")
    member_a2 = MemberFactory(branch=branch_a, group=group_a2, name="党员丙")
    other_secretary = MemberFactory(
        branch=branch_b, group=group_b1, committee_role=Member.CommitteeRole.SECRETARY, name="书记乙"
    )
    member_b = MemberFactory(branch=branch_b, group=group_b1, name="党员丁")
    masses = MassesRaterFactory(branch=branch_a, name="群众甲")
    masses.ratees.add(member)
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    return Org(
        branch_a=branch_a,
        branch_b=branch_b,
        group_a1=group_a1,
        group_a2=group_a2,
        group_b1=group_b1,
        secretary=secretary,
        committee=committee,
        leader=leader,
        member=member,
        groupmate=groupmate,
        member_a2=member_a2,
        other_secretary=other_secretary,
        member_b=member_b,
        masses=masses,
        admin=admin,
    )


@pytest.fixture
def client_for(client):
    """A test client logged in as the given user (or member / masses rater)."""

    def login(who):
        user = who if isinstance(who, User) else who.user
        client.force_login(user)
        return client

    return login
