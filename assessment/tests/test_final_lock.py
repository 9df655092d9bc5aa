"""Finalised results are locked for good (issue 17): no rating, weight, rubric, result or
objection changes, for anyone, through any door — the services, the app's pages, the
commands, the Django admin and the ORM itself (assessment/locks.py) — and nothing is
written where a door is refused. The flag board and the talks read the final results."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.locks import PeriodLocked
from assessment.models import Objection, Period, RaterGroup, Rating, Result, Rubric, RubricItem
from assessment.receivers import talk_outcomes_from_results
from assessment.services import AssessmentError
from assessment.services import objections as objection_services
from assessment.services import periods as period_services
from assessment.services import results as result_services
from assessment.services.ballots.template_import import ratings_import
from assessment.services.ratings import rating_save
from assessment.tests.excel_helpers import ratings_workbook
from assessment.tests.factories import full_scores, scores_totalling
from assessment.tests.test_objection_services import build
from assessment.tests.test_rubric_editor import editor_data
from members.models import Member
from study.models import Talk

pytestmark = pytest.mark.django_db


def finalize(period, actor) -> Period:
    Period.objects.filter(pk=period.pk).update(publicity_ends_on=timezone.localdate() - datetime.timedelta(days=1))
    objection_services.results_finalize(actor=actor, period_id=period.pk)
    period.refresh_from_db()
    return period


@pytest.fixture
def final(org):
    """The objections world (test_objection_services.build), the member's objection ruled
    (upheld) in the window, then finalised."""
    period = build(org)
    objection = objection_services.objection_file(actor=org.member.user, period_id=period.pk, reason="复核")
    objection_services.objection_rule(
        actor=org.secretary.user,
        objection_id=objection.pk,
        version=objection.version,
        upheld=True,
        ruling="更正",
        org_scores=scores_totalling(period, Decimal(100)),
    )
    return finalize(period, org.admin)


def snapshot(period) -> dict:
    """Everything a door could change, to compare before and after."""
    return {
        "period": Period.objects.filter(pk=period.pk).values().get(),
        "ratings": list(Rating.objects.filter(period=period).order_by("pk").values()),
        "results": list(Result.objects.filter(period=period).order_by("pk").values()),
        "objections": list(Objection.objects.filter(period=period).order_by("pk").values()),
        "rubric": list(RubricItem.objects.filter(rubric=period.rubric).order_by("pk").values()),
        "rubric_row": Rubric.objects.filter(pk=period.rubric_id).values().get(),
        "talks": list(Talk.objects.order_by("pk").values()),
    }


@pytest.fixture
def unchanged(final):
    """Asserts after the test that the final period's records are as they were."""
    before = snapshot(final)
    yield
    assert snapshot(final) == before


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


LOCKED = "The results of %(period)s are final: it is locked for good."


# --- the services ----------------------------------------------------------------------


def test_the_world_is_final(org, final):
    assert final.is_final and final.state == Period.State.FINAL and final.finalized_at is not None
    assert Result.objects.get(period=final, member=org.member).total == Decimal("87.00")


def test_no_rating_is_saved_by_the_form_service(org, final, unchanged):
    with pytest.raises(AssessmentError):
        rating_save(
            actor=org.member.user,
            period_id=final.pk,
            ratee_id=org.member.pk,
            rater_group=RaterGroup.SELF,
            scores=full_scores(final),
        )
    with pytest.raises(AssessmentError):
        rating_save(
            actor=org.secretary.user,
            period_id=final.pk,
            ratee_id=org.leader.pk,
            rater_group=RaterGroup.ORG,
            scores=full_scores(final),
        )


def test_no_rating_is_imported(org, final, unchanged):
    codes = list(final.rubric.items.order_by("position", "code").values_list("code", flat=True))
    row = {"ratee_employee_no": org.member.employee_no, "ratee_name": "", "rater_group": "org", "rater": ""}
    row |= {"ballot_no": "", **{c: float(v) for c, v in full_scores(final).items()}}
    report = ratings_import(period_id=final.pk, file=ratings_workbook([row], codes), actor=org.admin)
    assert not report.ok
    assert report.errors[0].message == _("Rating is not open for %(period)s.") % {"period": final.name}


def test_no_weight_changes(org, final, unchanged):
    weights = {"weight_self": Decimal("0.2"), "weight_org": Decimal("0.3")}
    with pytest.raises(AssessmentError) as refused:
        period_services.period_update(actor=org.admin, period_id=final.pk, version=final.version, data=weights)
    assert refused.value.message == _(LOCKED) % {"period": final.name}


