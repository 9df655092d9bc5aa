"""Forms of the card engine. Each action form on the card page has its own id prefix,
so labels never point at another form's field."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from partybuild.lib.forms import HiddenErrorsAbove, IdFilterField, QueryFilterForm

from ..models import Card, CardItem, CardTemplate, CheckResult, SelfCheck
from ..selectors.cards import BOARD_STATES, CHECK_FILTERS
from ..services.cards import MAX_ITEMS_PER_SECTION, MAX_TEXT, EntryInput, ItemInput


class CardHeaderForm(HiddenErrorsAbove, forms.Form):
    """The version the page was read at, and the role aimed at where the card has one."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    role_aimed = forms.ChoiceField(
        label=_("The role I aim at"), choices=Card.RoleAimed.choices, widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args, card: Card, **kwargs):
        kwargs.setdefault("initial", {"version": card.version, "role_aimed": card.role_aimed})
        super().__init__(*args, **kwargs)
        if not card.template.has_role_aimed:
            del self.fields["role_aimed"]


class CardItemForm(HiddenErrorsAbove, forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        label=_("Item"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MAX_TEXT,
        required=False,
    )


CardItemFormSet = forms.formset_factory(
    CardItemForm, extra=1, can_delete=True, max_num=MAX_ITEMS_PER_SECTION, validate_max=True
)


def section_formsets(*, card: Card, data=None) -> list[tuple[object, forms.BaseFormSet]]:
    """One formset per section the member writes, prefixed with the section's key."""
    template: CardTemplate = card.template
    by_section: dict[str, list[CardItem]] = {}
    for item in card.items.order_by("position", "pk"):
        by_section.setdefault(item.section, []).append(item)
    result = []
    for spec in template.member_sections:
        initial = [{"id": item.pk, "text": item.text} for item in by_section.get(spec.key, [])]
        formset = CardItemFormSet(data, initial=initial, prefix=spec.key)
        if initial:
            formset.extra = 0  # "add an item" adds rows; no blank row under existing ones
        result.append((spec, formset))
    return result


class CardEditForm(CardHeaderForm):
    """The card's edit page as one form: the header with a formset per section the member
    writes; valid when all of them are."""

    def __init__(self, data=None, *, card: Card):
        super().__init__(data, card=card)
        self.formsets = section_formsets(card=card, data=data)

    def is_valid(self) -> bool:
        header_valid = super().is_valid()
        return all([header_valid, *(formset.is_valid() for _spec, formset in self.formsets)])

    def items(self) -> dict[str, list[ItemInput]]:
        """Each section's rows as the member left them, without the deleted ones."""
        return {
            spec.key: [
                ItemInput(id=f.cleaned_data.get("id"), text=f.cleaned_data.get("text", ""))
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            for spec, formset in self.formsets
        }


class TaskForm(forms.Form):
    text = forms.CharField(
        label=_("New X task"),
        help_text=_("A task the branch gives this member; the member reports on it at every self-check."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MAX_TEXT,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "task-%s")
        super().__init__(*args, **kwargs)


class CardReturnForm(HiddenErrorsAbove, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("What the member must change"), widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT
    )

    def __init__(self, *args, card: Card, **kwargs):
        kwargs.setdefault("auto_id", "return-%s")
        kwargs.setdefault("initial", {"version": card.version})
        super().__init__(*args, **kwargs)


class CardApproveForm(HiddenErrorsAbove, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment (optional)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=MAX_TEXT, required=False
    )

    def __init__(self, *args, card: Card, **kwargs):
        kwargs.setdefault("auto_id", "approve-%s")
        kwargs.setdefault("initial", {"version": card.version})
        super().__init__(*args, **kwargs)


class SelfCheckForm(HiddenErrorsAbove, forms.Form):
    """One result choice and one note per item of the card."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, card: Card, self_check: SelfCheck, rows, **kwargs):
        initial = {"version": self_check.version}
        results = [(value, label) for value, label in CheckResult.choices if value in card.template.results]
        self.rows = []
        super().__init__(*args, initial=initial, **kwargs)
        for spec, entry_rows in rows:
            fields = []
            for row in entry_rows:
                result_name, note_name = f"result_{row.item.pk}", f"note_{row.item.pk}"
                self.fields[result_name] = forms.ChoiceField(
                    label=_("Result"), choices=results, widget=forms.RadioSelect, required=False
                )
                self.fields[note_name] = forms.CharField(
                    label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=MAX_TEXT, required=False
                )
                if row.entry is not None:
                    self.initial[result_name] = row.entry.result
                    self.initial[note_name] = row.entry.note
                fields.append((row.item, self[result_name], self[note_name]))
            self.rows.append((spec, fields))

    def entries(self) -> dict[int, EntryInput]:
        found = {}
        for name in self.fields:
            if name.startswith("result_"):
                item_id = int(name.removeprefix("result_"))
                found[item_id] = EntryInput(
                    result=self.cleaned_data.get(name) or "", note=self.cleaned_data.get(f"note_{item_id}") or ""
                )
        return found


class CheckReviewForm(HiddenErrorsAbove, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=MAX_TEXT)

    def __init__(self, *args, self_check: SelfCheck, prefix_id: str, required: bool, **kwargs):
        kwargs.setdefault("auto_id", f"{prefix_id}-%s")
        kwargs.setdefault("initial", {"version": self_check.version})
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = required
        if required:
            self.fields["comment"].label = _("What the member must correct")
        else:
            self.fields["comment"].label = _("Comment (optional)")


class CardBoardFilterForm(QueryFilterForm):
    """The card board's filters: a year of the last five (this year unless one is named),
    a card state, a checkpoint and who has reported at it, a group, a name or number."""

    year = forms.TypedChoiceField(required=False, coerce=int)
    state = forms.ChoiceField(required=False, choices=[(state, state) for state in BOARD_STATES])
    checkpoint = forms.ChoiceField(required=False)
    check = forms.ChoiceField(required=False, choices=[(key, key) for key in CHECK_FILTERS])
    group = IdFilterField()
    q = forms.CharField(required=False, initial="")

    def __init__(self, *args, template: CardTemplate, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in range(today.year - 5, today.year + 2)]
        self.fields["year"].initial = today.year
        self.fields["checkpoint"].choices = [(cp, cp) for cp in template.checkpoints]

    def clean_q(self) -> str:
        return self.cleaned_data["q"][:50]

    @cached_property
    def values(self) -> dict:
        values = super().values
        if values["checkpoint"] is None:
            values["check"] = None  # who has reported is asked at one checkpoint only
        return values
