import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from partybuild.lib.dates import EARLIEST_YEAR, YEARS_AHEAD, record_year_error, validate_record_year
from partybuild.lib.forms import RecordDateField, RecordDateTimeField


def test_the_years_of_a_record_run_from_2000_to_five_years_ahead():
    last = timezone.localdate().year + YEARS_AHEAD
    assert record_year_error(datetime.date(EARLIEST_YEAR, 1, 1)) is None
    assert record_year_error(datetime.date(last, 12, 31)) is None
    assert record_year_error(None) is None
    for day in (datetime.date(EARLIEST_YEAR - 1, 12, 31), datetime.date(last + 1, 1, 1), datetime.date.min):
        assert record_year_error(day) == f"请填写 {EARLIEST_YEAR} 年至 {last} 年之间的日期。"
    with pytest.raises(ValidationError) as caught:
        validate_record_year(datetime.date.max)
    assert caught.value.code == "year"


def test_the_form_fields_refuse_a_year_out_of_range_and_keep_a_good_one():
    assert RecordDateField().clean("2026-07-01") == datetime.date(2026, 7, 1)
    with pytest.raises(ValidationError):
        RecordDateField().clean("0001-01-01")
    assert RecordDateTimeField().clean("2026-07-01T14:30").year == 2026
    with pytest.raises(ValidationError):
        RecordDateTimeField().clean("0001-01-01T00:00")
    assert RecordDateField().widget.input_type == "date"


def test_a_forms_date_picker_offers_this_years_bounds(monkeypatch):
    class SessionForm(forms.Form):
        day = RecordDateField()

    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2040, 1, 1))
    assert SessionForm()["day"].field.widget.attrs["max"] == "2045-12-31"
    assert 'max="2045-12-31"' in str(SessionForm()["day"])
