from django import forms

from partybuild.lib.forms import HiddenErrorsAbove


class EditForm(HiddenErrorsAbove, forms.Form):
    title = forms.CharField(max_length=10)
    version = forms.IntegerField(widget=forms.HiddenInput)


def test_a_bad_hidden_field_is_refused_above_the_form_in_chinese():
    form = EditForm({"title": "标题", "version": "abc"})
    assert not form.is_valid()
    assert list(form.errors) == ["__all__"]
    assert form.non_field_errors() == ["本页的表单已过期或被改动，请刷新页面后重试。"]


def test_visible_fields_keep_their_own_errors_beside_the_message():
    form = EditForm({"title": "x" * 11})
    assert not form.is_valid()
    assert set(form.errors) == {"title", "__all__"}


def test_a_good_form_is_untouched():
    form = EditForm({"title": "标题", "version": "3"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"title": "标题", "version": 3}
    assert not EditForm().is_bound and not EditForm().errors
