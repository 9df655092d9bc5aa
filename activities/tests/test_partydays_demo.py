"""The demo data of suggestion forms and Party days: every state and kind, consistent
threads, the same data for the same seed, and pages that open for the demo logins."""

import datetime

from django.urls import reverse

from activities.demo import suggestions_partydays
from activities.models import PartyDay, PartyDayContribution, PartyDayParticipant, Suggestion
from members import demo

TODAY = datetime.date(2026, 5, 20)


def build(seed=7):
    demo.build(members=30, seed=seed, today=TODAY)
    return suggestions_partydays.build(seed=seed, today=TODAY)


def test_demo_covers_every_state_and_kind(db):
    counts = build()
    assert set(Suggestion.objects.values_list("status", flat=True)) == set(Suggestion.Status.values)
    assert {(k, s) for k, s in PartyDay.objects.values_list("kind", "status")} >= {
        ("open", "held"),
        ("interactive", "held"),
        ("experiential", "held"),
        ("open", "planned"),
    }
    assert PartyDayParticipant.objects.exclude(role="").exists()
    assert PartyDayParticipant.objects.exclude(reflection="").count() == counts["reflections"] > 0
    assert set(PartyDayContribution.objects.values_list("kind", flat=True)) == set(PartyDayContribution.Kind.values)
    assert counts["suggestions"] == Suggestion.objects.count()


def test_threads_match_their_suggestions(db):
    build()
    for s in Suggestion.objects.prefetch_related("entries"):
        entries = list(s.entries.all())
        assert entries[0].action == "submit" and entries[-1].to_status == s.status
        assert [e.created_at for e in entries] == sorted(e.created_at for e in entries)
        assert s.created_at.date() < TODAY
        assert (s.closed_at is not None) == (s.status == Suggestion.Status.CLOSED)


def test_same_seed_same_data(db):
    first = build(seed=3)
    rows = list(Suggestion.objects.order_by("pk").values_list("title", "status", "member__employee_no"))
    suggestions_partydays.reset()
    assert not Suggestion.objects.exists() and not PartyDay.objects.exists()
    assert suggestions_partydays.build(seed=3, today=TODAY) == first
    assert list(Suggestion.objects.order_by("pk").values_list("title", "status", "member__employee_no")) == rows


def test_demo_pages_open_for_the_demo_logins(db, client):
    build()
    for username, name in [
        ("member1", "activities:suggestion_mine"),
        ("secretary1", "activities:suggestion_queue"),
        ("admin", "activities:suggestion_list"),
        ("member1", "activities:partyday_list"),
        ("secretary1", "activities:partyday_list"),
    ]:
        client.force_login(demo.User.objects.get(username=username))
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert response.context["page"].object_list, (username, name)
    client.force_login(demo.User.objects.get(username="secretary1"))
    day = PartyDay.objects.filter(branch__members__user__username="secretary1", kind="interactive").first()
    assert client.get(reverse("activities:partyday_detail", kwargs={"pk": day.pk})).status_code == 200
