"""The scope sweep's fixture world and plumbing: objects of every kind that belong to branch B,
member_b and others, the URL patterns with parameters, and the table digests that show a
write. tests/test_scope_sweep.py says, per URL name, how to reach them and what to post.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from activities.models import (
    ContactPoint,
    HelpRecord,
    PartyDay,
    PartyDayContribution,
    PartyDayPhoto,
    PioneerPost,
    Recognition,
    ResponsibilityArea,
)
from activities.tests.factories import ParticipantFactory, PartyDayFactory, SuggestionFactory, image_bytes
from assessment.models import Card as CardModel
from assessment.models import CardItem, CardKind, MassesBallot, Period, RaterGroup, SelfCheck, SelfCheckEntry
from assessment.services import objections as objection_services
from assessment.services import results as result_services
from assessment.tests.factories import PeriodFactory, full_scores, rate
from members.models import Member
from members.tests.factories import MassesRaterFactory
from partybuild.lib.quarters import Quarter
from study.models import (
    Criticism,
    CriticismMeeting,
    QuarterlyReport,
    RectificationItem,
    SelfCriticism,
    Talk,
)
from study.tests.factories import QuarterlyReportFactory, StudySessionFactory

# URL prefixes the sweep does not walk, each with the reason.
SKIPPED_PREFIXES = {
    "admin/": "Django's admin: every page is wrapped in admin_view, which sends non-staff to the admin "
    "login; its change lists are checked for rating anonymity in tests/test_anonymity.py.",
    "i18n/": "Django's set_language: takes no object id and reads or writes nobody's data.",
    "static/": "Static assets: public by design, no one's data.",
    "media/": "Uploaded files are never served from a public URL (photos go through a scoped view).",
}

PERSONAS = ("member", "leader", "secretary", "committee", "masses", "anonymous")
ALL = frozenset(PERSONAS)
# Within branch A: out of scope for everyone but the branch committee.
NOT_COMMITTEE = frozenset({"member", "leader", "masses", "anonymous"})
# Pages that refuse everyone below the branch committee: only the committee personas
# may open them, so a target in branch A is for the committee's mismatched-parent checks.
COMMITTEE = frozenset({"secretary", "committee"})

# Tables that change on any request, whoever asks: sessions and the login throttle's log.
VOLATILE_TABLES = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}

MARK = "ZQXSCOPE"

# Views opened with a one-time link instead of a login: an anonymous visitor is their user.
TOKEN_VIEWS = {"assessment:ballot_entry", "assessment:ballot_rate"}


@dataclass(frozen=True)
class Target:
    """One out-of-scope request: the URL's arguments, the text that must not leak, the
    personas for whom the object is out of scope, and a plausible POST payload."""

    label: str
    kwargs: dict
    markers: tuple[str, ...]
    personas: frozenset[str] = ALL
    post: dict | None = field(default_factory=dict)
    query: str = ""
    # The page is the persona's own (their report for a quarter, their own result):
    # it may answer 200, but the marker of someone else's object must not appear in it.
    own_page: bool = False


# ---------------------------------------------------------------------------
# The fixture world: objects of every kind that belong to branch B, member_b and others


def _marker(kind: str) -> str:
    return f"{MARK}-{kind}"


def build_world(org) -> SimpleNamespace:
    w = SimpleNamespace(org=org)
    today = timezone.localdate()
    quarter = Quarter.current()
    w.year = today.year

    # Distinctive names: a page that shows member_b or member_a2 gives itself away.
    Member.objects.filter(pk=org.member_b.pk).update(name="乙支部丁某", post=_marker("post-b"))
    Member.objects.filter(pk=org.member_a2.pk).update(name="甲支部丙某", post=_marker("post-a2"))
    org.member_b.refresh_from_db()
    org.member_a2.refresh_from_db()
    w.name_b, w.name_a2 = org.member_b.name, org.member_a2.name
    w.masses_b = MassesRaterFactory(branch=org.branch_b, name="乙支部群众")
    w.masses_b.ratees.add(org.member_b)

    # Quarterly reports: member_b's in three states, member_a2's and groupmate's drafts
    # (not yet submitted to the group), and one of each persona's own for the quarter.
    def report(member, q, status, kind):
        return QuarterlyReportFactory(member=member, quarter=q.code, status=status, insights=_marker(kind))

    w.report_b_draft = report(org.member_b, quarter, QuarterlyReport.Status.DRAFT, "report-b-draft")
    w.report_b_group = report(org.member_b, quarter.previous(), QuarterlyReport.Status.WITH_GROUP, "report-b-group")
    w.report_b_branch = report(
        org.member_b, quarter.previous().previous(), QuarterlyReport.Status.WITH_BRANCH, "report-b-branch"
    )
    w.report_a2_draft = report(org.member_a2, quarter, QuarterlyReport.Status.DRAFT, "report-a2-draft")
    w.report_mate_draft = report(org.groupmate, quarter, QuarterlyReport.Status.DRAFT, "report-mate-draft")
    for who in (org.member, org.leader, org.secretary, org.committee):
        QuarterlyReportFactory(member=who, quarter=quarter.code, insights="own report")
    w.quarter = quarter

    w.session_b = StudySessionFactory(branch=org.branch_b, title=_marker("session-b"))
    w.talk_b = Talk.objects.create(
        member=org.member_b, branch=org.branch_b, source=Talk.Source.OTHER, reason=_marker("talk-b")
    )

    # Criticism meetings: branch B's with every kind of row, and branch A's for the
    # mismatched-parent checks (A's meeting id with B's item id).
    def meeting(branch, members, kind):
        m = CriticismMeeting.objects.create(
            kind=CriticismMeeting.Kind.ORGANISATIONAL_LIFE,
            branch=branch,
            title=_marker(f"meeting-{kind}"),
            held_on=today,
            topic=_marker(f"meeting-topic-{kind}"),
        )
        m.participants.set(members)
        SelfCriticism.objects.create(meeting=m, member=members[0], content=_marker(f"selfcrit-{kind}"))
        Criticism.objects.create(
            meeting=m, from_member=members[1], to_member=members[0], matter=_marker(f"criticism-{kind}")
        )
        item = RectificationItem.objects.create(
            meeting=m, owner=members[0], description=_marker(f"rectify-{kind}"), deadline=today
        )
        return m, item

    w.meeting_b, w.rect_b = meeting(org.branch_b, [org.member_b, org.other_secretary], "b")
    w.meeting_a, w.rect_a = meeting(org.branch_a, [org.member, org.secretary], "a")

    # Suggestions.
    w.suggestion_b = SuggestionFactory(member=org.member_b, title=_marker("suggestion-b"))
    w.suggestion_a2 = SuggestionFactory(member=org.member_a2, title=_marker("suggestion-a2"))

    # Themed Party days with participants, a contribution and a photo.
    def party_day(branch, members, kind):
        day = PartyDayFactory(branch=branch, theme=_marker(f"partyday-{kind}"), kind=PartyDay.Kind.INTERACTIVE)
        for m in members:
            ParticipantFactory(party_day=day, member=m, reflection=_marker(f"reflection-{kind}"))
        contribution = PartyDayContribution.objects.create(
            party_day=day, member=members[0], kind=PartyDayContribution.Kind.STORY, summary=_marker(f"story-{kind}")
        )
        photo = PartyDayPhoto(party_day=day, content_type="image/jpeg", caption=_marker(f"photo-{kind}"))
        photo.image.save("p.jpg", ContentFile(image_bytes()), save=False)
        photo.size, photo.width, photo.height = photo.image.size, 64, 48
        photo.save()
        return day, contribution, photo

    w.day_b, w.contribution_b, w.photo_b = party_day(org.branch_b, [org.member_b], "b")
    w.day_a, w.contribution_a, w.photo_a = party_day(org.branch_a, [org.member, org.secretary], "a")

    # Pioneer posts and recognitions.
    w.post_b = PioneerPost.objects.create(
        member=org.member_b,
        branch=org.branch_b,
        group=org.group_b1,
        kind=PioneerPost.Kind.SAFETY,
        post_name=_marker("pioneer-b"),
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=300),
    )
    w.recognition_b = Recognition.objects.create(
        member=org.member_b,
        branch=org.branch_b,
        group=org.group_b1,
        best=Recognition.Best.RECORDS,
        year=w.year,
        awarded_on=today,
        note=_marker("recognition-b"),
    )

    # Warmth delivery.
    w.area_b = ResponsibilityArea.objects.create(member=org.member_b, description=_marker("area-b"))
    w.contact_b = ContactPoint.objects.create(member=org.member_b, name="乙联系人", note=_marker("contact-b"))
    w.help_b = HelpRecord.objects.create(
        member=org.member_b,
        branch=org.branch_b,
        group=org.group_b1,
        contact_point=w.contact_b,
        kind=HelpRecord.Kind.SKILLS,
        helped_on=today,
        content=_marker("help-b"),
    )
    ResponsibilityArea.objects.create(member=org.member_a2, description=_marker("area-a2"))

    # Cards: member_b's goal card (submitted, with an X task and a reported Q1 check) and
    # pledge; member_a2's draft goal card; branch A's card for the mismatched-parent checks;
    # and each persona's own cards of the year, so the "my card" pages have nothing to start.
    def card(member, kind, status, tag):
        c = CardModel.objects.create(
            kind=kind, member=member, year=w.year, branch=member.branch, group=member.group, status=status
        )
        sections = [s.key for s in c.template.member_sections]
        for i, section in enumerate(sections):
            CardItem.objects.create(card=c, section=section, text=_marker(f"card-{tag}-{section}"), position=i)
        task = CardItem.objects.create(card=c, section="tasks", text=_marker(f"task-{tag}"), position=9)
        return c, task

    w.card_b, w.task_b = card(org.member_b, CardKind.GOAL_CARD, CardModel.Status.SUBMITTED, "b")
    w.check_b = SelfCheck.objects.create(card=w.card_b, checkpoint="q1", status=SelfCheck.Status.REPORTED)
    for item in w.card_b.items.all():
        SelfCheckEntry.objects.create(self_check=w.check_b, item=item, result="done", note=_marker("check-b"))
    w.pledge_b, w.pledge_task_b = card(org.member_b, CardKind.PLEDGE, CardModel.Status.SUBMITTED, "pledge-b")
    w.card_a2, _ = card(org.member_a2, CardKind.GOAL_CARD, CardModel.Status.DRAFT, "a2")
    w.card_a, w.task_a = card(org.member, CardKind.GOAL_CARD, CardModel.Status.SUBMITTED, "a")
    for who in (org.leader, org.secretary, org.committee):
        card(who, CardKind.GOAL_CARD, CardModel.Status.DRAFT, f"own-{who.pk}")
    for who in (org.member, org.leader, org.secretary, org.committee):
        card(who, CardKind.PLEDGE, CardModel.Status.DRAFT, f"own-pledge-{who.pk}")

    # Assessment: a published period with results for everyone, an open one for rating
    # (with the masses raters' links) and a draft one for the period pages.
    w.published = PeriodFactory(code=str(w.year - 1), name=_marker("period-published"))
    for m in (org.member, org.groupmate, org.leader, org.secretary, org.committee, org.member_a2):
        rate(w.published, m, RaterGroup.ORG, 85)
    rate(w.published, org.member_b, RaterGroup.ORG, 88)
    rate(w.published, org.member_b, RaterGroup.PEER, 77, rater_member=org.other_secretary)
    rate(w.published, org.other_secretary, RaterGroup.ORG, 90)
    Period.objects.filter(pk=w.published.pk).update(state=Period.State.CLOSED)
    result_services.results_publish(actor=org.admin, period_id=w.published.pk)
    w.published.refresh_from_db()
    # Objections in its publicity window: member_b's (branch B) and member_a2's (branch A).
    w.objection_b, w.objection_a2 = (
        objection_services.objection_file(actor=who.user, period_id=w.published.pk, reason=_marker(kind))
        for who, kind in ((org.member_b, "objection-b"), (org.member_a2, "objection-a2"))
    )
    w.open = PeriodFactory(code=str(w.year), name=_marker("period-open"), state=Period.State.OPEN)
    w.draft = PeriodFactory(code=str(w.year + 1), name=_marker("period-draft"), state=Period.State.DRAFT)
    w.ballot_a = MassesBallot.objects.create(period=w.open, rater=org.masses, token="tok-a-" + MARK, code="BA0001")
    w.ballot_b = MassesBallot.objects.create(period=w.open, rater=w.masses_b, token="tok-b-" + MARK, code="BB0001")
    w.ballot_b_revoked = MassesBallot.objects.create(
        period=w.published, rater=w.masses_b, token="tok-b-old-" + MARK, code="BB0000", revoked_at=timezone.now()
    )
    w.rubric = w.open.rubric
    w.rubric_item = w.rubric.items.order_by("position").first()
    w.scores = {f"item_{code}": value for code, value in full_scores(w.open).items()}

    return w


# ---------------------------------------------------------------------------
# Walking the URL patterns


@dataclass(frozen=True)
class Pattern:
    route: str
    name: str
    params: frozenset[str]


def _params(pattern) -> set[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return set(converters)
    regex = getattr(pattern.pattern, "regex", None)
    return set(regex.groupindex) if regex is not None else set()


def walk(patterns, prefix: str = "", namespace: str | None = None, params=frozenset()) -> Iterator[Pattern]:
    for p in patterns:
        route = prefix + str(p.pattern)
        if any(route.startswith(skipped) for skipped in SKIPPED_PREFIXES):
            continue
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from walk(p.url_patterns, route, ns, params | _params(p))
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or route)
            yield Pattern(route, name, frozenset(params | _params(p)))


def patterns_with_params() -> list[Pattern]:
    return [p for p in walk(get_resolver().url_patterns) if p.params]


# ---------------------------------------------------------------------------
# Snapshots and bodies


def _tables():
    return [m for m in apps.get_models() if m._meta.db_table not in VOLATILE_TABLES]


def snapshot() -> dict[str, str]:
    """A digest of every row of every table: any insert, update or delete changes it."""
    digest = {}
    for model in _tables():
        rows = list(model._base_manager.order_by("pk").values_list())
        digest[model._meta.label] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digest


_WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def tables_written(queries) -> list[str]:
    """The tables a request wrote to (sessions and the login throttle aside)."""
    written = []
    for query in queries:
        match = _WRITE.match(query["sql"])
        if match and match.group(2) not in VOLATILE_TABLES:
            written.append(match.group(2))
    return sorted(set(written))


def body_text(response) -> str:
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    if raw[:2] == b"PK":  # a workbook or a ZIP of them: read the XML inside
        raw = _xml_inside(raw)
    return raw.decode("utf-8", errors="replace")


def _xml_inside(raw: bytes) -> bytes:
    """The XML of an Office file, or of every Office file inside a ZIP (one workbook per branch)."""
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        return b"".join(
            z.read(n) if n.endswith(".xml") else _xml_inside(z.read(n))
            for n in z.namelist()
            if n.endswith((".xml", ".xlsx", ".docx"))
        )


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))
