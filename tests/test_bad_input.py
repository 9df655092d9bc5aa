"""Fuzzed posts to every form: no server error, a message naming the field, nothing half-written.

Every URL pattern whose view accepts POST must be in ``FORMS`` (a new form without an
entry fails ``test_every_post_endpoint_is_in_the_registry``). For each form the test logs in
the persona allowed to use it, reads the form off its page to get valid values (the hidden
version, the selected options), and then posts that baseline with

* every field at once set to each of a fixed list of nasty values, and
* ``hypothesis``-drawn mutations of one field at a time (wrong types, huge and unicode strings,
  negative and out-of-range numbers, malformed dates, markup, NUL bytes, lists, a missing field).

Whatever comes back must be below 500. A rejected post (a re-rendered form with errors, an
error message, a 4xx) must leave every row of the application's tables as it was, and must
show its reason in Chinese on the page (re-rendered form) or as a message; a one-field
mutation that is rejected by the form must name that field (or be a form-wide error).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from assessment.models import Period
from tests import fuzz_posting
from tests.fuzz_posting import MISSING, NOT_FUZZED, Prepared, form_errors, judge, post, post_endpoints, snapshot
from tests.fuzz_targets import (
    Form,
    _period,
    _period_action,
    b_area_edit,
    b_ballot_issue,
    b_ballot_rate,
    b_card_approve,
    b_card_check,
    b_card_edit,
    b_card_for_member,
    b_card_return,
    b_card_submit,
    b_card_task_add,
    b_card_task_remove,
    b_card_year,
    b_check_acknowledge,
    b_check_return,
    b_check_start,
    b_compliance_rules,
    b_contact_create,
    b_contact_edit,
    b_contribution_add,
    b_contribution_delete,
    b_criticism,
    b_help_create,
    b_help_delete,
    b_help_edit,
    b_home,
    b_item_add,
    b_item_update,
    b_masses_create,
    b_masses_deactivate,
    b_masses_edit,
    b_masses_login,
    b_masses_reactivate,
    b_meeting_create,
    b_meeting_edit,
    b_member_create,
    b_member_edit,
    b_member_login,
    b_notification_open,
    b_notification_read_all,
    b_objection_detail,
    b_objection_file,
    b_partyday_cancel,
    b_partyday_create,
    b_partyday_edit,
    b_partyday_participants,
    b_password,
    b_period_create,
    b_period_edit,
    b_period_finalize,
    b_period_publish,
    b_photo_add,
    b_photo_delete,
    b_pledge_for_member,
    b_pledge_year,
    b_post_create,
    b_post_edit,
    b_post_end,
    b_rate_form,
    b_rating_progress,
    b_rating_template,
    b_ratings_import,
    b_ratings_import_confirm,
    b_recognition_create,
    b_recognition_withdraw,
    b_reflection,
    b_remind_reports,
    b_report_approve,
    b_report_edit,
    b_report_forward,
    b_report_mine,
    b_report_return,
    b_report_submit,
    b_roster_import,
    b_roster_import_confirm,
    b_rubric_copy,
    b_rubric_edit,
    b_self_criticism,
    b_session_attendance,
    b_session_create,
    b_session_edit,
    b_set_language,
    b_suggestion_action,
    b_suggestion_create,
    b_suggestion_edit,
    b_talk,
    today,
)

pytestmark = pytest.mark.django_db


FORMS: dict[str, Form] = {
    "login": Form(None, b_home, ("username", "password")),
    "password_change": Form("member", b_password, ("old_password", "new_password1", "new_password2")),
    "set_language": Form("member", b_set_language, ("language", "next")),
    # members
    "members:create": Form("admin", b_member_create, ("employee_no", "name", "gender", "birth_date", "branch")),
    "members:edit": Form("admin", b_member_edit, ("version", "employee_no", "name", "phone", "email", "group")),
    "members:login": Form("admin", b_member_login, ("password1", "password2")),
    "members:import": Form("admin", b_roster_import, ("file",)),
    "members:import_confirm": Form("admin", b_roster_import_confirm, ("token",)),
    "members:masses_create": Form("secretary", b_masses_create, ("employee_no", "name", "ratees")),
    "members:masses_edit": Form("secretary", b_masses_edit, ("employee_no", "name", "ratees")),
    "members:masses_login": Form("secretary", b_masses_login, ("password1", "password2")),
    "members:masses_deactivate": Form("secretary", b_masses_deactivate, ()),
    "members:masses_reactivate": Form("secretary", b_masses_reactivate, ()),
    # study
    "study:session_create": Form(
        "secretary", b_session_create, ("kind", "title", "starts_at", "content", "also_counts_for")
    ),
    "study:session_edit": Form(
        "secretary", b_session_edit, ("kind", "title", "starts_at", "content", "also_counts_for")
    ),
    "study:session_attendance": Form("secretary", b_session_attendance, ("att-TOTAL_FORMS", "att-0-status")),
    "study:compliance_rules": Form(
        "admin", b_compliance_rules, ("rules-TOTAL_FORMS", "rules-0-id", "rules-0-times", "rules-1-every")
    ),
    "study:report_mine": Form("member", b_report_mine, ()),
    "study:report_edit": Form("member", b_report_edit, ("version", "insights", "analysis", "problems-0-problem")),
    "study:report_submit": Form("member", b_report_submit, ()),
    "study:report_forward": Form("leader", b_report_forward, ("opinion",)),
    "study:report_return": Form("secretary", b_report_return, ("sections", "comment")),
    "study:report_approve": Form("secretary", b_report_approve, ("grade", "truly_studied", "evaluation")),
    "study:talk_detail": Form("secretary", b_talk, ("talked_on", "talked_by", "problems", "response", "plan")),
    "study:meeting_create": Form("secretary", b_meeting_create, ("kind", "title", "held_on", "participants")),
    "study:meeting_edit": Form("secretary", b_meeting_edit, ("version", "title", "held_on", "participants")),
    "study:meeting_self_criticism": Form("member", b_self_criticism, ("content", "version")),
    "study:meeting_criticism": Form("secretary", b_criticism, ("matter", "evidence")),
    "study:meeting_item_add": Form("secretary", b_item_add, ("owner", "description", "deadline")),
    "study:meeting_item_update": Form("secretary", b_item_update, ("status", "note")),
    # activities
    "activities:suggestion_create": Form(
        "member", b_suggestion_create, ("title", "situation", "problem", "suggestion")
    ),
    "activities:suggestion_edit": Form("member", b_suggestion_edit, ("version", "title", "situation", "problem")),
    "activities:suggestion_action": Form("secretary", b_suggestion_action, ("acknowledge-text", "acknowledge-version")),
    "activities:partyday_create": Form(
        "secretary", b_partyday_create, ("kind", "theme", "held_on", "place", "counts_for")
    ),
    "activities:partyday_edit": Form("secretary", b_partyday_edit, ("version", "theme", "held_on", "participants")),
    "activities:partyday_participants": Form("secretary", b_partyday_participants, ("p-TOTAL_FORMS", "summary")),
    "activities:partyday_cancel": Form("secretary", b_partyday_cancel, ("reason", "version")),
    "activities:partyday_contribution_add": Form("secretary", b_contribution_add, ("member", "kind", "summary")),
    "activities:partyday_contribution_delete": Form("secretary", b_contribution_delete, ()),
    "activities:partyday_reflection": Form("member", b_reflection, ("text", "version")),
    "activities:partyday_photo_add": Form("secretary", b_photo_add, ("image", "caption")),
    "activities:partyday_photo_delete": Form("secretary", b_photo_delete, ()),
    "activities:post_create": Form("secretary", b_post_create, ("member", "kind", "post_name", "starts_on", "ends_on")),
    "activities:post_edit": Form("secretary", b_post_edit, ("version", "kind", "starts_on", "ends_on", "standards")),
    "activities:post_end": Form("secretary", b_post_end, ("ended_on", "reason")),
    "activities:post_recognition_create": Form(
        "secretary", b_recognition_create, ("member", "best", "year", "quarter")
    ),
    "activities:post_recognition_withdraw": Form("secretary", b_recognition_withdraw, ()),
    "activities:warmth_area_edit": Form("member", b_area_edit, ("version",)),
    "activities:warmth_contact_create": Form("member", b_contact_create, ("name", "employee_no", "post", "note")),
    "activities:warmth_contact_edit": Form("member", b_contact_edit, ("version", "name", "employee_no", "post")),
    "activities:warmth_help_create": Form("member", b_help_create, ("kind", "helped_on", "content", "outcome")),
    "activities:warmth_help_edit": Form("member", b_help_edit, ("kind", "helped_on", "content", "version")),
    "activities:warmth_help_delete": Form("member", b_help_delete, ()),
    # assessment
    "assessment:rate_form": Form("member", b_rate_form, ("version",)),
    "assessment:ballot_issue": Form("secretary", b_ballot_issue, ("rater",)),
    "assessment:rating_progress": Form("secretary", b_rating_progress, ("rater_group", "channel")),
    "assessment:ballot_rate": Form(None, b_ballot_rate, ("version",)),
    "assessment:card_year": Form("member", b_card_year, ()),
    "assessment:pledge_year": Form("member", b_pledge_year, ()),
    "assessment:card_for_member": Form("secretary", b_card_for_member, ()),
    "assessment:pledge_for_member": Form("secretary", b_pledge_for_member, ()),
    "assessment:card_edit": Form("member", b_card_edit, ("version",)),
    "assessment:card_submit": Form("member", b_card_submit, ("version",)),
    "assessment:card_return": Form("secretary", b_card_return, ("version", "comment")),
    "assessment:card_approve": Form("secretary", b_card_approve, ("version", "comment")),
    "assessment:card_task_add": Form("secretary", b_card_task_add, ("text",)),
    "assessment:card_task_remove": Form("secretary", b_card_task_remove, ()),
    "assessment:card_check": Form("member", b_card_check, ("version",)),
    "assessment:card_check_start": Form("member", b_check_start, ()),
    "assessment:card_check_acknowledge": Form("secretary", b_check_acknowledge, ("version", "comment")),
    "assessment:card_check_return": Form("secretary", b_check_return, ("version", "comment")),
    "assessment:rating_template_download": Form("admin", b_rating_template, ("branch",)),
    "assessment:ratings_import": Form("admin", b_ratings_import, ("file",)),
    "assessment:ratings_import_confirm": Form("admin", b_ratings_import_confirm, ("token",)),
    "assessment:period_create": Form("admin", b_period_create, ("code", "name", "starts_on", "ends_on", "rubric")),
    "assessment:period_edit": Form("admin", b_period_edit, ("version", "code", "starts_on", "ends_on")),
    "assessment:period_open": Form("admin", _period_action("period_open", Period.State.DRAFT), ()),
    "assessment:period_close": Form("admin", _period_action("period_close", Period.State.OPEN), ()),
    "assessment:period_compute": Form("admin", _period_action("period_compute", Period.State.CLOSED), ()),
    "assessment:period_publish": Form("admin", b_period_publish, ("days",)),
    "assessment:period_finalize": Form("admin", b_period_finalize, ("early",)),
    "assessment:rubric_copy": Form("admin", b_rubric_copy, ("name",)),
    "assessment:rubric_edit": Form("admin", b_rubric_edit, ("rubric-name",)),
    "assessment:objection_file": Form("member", b_objection_file, ("reason", "confirm")),
    "assessment:objection_detail": Form("secretary", b_objection_detail, ("version", "decision", "ruling", "withdraw")),
    # reminders
    "reminders:open": Form("member", b_notification_open, ("notification",)),
    "reminders:read_all": Form("member", b_notification_read_all, ()),
    "reminders:remind_reports": Form("secretary", b_remind_reports, ("quarter",)),
}


def _scores(value: str) -> dict[str, str]:
    return {item.code: value for item in _period().rubric.items.all()}


def _later(days: int) -> str:
    return (today() + datetime.timedelta(days=days)).isoformat()


# Valid values for what a form's page leaves empty, so that the baseline passes and a
# refusal can be put down to the one field a fuzzed input changed.
FILLS: dict[str, Callable[..., dict]] = {
    "login": lambda org: {"username": org.member.user.username, "password": "partybuild-demo"},
    "password_change": lambda org: {
        "old_password": "partybuild-demo",
        "new_password1": "Qz7#kv9Lm2",
        "new_password2": "Qz7#kv9Lm2",
    },
    "members:create": lambda org: {
        "employee_no": "T900001",
        "name": "新党员",
        "gender": "M",
        "joined_on": "2015-07-01",
        "branch": str(org.branch_a.pk),
    },
    "members:login": lambda org: {"password1": "Qz7#kv9Lm2", "password2": "Qz7#kv9Lm2"},
    "members:masses_login": lambda org: {"password1": "Qz7#kv9Lm2", "password2": "Qz7#kv9Lm2"},
    "members:masses_create": lambda org: {"employee_no": "Q900001", "name": "新群众", "ratees": [str(org.member.pk)]},
    "study:session_create": lambda org: {
        "kind": "assembly",
        "content_tag": "prescribed",
        "title": "学习党章",
        "content": "第一章",
        "requirements": "会前自学",
    },
    "assessment:objection_file": lambda org: {"reason": "组织考评分偏低", "confirm": "on"},
    "assessment:objection_detail": lambda org: {"decision": "rejected", "ruling": "经复核评分无误"},
    "study:report_forward": lambda org: {"opinion": "同意"},
    "study:report_return": lambda org: {"comment": "请重写体会", "sections": ["insights"]},
    "study:report_approve": lambda org: {"evaluation": "认真"},
    "study:talk_detail": lambda org: {"talked_by": "书记甲", "problems": "学习不够", "plan": "加强学习"},
    "study:meeting_create": lambda org: {
        "title": "组织生活会",
        "held_on": _later(-3),
        "participants": [str(org.secretary.pk), str(org.member.pk)],
    },
    "study:meeting_self_criticism": lambda org: {"content": "理论学习不够"},
    "study:meeting_criticism": lambda org: {
        "from_member": str(org.secretary.pk),
        "to_member": str(org.member.pk),
        "matter": "学习不够",
    },
    "study:meeting_item_add": lambda org: {
        "owner": str(org.member.pk),
        "deadline": _later(30),
        "description": "加强学习",
    },
    "study:meeting_item_update": lambda org: {"note": "已开始"},
    "activities:suggestion_create": lambda org: {
        "title": "交接班",
        "situation": "记录不全",
        "problem": "容易遗漏",
        "suggestion": "制定清单",
    },
    "activities:partyday_create": lambda org: {
        "theme": "走进标杆班组",
        "held_on": _later(5),
        "place": "检修一班",
        "destination_kind": "benchmark",
        "destination": "检修一班",
        "participants": [str(org.member.pk), str(org.groupmate.pk)],
    },
    "activities:partyday_contribution_add": lambda org: {"member": str(org.member.pk), "summary": "思想汇报"},
    "activities:partyday_reflection": lambda org: {"text": "很受教育"},
    "activities:post_create": lambda org: {"member": str(org.groupmate.pk), "kind": "safety", "post_name": "巡检岗"},
    "activities:post_end": lambda org: {"reason": "调岗"},
    "activities:post_recognition_create": lambda org: {"member": str(org.member.pk)},
    "activities:warmth_area_edit": lambda org: {"description": "一号机组"},
    "activities:warmth_contact_create": lambda org: {"name": "李师傅"},
    "activities:warmth_help_create": lambda org: {"content": "谈心"},
    "assessment:rate_form": lambda org: _scores("1"),
    "assessment:ballot_rate": lambda org: _scores("1"),
    "assessment:card_return": lambda org: {"comment": "请补充"},
    "assessment:card_check_return": lambda org: {"comment": "请补充"},
    "assessment:card_task_add": lambda org: {"text": "带好新员工"},
    "assessment:period_create": lambda org: {
        "code": "2030",
        "name": "2030年度",
        "starts_on": "2030-01-01",
        "ends_on": "2030-12-31",
    },
}


def test_every_post_endpoint_is_in_the_registry():
    missing = post_endpoints() - set(FORMS) - set(NOT_FUZZED)
    assert not missing, f"POST endpoints without a fuzzing entry in tests/test_bad_input.py: {sorted(missing)}"
    stale = set(FORMS) - post_endpoints()
    assert not stale, f"registry entries for no POST endpoint: {sorted(stale)}"


# ---------------------------------------------------------------------------
# The inputs

# Put into every field at once, for every form.
NASTY = [
    MISSING,
    "",
    "\x00",
    "<script>alert(1)</script>",
    "-1",
    "-99999999999999999999999",
    "NaN",
    "2024-02-30",
    ["1", "2", "<b>x</b>"],
    "x" * 100_000,
    "党" * 5000 + "🇨🇳",
]
# Drawn from, one field at a time, besides the generated values.
MORE_NASTY = [
    *NASTY,
    "   ",
    "abc\x00def",
    "1e309",
    "Infinity",
    "0.25",
    "31/12/2024",
    "0001-01-01",
    "9999-12-31",
    str(2**63),
    "' OR 1=1 --",
    '=HYPERLINK("http://x")',
]

st_date_formats = ["%Y-%m-%d", "%d.%m.%Y", "%Y年%m月%d日", "%m/%d/%y", "%Y-%m-%dT%H:%M:%S", "%Y%m%d"]
_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
VALUES = st.one_of(
    st.sampled_from(MORE_NASTY),
    _text,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(lambda d: d.strftime(st_date_formats[d.day % len(st_date_formats)])),
    st.lists(_text, min_size=2, max_size=4),
    st.binary(max_size=2000),
)


def prepare(org, name: str) -> Prepared:
    return fuzz_posting.prepare(org, name, FORMS[name], FILLS.get(name))


@pytest.fixture(scope="module", autouse=True)
def _count_inputs():
    yield
    print(f"\ntests/test_bad_input.py posted {fuzz_posting.INPUTS_TRIED[0]} inputs")


@pytest.fixture(params=sorted(FORMS))
def prepared(request, org) -> Prepared:
    return prepare(org, request.param)


ALL = -1


def _with(prepared: Prepared, index: int, value) -> tuple[dict, str | None]:
    data = dict(prepared.baseline)
    if index == ALL:
        for name in prepared.fields:
            data[name] = value
        return data, None
    if not prepared.fields:
        data["unexpected"] = value
        return data, "unexpected"
    name = prepared.fields[index % len(prepared.fields)]
    data[name] = value
    return data, name


def _fuzz(prepared: Prepared, index: int, value) -> None:
    if isinstance(value, bytes):
        value = value.decode("latin-1")  # as text in fields; as file content for uploads
    judge(prepared, *_with(prepared, index, value))


# The ends of the calendar, in each date field alone (the other fields valid, so the input
# gets past the form to the services and the database): year 1 in Beijing time is before
# year 1 in UTC, and a day after 9999-12-31 does not exist.
EDGE_DATES = ["0001-01-01", "0001-01-01T00:00", "9999-12-31", "9999-12-31T23:59"]


def _fuzz_one_field_at_a_time(prepared: Prepared) -> None:
    @hypothesis_settings(
        max_examples=10,
        deadline=None,
        derandomize=True,  # the same inputs on every run: a failure in CI reproduces locally
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(index=st.integers(min_value=0, max_value=1000), value=VALUES)
    def fuzzed(index, value):
        _fuzz(prepared, index, value)

    fuzzed()


# One test per form, not one per kind of input: the form's world and its page are built
# and read once for all of its inputs (each input is posted in a transaction that is rolled
# back, so every one of them still meets the same state).
def test_bad_input_is_refused_cleanly(prepared):
    # Every field at once set to each nasty value.
    for value in NASTY:
        judge(prepared, *_with(prepared, ALL, value))
    # The ends of the calendar in each date field alone.
    for name in sorted(prepared.dates):
        for value in EDGE_DATES:
            judge(prepared, prepared.baseline | {name: value}, name)
    # Drawn mutations of one field at a time.
    _fuzz_one_field_at_a_time(prepared)


# ---------------------------------------------------------------------------
# What the fuzzing found, pinned


@pytest.mark.parametrize(
    "name, field",
    [
        ("study:session_create", "assigned_members"),
        ("study:session_create", "also_counts_for"),
        ("study:meeting_create", "participants"),
        ("activities:partyday_create", "participants"),
        ("activities:partyday_create", "counts_for"),
    ],
)
def test_an_id_past_64_bits_in_a_multiple_choice_is_refused_on_its_field(org, name, field):
    prepared = prepare(org, name)
    before = snapshot()
    response = post(prepared, prepared.baseline | {field: [str(org.member.pk), str(2**64)]})
    assert response.status_code == 200
    assert field in form_errors(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    "name, prefix",
    [("study:session_attendance", "att"), ("activities:partyday_participants", "p")],
)
def test_a_list_form_with_its_initial_count_lowered_checks_every_row(org, name, prefix):
    prepared = prepare(org, name)
    before = snapshot()
    data = prepared.baseline | {f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-0-reason": "x" * 201}
    response = post(prepared, data)
    assert response.status_code == 200
    assert f"{prefix}-0-reason" in form_errors(response)
    assert "200" in response.content.decode()  # the row's error is on the page
    assert snapshot() == before


@pytest.mark.parametrize("name", ["password_change", "members:login", "members:masses_login"])
def test_a_short_password_is_refused_in_chinese(org, name):
    prepared = prepare(org, name)
    fields = [f for f in prepared.fields if "password" in f]
    response = post(prepared, prepared.baseline | dict.fromkeys(fields, "a1"))
    messages = [m for ms in form_errors(response).values() for m in ms]
    assert any("密码长度太短" in m and "8" in m for m in messages), messages
