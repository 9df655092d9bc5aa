"""The scope sweep: every URL that takes an object id, asked for someone else's object.

The sweep enumerates the URL patterns itself, so a new view is covered without anyone
remembering it: a pattern with a parameter that the registry below cannot fill with an
out-of-scope object makes the test fail, naming the pattern. To cover a new view, add
an entry to ``REGISTRY`` saying how to find an object of someone else's (say, a report
of ``member_b`` in branch B) and, for POST, a plausible payload.

Each persona (a member, a group leader, the secretary and a committee member of
branch A, a masses rater, an anonymous visitor) requests each target with GET and
POST. A GET must not answer 2xx (unless the page is the persona's own, see
``Target.own_page``) and must never contain the target's marker text; an anonymous
visitor is sent to the login page or refused. A POST must not answer 2xx and must
leave every row of every table exactly as it was.

The whole sweep is one test over one fixture world, and it reports every leak it
finds, not just the first.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from study.models import (
    QuarterlyReport,
)
from tests.scope_sweep_world import (
    ALL,
    COMMITTEE,
    MARK,
    NOT_COMMITTEE,
    PERSONAS,
    TOKEN_VIEWS,
    Pattern,
    Target,
    _marker,
    body_text,
    build_world,
    is_login_redirect,
    patterns_with_params,
    snapshot,
    tables_written,
)

pytestmark = pytest.mark.django_db
# ---------------------------------------------------------------------------
# The registry: URL name -> how to find objects of someone else's, and what to POST


def _member_b(w, **post) -> list[Target]:
    o = w.org
    return [
        Target("member_b", {"member_pk": o.member_b.pk}, (w.name_b, _marker("post-b")), post=post),
        Target("member_a2", {"member_pk": o.member_a2.pk}, (w.name_a2, _marker("post-a2")), NOT_COMMITTEE, post=post),
    ]


def _as_pk(targets: list[Target]) -> list[Target]:
    return [Target(t.label, {"pk": t.kwargs["member_pk"]}, t.markers, t.personas, t.post) for t in targets]


def _report(report, markers, personas=ALL, **post) -> Target:
    return Target(f"report {report.member.name} {report.status}", {"pk": report.pk}, markers, personas, post)


def _reports(w, statuses, **post) -> list[Target]:
    by_status = {
        QuarterlyReport.Status.DRAFT: w.report_b_draft,
        QuarterlyReport.Status.WITH_GROUP: w.report_b_group,
        QuarterlyReport.Status.WITH_BRANCH: w.report_b_branch,
    }
    targets = [_report(by_status[s], (_marker(f"report-b-{s.split('_')[-1]}"),), **post) for s in statuses]
    targets.append(_report(w.report_a2_draft, (_marker("report-a2-draft"),), NOT_COMMITTEE, **post))
    # Not yet submitted to the group: the group leader must not see it either.
    targets.append(
        _report(w.report_mate_draft, (_marker("report-mate-draft"),), frozenset({"leader", "masses"}), **post)
    )
    return targets


REPORT_TEXTS = {"version": "1", "insights": MARK + "-written", "analysis": MARK + "-written", "submit": "1"}
APPROVE = {"grade": "excellent", "truly_studied": "on", "truly_checked": "on", "truly_rectified": "on"}
APPROVE |= {"evaluation": MARK + "-graded"}
RETURN = {"sections": ["insights"], "comment": MARK + "-returned"}


def _meeting(w, **post) -> list[Target]:
    return [Target("meeting B", {"pk": w.meeting_b.pk}, (_marker("meeting-b"), _marker("selfcrit-b")), post=post)]


def _day(w, **post) -> list[Target]:
    return [Target("party day B", {"pk": w.day_b.pk}, (_marker("partyday-b"), _marker("reflection-b")), post=post)]


def _card(w, **post) -> list[Target]:
    return [
        Target("goal card B", {"pk": w.card_b.pk}, (_marker("card-b-goals"), _marker("task-b")), post=post),
        Target("pledge B", {"pk": w.pledge_b.pk}, (_marker("card-pledge-b-goals"),), post=post),
        Target("draft card A2", {"pk": w.card_a2.pk}, (_marker("card-a2-goals"),), NOT_COMMITTEE, post=post),
    ]


def _check(w, **post) -> list[Target]:
    return [
        Target(
            "goal card B Q1",
            {"pk": w.card_b.pk, "checkpoint": "q1"},
            (_marker("check-b"), _marker("task-b")),
            post=post,
        ),
        Target(
            "draft card A2 Q1",
            {"pk": w.card_a2.pk, "checkpoint": "q1"},
            (w.name_a2, _marker("card-a2-goals")),
            NOT_COMMITTEE,
        ),
    ]


def _published(w, pk_key=None, pk=None, personas=ALL, markers=None) -> Target:
    kwargs = {"code": w.published.code}
    if pk_key:
        kwargs[pk_key] = pk
    return Target(f"{pk_key or 'code'}={pk}", kwargs, markers or (w.name_b,), personas, post={})


def _masses_b(w, marked=True, **post) -> list[Target]:
    return [Target("B's masses rater", {"pk": w.masses_b.pk}, (w.masses_b.name,) if marked else (), post=post)]


def _ruling() -> dict:
    return {"version": "1", "decision": "rejected", "ruling": MARK}


def _admin_only(label, kwargs, markers, **post) -> list[Target]:
    return [Target(label, kwargs, markers, post=post)]


# Every URL name with parameters -> function(world) -> targets. A target's kwargs must
# match the pattern's parameters (two patterns may share a name).
REGISTRY: dict[str, Callable[[SimpleNamespace], list[Target]]] = {
    # members
    "members:detail": lambda w: _as_pk(_member_b(w)),
    "members:edit": lambda w: _as_pk(_member_b(w, name=MARK + "-renamed", version="1")),
    "members:login": lambda w: _as_pk(_member_b(w, password1="Zq9!scope-sweep", password2="Zq9!scope-sweep")),
    "members:history": lambda w: _as_pk(_member_b(w)),
    "members:masses_edit": lambda w: _masses_b(w, ratees=[w.org.member_b.pk], name=MARK, employee_no="QX1"),
    "members:masses_login": lambda w: _masses_b(w, password1="Zq9!scope-sweep", password2="Zq9!scope-sweep"),
    "members:masses_deactivate": lambda w: _masses_b(w, marked=False),
    "members:masses_reactivate": lambda w: _masses_b(w, marked=False),
    # study: sessions and records
    "study:session_detail": lambda w: [Target("session B", {"pk": w.session_b.pk}, (_marker("session-b"),))],
    "study:session_edit": lambda w: [
        Target("session B", {"pk": w.session_b.pk}, (_marker("session-b"),), post={"title": MARK + "-edited"})
    ],
    "study:session_attendance": lambda w: [
        Target(
            "session B",
            {"pk": w.session_b.pk},
            (_marker("session-b"),),
            post={"a-TOTAL_FORMS": "1", "a-INITIAL_FORMS": "1", "a-0-member_id": str(w.org.member_b.pk)}
            | {"a-0-status": "absent"},
        )
    ],
    "study:member_record": lambda w: _member_b(w),
    # study: reports
    "study:report_mine": lambda w: [
        Target(
            "own report",
            {"quarter": w.quarter.code},
            (_marker("report-b-draft"), _marker("report-a2-draft")),
            own_page=True,
        )
    ],
    "study:report_detail": lambda w: _reports(w, ["draft", "with_group", "with_branch"]),
    "study:report_print": lambda w: _reports(w, ["with_branch"]),
    "study:report_docx": lambda w: _reports(w, ["draft", "with_group", "with_branch"]),
    "study:report_edit": lambda w: _reports(w, ["draft"], **REPORT_TEXTS),
    "study:report_submit": lambda w: _reports(w, ["draft"]),
    "study:report_forward": lambda w: _reports(w, ["with_group"], opinion=MARK + "-forwarded"),
    "study:report_return": lambda w: _reports(w, ["with_group", "with_branch"], **RETURN),
    "study:report_approve": lambda w: _reports(w, ["with_branch"], **APPROVE),
    "study:talk_detail": lambda w: [
        Target(
            "talk B",
            {"pk": w.talk_b.pk},
            (_marker("talk-b"),),
            post={"talked_on": str(timezone.localdate()), "talked_by": "X", "problems": MARK, "response": MARK}
            | {"plan": MARK},
        )
    ],
    # study: criticism meetings
    "study:meeting_detail": lambda w: _meeting(w),
    "study:meeting_edit": lambda w: _meeting(w, title=MARK + "-edited", kind="organisational", version="1"),
    "study:meeting_docx": lambda w: _meeting(w),
    "study:meeting_self_criticism": lambda w: [
        Target("meeting B", {"pk": w.meeting_b.pk}, (_marker("selfcrit-b"),), post={"content": MARK, "version": "1"}),
        Target(
            "meeting B, member_b",
            {"pk": w.meeting_b.pk, "member_pk": w.org.member_b.pk},
            (_marker("selfcrit-b"),),
            post={"content": MARK, "version": "1"},
        ),
        Target(
            "meeting A, member_b",
            {"pk": w.meeting_a.pk, "member_pk": w.org.member_b.pk},
            (w.name_b,),
            COMMITTEE,
            post={"content": MARK, "version": "1"},
        ),
    ],
    "study:meeting_criticism": lambda w: _meeting(
        w, from_member=w.org.other_secretary.pk, to_member=w.org.member_b.pk, matter=MARK
    ),
    "study:meeting_item_add": lambda w: _meeting(
        w, owner=w.org.member_b.pk, description=MARK, deadline=str(timezone.localdate())
    ),
    "study:meeting_item_update": lambda w: [
        Target(
            "meeting B item",
            {"pk": w.meeting_b.pk, "item_pk": w.rect_b.pk},
            (_marker("rectify-b"),),
            post={"status": "done", "note": MARK},
        ),
        Target(
            "meeting A with B's item",
            {"pk": w.meeting_a.pk, "item_pk": w.rect_b.pk},
            (_marker("rectify-b"),),
            COMMITTEE,
            post={"status": "done", "note": MARK},
        ),
    ],
    # activities: suggestions
    "activities:suggestion_detail": lambda w: [
        Target("suggestion B", {"pk": w.suggestion_b.pk}, (_marker("suggestion-b"),)),
        Target("suggestion A2", {"pk": w.suggestion_a2.pk}, (_marker("suggestion-a2"),), NOT_COMMITTEE),
    ],
    "activities:suggestion_edit": lambda w: [
        Target(
            "suggestion B",
            {"pk": w.suggestion_b.pk},
            (_marker("suggestion-b"),),
            post={"title": MARK, "situation": MARK, "problem": MARK, "suggestion": MARK, "version": "1"},
        )
    ],
    "activities:suggestion_action": lambda w: [
        Target(
            f"suggestion B {action}",
            {"pk": w.suggestion_b.pk, "action": action},
            (_marker("suggestion-b"),),
            post={f"{action}-text": MARK, f"{action}-version": "1"},
        )
        for action in ("acknowledge", "reply", "close", "withdraw", "comment", "escalate")
    ],
    # activities: themed Party days
    "activities:partyday_detail": lambda w: _day(w),
    "activities:partyday_edit": lambda w: _day(
        w, kind="interactive", theme=MARK, held_on=str(timezone.localdate()), place="X", version="1"
    ),
    "activities:partyday_participants": lambda w: _day(w, summary=MARK, version="1", **{"p-TOTAL_FORMS": "0"}),
    "activities:partyday_cancel": lambda w: _day(w, reason=MARK, version="1"),
    "activities:partyday_contribution_add": lambda w: _day(w, member=w.org.member_b.pk, kind="story", summary=MARK),
    "activities:partyday_contribution_delete": lambda w: [
        Target("day B story", {"pk": w.day_b.pk, "item_pk": w.contribution_b.pk}, (_marker("story-b"),)),
        Target(
            "day A, B's story", {"pk": w.day_a.pk, "item_pk": w.contribution_b.pk}, (_marker("story-b"),), COMMITTEE
        ),
    ],
    "activities:partyday_reflection": lambda w: _day(w, text=MARK, version="1"),
    "activities:partyday_photo_add": lambda w: _day(w, caption=MARK),
    "activities:partyday_photo_delete": lambda w: [
        Target("day B photo", {"pk": w.day_b.pk, "photo_pk": w.photo_b.pk}, (_marker("photo-b"),)),
        Target("day A, B's photo", {"pk": w.day_a.pk, "photo_pk": w.photo_b.pk}, (_marker("photo-b"),), COMMITTEE),
    ],
    "activities:partyday_photo": lambda w: [
        # The photo's bytes are the object: no 2xx at all (the generic rule) is the check.
        Target("photo B", {"pk": w.photo_b.pk}, ())
    ],
    # activities: pioneer posts
    "activities:post_detail": lambda w: [Target("post B", {"pk": w.post_b.pk}, (_marker("pioneer-b"),))],
    "activities:post_edit": lambda w: [
        Target(
            "post B",
            {"pk": w.post_b.pk},
            (_marker("pioneer-b"),),
            post={"member": w.org.member_b.pk, "kind": "safety", "post_name": MARK, "version": "1"}
            | {"starts_on": str(w.post_b.starts_on), "ends_on": str(w.post_b.ends_on)},
        )
    ],
    "activities:post_end": lambda w: [
        Target(
            "post B",
            {"pk": w.post_b.pk},
            (_marker("pioneer-b"),),
            post={"ended_on": str(timezone.localdate()), "reason": MARK},
        )
    ],
    "activities:post_member": lambda w: _member_b(w),
    "activities:post_recognition_withdraw": lambda w: [
        Target("recognition B", {"pk": w.recognition_b.pk}, (_marker("recognition-b"),))
    ],
    # activities: warmth delivery
    "activities:warmth_member": lambda w: _member_b(w),
    "activities:warmth_area_edit": lambda w: _member_b(w, description=MARK, version="1"),
    "activities:warmth_contact_create": lambda w: _member_b(w, name=MARK, version=""),
    "activities:warmth_help_create": lambda w: _member_b(
        w, kind="skills", helped_on=str(timezone.localdate()), content=MARK
    ),
    "activities:warmth_contact_edit": lambda w: [
        Target("contact B", {"pk": w.contact_b.pk}, (_marker("contact-b"),), post={"name": MARK, "version": "1"})
    ],
    "activities:warmth_help_edit": lambda w: [
        Target(
            "help B",
            {"pk": w.help_b.pk},
            (_marker("help-b"),),
            post={"kind": "skills", "helped_on": str(timezone.localdate()), "content": MARK, "version": "1"},
        )
    ],
    "activities:warmth_help_delete": lambda w: [Target("help B", {"pk": w.help_b.pk}, (_marker("help-b"),))],
    # assessment: rating
    "assessment:rate_form": lambda w: (
        [
            Target(
                f"rate member_b as {group}",
                {"code": w.open.code, "ratee_pk": w.org.member_b.pk, "group": group},
                (w.name_b,),
                post=w.scores,
            )
            for group in ("self", "peer", "masses", "org")
        ]
        + [
            Target(
                "rate member_a2 as peer",
                {"code": w.open.code, "ratee_pk": w.org.member_a2.pk, "group": "peer"},
                (w.name_a2,),
                frozenset({"member", "leader", "secretary", "masses", "anonymous"}),
                post=w.scores,
            )
        ]
    ),
    "assessment:ballot_issue": lambda w: [
        Target("issue B's rater a link", {"code": w.open.code}, ("BB0001",), post={"rater": w.masses_b.pk}),
        Target(
            "reissue B's rater a link",
            {"code": w.open.code},
            ("BB0001",),
            post={"rater": w.masses_b.pk, "reissue": "on"},
        ),
    ],
    "assessment:ballot_print": lambda w: [
        Target(
            "print B's slips",
            {"code": w.open.code},
            ("BB0001", w.ballot_b.token),
            query=f"branch={w.org.branch_b.pk}",
            own_page=True,
        )
    ],
    # The one-time link is the masses rater's credential: whoever holds it may use it.
    # Out of scope are a ratee not linked to its rater, and a link that was replaced.
    "assessment:ballot_entry": lambda w: [
        Target("replaced link", {"token": w.ballot_b_revoked.token}, (w.name_b,), own_page=True),
        Target("unknown link", {"token": "no-such-" + MARK}, (w.name_b,)),
    ],
    "assessment:ballot_rate": lambda w: [
        Target(
            "A's link, B's member",
            {"token": w.ballot_a.token, "ratee_pk": w.org.member_b.pk},
            (w.name_b,),
            post=w.scores,
        ),
        Target(
            "replaced link",
            {"token": w.ballot_b_revoked.token, "ratee_pk": w.org.member_b.pk},
            (w.name_b,),
            post=w.scores,
        ),
    ],
    # assessment: cards
    "assessment:card_year": lambda w: [
        Target("own goal card", {"year": w.year}, (_marker("card-b-goals"), _marker("card-a2-goals")), own_page=True)
    ],
    "assessment:pledge_year": lambda w: [
        Target("own pledge", {"year": w.year}, (_marker("card-pledge-b-goals"),), own_page=True)
    ],
    "assessment:card_for_member": lambda w: [
        Target(t.label, t.kwargs | {"year": w.year + 1}, t.markers, t.personas) for t in _member_b(w)
    ],
    "assessment:pledge_for_member": lambda w: [
        Target(t.label, t.kwargs | {"year": w.year + 1}, t.markers, t.personas) for t in _member_b(w)
    ],
    "assessment:card_detail": lambda w: _card(w),
    "assessment:card_docx": lambda w: _card(w),
    "assessment:card_edit": lambda w: _card(w, version="1", **{"goals-TOTAL_FORMS": "1", "goals-INITIAL_FORMS": "0"}),
    "assessment:card_submit": lambda w: _card(w, version="1"),
    "assessment:card_return": lambda w: _card(w, version="1", comment=MARK),
    "assessment:card_approve": lambda w: _card(w, version="1", comment=MARK),
    "assessment:card_task_add": lambda w: _card(w, text=MARK),
    "assessment:card_task_remove": lambda w: [
        Target("card B task", {"pk": w.card_b.pk, "item_pk": w.task_b.pk}, (_marker("task-b"),)),
        Target("card A, B's task", {"pk": w.card_a.pk, "item_pk": w.task_b.pk}, (_marker("task-b"),), COMMITTEE),
    ],
    "assessment:card_check": lambda w: _check(w, version="1", report="1"),
    "assessment:card_check_start": lambda w: [
        Target("goal card B Q2", {"pk": w.card_b.pk, "checkpoint": "q2"}, (_marker("task-b"),)),
        Target(
            "draft card A2 Q1",
            {"pk": w.card_a2.pk, "checkpoint": "q1"},
            (w.name_a2, _marker("card-a2-goals")),
            NOT_COMMITTEE,
        ),
    ],
    "assessment:card_check_acknowledge": lambda w: _check(w, version="1", comment=MARK),
    "assessment:card_check_return": lambda w: _check(w, version="1", comment=MARK),
    # assessment: Excel (administrators; the committee downloads its own branch's rankings)
    # A branch secretary handles their own branch's paper ballots: another branch's template
    # is refused them, and their own names nobody of branch B.
    "assessment:rating_template_download": lambda w: [
        Target("template", {"code": w.open.code}, (), ALL - {"secretary"}, post={"branch": ""}),
        Target("B's template", {"code": w.open.code}, (w.name_b,), post={"branch": str(w.org.branch_b.pk)}),
        Target(
            "own branch's template",
            {"code": w.open.code},
            (w.name_b,),
            frozenset({"secretary"}),
            post={"branch": ""},
            own_page=True,
        ),
    ],
    "assessment:ratings_import": lambda w: [
        Target("import", {"code": w.open.code}, (), ALL - {"secretary"}),
        Target(
            "own import page", {"code": w.open.code}, (w.org.branch_b.name,), frozenset({"secretary"}), own_page=True
        ),
    ],
    "assessment:ratings_import_confirm": lambda w: _admin_only("confirm", {"code": w.open.code}, (), token="x"),
    "assessment:rankings_download": lambda w: [
        Target("branch B's rankings", {"code": w.published.code}, (w.name_b,), query=f"branch={w.org.branch_b.pk}"),
        Target("own branch's rankings", {"code": w.published.code}, (w.name_b,), own_page=True),
    ],
    "assessment:rankings_zip_download": lambda w: [
        Target("branch B's ZIP", {"code": w.published.code}, (w.name_b,), query=f"branch={w.org.branch_b.pk}"),
        Target("own branch's ZIP", {"code": w.published.code}, (w.name_b,), own_page=True),
    ],
    # assessment: periods and rubrics (administrators only)
    "assessment:period_detail": lambda w: _admin_only("draft period", {"pk": w.draft.pk}, (_marker("period-draft"),)),
    "assessment:period_edit": lambda w: _admin_only(
        "draft period",
        {"pk": w.draft.pk},
        (_marker("period-draft"),),
        code=w.draft.code,
        name=MARK,
        starts_on=str(w.draft.starts_on),
        ends_on=str(w.draft.ends_on),
        rubric=w.rubric.pk,
        weight_self="0.1",
        weight_peer="0.3",
        weight_masses="0.2",
        weight_org="0.4",
        version="1",
    ),
    "assessment:period_open": lambda w: _admin_only("draft period", {"pk": w.draft.pk}, (_marker("period-draft"),)),
    "assessment:period_close": lambda w: _admin_only("open period", {"pk": w.open.pk}, (_marker("period-open"),)),
    "assessment:period_compute": lambda w: _admin_only("open period", {"pk": w.open.pk}, (_marker("period-open"),)),
    "assessment:period_publish": lambda w: _admin_only("open period", {"pk": w.open.pk}, (_marker("period-open"),)),
    "assessment:period_finalize": lambda w: _admin_only(
        "published period", {"pk": w.published.pk}, (_marker("period-published"),), early="on"
    ),
    "assessment:period_history": lambda w: _admin_only(
        "published period", {"pk": w.published.pk}, (_marker("period-published"),)
    ),
    "assessment:rubric_detail": lambda w: _admin_only("rubric", {"pk": w.rubric.pk}, (w.rubric_item.name,)),
    "assessment:rubric_copy": lambda w: _admin_only("rubric", {"pk": w.rubric.pk}, (w.rubric.name,), name=MARK),
    "assessment:rubric_edit": lambda w: _admin_only(
        "rubric", {"pk": w.rubric.pk}, (w.rubric_item.guidance or w.rubric_item.name,), **{"rubric-name": MARK}
    ),
    # assessment: results
    "assessment:result_mine": lambda w: [
        Target("own result", {"code": w.published.code}, (w.name_b, w.name_a2), own_page=True)
    ],
    "assessment:result_member": lambda w: [
        _published(w, "pk", w.org.member_b.pk),
        _published(w, "pk", w.org.member_a2.pk, NOT_COMMITTEE, (w.name_a2,)),
    ],
    "assessment:result_team": lambda w: [Target("own team", {"code": w.published.code}, (w.name_b,), own_page=True)],
    "assessment:result_team_group": lambda w: [
        _published(w, "pk", w.org.group_b1.pk),
        _published(w, "pk", w.org.group_a2.pk, frozenset({"member", "leader", "masses", "anonymous"}), (w.name_a2,)),
    ],
    "assessment:result_branch": lambda w: [
        _published(w, "pk", w.org.branch_b.pk),
        _published(w, "pk", w.org.branch_a.pk, NOT_COMMITTEE, (w.name_a2,)),
    ],
    "assessment:result_company": lambda w: [_published(w, markers=(w.org.branch_b.name,))],
    "assessment:result_company_ranking": lambda w: [_published(w)],
    "assessment:flagboard": lambda w: [_published(w, "pk", w.org.branch_b.pk)],
    "assessment:flagboard_wall": lambda w: [_published(w, "pk", w.org.branch_b.pk)],
    # The trends page of a branch (no period in its address): its committee and administrators.
    "assessment:trends_branch": lambda w: [
        Target("branch B's trends", {"pk": w.org.branch_b.pk}, (w.org.branch_b.name,), post={}),
        Target("branch A's trends", {"pk": w.org.branch_a.pk}, (w.org.branch_a.name,), NOT_COMMITTEE, post={}),
    ],
    # assessment: objections (the committee rules on its branch's; a member files their own)
    "assessment:objection_file": lambda w: [
        Target(
            "draft period", {"code": w.draft.code}, (_marker("period-draft"),), post={"reason": MARK, "confirm": "on"}
        )
    ],
    "assessment:objection_detail": lambda w: [
        Target("objection B", {"pk": w.objection_b.pk}, (_marker("objection-b"),), post=_ruling()),
        Target("objection A2", {"pk": w.objection_a2.pk}, (_marker("objection-a2"),), NOT_COMMITTEE, post=_ruling()),
    ],
}


# ---------------------------------------------------------------------------
# The sweep


def clients(org) -> dict[str, Client]:
    users = {
        "member": org.member.user,
        "leader": org.leader.user,
        "secretary": org.secretary.user,
        "committee": org.committee.user,
        "masses": org.masses.user,
        "anonymous": None,
    }
    out = {}
    for persona, user in users.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        out[persona] = client
    return out


def test_registry_names_only_real_url_patterns():
    names = {p.name for p in patterns_with_params()}
    assert not set(REGISTRY) - names, f"registry entries for URL names that do not exist: {set(REGISTRY) - names}"


def test_no_persona_reaches_an_object_outside_its_scope(org, capsys):
    w = build_world(org)
    patterns = patterns_with_params()

    # Every pattern with a parameter must be coverable: fail naming those that are not.
    uncovered = []
    plan: list[tuple[Pattern, Target]] = []
    for pattern in patterns:
        entry = REGISTRY.get(pattern.name)
        targets = [t for t in (entry(w) if entry else []) if set(t.kwargs) == pattern.params]
        if not targets:
            uncovered.append(f"{pattern.name} ({pattern.route})")
        plan.extend((pattern, t) for t in targets)
    assert not uncovered, (
        "URL patterns with parameters but no way to build an out-of-scope object for them; "
        "add each to REGISTRY in tests/test_scope_sweep.py:\n  " + "\n  ".join(uncovered)
    )

    # The markers must be worth looking for: the administrator, who sees everything,
    # finds at least one of them on every target page that shows an object.
    admin = Client(raise_request_exception=False)
    admin.force_login(org.admin)
    unseen = []
    for pattern, target in plan:
        if not target.markers or target.own_page:
            continue
        url = reverse(pattern.name, kwargs=target.kwargs) + (f"?{target.query}" if target.query else "")
        response = admin.get(url)
        if response.status_code >= 500:
            unseen.append(f"{pattern.name} [{target.label}]: the administrator gets {response.status_code}")
        elif response.status_code == 200 and not any(m in body_text(response) for m in target.markers):
            unseen.append(f"{pattern.name} [{target.label}]")
    assert not unseen, "markers the administrator does not see either (fix the target):\n  " + "\n  ".join(unseen)

    leaks: list[str] = []
    tried: set[tuple[str, str, str]] = set()
    requests = 0
    by_persona = clients(org)
    before = snapshot()
    for pattern, target in plan:
        url = reverse(pattern.name, kwargs=target.kwargs)
        if target.query:
            url = f"{url}?{target.query}"
        for persona in PERSONAS:
            if persona not in target.personas:
                continue
            client = by_persona[persona]
            where = f"{pattern.name} [{target.label}] as {persona}"
            for method in ("GET", "POST"):
                if method == "POST" and target.post is None:
                    continue
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url) if method == "GET" else client.post(url, target.post)
                requests += 1
                tried.add((pattern.route, persona, method))
                status = response.status_code
                text = body_text(response)
                shown = [m for m in target.markers if m and m in text]
                if shown:
                    leaks.append(f"{method} {where}: {status} shows {shown}")
                if status >= 500:
                    leaks.append(f"{method} {where}: server error {status}")
                elif persona == "anonymous" and pattern.name not in TOKEN_VIEWS:
                    if not (is_login_redirect(response) or status in (403, 404, 405)):
                        leaks.append(f"{method} {where}: {status}, not sent to the login page")
                elif 200 <= status < 300 and not target.own_page:
                    leaks.append(f"{method} {where}: answered {status}")
                written = tables_written(queries.captured_queries)
                if written:
                    leaks.append(f"{method} {where}: wrote to {written}")

    # Every row of every table as it was, in case a write escaped the statement log.
    after = snapshot()
    changed = sorted(label for label in after if after[label] != before[label])
    if changed and not any("wrote to" in leak for leak in leaks):
        leaks.append(f"the sweep changed {changed}")

    figure = (
        f"scope sweep: {len(patterns)} URL patterns with ids, {len(PERSONAS)} personas, "
        f"{len(tried)} (pattern, persona, method) combinations, {requests} requests"
    )
    with capsys.disabled():
        print(f"\n{figure}")
    assert not leaks, f"{len(leaks)} scope leaks:\n  " + "\n  ".join(leaks)
    assert len(tried) >= len(patterns) * len(PERSONAS) * 2, figure
