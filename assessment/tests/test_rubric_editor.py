"""The rubric editor: the whole rubric (name, area names, items added, changed and removed)
on one page, saved only when the maxima add up to 100, and only before a period using it
has opened."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from assessment.models import Period, Rubric
from assessment.services.periods import rubric_copy
from assessment.tests.factories import PeriodFactory, default_rubric

pytestmark = pytest.mark.django_db


def said(msgid: str, **params) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(msgid) % params if params else translation.gettext(msgid)


@pytest.fixture
def draft(org):
    return rubric_copy(actor=org.admin, rubric_id=default_rubric().pk, name="2027细则")


def editor_data(rubric: Rubric, **changes) -> dict[str, str]:
    """What the editor's page posts unchanged; ``changes`` override single fields."""
    data = {"rubric-name": rubric.name, "rubric-description": rubric.description}
    for area in rubric.areas.order_by("position", "code"):
        data[f"area-{area.pk}-name"] = area.name
        items = list(area.items.order_by("position", "code"))
        prefix = f"items-{area.pk}"
        data |= {
            f"{prefix}-TOTAL_FORMS": str(len(items)),
            f"{prefix}-INITIAL_FORMS": str(len(items)),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
        for index, item in enumerate(items):
            data |= {
                f"{prefix}-{index}-id": str(item.pk),
                f"{prefix}-{index}-code": item.code,
                f"{prefix}-{index}-name": item.name,
                f"{prefix}-{index}-max_score": str(item.max_score),
                f"{prefix}-{index}-guidance": item.guidance,
            }
    return data | changes


def area_of(rubric, code):
    return rubric.areas.get(code=code)


def test_the_editor_page_shows_every_area_and_item_with_the_live_total(client_for, org, draft):
    response = client_for(org.admin).get(reverse("assessment:rubric_edit", args=[draft.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('data-testid="rubric-item-row"') == 18 + 7  # 18 items, one blank template per area
    assert "data-rubric-total" in content and "data-max-score" in content
    assert content.count('data-testid="item-add"') == 7


def test_administrator_renames_an_area_and_moves_points_between_items(client_for, org, draft):
    a = area_of(draft, "A")
    data = editor_data(
        draft,
        **{
            f"area-{a.pk}-name": "政治素质",
            f"items-{a.pk}-0-max_score": "6",
            f"items-{a.pk}-1-max_score": "4",
            f"items-{a.pk}-1-name": "严守政治规矩",
        },
    )
    response = client_for(org.admin).post(reverse("assessment:rubric_edit", args=[draft.pk]), data)
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.name == "政治素质"
    assert draft.items.get(code="A1").max_score == Decimal("6")
    assert (draft.items.get(code="A2").name, draft.items.get(code="A2").max_score) == ("严守政治规矩", Decimal("4"))
    assert default_rubric().items.get(code="A1").max_score == Decimal("5")


def test_administrator_adds_one_item_and_removes_another(client_for, org, draft):
    a, b = area_of(draft, "A"), area_of(draft, "B")
    data = editor_data(
        draft,
        **{
            f"items-{a.pk}-2-DELETE": "on",  # A3, 5 points
            f"items-{b.pk}-TOTAL_FORMS": "4",
            f"items-{b.pk}-3-code": "B4",
            f"items-{b.pk}-3-name": "参加主题党日",
            f"items-{b.pk}-3-max_score": "5",
            f"items-{b.pk}-3-guidance": "按时参加主题党日活动。",
        },
    )
    response = client_for(org.admin).post(reverse("assessment:rubric_edit", args=[draft.pk]), data)
    assert response.status_code == 302
    assert not draft.items.filter(code="A3").exists()
    added = draft.items.get(code="B4")
    assert (added.area, added.name, added.max_score) == (b, "参加主题党日", Decimal("5"))
    assert draft.items.count() == 18
    codes = list(draft.items.order_by("position").values_list("code", flat=True))
    assert codes.index("B4") == codes.index("B3") + 1


def test_a_total_other_than_100_is_refused_and_nothing_is_written(client_for, org, draft):
    a = area_of(draft, "A")
    data = editor_data(draft, **{f"area-{a.pk}-name": "改了", f"items-{a.pk}-0-max_score": "6"})
    response = client_for(org.admin).post(reverse("assessment:rubric_edit", args=[draft.pk]), data)
    assert response.status_code == 200
    message = said(
        "The item maxima add up to %(total)s; they must add up to exactly 100. Nothing was saved.", total="101.0"
    )
    assert message in response.content.decode()
    assert draft.items.get(code="A1").max_score == Decimal("5")
    a.refresh_from_db()
    assert a.name == "思想政治"


def test_an_added_item_over_the_total_is_refused(client_for, org, draft):
    b = area_of(draft, "B")
    data = editor_data(
        draft,
        **{
            f"items-{b.pk}-TOTAL_FORMS": "4",
            f"items-{b.pk}-3-code": "B4",
            f"items-{b.pk}-3-name": "多出来的一项",
            f"items-{b.pk}-3-max_score": "1",
        },
    )
    response = client_for(org.admin).post(reverse("assessment:rubric_edit", args=[draft.pk]), data)
    assert response.status_code == 200 and b'data-testid="rubric-errors"' in response.content
    assert not draft.items.filter(code="B4").exists()


@pytest.mark.parametrize("max_score", ["0", "-1", "2.3", "x", "100"])
def test_a_maximum_the_rules_refuse_is_said_on_its_field(client_for, org, draft, max_score):
    a = area_of(draft, "A")
    data = editor_data(draft, **{f"items-{a.pk}-0-max_score": max_score})
    response = client_for(org.admin).post(reverse("assessment:rubric_edit", args=[draft.pk]), data)
    assert response.status_code == 200
    formset = next(area.items_formset for area in response.context["editor"].areas if area.pk == a.pk)
    assert "max_score" in formset.forms[0].errors
    assert draft.items.get(code="A1").max_score == Decimal("5")


def test_two_items_with_one_code_are_refused(client_for, org, draft):
    a = area_of(draft, "A")
    data = editor_data(draft, **{f"items-{a.pk}-1-code": "A1"})
    response = client_for(org.admin).post(reverse("assessment:rubric_edit", args=[draft.pk]), data)
    assert response.status_code == 200 and b'data-testid="rubric-errors"' in response.content
    assert draft.items.get(code="A2").name == "遵守政治纪律和政治规矩"


def test_two_codes_can_be_swapped(client_for, org, draft):
    a = area_of(draft, "A")
    data = editor_data(draft, **{f"items-{a.pk}-0-code": "A2", f"items-{a.pk}-1-code": "A1"})
    response = client_for(org.admin).post(reverse("assessment:rubric_edit", args=[draft.pk]), data)
    assert response.status_code == 302
    assert draft.items.get(code="A2").name == "理想信念坚定"


def test_an_area_left_without_items_is_refused(client_for, org, draft):
    a, b = area_of(draft, "A"), area_of(draft, "B")
    data = editor_data(
        draft,
        **{f"items-{a.pk}-{i}-DELETE": "on" for i in range(3)},
        **{f"items-{b.pk}-0-max_score": "20"},
    )
    response = client_for(org.admin).post(reverse("assessment:rubric_edit", args=[draft.pk]), data)
    assert response.status_code == 200
    assert (
        said("The area “%(area)s” would have no item left; every area needs at least one.", area="思想政治")
        in response.content.decode()
    )
    assert draft.items.count() == 18


def test_a_taken_name_is_refused_on_its_field(client_for, org, draft):
    response = client_for(org.admin).post(
        reverse("assessment:rubric_edit", args=[draft.pk]), editor_data(draft, **{"rubric-name": default_rubric().name})
    )
    assert response.status_code == 200 and "name" in response.context["editor"].form.errors


def test_a_rubric_whose_period_has_opened_cannot_be_edited(client_for, org):
    period = PeriodFactory(state=Period.State.OPEN)
    client = client_for(org.admin)
    url = reverse("assessment:rubric_edit", args=[period.rubric_id])
    response = client.post(url, editor_data(period.rubric, **{"rubric-name": "x"}), follow=True)
    assert response.redirect_chain[-1][0] == reverse("assessment:rubric_detail", args=[period.rubric_id])
    period.rubric.refresh_from_db()
    assert period.rubric.name != "x"


@pytest.mark.parametrize("who", ["secretary", "member", "committee"])
def test_only_administrators_edit_rubrics(client_for, org, draft, who):
    client = client_for(getattr(org, who))
    assert client.get(reverse("assessment:rubric_edit", args=[draft.pk])).status_code == 403
    assert client.post(reverse("assessment:rubric_edit", args=[draft.pk]), editor_data(draft)).status_code == 403
