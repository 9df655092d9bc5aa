"""The Django admin is a door too: a branch committee meeting saved there is attended by the
branch committee and only it (StudySession.clean), as on the session pages, so the committee
line of 三会一课 cannot be met by a meeting of the whole branch entered through the admin."""

from __future__ import annotations

import datetime

from django.contrib.admin.widgets import AdminSplitDateTime
from django.urls import reverse
from django.utils import timezone

from study.models import StudySession
from study.tests.factories import StudySessionFactory


def _post_data(page, **changes) -> dict:
    """What the admin's change (or add) form would send back as rendered, with ``changes``."""
    form = page.context["adminform"].form
    data: dict = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, AdminSplitDateTime):
            moment = timezone.localtime(value) if isinstance(value, datetime.datetime) else None
            data[f"{name}_0"] = moment.strftime("%Y-%m-%d") if moment else ""
            data[f"{name}_1"] = moment.strftime("%H:%M:%S") if moment else ""
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    for name, value in changes.items():
        if isinstance(value, datetime.datetime):
            moment = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M:%S")
        else:
            data[name] = value
    return data


def _committee_meeting(org) -> StudySession:
    return StudySessionFactory(
        branch=org.branch_a,
        kind=StudySession.Kind.COMMITTEE,
        audience=StudySession.Audience.COMMITTEE,
        title="支委会：研究党员发展工作",
        location="支部会议室",
        duration_minutes=60,
    )


def test_the_admin_saves_a_committee_meeting_for_the_committee(client_for, org):
    """The form data is complete: a change that keeps the rule is saved."""
    session = _committee_meeting(org)
    client = client_for(org.admin)
    url = reverse("admin:study_studysession_change", args=[session.pk])
    response = client.post(url, _post_data(client.get(url), title="支委会：研究季度评议安排"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    session.refresh_from_db()
    assert session.title == "支委会：研究季度评议安排"


def test_the_admin_refuses_a_committee_meeting_for_the_whole_branch(client_for, org):
    session = _committee_meeting(org)
    client = client_for(org.admin)
    url = reverse("admin:study_studysession_change", args=[session.pk])
    response = client.post(url, _post_data(client.get(url), audience=StudySession.Audience.BRANCH))
    assert response.status_code == 200
    assert "audience" in response.context["adminform"].form.errors
    session.refresh_from_db()
    assert session.audience == StudySession.Audience.COMMITTEE


def test_the_admin_adds_no_committee_meeting_for_the_whole_branch(client_for, org):
    client = client_for(org.admin)
    url = reverse("admin:study_studysession_add")
    data = _post_data(
        client.get(url),
        branch=str(org.branch_a.pk),
        kind=StudySession.Kind.COMMITTEE,
        title="支委会：全体党员参加",
        content_tag=StudySession.ContentTag.HIGHER,
        content="研究支部工作计划",
        requirements="会前准备意见",
        starts_at=timezone.now() - datetime.timedelta(days=3),
        duration_minutes="60",
        audience=StudySession.Audience.BRANCH,
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "audience" in response.context["adminform"].form.errors
    assert not StudySession.objects.filter(title="支委会：全体党员参加").exists()
    # The same meeting for the committee is added: the refusal above is the audience's.
    response = client.post(url, {**data, "audience": StudySession.Audience.COMMITTEE})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert StudySession.objects.get(title="支委会：全体党员参加").audience == StudySession.Audience.COMMITTEE


def test_the_admin_refuses_the_committee_as_audience_of_another_kind(client_for, org):
    session = StudySessionFactory(branch=org.branch_a, kind=StudySession.Kind.ASSEMBLY)
    client = client_for(org.admin)
    url = reverse("admin:study_studysession_change", args=[session.pk])
    response = client.post(url, _post_data(client.get(url), audience=StudySession.Audience.COMMITTEE))
    assert response.status_code == 200
    assert "audience" in response.context["adminform"].form.errors
    session.refresh_from_db()
    assert session.audience == StudySession.Audience.BRANCH
