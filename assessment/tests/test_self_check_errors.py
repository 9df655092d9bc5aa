"""Reporting a self-check that is not complete: it stays saved, and each missing answer
is said next to its item (请选择完成情况), not only in a list above the page."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from assessment.models import Card, CheckResult, SelfCheck
from assessment.tests.test_cards_factories import card_in, check_in

pytestmark = pytest.mark.django_db


def said(msgid: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(msgid)


@pytest.fixture
def self_check(org) -> SelfCheck:
    return check_in(card_in(org.member, Card.Status.APPROVED))


def answers(self_check, *, skip: int) -> dict[str, str]:
    data = {"version": str(self_check.version), "report": "1"}
    for item in self_check.card.items.order_by("pk"):
        data[f"result_{item.pk}"] = CheckResult.DONE
        data[f"note_{item.pk}"] = "按计划完成"
    del data[f"result_{skip}"]
    return data


def test_a_missing_result_is_said_next_to_its_item(client_for, org, self_check):
    items = list(self_check.card.items.order_by("pk"))
    url = reverse("assessment:card_check", args=[self_check.card_id, "q1"])
    client = client_for(org.member)
    response = client.post(url, answers(self_check, skip=items[1].pk))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [f"result_{items[1].pk}"]
    assert form.errors[f"result_{items[1].pk}"] == [said("Choose how far this item got.")]
    # The error sits in the item's own block, after its choices.
    blocks = re.findall(
        r'<li class="list-group-item py-3" data-testid="check-item">(.*?)</li>', response.content.decode(), re.S
    )
    assert [said("Choose how far this item got.") in block for block in blocks].count(True) == 1
    assert said("Choose how far this item got.") in blocks[1]
    # Saved all the same, and the page is at the saved version: answering the item reports it.
    self_check.refresh_from_db()
    assert self_check.status == SelfCheck.Status.DRAFT
    assert self_check.entries.filter(result=CheckResult.DONE).count() == len(items) - 1
    data = answers(self_check, skip=items[1].pk) | {f"result_{items[1].pk}": CheckResult.IN_PROGRESS}
    assert data["version"] == form["version"].value()
    assert client.post(url, data).status_code == 302
    self_check.refresh_from_db()
    assert self_check.status == SelfCheck.Status.REPORTED