def test_no_rubric_changes(org, final, unchanged):
    data = {"name": "改名", "description": "", "areas": []}
    with pytest.raises(AssessmentError):
        period_services.rubric_update(actor=org.admin, rubric_id=final.rubric_id, data=data)


def test_results_are_neither_computed_nor_published_again(org, final, unchanged):
    with pytest.raises(AssessmentError):
        result_services.results_compute(actor=org.admin, period_id=final.pk)
    with pytest.raises(AssessmentError):
        result_services.results_compute(actor=None, period_id=final.pk)
    with pytest.raises(AssessmentError):
        result_services.results_publish(actor=org.admin, period_id=final.pk)


def test_no_objection_is_filed_or_ruled(org, final, unchanged):
    with pytest.raises(AssessmentError):
        objection_services.objection_file(actor=org.groupmate.user, period_id=final.pk, reason="晚了")


def test_a_stray_open_objection_cannot_be_ruled_once_final(org, final):
    # Written past the lock (bulk_create sends no signal), as a stand-in for any
    # objection left open: a ruling on it would change a final result.
    stray = Objection.objects.bulk_create(
        [
            Objection(
                period=final,
                member=org.groupmate,
                branch=org.branch_a,
                reason="x",
                total_before=Decimal(86),
                flag_before="yellow",
            )
        ]
    )[0]
    before = snapshot(final)
    with pytest.raises(AssessmentError):
        objection_services.objection_rule(
            actor=org.secretary.user,
            objection_id=stray.pk,
            version=1,
            upheld=True,
            ruling="更正",
            org_scores=scores_totalling(final, Decimal(100)),
        )
    assert snapshot(final) == before


def test_the_period_is_neither_opened_nor_closed(org, final, unchanged):
    with pytest.raises(AssessmentError):
        period_services.period_close(actor=org.admin, period_id=final.pk)
    with pytest.raises((AssessmentError, ValidationError)):
        period_services.period_open(actor=org.admin, period_id=final.pk)


def test_finalising_again_is_refused(org, final, unchanged):
    with pytest.raises(AssessmentError):
        objection_services.results_finalize(actor=org.admin, period_id=final.pk, early=True)
    assert objection_services.finalize_due(today=timezone.localdate() + datetime.timedelta(days=60)) == []


# --- the app's pages ----------------------------------------------------------------------


def test_the_rating_form_refuses(client_for, org, final, unchanged):
    url = reverse("assessment:rate_form", args=[final.code, org.member.pk, "self"])
    response = client_for(org.member).post(url, full_scores(final) | {"version": "1"}, follow=True)
    assert response.status_code == 200
    assert _("Rating is not open for %(period)s.") % {"period": final.name} in messages_of(response)


def test_the_period_edit_page_refuses(client_for, org, final, unchanged):
    url = reverse("assessment:period_edit", args=[final.pk])
    data = {
        "code": final.code,
        "name": "改名",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "rubric": final.rubric_id,
        "weight_self": "0.25",
        "weight_peer": "0.25",
        "weight_masses": "0.25",
        "weight_org": "0.25",
        "version": final.version,
    }
    response = client_for(org.admin).post(url, data, follow=True)
    assert response.status_code == 200 and messages_of(response)


