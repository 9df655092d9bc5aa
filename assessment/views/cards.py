"""Pages of the card engine. The pages a kind has of its own (the member's list of
cards, the branch's board) take the kind from the URLconf; every page of one card
works for any kind, its template telling which sections and checkpoints it has.

Every action on a card or a self-check is the one action shape (partybuild.lib.actions):
the card loaded in scope, a form bound, one service called, a refusal shown on the form
or as a message, a redirect with what happened."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members import selectors as member_selectors
from members.roles import get_roles
from partybuild.lib.actions import button_action, form_action, hand_in
from partybuild.lib.pagination import paginate
from partybuild.lib.word import docx_response

from ..documents import card_document, card_filename
from ..forms.cards import (
    CardApproveForm,
    CardBoardFilterForm,
    CardEditForm,
    CardReturnForm,
    CheckReviewForm,
    SelfCheckForm,
    TaskForm,
)
from ..models import CARD_TEMPLATES, Card, CardKind, SelfCheck
from ..selectors import cards as selectors
from ..services import cards as services
from .common import query_without

# The pages each kind has of its own, by URL name.
KIND_PAGES = {
    CardKind.GOAL_CARD: {
        "list": "assessment:card_list",
        "year": "assessment:card_year",
        "board": "assessment:card_board",
        "for_member": "assessment:card_for_member",
    },
    CardKind.PLEDGE: {
        "list": "assessment:pledge_list",
        "year": "assessment:pledge_year",
        "board": "assessment:pledge_board",
        "for_member": "assessment:pledge_for_member",
    },
}


def _pages(kind: str) -> dict[str, str]:
    return KIND_PAGES.get(kind, {})


def _year_or_404(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


# ---------------------------------------------------------------------------
# The member's cards


@login_required
def card_list(request: HttpRequest, kind: str = CardKind.GOAL_CARD) -> HttpResponse:
    """The member's own cards, newest year first: next year's, this year's and last year's
    (each there to start if it is not), then the older ones."""
    roles = get_roles(request.user)
    if roles.member is None:
        raise PermissionDenied
    this_year = timezone.localdate().year
    cards = {card.year: card for card in selectors.my_cards(member=roles.member, kind=kind)}
    years = [this_year + 1, this_year, this_year - 1]
    rows = [(year, cards.get(year)) for year in years]
    older = [card for year, card in sorted(cards.items(), reverse=True) if year < this_year - 1]
    return render(
        request,
        "assessment/card_list.html",
        {"rows": rows, "older": older, "template": CARD_TEMPLATES[kind], "pages": _pages(kind), "this_year": this_year},
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_year(request: HttpRequest, year: int, kind: str = CardKind.GOAL_CARD) -> HttpResponse:
    """Open the member's card for a year; starting one is a POST."""
    year = _year_or_404(year)
    roles = get_roles(request.user)
    if roles.member is None:
        raise PermissionDenied
    existing = selectors.my_cards(member=roles.member, kind=kind).filter(year=year).first()
    if existing is not None:
        return redirect(existing)
    if request.method == "POST":
        return button_action(
            request,
            lambda: services.card_start(actor=request.user, kind=kind, year=year),
            success_url=lambda card: reverse("assessment:card_edit", args=[card.pk]),
            failure_url=_pages(kind).get("list", "home"),
        )
    return render(
        request, "assessment/card_start.html", {"year": year, "template": CARD_TEMPLATES[kind], "pages": _pages(kind)}
    )


def _detail_context(request: HttpRequest, card: Card) -> dict:
    """The card's page, with a form for each action the user may take on it (an action
    posted from it shows its form again through form_action's ``form_name``)."""
    actions = services.allowed_actions(actor=request.user, card=card)
    logs = list(selectors.card_logs(card=card))
    context = {
        "card": card,
        "template": card.template,
        "pages": _pages(card.kind),
        "actions": actions,
        "is_owner": card.member.user_id == request.user.pk,
        "sections": selectors.card_sections(card=card),
        "checkpoints": selectors.card_checkpoints(card=card, today=timezone.localdate()),
        "logs": logs,
        "last_return": None,
    }
    if card.status == Card.Status.RETURNED:
        context["last_return"] = next((log for log in reversed(logs) if log.action == "return"), None)
    if "assign_task" in actions:
        context["task_form"] = TaskForm()
    if "return" in actions:
        context["return_form"] = CardReturnForm(card=card)
    if "approve" in actions:
        context["approve_form"] = CardApproveForm(card=card)
    return context


