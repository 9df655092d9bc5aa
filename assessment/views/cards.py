"""Pages of the card engine. The pages a kind has of its own (the member's list of
cards, the branch's board) take the kind from the URLconf; every page of one card
works for any kind, its template telling which sections and checkpoints it has."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members import selectors as member_selectors
from members.roles import get_roles
from partybuild.lib.forms import add_service_errors as _form_errors
from partybuild.lib.pagination import paginate

from ..forms.cards import (
    CardApproveForm,
    CardHeaderForm,
    CardReturnForm,
    CheckReviewForm,
    SelfCheckForm,
    TaskForm,
    section_formsets,
)
from ..models import CARD_TEMPLATES, Card, CardKind, Checkpoint, SelfCheck
from ..models.cards import checkpoint_opens
from ..selectors import cards as selectors
from ..services import AssessmentError
from ..services import cards as services

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


# ---------------------------------------------------------------------------
# The member's cards


@login_required
def card_list(request: HttpRequest, kind: str = CardKind.GOAL_CARD) -> HttpResponse:
    """The member's own cards: this year's and next year's on top, then the older ones."""
    roles = get_roles(request.user)
    if roles.member is None:
        raise PermissionDenied
    this_year = timezone.localdate().year
    cards = {card.year: card for card in selectors.my_cards(member=roles.member, kind=kind)}
    years = [this_year, this_year + 1, this_year - 1]
    rows = [(year, cards.get(year)) for year in years]
    older = [card for year, card in sorted(cards.items(), reverse=True) if year < this_year - 1]
    return render(
        request,
        "assessment/card_list.html",
        {
            "rows": rows,
            "older": older,
            "template": CARD_TEMPLATES[kind],
            "pages": _pages(kind),
            "this_year": this_year,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_year(request: HttpRequest, year: int, kind: str = CardKind.GOAL_CARD) -> HttpResponse:
    """Open the member's card for a year; starting one is a POST."""
    year = _year_or_404(year)
    roles = get_roles(request.user)
    if roles.member is None:
        raise PermissionDenied
    existing = Card.objects.filter(member=roles.member, kind=kind, year=year).first()
    if existing is not None:
        return redirect("assessment:card_detail", pk=existing.pk)
    if request.method == "POST":
        try:
            card = services.card_start(actor=request.user, kind=kind, year=year)
        except AssessmentError as exc:
            messages.error(request, exc.message)
            return redirect(_pages(kind).get("list", "home"))
        return redirect("assessment:card_edit", pk=card.pk)
    return render(
        request,
        "assessment/card_start.html",
        {"year": year, "template": CARD_TEMPLATES[kind], "pages": _pages(kind)},
    )


def _detail_context(request: HttpRequest, card: Card, **forms) -> dict:
    actions = services.allowed_actions(actor=request.user, card=card)
    context = {
        "card": card,
        "template": card.template,
        "pages": _pages(card.kind),
        "actions": actions,
        "is_owner": card.member.user_id == request.user.pk,
        "sections": selectors.card_sections(card=card),
        "checkpoints": selectors.card_checkpoints(card=card, today=timezone.localdate()),
        "logs": list(selectors.card_logs(card=card)),
        "last_return": None,
    }
    if card.status == Card.Status.RETURNED:
        context["last_return"] = next((log for log in reversed(context["logs"]) if log.action == "return"), None)
    if "assign_task" in actions:
        context["task_form"] = forms.get("task_form") or TaskForm()
    if "return" in actions:
        context["return_form"] = forms.get("return_form") or CardReturnForm(card=card)
    if "approve" in actions:
        context["approve_form"] = forms.get("approve_form") or CardApproveForm(card=card)
    return context


@login_required
def card_detail(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors.card_get_for_user(user=request.user, pk=pk)
    return render(request, "assessment/card_detail.html", _detail_context(request, card))


@login_required
@require_http_methods(["GET", "POST"])
def card_edit(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors.card_get_for_user(user=request.user, pk=pk)
    if card.member.user_id != request.user.pk:
        raise PermissionDenied
    if card.status not in (Card.Status.DRAFT, Card.Status.RETURNED):
        messages.info(request, _("This card is with the branch or approved and cannot be edited now."))
        return redirect("assessment:card_detail", pk=card.pk)
    data = request.POST if request.method == "POST" else None
    header = CardHeaderForm(data, card=card)
    formsets = section_formsets(card=card, data=data)
    if request.method == "POST" and header.is_valid() and all(fs.is_valid() for _spec, fs in formsets):
        items = {
            spec.key: [
                services.ItemInput(id=f.cleaned_data.get("id"), text=f.cleaned_data.get("text", ""))
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            for spec, formset in formsets
        }
        try:
            card = services.card_save(
                actor=request.user,
                card_id=card.pk,
                version=header.cleaned_data["version"],
                items=items,
                role_aimed=header.cleaned_data.get("role_aimed") if "role_aimed" in header.fields else None,
            )
            if "submit" in request.POST:
                card = services.card_submit(actor=request.user, card_id=card.pk)
                messages.success(request, _("Your card was submitted to the branch."))
                return redirect("assessment:card_detail", pk=card.pk)
        except AssessmentError as exc:
            header.add_error(None, exc.message)
        except ValidationError as exc:
            if "submit" not in request.POST:
                _form_errors(header, exc)
            else:
                # Saved, but not complete enough to hand in: say what is missing.
                messages.warning(request, _("Your changes were saved, but the card is not ready to submit."))
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("assessment:card_edit", pk=card.pk)
        else:
            messages.success(request, _("Your card was saved."))
            return redirect("assessment:card_edit", pk=card.pk)
    return render(
        request,
        "assessment/card_edit.html",
        {
            "card": card,
            "template": card.template,
            "pages": _pages(card.kind),
            "header": header,
            "formsets": formsets,
            "branch_sections": [s for s in selectors.card_sections(card=card) if s.spec.by_branch and s.items],
            "returned": card.status == Card.Status.RETURNED,
            "last_return": card.logs.filter(action="return").last(),
        },
    )


@login_required
@require_POST
def card_submit(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors.card_get_for_user(user=request.user, pk=pk)
    try:
        services.card_submit(actor=request.user, card_id=card.pk, version=_version(request))
    except AssessmentError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your card was submitted to the branch."))
    return redirect("assessment:card_detail", pk=card.pk)


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


@login_required
@require_POST
def card_return(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors.card_get_for_user(user=request.user, pk=pk)
    form = CardReturnForm(request.POST, card=card)
    if form.is_valid():
        try:
            services.card_return(
                actor=request.user,
                card_id=card.pk,
                version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
            )
        except AssessmentError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The card was returned to %(name)s.") % {"name": card.member.name})
            return redirect("assessment:card_detail", pk=card.pk)
    if not form.errors:
        return redirect("assessment:card_detail", pk=card.pk)
    return render(request, "assessment/card_detail.html", _detail_context(request, card, return_form=form))


@login_required
@require_POST
def card_approve(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors.card_get_for_user(user=request.user, pk=pk)
    form = CardApproveForm(request.POST, card=card)
    if form.is_valid():
        try:
            services.card_approve(
                actor=request.user,
                card_id=card.pk,
                version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
            )
        except AssessmentError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The card was approved."))
            return redirect("assessment:card_detail", pk=card.pk)
    if not form.errors:
        return redirect("assessment:card_detail", pk=card.pk)
    return render(request, "assessment/card_detail.html", _detail_context(request, card, approve_form=form))


@login_required
@require_POST
def card_task_add(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors.card_get_for_user(user=request.user, pk=pk)
    form = TaskForm(request.POST)
    if form.is_valid():
        try:
            services.card_task_add(actor=request.user, card_id=card.pk, text=form.cleaned_data["text"])
        except AssessmentError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The task was added to the card."))
            return redirect("assessment:card_detail", pk=card.pk)
    if not form.errors:
        return redirect("assessment:card_detail", pk=card.pk)
    return render(request, "assessment/card_detail.html", _detail_context(request, card, task_form=form))


@login_required
@require_POST
def card_task_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    card = selectors.card_get_for_user(user=request.user, pk=pk)
    try:
        services.card_task_remove(actor=request.user, card_id=card.pk, item_id=item_pk)
    except AssessmentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The task was withdrawn."))
    return redirect("assessment:card_detail", pk=card.pk)


@login_required
@require_POST
def card_for_member(request: HttpRequest, member_pk: int, year: int, kind: str = CardKind.GOAL_CARD) -> HttpResponse:
    """The branch opens a member's card (to assign X tasks before the member starts it)."""
    member = member_selectors.member_get_for_user(user=request.user, pk=member_pk)
    try:
        card = services.card_start(actor=request.user, kind=kind, year=_year_or_404(year), member_id=member.pk)
    except AssessmentError as exc:
        messages.error(request, exc.message)
        return redirect(_pages(kind).get("board", "home"))
    return redirect("assessment:card_detail", pk=card.pk)


# ---------------------------------------------------------------------------
# Self-checks


def _check_context(request: HttpRequest, card: Card, self_check: SelfCheck | None, **forms) -> dict:
    actions = services.allowed_actions(actor=request.user, card=card, self_check=self_check)
    rows = selectors.self_check_rows(card=card, self_check=self_check)
    context = {
        "card": card,
        "template": card.template,
        "pages": _pages(card.kind),
        "self_check": self_check,
        "checkpoint": request.resolver_match.kwargs["checkpoint"],
        "checkpoint_label": dict(Checkpoint.choices)[request.resolver_match.kwargs["checkpoint"]],
        "actions": actions,
        "is_owner": card.member.user_id == request.user.pk,
        "rows": rows,
        "logs": [log for log in selectors.card_logs(card=card) if self_check and log.self_check_id == self_check.pk],
    }
    if self_check is not None and "edit_check" in actions:
        context["form"] = forms.get("form") or SelfCheckForm(card=card, self_check=self_check, rows=rows)
    if "acknowledge" in actions:
        context["acknowledge_form"] = forms.get("acknowledge_form") or CheckReviewForm(
            self_check=self_check, prefix_id="acknowledge", required=False
        )
    if "return_check" in actions:
        context["return_form"] = forms.get("return_form") or CheckReviewForm(
            self_check=self_check, prefix_id="return-check", required=True
        )
    if self_check is not None and self_check.status == SelfCheck.Status.RETURNED:
        context["last_return"] = next((log for log in reversed(context["logs"]) if log.action == "return_check"), None)
    return context


@login_required
@require_POST
def check_start(request: HttpRequest, pk: int, checkpoint: str) -> HttpResponse:
    card, self_check = selectors.self_check_get_for_user(user=request.user, card_pk=pk, checkpoint=checkpoint)
    if self_check is None:
        try:
            services.check_start(actor=request.user, card_id=card.pk, checkpoint=checkpoint)
        except AssessmentError as exc:
            messages.error(request, exc.message)
            return redirect("assessment:card_detail", pk=card.pk)
    return redirect("assessment:card_check", pk=card.pk, checkpoint=checkpoint)


@login_required
@require_http_methods(["GET", "POST"])
def card_check(request: HttpRequest, pk: int, checkpoint: str) -> HttpResponse:
    """The self-check at a checkpoint: the member fills it in, everyone else reads it."""
    card, self_check = selectors.self_check_get_for_user(user=request.user, card_pk=pk, checkpoint=checkpoint)
    if request.method == "POST":
        if self_check is None or card.member.user_id != request.user.pk:
            raise PermissionDenied
        rows = selectors.self_check_rows(card=card, self_check=self_check)
        form = SelfCheckForm(request.POST, card=card, self_check=self_check, rows=rows)
        if form.is_valid():
            entries = {
                item_id: services.EntryInput(result=result, note=note)
                for item_id, (result, note) in form.entries().items()
            }
            try:
                self_check = services.check_save(
                    actor=request.user, check_id=self_check.pk, version=form.cleaned_data["version"], entries=entries
                )
                if "report" in request.POST:
                    services.check_report(actor=request.user, check_id=self_check.pk)
                    messages.success(request, _("Your self-check was reported to the branch."))
                    return redirect("assessment:card_check", pk=card.pk, checkpoint=checkpoint)
            except AssessmentError as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                if "report" in request.POST:
                    messages.warning(request, _("Your self-check was saved, but it is not ready to report."))
                    for message in exc.messages:
                        messages.error(request, message)
                    return redirect("assessment:card_check", pk=card.pk, checkpoint=checkpoint)
                _form_errors(form, exc)
            else:
                messages.success(request, _("Your self-check was saved."))
                return redirect("assessment:card_check", pk=card.pk, checkpoint=checkpoint)
        return render(request, "assessment/card_check.html", _check_context(request, card, self_check, form=form))
    return render(request, "assessment/card_check.html", _check_context(request, card, self_check))


def _review(request: HttpRequest, pk: int, checkpoint: str, *, returning: bool) -> HttpResponse:
    card, self_check = selectors.self_check_get_for_user(user=request.user, card_pk=pk, checkpoint=checkpoint)
    if self_check is None:
        raise Http404
    form = CheckReviewForm(
        request.POST,
        self_check=self_check,
        prefix_id="return-check" if returning else "acknowledge",
        required=returning,
    )
    if form.is_valid():
        service = services.check_return if returning else services.check_acknowledge
        try:
            service(
                actor=request.user,
                check_id=self_check.pk,
                version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
            )
        except AssessmentError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if returning:
                messages.success(request, _("The self-check was returned to %(name)s.") % {"name": card.member.name})
            else:
                messages.success(request, _("The self-check was marked as reviewed."))
            return redirect("assessment:card_check", pk=card.pk, checkpoint=checkpoint)
    if not form.errors:
        return redirect("assessment:card_check", pk=card.pk, checkpoint=checkpoint)
    key = "return_form" if returning else "acknowledge_form"
    return render(request, "assessment/card_check.html", _check_context(request, card, self_check, **{key: form}))


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


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value or 0) or None
    except ValueError:
        return None


@login_required
def card_board(request: HttpRequest, kind: str = CardKind.GOAL_CARD) -> HttpResponse:
    """The branch's members with their card's state for a year and, per checkpoint, who
    has reported their self-check: counts on top, a filtered, paginated list below."""
    roles = get_roles(request.user)
    branches = None
    if roles.is_admin:
        branches = member_selectors.branch_list_for_user(user=request.user)
        branch = branches.filter(pk=_int_or_none(request.GET.get("branch"))).first() or branches.first()
        if branch is None:
            return render(
                request,
                "assessment/card_board.html",
                {"branch": None, "branches": branches, "template": CARD_TEMPLATES[kind], "pages": _pages(kind)},
            )
    elif roles.committee_branch_id is not None:
        branch = roles.member.branch
    else:
        raise PermissionDenied
    today = timezone.localdate()
    template = CARD_TEMPLATES[kind]
    year = _int_or_none(request.GET.get("year")) or today.year
    if not today.year - 5 <= year <= today.year + 1:
        year = today.year
    state = request.GET.get("state") or None
    if state not in selectors.BOARD_STATES:
        state = None
    checkpoint = request.GET.get("checkpoint") or None
    if checkpoint not in template.checkpoints:
        checkpoint = None
    check_state = request.GET.get("check") or None
    if check_state not in selectors.CHECK_FILTERS or checkpoint is None:
        check_state = None
    group_id = _int_or_none(request.GET.get("group"))
    search = (request.GET.get("q") or "").strip()[:50]

    members = selectors.filter_card_board(
        selectors.card_board(branch_id=branch.pk, year=year, kind=kind),
        state=state,
        group_id=group_id,
        checkpoint=checkpoint,
        check_state=check_state,
        search=search,
    )
    page = paginate(request, members, per_page=50)
    counts = selectors.card_board_counts(branch_id=branch.pk, year=year, kind=kind, today=today)
    opens = {cp: checkpoint_opens(cp, year) for cp in template.checkpoints}
    for member in page.object_list:
        member.state = member.card_status or selectors.NOT_STARTED
        member.state_label = selectors.STATE_LABELS[member.state]
        member.cells = [
            (
                cp,
                selectors.board_cell(
                    card_status=member.card_status,
                    check_status=getattr(member, f"check_{cp}"),
                    opens=opens[cp],
                    today=today,
                ),
            )
            for cp in template.checkpoints
        ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessment/card_board.html",
        {
            "branch": branch,
            "branches": branches,
            "template": template,
            "pages": _pages(kind),
            "kind": kind,
            "year": year,
            "years": list(range(today.year + 1, today.year - 5, -1)),
            "counts": counts,
            "count_rows": [(key, selectors.STATE_LABELS[key], counts.by_state[key]) for key in selectors.BOARD_STATES],
            "groups": member_selectors.group_counts(branch_id=branch.pk),
            "states": [(key, selectors.STATE_LABELS[key]) for key in selectors.BOARD_STATES],
            "checkpoints": [(cp, dict(Checkpoint.choices)[cp]) for cp in template.checkpoints],
            "check_filters": list(selectors.CHECK_FILTERS.items()),
            "state": state,
            "group_id": group_id,
            "checkpoint": checkpoint,
            "check_state": check_state,
            "search": search,
            "page": page,
            "query": query.urlencode(),
            "this_year": today.year,
        },
    )