@pytest.mark.parametrize(
    "name", ["period_compute", "period_publish", "period_close", "period_open"], ids=lambda n: n.removeprefix("period_")
)
def test_the_period_buttons_refuse(client_for, org, final, unchanged, name):
    response = client_for(org.admin).post(reverse(f"assessment:{name}", args=[final.pk]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == final.get_absolute_url()
    assert messages_of(response)


def test_the_rubric_editor_refuses(client_for, org, final, unchanged):
    url = reverse("assessment:rubric_edit", args=[final.rubric_id])
    response = client_for(org.admin).post(url, editor_data(final.rubric, **{"rubric-name": "改名"}), follow=True)
    assert response.status_code == 200
    assert _("This rubric is in use by a period that has opened; copy it to make changes.") in messages_of(response)


# --- the commands -------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["compute_results", "publish_results", "close_rating", "finalize_results"], ids=str)
def test_the_commands_refuse(org, final, unchanged, command):
    with pytest.raises(CommandError):
        call_command(command, "--period", final.code, stdout=io.StringIO(), stderr=io.StringIO())


def test_import_ratings_refuses(org, final, unchanged, tmp_path):
    codes = list(final.rubric.items.order_by("position", "code").values_list("code", flat=True))
    row = {"ratee_employee_no": org.member.employee_no, "ratee_name": "", "rater_group": "org", "rater": ""}
    row |= {"ballot_no": "", **{c: float(v) for c, v in full_scores(final).items()}}
    path = tmp_path / "ratings.xlsx"
    path.write_bytes(ratings_workbook([row], codes).getvalue())
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_ratings", str(path), "--period", final.code, stdout=out, stderr=out)


def test_finalize_results_early_again_refuses(org, final, unchanged):
    with pytest.raises(CommandError):
        call_command("finalize_results", "--period", final.code, "--early", stdout=io.StringIO())


# --- the Django admin ---------------------------------------------------------------------


def admin_url(model, action, *args):
    return reverse(f"admin:assessment_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def superuser(client_for, org):
    return client_for(org.admin)


def test_the_admin_shows_a_final_period_and_its_results_read_only(superuser, org, final):
    for url in (
        admin_url(Period, "change", final.pk),
        admin_url(Result, "change", Result.objects.get(period=final, member=org.member).pk),
        admin_url(Rubric, "change", final.rubric_id),
        admin_url(Objection, "change", Objection.objects.get(period=final).pk),
    ):
        response = superuser.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert 'name="_save"' not in content and 'name="_continue"' not in content, url
        assert "deletelink" not in content, url


def test_the_admin_refuses_to_change_a_final_period(superuser, org, final, unchanged):
    data = {"code": final.code, "name": "改名", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}
    data |= {"rubric": final.rubric_id, "weight_self": "0.25", "weight_peer": "0.25", "weight_masses": "0.25"}
    data |= {"weight_org": "0.25", "publicity_days": "5", "_save": "1"}
    assert superuser.post(admin_url(Period, "change", final.pk), data).status_code == 403


def test_the_admin_refuses_to_revert_a_final_period_or_its_rubric_to_an_older_version(superuser, org, final, unchanged):
    rubric = Rubric.objects.get(pk=final.rubric_id)
    if not rubric.history.exists():  # the default rubric may come from a migration, without history
        Rubric.history.model.objects.create(
            id=rubric.pk,
            name=rubric.name,
            description="",
            created_at=rubric.created_at,
            history_type="+",
            history_date=timezone.now(),
        )
    for model, pk in ((Period, final.pk), (Rubric, final.rubric_id)):
        version = model.history.filter(id=pk).earliest()
        url = admin_url(model, "simple_history", pk, version.history_id)
        response = superuser.post(url, {"name": "旧版本", "_save": "1"})
        assert response.status_code == 403, model


@pytest.mark.parametrize("model", [Period, Result, Rubric])
def test_the_admin_refuses_to_delete_a_final_periods_records(superuser, org, final, unchanged, model):
    pk = {
        Period: final.pk,
        Result: Result.objects.filter(period=final).values_list("pk", flat=True).first(),
        Rubric: final.rubric_id,
    }[model]
    assert superuser.get(admin_url(model, "delete", pk)).status_code == 403
    assert superuser.post(admin_url(model, "delete", pk), {"post": "yes"}).status_code == 403


def test_the_admin_refuses_to_change_the_rubric_of_a_final_period(superuser, org, final, unchanged):
    item = final.rubric.items.first()
    data = {"name": "改名", "description": "", "_save": "1"}
    data |= {"areas-TOTAL_FORMS": "0", "areas-INITIAL_FORMS": "0", "items-TOTAL_FORMS": "1"}
    data |= {"items-INITIAL_FORMS": "1", "items-0-id": item.pk, "items-0-code": item.code, "items-0-name": "改"}
    data |= {"items-0-area": item.area_id, "items-0-max_score": "99", "items-0-position": "0"}
    assert superuser.post(admin_url(Rubric, "change", final.rubric_id), data).status_code == 403


def test_deleting_selected_results_that_include_a_final_periods_is_refused(superuser, org, final, unchanged):
    """The confirmation page says the account may not delete them; confirming is refused."""
    ids = list(Result.objects.filter(period=final).values_list("pk", flat=True))
    logged = LogEntry.objects.count()
    action = {"action": "delete_selected", "_selected_action": ids}
    response = superuser.post(admin_url(Result, "changelist"), action)
    assert response.status_code == 200 and response.context["perms_lacking"]
    assert superuser.post(admin_url(Result, "changelist"), action | {"post": "yes"}).status_code == 403
    assert LogEntry.objects.count() == logged


def test_the_admin_lists_objections_to_read_only(superuser, org, final):
    response = superuser.get(reverse("admin:assessment_objection_changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    assert org.member.name in content
    assert superuser.get(reverse("admin:assessment_objection_add")).status_code == 403
    objection = Objection.objects.get(period=final)
    assert superuser.post(admin_url(Objection, "change", objection.pk), {"ruling": "改"}).status_code == 403
    assert superuser.post(admin_url(Objection, "delete", objection.pk), {"post": "yes"}).status_code == 403
    for query in ("?state__exact=upheld", f"?period__id__exact={final.pk}", f"?branch__id__exact={org.branch_a.pk}"):
        assert superuser.get(reverse("admin:assessment_objection_changelist") + query).status_code == 200


def test_deleting_a_member_with_final_results_in_the_admin_is_refused(superuser, org, final):
    """The cascade would reach their final result and objection, which the admin may not
    delete: the confirmation page says so, and confirming is refused."""
    before = snapshot(final)
    logged = LogEntry.objects.count()
    url = reverse("admin:members_member_delete", args=[org.member.pk])
    response = superuser.get(url)
    assert response.status_code == 200 and response.context["perms_lacking"]
    assert superuser.post(url, {"post": "yes"}).status_code == 403
    action = {"action": "delete_selected", "_selected_action": [org.member.pk, org.member_a2.pk], "post": "yes"}
    assert superuser.post(reverse("admin:members_member_changelist"), action).status_code == 403
    assert Member.objects.filter(pk__in=[org.member.pk, org.member_a2.pk]).count() == 2
    assert snapshot(final) == before and LogEntry.objects.count() == logged


def test_deleting_a_member_with_only_final_ratings_in_the_admin_is_refused_with_a_message(superuser, org, final):
    """Ratings have no admin to ask: the lock refuses in the cascade, and the admin shows its
    message (partybuild/lib/admin_refusals.py) instead of a server error, writing nothing."""
    # A member rated in the period who has no result or objection there (one who left
    # before it was computed, say): removed past the lock for the test.
    Result.objects.filter(period=final, member=org.member)._raw_delete(Result.objects.db)
    Objection.objects.filter(period=final, member=org.member)._raw_delete(Objection.objects.db)
    before = snapshot(final)
    logged = LogEntry.objects.count()
    url = reverse("admin:members_member_delete", args=[org.member.pk])
    response = superuser.post(url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert _(LOCKED) % {"period": final.name} in messages_of(response)
    assert response.redirect_chain[-1][0] == reverse("admin:members_member_change", args=[org.member.pk])
    assert Member.objects.filter(pk=org.member.pk).exists()
    assert snapshot(final) == before and LogEntry.objects.count() == logged
    # And the same through "delete selected" on the members' list.
    action = {"action": "delete_selected", "_selected_action": [org.member.pk, org.member_a2.pk], "post": "yes"}
    response = superuser.post(reverse("admin:members_member_changelist"), action, follow=True)
    assert response.status_code == 200
    assert _(LOCKED) % {"period": final.name} in messages_of(response)
    assert Member.objects.filter(pk__in=[org.member.pk, org.member_a2.pk]).count() == 2
    assert snapshot(final) == before and LogEntry.objects.count() == logged


def test_a_member_without_final_records_is_still_deleted_in_the_admin(superuser, org, final):
    url = reverse("admin:members_member_delete", args=[org.member_a2.pk])
    response = superuser.post(url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert not Member.objects.filter(pk=org.member_a2.pk).exists()


# --- the ORM --------------------------------------------------------------------------------


class Refused:
    """The door is refused, and the test's transaction goes on (a refused delete() leaves
    the transaction it ran in unusable, as any database error inside atomic does)."""

    def __init__(self, *errors):
        self.raises = pytest.raises(errors or (PeriodLocked,))
        self.atomic = transaction.atomic()

    def __enter__(self):
        self.raises.__enter__()
        self.atomic.__enter__()

    def __exit__(self, *exc):
        suppressed = self.atomic.__exit__(*exc)
        return self.raises.__exit__(*exc) or suppressed


@pytest.mark.parametrize("model", [Rating, Result, Objection])
def test_the_orm_refuses_saves_and_deletes_of_a_final_periods_records(org, final, unchanged, model):
    instance = model.objects.filter(period=final).first()
    with Refused():
        instance.save()
    with Refused():
        instance.delete()
    with Refused():
        model.objects.filter(period=final).delete()


@pytest.mark.parametrize("model", [Rating, Result, Objection])
def test_the_orm_refuses_to_move_a_final_periods_record_to_another_period(org, final, unchanged, model):
    other = Period.objects.create(
        code="2027",
        name="2027年度",
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
        rubric=final.rubric,
    )
    instance = model.objects.filter(period=final).first()
    instance.period = other
    with Refused():
        instance.save()


def test_the_orm_refuses_to_move_an_item_out_of_a_final_periods_rubric(org, final, unchanged):
    spare = Rubric.objects.create(name="备用")
    item = RubricItem.objects.filter(rubric=final.rubric).first()
    item.rubric = spare
    with Refused():
        item.save()
    area = item.area
    area.rubric = spare
    with Refused():
        area.save()


def test_the_orm_refuses_a_new_rating_in_a_final_period(org, final, unchanged):
    with Refused():
        Rating.objects.create(
            period=final,
            ratee=org.member_a2,
            rater_group=RaterGroup.ORG,
            scores=full_scores(final),
            total=Decimal(100),
        )


def test_the_orm_refuses_saves_and_deletes_of_the_period_and_its_rubric(org, final, unchanged):
    with Refused():
        Period.objects.get(pk=final.pk).save()
    # Its objections protect it before the lock is asked; either refuses.
    with Refused(PeriodLocked, ProtectedError):
        Period.objects.get(pk=final.pk).delete()
    rubric = Rubric.objects.get(pk=final.rubric_id)
    with Refused():
        rubric.save()
    item = rubric.items.first()
    item.max_score = Decimal(1)
    with Refused():
        item.save()
    with Refused():
        item.area.delete()


def test_a_member_with_final_records_is_not_deleted_through_the_orm_either(org, final, unchanged):
    with Refused():
        Member.objects.get(pk=org.member.pk).delete()


def test_deleting_a_party_group_of_final_results_is_refused_through_every_door(superuser, org, final, unchanged):
    """A group's deletion would empty the group of the final results posted under it (a
    SET NULL, which no save signal sees): refused, in the ORM and in both admin doors
    (the group's own delete page, and the branch's page with the group's row ticked)."""
    from members.models import PartyGroup

    assert Result.objects.filter(period=final, group=org.group_a1).exists()
    with Refused():
        PartyGroup.objects.get(pk=org.group_a1.pk).delete()
    response = superuser.post(
        reverse("admin:members_partygroup_delete", args=[org.group_a1.pk]), {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert _(LOCKED) % {"period": final.name} in messages_of(response)
    groups = list(org.branch_a.groups.order_by("pk"))
    data = {"name": org.branch_a.name, "sort_order": "0", "_save": "1"}
    data |= {"groups-TOTAL_FORMS": str(len(groups)), "groups-INITIAL_FORMS": str(len(groups))}
    data |= {"groups-MIN_NUM_FORMS": "0", "groups-MAX_NUM_FORMS": "1000"}
    for i, group in enumerate(groups):
        data |= {f"groups-{i}-id": group.pk, f"groups-{i}-branch": org.branch_a.pk, f"groups-{i}-name": group.name}
        data |= {f"groups-{i}-leader": group.leader_id or "", f"groups-{i}-sort_order": "0"}
        if group == org.group_a1:
            data[f"groups-{i}-DELETE"] = "on"
    response = superuser.post(reverse("admin:members_branch_change", args=[org.branch_a.pk]), data, follow=True)
    assert response.status_code == 200
    assert _(LOCKED) % {"period": final.name} in messages_of(response)
    assert PartyGroup.objects.filter(pk=org.group_a1.pk).exists()


def test_a_party_group_without_final_results_is_still_deleted(superuser, org, final):
    from members.models import PartyGroup

    empty = PartyGroup.objects.create(branch=org.branch_a, name="新党小组")
    response = superuser.post(reverse("admin:members_partygroup_delete", args=[empty.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not PartyGroup.objects.filter(pk=empty.pk).exists()


# --- the final results are what the flag board and the talks read -----------------------------


def test_the_flag_board_shows_the_final_results(client_for, org, final):
    response = client_for(org.member).get(reverse("assessment:flagboard", args=[final.code, org.branch_a.pk]))
    assert response.status_code == 200
    assert org.member.name in response.content.decode()


def test_the_follow_up_talks_read_the_final_results(org, final):
    talk = Talk.objects.get(subject=f"assessment:{final.code}", member=org.member)
    outcomes = talk_outcomes_from_results(sender=Talk, talks=[talk])
    assert outcomes[talk.pk]["flag"] == "yellow" and outcomes[talk.pk]["total"] == Decimal("87.00")
    # The ruled total, not the one first published (85.00), is the talk's reason too.
    assert "87.00" in talk.reason
