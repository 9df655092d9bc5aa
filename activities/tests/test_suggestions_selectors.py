"""Who sees which suggestion, the filters, the handler's queue by age and the yearly counts."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from activities.models import Suggestion
from activities.selectors import suggestions as selectors
from activities.selectors.suggestions import SuggestionFilters
from activities.tests.factories import SuggestionFactory

S = Suggestion.Status


@pytest.fixture
def rows(org):
    return {
        "mine": SuggestionFactory(member=org.member),
        "groupmate": SuggestionFactory(member=org.groupmate),
        "a2": SuggestionFactory(member=org.member_a2),
        "b": SuggestionFactory(member=org.member_b),
        "b_escalated": SuggestionFactory(member=org.member_b, status=S.ESCALATED),
    }


def visible(user):
    return set(selectors.suggestion_list_for_user(user=user).values_list("pk", flat=True))


def ids(rows, *names):
    return {rows[n].pk for n in names}


def test_scope_rule(org, rows):
    assert visible(org.member.user) == ids(rows, "mine")
    assert visible(org.leader.user) == ids(rows, "mine", "groupmate")
    assert visible(org.secretary.user) == ids(rows, "mine", "groupmate", "a2")
    assert visible(org.committee.user) == ids(rows, "mine", "groupmate", "a2")
    assert visible(org.other_secretary.user) == ids(rows, "b", "b_escalated")
    assert visible(org.admin) == set(ids(rows, *rows))
    assert visible(org.masses.user) == set()


def test_someone_elses_suggestion_is_404(org, rows):
    with pytest.raises(Http404):
        selectors.suggestion_get_for_user(user=org.groupmate.user, pk=rows["mine"].pk)
    with pytest.raises(Http404):
        selectors.suggestion_get_for_user(user=org.other_secretary.user, pk=rows["mine"].pk)
    with pytest.raises(Http404):
        selectors.suggestion_get_for_user(user=org.member.user, pk="x")
    assert selectors.suggestion_get_for_user(user=org.leader.user, pk=rows["mine"].pk) == rows["mine"]


def test_filters(org, rows):
    old = SuggestionFactory(member=org.member, quarter="2024Q3", status=S.CLOSED)
    qs = Suggestion.objects.all()

    def run(**kw):
        return set(selectors.suggestion_filter(qs, SuggestionFilters(**kw)).values_list("pk", flat=True))

    assert run(branch_id=org.branch_b.pk) == ids(rows, "b", "b_escalated")
    assert run(group_id=org.group_a2.pk) == ids(rows, "a2")
    assert run(member=org.member.employee_no) == ids(rows, "mine") | {old.pk}
    assert run(member="党员丙") == ids(rows, "a2")
    assert run(year=2024) == {old.pk}
    assert run(year=2024, quarter=3) == {old.pk}
    assert run(year=2024, quarter=2) == set()
    assert run(status="closed") == {old.pk}
    assert run(status="open") == set(ids(rows, *rows))
    assert run(status="escalated") == ids(rows, "b_escalated")
    assert selectors.suggestion_years(qs)[-1] == 2024


def test_queue_holds_open_suggestions_oldest_first(org):
    young = SuggestionFactory(member=org.member)
    old = SuggestionFactory(member=org.groupmate, status=S.ACKNOWLEDGED)
    Suggestion.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=20))
    SuggestionFactory(member=org.member, status=S.CLOSED)
    escalated = SuggestionFactory(member=org.member_a2, status=S.ESCALATED)
    SuggestionFactory(member=org.member_b)
    queue = list(selectors.suggestions_waiting_for_user(user=org.secretary.user))
    assert queue == [old, young]
    assert list(selectors.suggestions_waiting_for_user(user=org.admin)) == [escalated]
    assert list(selectors.suggestions_waiting_for_user(user=org.admin, branch_id=org.branch_b.pk)) == []
    assert list(selectors.suggestions_waiting_for_user(user=org.member.user)) == []


def test_yearly_count_leaves_out_withdrawn_suggestions(org):
    this_year = timezone.localdate().year
    SuggestionFactory(member=org.member, quarter=f"{this_year}Q1", status=S.CLOSED)
    SuggestionFactory(member=org.member, quarter=f"{this_year}Q2")
    SuggestionFactory(member=org.member, quarter=f"{this_year}Q2", status=S.WITHDRAWN)
    SuggestionFactory(member=org.member, quarter=f"{this_year - 1}Q4", status=S.CLOSED)
    SuggestionFactory(member=org.groupmate, quarter=f"{this_year}Q1")
    counts = selectors.suggestion_counts_by_year(member_id=org.member.pk)
    assert [(c.year, c.total, c.closed, c.open) for c in counts] == [(this_year, 2, 1, 1), (this_year - 1, 1, 1, 0)]