@login_required
def card_detail(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors.card_get_for_user(user=request.user, pk=pk)
    return render(request, "assessment/card_detail.html", _detail_context(request, card))


@login_required
@require_http_methods(["GET"])
def card_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The card as a Word document in its paper layout, for whoever may read its page."""
    card = selectors.card_get_for_user(user=request.user, pk=pk)
    return docx_response(card_document(card), card_filename(card))


@login_required
@require_http_methods(["GET", "POST"])
def card_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The member writes (and may submit) their card. The card is saved first; a submit
    refused as incomplete keeps what was saved and says why."""
    card = selectors.card_get_for_user(user=request.user, pk=pk)
    if card.member.user_id != request.user.pk:
        raise PermissionDenied
    if card.status not in (Card.Status.DRAFT, Card.Status.RETURNED):
        messages.info(
            request,
            _("This %(card)s is with the branch or approved and cannot be edited now.") % {"card": card.template.noun},
        )
        return redirect(card)
    form = CardEditForm(request.POST if request.method == "POST" else None, card=card)
    edit_url = reverse("assessment:card_edit", args=[card.pk])
    noun = {"card": card.template.noun}

    def save(data: dict) -> tuple[object, str]:
        saved = services.card_save(
            actor=request.user,
            card_id=card.pk,
            version=data["version"],
            items=form.items(),
            role_aimed=data.get("role_aimed") if "role_aimed" in form.fields else None,
        )
        if "submit" not in request.POST:
            return edit_url, _("Your %(card)s was saved.") % noun
        if hand_in(
            request,
            lambda: services.card_submit(actor=request.user, card_id=saved.pk),
            not_ready=_("Your changes were saved, but the %(card)s is not ready to submit.") % noun,
        ):
            return saved, _("Your %(card)s was submitted to the branch.") % noun
        return edit_url, ""

    return form_action(
        request,
        form,
        save,
        template="assessment/card_edit.html",
        context={
            "card": card,
            "template": card.template,
            "pages": _pages(card.kind),
            "header": form,
            "formsets": form.formsets,
            "branch_sections": [s for s in selectors.card_sections(card=card) if s.spec.by_branch and s.items],
            "returned": card.status == Card.Status.RETURNED,
            "last_return": card.logs.filter(action="return").last(),
        },
        success_url=lambda then: then[0],
        success_message=lambda then: then[1],
    )


@login_required
@require_POST
def card_submit(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors.card_get_for_user(user=request.user, pk=pk)
    return button_action(
        request,
        lambda: services.card_submit(actor=request.user, card_id=card.pk, version=_version(request)),
        success_url=card,
        success_message=_("Your %(card)s was submitted to the branch.") % {"card": card.template.noun},
    )


def _judge(request: HttpRequest, pk: int, *, returning: bool) -> HttpResponse:
    """The branch returns or approves a card, with a comment (required to return)."""
    card = selectors.card_get_for_user(user=request.user, pk=pk)
    if returning:
        key, form = "return_form", CardReturnForm(request.POST, card=card)
        service, message = (
            services.card_return,
            _("The %(card)s was returned to %(name)s.")
            % {
                "card": card.template.noun,
                "name": card.member.name,
            },
        )
    else:
        key, form = "approve_form", CardApproveForm(request.POST, card=card)
        service, message = services.card_approve, _("The %(card)s was approved.") % {"card": card.template.noun}
    return form_action(
        request,
        form,
        lambda data: service(actor=request.user, card_id=card.pk, version=data["version"], comment=data["comment"]),
        template="assessment/card_detail.html",
        context=_detail_context(request, card),
        form_name=key,
        success_url=card,
        success_message=message,
    )


@login_required
@require_POST
def card_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _judge(request, pk, returning=True)


@login_required
@require_POST
def card_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _judge(request, pk, returning=False)


@login_required
@require_POST
def card_task_add(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors.card_get_for_user(user=request.user, pk=pk)
    return form_action(
        request,
        TaskForm(request.POST),
        lambda data: services.card_task_add(actor=request.user, card_id=card.pk, text=data["text"]),
        template="assessment/card_detail.html",
        context=_detail_context(request, card),
        form_name="task_form",
        success_url=card,
        success_message=_("The task was added to the %(card)s.") % {"card": card.template.noun},
    )


@login_required
@require_POST
def card_task_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    card = selectors.card_get_for_user(user=request.user, pk=pk)
    return button_action(
        request,
        lambda: services.card_task_remove(actor=request.user, card_id=card.pk, item_id=item_pk),
        success_url=card,
        success_message=_("The task was withdrawn."),
    )


@login_required
@require_POST
def card_for_member(request: HttpRequest, member_pk: int, year: int, kind: str = CardKind.GOAL_CARD) -> HttpResponse:
    """The branch opens a member's card (to assign X tasks before the member starts it)."""
    member = member_selectors.member_get_for_user(user=request.user, pk=member_pk)
    year = _year_or_404(year)
    return button_action(
        request,
        lambda: services.card_start(actor=request.user, kind=kind, year=year, member_id=member.pk),
        success_url=lambda card: card,
        failure_url=_pages(kind).get("board", "home"),
    )


# ---------------------------------------------------------------------------
# Self-checks


def _check_context(request: HttpRequest, card: Card, self_check: SelfCheck | None, **acting) -> dict:
    """The self-check's page; ``acting`` holds the form just posted, as on the card's page."""
    checkpoint = request.resolver_match.kwargs["checkpoint"]
    actions = services.allowed_actions(actor=request.user, card=card, self_check=self_check)
    rows = selectors.self_check_rows(card=card, self_check=self_check)
    logs = [log for log in selectors.card_logs(card=card) if self_check and log.self_check_id == self_check.pk]
    context = {
        "card": card,
        "template": card.template,
        "pages": _pages(card.kind),
        "self_check": self_check,
        "checkpoint": checkpoint,
        "actions": actions,
        "is_owner": card.member.user_id == request.user.pk,
        "rows": rows,
        "logs": logs,
        # The member's own form, or none: a review form just posted is never shown in its place.
        "form": None,
    }
    if self_check is not None and "edit_check" in actions:
        context["form"] = SelfCheckForm(card=card, self_check=self_check, rows=rows)
    if "acknowledge" in actions:
        context["acknowledge_form"] = CheckReviewForm(self_check=self_check, prefix_id="acknowledge", required=False)
    if "return_check" in actions:
        context["return_form"] = CheckReviewForm(self_check=self_check, prefix_id="return-check", required=True)
    if self_check is not None and self_check.status == SelfCheck.Status.RETURNED:
        context["last_return"] = next((log for log in reversed(logs) if log.action == "return_check"), None)
    return {**context, **acting}


@login_required
@require_POST
def check_start(request: HttpRequest, pk: int, checkpoint: str) -> HttpResponse:
    card, self_check = selectors.self_check_get_for_user(user=request.user, card_pk=pk, checkpoint=checkpoint)
    if self_check is not None:
        return redirect(self_check)
    return button_action(
        request,
        lambda: services.check_start(actor=request.user, card_id=card.pk, checkpoint=checkpoint),
        success_url=lambda started: started,
        failure_url=card,
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_check(request: HttpRequest, pk: int, checkpoint: str) -> HttpResponse:
    """The self-check at a checkpoint: the member fills it in (and may report it), everyone
    else reads it. Saved first, as the card is; a report refused as incomplete stays saved."""
    card, self_check = selectors.self_check_get_for_user(user=request.user, card_pk=pk, checkpoint=checkpoint)
    if request.method != "POST":
        return render(request, "assessment/card_check.html", _check_context(request, card, self_check))
    if self_check is None or card.member.user_id != request.user.pk:
        raise PermissionDenied
    rows = selectors.self_check_rows(card=card, self_check=self_check)
    form = SelfCheckForm(request.POST, card=card, self_check=self_check, rows=rows)

    def save(data: dict) -> str:
        saved = services.check_save(
            actor=request.user, check_id=self_check.pk, version=data["version"], entries=form.entries()
        )
        if "report" not in request.POST:
            return _("Your self-check was saved.")
        try:
            services.check_report(actor=request.user, check_id=saved.pk)
        except ValidationError:
            # Saved, but not ready to report: the page is shown again with each missing
            # answer next to its item (form_action puts the keyed errors on their fields),
            # and at the version just saved, so that the next try is not refused as stale.
            form.data = form.data.copy()
            form.data["version"] = str(saved.version)
            messages.warning(request, _("Your self-check was saved, but it is not ready to report."))
            raise
        return _("Your self-check was reported to the branch.")

    return form_action(
        request,
        form,
        save,
        template="assessment/card_check.html",
        context=_check_context(request, card, self_check, form=form),
        success_url=self_check,
        success_message=lambda message: message,
    )


def _review(request: HttpRequest, pk: int, checkpoint: str, *, returning: bool) -> HttpResponse:
    card, self_check = selectors.self_check_get_for_user(user=request.user, card_pk=pk, checkpoint=checkpoint)
    if self_check is None:
        raise Http404
    prefix = "return-check" if returning else "acknowledge"
    form = CheckReviewForm(request.POST, self_check=self_check, prefix_id=prefix, required=returning)
    service = services.check_return if returning else services.check_acknowledge
    if returning:
        message = _("The self-check was returned to %(name)s.") % {"name": card.member.name}
    else:
        message = _("The self-check was marked as reviewed.")
    return form_action(
        request,
        form,
        lambda data: service(
            actor=request.user, check_id=self_check.pk, version=data["version"], comment=data["comment"]
        ),
        template="assessment/card_check.html",
        context=_check_context(request, card, self_check, **{"return_form" if returning else "acknowledge_form": form}),
        success_url=self_check,
        success_message=message,
    )


@login_required
@require_POST
def check_acknowledge(request: HttpRequest, pk: int, checkpoint: str) -> HttpResponse:
    return _review(request, pk, checkpoint, returning=False)


@login_required
@require_POST
def check_return(request: HttpRequest, pk: int, checkpoint: str) -> HttpResponse:
    return _review(request, pk, checkpoint, returning=True)


# ---------------------------------------------------------------------------
# The branch's board


@login_required
def card_board(request: HttpRequest, kind: str = CardKind.GOAL_CARD) -> HttpResponse:
    """The branch's members with their card's state for a year and, per checkpoint, who
    has reported their self-check: counts on top, a filtered, paginated list below."""
    branch, branches = member_selectors.committee_branch_for_user(
        user=request.user, requested=request.GET.get("branch")
    )
    template = CARD_TEMPLATES[kind]
    context = {"branch": branch, "branches": branches, "template": template, "pages": _pages(kind), "kind": kind}
    if branch is None:
        return render(request, "assessment/card_board.html", context)
    today = timezone.localdate()
    filters = CardBoardFilterForm(request.GET, template=template, today=today).values
    year = filters["year"]
    members = selectors.filter_card_board(
        selectors.card_board(branch_id=branch.pk, year=year, kind=kind),
        state=filters["state"],
        group_id=filters["group"],
        checkpoint=filters["checkpoint"],
        check_state=filters["check"],
        search=filters["q"],
    )
    page = paginate(request, members, per_page=50)
    selectors.with_board_cells(page.object_list, kind=kind, year=year, today=today)
    counts = selectors.card_board_counts(branch_id=branch.pk, year=year, kind=kind, today=today)
    return render(
        request,
        "assessment/card_board.html",
        {
            **context,
            "year": year,
            "years": list(range(today.year + 1, today.year - 5, -1)),
            "counts": counts,
            "count_rows": [(key, selectors.STATE_LABELS[key], counts.by_state[key]) for key in selectors.BOARD_STATES],
            "groups": member_selectors.group_counts(branch_id=branch.pk),
            "states": selectors.BOARD_STATES,
            "checkpoints": template.checkpoints,
            "check_filters": list(selectors.CHECK_FILTERS),
            "state": filters["state"],
            "group_id": filters["group"],
            "checkpoint": filters["checkpoint"],
            "check_state": filters["check"],
            "search": filters["q"],
            "page": page,
            "query": query_without(request),
            "this_year": today.year,
        },
    )
