import functools
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from madang.calls import counters, exports, panels, rules, selectors, services
from madang.calls.forms import (
    AttachmentForm,
    CallForm,
    CoauthorForm,
    CommentForm,
    ConfidentialityForm,
    ProposalForm,
    ReasonForm,
    SearchForm,
)
from madang.calls.ledger_entries import author_opening
from madang.calls.models import Attachment, Comment, Outcome, Proposal
from madang.core import pagecache, params
from madang.core.errors import DomainError, Forbidden, NotFound
from madang.core.pagecache import shared_for_anonymous
from madang.core.paginator import CappedPaginator
from madang.ledger import services as ledger_services
from madang.people.auth import signed_in
from madang.people.models import User
from madang.people.selectors import department_groups
from madang.privacy import kinds as privacy_kinds
from madang.privacy import reasons
from madang.privacy import services as privacy
from madang.privacy.models import Action


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails  # set by django_htmx's middleware


def _me(request: HttpRequest) -> User:
    """The person behind a `login_required` view, typed for the services' `actor`."""
    return signed_in(request)


@shared_for_anonymous
def call_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "calls/list.html",
        {"calls": selectors.calls_for(request.user), "can_create": rules.can_create_call(request.user)},
    )


@login_required
def call_new(request: HttpRequest) -> HttpResponse:
    if not rules.can_create_call(request.user):
        raise NotFound()
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        call = services.create_call(
            actor=_me(request),
            slug=d["slug"],
            title=d["title"],
            description=d["description"],
            organisation=d["organisation"],
            audience=d["audience"],
            phases=form.phases(),
            categories=d["categories"],
            criteria=d["criteria"],
            required_fields=d["required"],
            hide_authors=d["hide_authors"],
            confidentiality=d["confidentiality"],
            verified_citizens_only=d["verified_citizens_only"],
        )
        messages.success(request, _("The call was opened."))
        return redirect("calls:detail", call.slug)
    return render(request, "calls/call_form.html", {"form": form}, status=400 if form.errors else 200)


@shared_for_anonymous
def call_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    call = selectors.read_call(request.user, slug)
    search = SearchForm(request.GET)
    data = search.cleaned_data if search.is_valid() else {}
    within = data.get("within") or "proposals"
    query, category, outcome, order = (
        data.get("q") or "",
        data.get("category"),
        data.get("outcome"),
        data.get("order") or "recent",
    )
    if within == "comments":  # (a comment has no supports or comments of its own to order by)
        qs: Any = selectors.search_comments(
            request.user, call, query=query, category=category, outcome=outcome, order=order
        )
    elif selectors.plain_reader(request.user, call):
        return _shared_results_page(request, call, search, data, query, category, outcome, order)
    else:
        qs = selectors.search_proposals(
            request.user, call, query=query, category=category, outcome=outcome, order=order
        )
    page = CappedPaginator(qs, 20).get_page(data.get("page") or 1)
    context = {**_call_context(request, call, search, data, within), "page": page}
    if within == "comments":
        for c in page:
            c.author_hidden = c.author_id in rules.hidden_author_ids(request.user, c.proposal)
        selectors.mask_comment_hits(request.user, list(page))
    else:
        counters.attach_live(page)  # the live tallies of this page (the folded ones lag)
        selectors.mask_proposal_titles(request.user, list(page))
    results = "calls/_comment_results.html" if within == "comments" else "calls/_proposal_list.html"
    context["results_template"] = results
    template = results if request.htmx and request.htmx.target == "proposal-list" else "calls/detail.html"
    return render(request, template, context)


def _call_context(
    request: HttpRequest, call: Any, search: SearchForm, data: dict[str, Any], within: str
) -> dict[str, Any]:
    phase = call.phase_at()
    # The call's title, description, schedule and history: the same for every reader.
    head_key = f"call-head|{call.pk}|{getattr(request, 'LANGUAGE_CODE', '-')}|{phase.pk if phase else '-'}"
    head = pagecache.shared_fragment(
        head_key, lambda: render_to_string("calls/_call_head.html", {"call": call, "phase": phase})
    )
    # The list's heading and search form: the same for every reader of this address (the query
    # string holds all the form shows), so shared like the head.
    form_key = "|".join(["call-search", str(call.pk), getattr(request, "LANGUAGE_CODE", "-"), request.GET.urlencode()])
    form = {"call": call, "search": search, "q": data.get("q") or "", "within": within, "outcomes": Outcome.choices}

    def search_html() -> str:  # (called by the template where it shows the form; an htmx reply of results does not)
        return pagecache.shared_fragment(form_key, lambda: render_to_string("calls/_search_form.html", form))

    return {
        **form,
        "head_html": head,
        "search_html": search_html,
        "phase": phase,
        "can_submit": rules.can_submit(request.user, call),
        "is_team": rules.can_manage_call(request.user, call),
        "hide": call.authors_hidden(),
        "confidentiality_form": ConfidentialityForm(initial={"confidentiality": call.confidentiality}),
    }


def _shared_results_page(
    request: HtmxHttpRequest, call: Any, search: SearchForm, data: dict[str, Any], *filters: Any
) -> HttpResponse:
    """The call's page for a reader who sees just what the call shares (`selectors.plain_reader`):
    the list of results is the same for all of them, so it is rendered once and shared for a few
    seconds (`pagecache.shared_fragment`), masked as for a reader who is not signed in."""
    query, category, outcome, order = filters
    phase = call.phase_at()
    key = "|".join(
        [
            "call-results",
            str(call.pk),
            getattr(request, "LANGUAGE_CODE", "-"),
            str(phase.pk if phase else "-"),
            request.GET.urlencode(),
        ]
    )

    def make() -> str:
        qs = selectors.search_proposals(
            AnonymousUser(), call, query=query, category=category, outcome=outcome, order=order, shared_only=True
        )
        page = CappedPaginator(qs, 20, rows=selectors.shared_rows(qs)).get_page(data.get("page") or 1)
        counters.attach_live(page)
        selectors.mask_proposal_titles(AnonymousUser(), list(page))
        fragment = {
            "call": call,
            "page": page,
            "q": data.get("q") or "",
            "is_team": False,
            "hide": call.authors_hidden(),
        }
        return render_to_string("calls/_proposal_list.html", fragment, request=request)

    results = pagecache.shared_fragment(key, make)
    if request.htmx and request.htmx.target == "proposal-list":
        return HttpResponse(results)
    context = _call_context(request, call, search, data, "proposals")
    context["results_html"] = results
    return render(request, "calls/detail.html", context)


def departments(request: HttpRequest, slug: str) -> HttpResponse:
    """The options of a department select that match a search (htmx swaps them into the select)."""
    call = selectors.access_call(request.user, slug)
    query = request.GET.get("q", "")[:100]
    field = request.GET.get("field", "")[:100]
    selected = params.optional_id(request.GET.get(field), field=field) if field else None
    groups = department_groups(selectors.routable_departments(call), query)
    return render(
        request, "calls/_department_options.html", {"groups": groups, "q": query.strip(), "selected": selected}
    )


@login_required
def propose(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug)
    if not rules.can_submit(request.user, call):
        raise Forbidden(_("This call is not taking proposals from you now."))
    form = ProposalForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        proposal = services.create_proposal(
            actor=_me(request), call=call, fields=services.ProposalFields(**form.cleaned_data)
        )
        if "submit" in request.POST:
            try:
                services.submit_proposal(actor=_me(request), proposal=proposal, personal_data_ok=_confirmed(request))
            except DomainError as exc:
                return _not_submitted(request, proposal, exc)
            messages.success(request, _("Your proposal was submitted. Thank you!"))
        else:
            messages.success(request, _("Your draft was saved."))
        return redirect("calls:proposal", proposal.pk)
    return render(request, "calls/proposal_form.html", {"form": form, "call": call}, status=400 if form.errors else 200)


def similar(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug)
    selectors.check_similar_budget(request)
    text = " ".join(request.GET.get(k, "")[:5000] for k in ("title", "problem", "solution"))
    exclude = params.optional_id(request.GET.get("exclude"), field="exclude")
    found = selectors.similar_proposals(call, text, exclude=exclude)
    return render(request, "calls/_similar.html", {"found": found, "call": call})


def similar_by_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.access_proposal(request.user, pk)
    selectors.check_similar_budget(request)
    text = " ".join(request.GET.get(k, "")[:5000] for k in ("title", "problem", "solution"))
    found = selectors.similar_proposals(proposal.call, text, exclude=proposal.pk)
    return render(request, "calls/_similar.html", {"found": found, "call": proposal.call})


@shared_for_anonymous
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    proposal = selectors.shown_proposal(user, selectors.read_proposal(user, pk))
    window = selectors.comment_window(user, proposal, _page(request, "comments"))
    context = {
        "p": proposal,
        "call": proposal.call,
        "comments": window.comments,
        "comment_page": window,
        "sections": panels.render(request, proposal),
        "attachments": selectors.visible_attachments(user, proposal),
        "show_authors": rules.can_see_authors(user, proposal),
        "hidden_authors": rules.hidden_author_ids(user, proposal),
        "can_mark_internal": rules.can_mark_internal(user, proposal),
        "internal_marks": proposal.internal_marks.select_related("marked_by")
        if rules.can_mark_internal(user, proposal)
        else [],
        "is_author": rules.is_author(user, proposal),
        "held": selectors.is_held(proposal),
        "can_edit": rules.can_edit_proposal(user, proposal),
        "can_withdraw": rules.can_withdraw(user, proposal),
        "can_support": rules.can_support(user, proposal),
        "can_comment": rules.can_comment(user, proposal),
        "can_moderate": rules.can_moderate(user, proposal.call),
        "supported": getattr(proposal, "viewer_supports", False),
        "comment_field": _empty_comment_field(get_language()),  # (shown where can_comment)
        **_comment_actions(proposal),
        "merged_from": proposal.merged_from.only("pk", "title") if getattr(proposal, "merged_here", True) else [],
        "ledger_entries": ledger_services.receipts_for(f"proposal:{proposal.pk}"),
        # Only an author sees the opening that proves the proposal's entries name them.
        "ledger_opening": author_opening(proposal.pk, user.pk)
        if isinstance(user, User) and rules.is_author(user, proposal)
        else None,
    }
    return render(request, "calls/proposal.html", context)


@login_required
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.access_proposal(request.user, pk)
    if not rules.can_edit_proposal(request.user, proposal):
        raise Forbidden(_("This proposal can no longer be edited."))
    initial = {
        "title": proposal.title,
        "problem": proposal.problem,
        "solution": proposal.solution,
        "expected_effect": proposal.expected_effect,
        "suggested_department": proposal.suggested_department,
        "category": proposal.category,
    }
    form = ProposalForm(request.POST or None, initial=initial, call=proposal.call)
    ask_personal_data = request.GET.get("confirm") == "personal_data"
    if request.method == "POST" and form.is_valid():
        try:
            services.update_proposal(
                actor=_me(request),
                proposal=proposal,
                fields=services.ProposalFields(**form.cleaned_data),
                personal_data_ok=_confirmed(request),
            )
        except DomainError as exc:
            # A published proposal's edit was refused: show the form again with what was typed.
            if exc.code != "personal_data":
                raise
            messages.error(request, str(exc.message))
            ask_personal_data = True
        else:
            if "submit" in request.POST:
                try:
                    services.submit_proposal(
                        actor=_me(request), proposal=proposal, personal_data_ok=_confirmed(request)
                    )
                except DomainError as exc:
                    return _not_submitted(request, proposal, exc)
                messages.success(request, _("Your proposal was submitted. Thank you!"))
            else:
                messages.success(request, _("Saved."))
            return redirect("calls:proposal", proposal.pk)
    context = {
        "ask_personal_data": ask_personal_data,
        "form": form,
        "call": proposal.call,
        "p": proposal,
        "attachment_form": AttachmentForm(),
        "coauthor_form": CoauthorForm(),
        "attachments": proposal.attachments.all(),
        "revisions": proposal.revisions.all(),
        "pending_invitations": proposal.coauthor_invitations.filter(state="pending").select_related("invitee"),
    }
    refused = form.errors or (ask_personal_data and request.method == "POST")
    return render(request, "calls/proposal_form.html", context, status=400 if refused else 200)


def _confirmed(request: HttpRequest) -> bool:
    """The author ticked "this is not personal data" (shown once the filter has found something)."""
    return request.POST.get("personal_data_ok") == "1"


def _not_submitted(request: HttpRequest, proposal: Proposal, exc: DomainError) -> HttpResponse:
    messages.error(request, str(exc.message))
    url = reverse("calls:edit", args=[proposal.pk])
    return redirect(f"{url}?confirm=personal_data" if exc.code == "personal_data" else url)


@login_required
@require_POST
def proposal_submit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.access_proposal(request.user, pk)
    try:
        services.submit_proposal(actor=_me(request), proposal=proposal, personal_data_ok=_confirmed(request))
    except DomainError as exc:
        if exc.code != "personal_data":
            raise
        return _not_submitted(request, proposal, exc)
    messages.success(request, _("Your proposal was submitted. Thank you!"))
    return redirect("calls:proposal", pk)


@login_required
@require_POST
def proposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.access_proposal(request.user, pk)
    services.withdraw_proposal(actor=_me(request), proposal=proposal)
    messages.success(request, _("The proposal was withdrawn."))
    return redirect("calls:proposal", pk)


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.access_proposal(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        raise DomainError(_("Please choose a file to attach."), code="required", field="file")
    services.add_attachment(
        actor=_me(request), proposal=proposal, upload=form.cleaned_data["file"], personal_data_ok=_confirmed(request)
    )
    messages.success(request, _("The file was attached."))
    return redirect("calls:edit", pk)


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = Attachment.objects.select_related("proposal").filter(pk=pk).first()
    if attachment is None:
        raise NotFound()
    proposal = selectors.access_proposal(request.user, attachment.proposal_id)
    if attachment not in selectors.visible_attachments(request.user, proposal):
        raise NotFound()  # held by the personal-data filter
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
    )
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = Attachment.objects.select_related("proposal__call").filter(pk=pk).first()
    if attachment is None:
        raise NotFound()
    selectors.access_proposal(request.user, attachment.proposal_id)
    services.remove_attachment(actor=_me(request), attachment=attachment)
    return redirect("calls:edit", attachment.proposal_id)


@login_required
@require_POST
def coauthor_add(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.access_proposal(request.user, pk)
    form = CoauthorForm(request.POST)
    # An invalid name (a NUL byte, which PostgreSQL refuses even in a lookup) is no one's name.
    user = (
        User.objects.filter(username=form.cleaned_data["username"], is_active=True).first() if form.is_valid() else None
    )
    if user is None:
        raise DomainError(_("No one has that username."), code="unknown_user", field="username")
    services.invite_coauthor(actor=_me(request), proposal=proposal, invitee=user)
    messages.success(request, _("%(name)s was invited as a co-author and joins on accepting.") % {"name": user})
    return redirect("calls:edit", pk)


@login_required
@require_POST
def coauthor_remove(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    """An author removes a co-author or cancels an invitation; a co-author may also leave."""
    proposal = selectors.access_proposal(request.user, pk)
    coauthor = selectors.access_coauthor(proposal, user_id)
    me = _me(request)
    services.remove_coauthor(actor=me, proposal=proposal, coauthor=coauthor)
    if coauthor.pk == me.pk:
        messages.success(request, _("You are no longer a co-author of this proposal."))
        return redirect("calls:proposal", pk)
    messages.success(request, _("%(name)s is no longer a co-author.") % {"name": coauthor})
    return redirect("calls:edit", pk)


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    return render(request, "calls/invitations.html", {"invitations": selectors.my_invitations(request.user)})


@login_required
@require_POST
def invitation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.access_invitation(request.user, pk)
    accept = request.POST.get("accept") == "1"
    services.answer_invitation(actor=_me(request), invitation=invitation, accept=accept)
    if accept:
        messages.success(request, _("You are now a co-author."))
        return redirect("calls:proposal", invitation.proposal_id)
    messages.success(request, _("You declined the invitation."))
    return redirect("calls:invitations")


@login_required
@require_POST
def mark_internal(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.access_proposal(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("Please give a reason (at most 300 characters)."), code="required", field="reason")
    internal = request.POST.get("internal") == "1"
    services.set_internal(actor=_me(request), proposal=proposal, internal=internal, reason=form.cleaned_data["reason"])
    messages.success(request, _("The proposal is now internal.") if internal else _("The proposal is public again."))
    return redirect("calls:proposal", pk)


@login_required
@require_POST
def call_confidentiality(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug)
    form = ConfidentialityForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("Please choose who may read the call."), code="required", field="confidentiality")
    services.set_call_confidentiality(
        actor=_me(request), call=call, confidentiality=form.cleaned_data["confidentiality"]
    )
    messages.success(request, _("Saved."))
    return redirect("calls:detail", call.slug)


@login_required
@require_POST
def support(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_for_support(request.user, pk)
    if request.POST.get("action") == "withdraw":
        _changed, count = services.withdraw_support(actor=_me(request), proposal=proposal)
        supported = False
    else:
        _changed, count = services.support_proposal(actor=_me(request), proposal=proposal)
        supported = True
    if request.htmx:
        context = {"p": proposal, "support_count": count, "supported": supported, "can_support": True}
        return render(request, "calls/_support.html", context)
    return redirect("calls:proposal", pk)


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.access_proposal(request.user, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        raise DomainError(
            _("The comment is empty or too long (at most 4000 characters)."), code="invalid", field="body"
        )
    parent = None
    if form.cleaned_data.get("parent"):
        parent = proposal.comments.filter(pk=form.cleaned_data["parent"]).first()
        if parent is None:
            raise NotFound()
    posted = services.add_comment(
        actor=_me(request),
        proposal=proposal,
        body=form.cleaned_data["body"],
        parent=parent,
        personal_data_ok=_confirmed(request),
    )
    return redirect(comment_url(posted))


def proposal_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("calls:proposal", args=[pk])


def comment_url(comment: Comment) -> str:
    """The page that shows this comment, at the comment."""
    thread, page = selectors.comment_place(comment)
    if thread is None:
        where, name = proposal_url(comment.proposal_id), "comments"
    else:
        where, name = reverse("calls:comment_thread", args=[comment.proposal_id, thread]), "page"
    query = f"?{name}={page}" if page > 1 else ""
    return f"{where}{query}#comment-{comment.pk}"


def _page(request: HttpRequest, name: str) -> int:
    return params.parse_int(request.GET.get(name) or 1, field=name, lo=1, hi=selectors.MAX_COMMENT_PAGE)


@shared_for_anonymous
def comment_thread(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    """A top-level comment with all its replies, a page at a time (the proposal's page shows the first few)."""
    user = request.user
    proposal = selectors.access_proposal(user, pk)
    top = proposal.comments.filter(pk=comment_pk, parent=None).select_related("author__department__parent").first()
    if top is None:
        raise NotFound()
    (top,) = selectors.shown_comments(user, [top])
    window = selectors.comment_window(user, proposal, _page(request, "page"), thread=top)
    context = {
        "p": proposal,
        "call": proposal.call,
        "top": top,
        "comments": window.comments,
        "comment_page": window,
        "back": selectors.comment_place(top)[1],
        "hidden_authors": rules.hidden_author_ids(user, proposal),
        "can_comment": rules.can_comment(user, proposal),
        "can_moderate": rules.can_moderate(user, proposal.call),
        **_comment_actions(proposal),
    }
    return render(request, "calls/comment_thread.html", context)


@functools.lru_cache(maxsize=8)
def _empty_comment_field(_language: str | None) -> SafeString:
    """The comment form's one field, empty, as the proposal's page shows it: the same for every
    reader in a language, so made once per language in a process (Django's form rendering cost
    the page about 0.4 ms)."""
    return mark_safe(render_to_string("core/_field.html", {"field": CommentForm()["body"]}))


def _comment_actions(proposal: Proposal) -> dict[str, str]:
    """Where each comment's reply and report forms post: the same for every comment of the page,
    reversed once for it, not once a comment (calls/_comment.html)."""
    return {
        "comment_action": reverse("calls:comment", args=[proposal.pk]),
        "report_action": reverse("calls:report", args=[proposal.pk]),
    }


@login_required
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.access_proposal(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise DomainError(
            _("Please say why you are reporting this (at most 300 characters)."), code="required", field="reason"
        )
    target_comment = None
    if (comment_id := params.optional_id(request.POST.get("comment"), field="comment")) is not None:
        target_comment = proposal.comments.filter(pk=comment_id).first()
        if target_comment is None:
            raise NotFound()
    services.report_content(
        actor=_me(request),
        reason=form.cleaned_data["reason"],
        proposal=None if target_comment else proposal,
        comment=target_comment,
    )
    messages.success(request, _("Thank you. The innovation team will look at it."))
    return redirect("calls:proposal", pk)


@login_required
@require_POST
def hide_comment(request: HttpRequest, pk: int) -> HttpResponse:
    target = Comment.objects.select_related("proposal__call").filter(pk=pk).first()
    if target is None:
        raise NotFound()
    selectors.access_proposal(request.user, target.proposal_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("Hiding needs a reason; the author will see it."), code="required", field="reason")
    services.hide_comment(actor=_me(request), comment=target, reason=form.cleaned_data["reason"])
    return redirect(comment_url(target))


@login_required
@require_POST
def hide_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.access_proposal(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("Hiding needs a reason; the author will see it."), code="required", field="reason")
    services.hide_proposal(actor=_me(request), proposal=proposal, reason=form.cleaned_data["reason"])
    messages.success(request, _("The proposal is hidden."))
    return redirect("calls:proposal", pk)


@login_required
def moderation(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug)
    if not rules.can_moderate(request.user, call):
        raise NotFound()
    from madang.calls.models import Report

    reports = (
        Report.objects.filter(resolved_at__isnull=True)
        .filter(models_q_for_call(call))
        .select_related("proposal", "comment__proposal", "reporter")
    )
    return render(request, "calls/moderation.html", {"call": call, "reports": reports})


def models_q_for_call(call: object) -> object:
    from django.db.models import Q

    return Q(proposal__call=call) | Q(comment__proposal__call=call)


def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug)
    proposals = selectors.search_proposals(request.user, call).exclude(status="draft")
    if fmt not in ("xlsx", "csv"):
        raise NotFound()
    # Authors' names and departments: recorded when an official takes them out (staff work).
    if request.user.is_authenticated and signed_in(request).is_official:
        count = proposals.count()
        if (asked := reasons.ask(request, count=count)) is not None:
            return asked
        privacy.record(
            request,
            action=Action.EXPORT,
            kind=privacy_kinds.ACCOUNTS,
            scope=f"call:{call.pk}",
            count=count,
            reason=reasons.given(request),
        )
    if fmt == "xlsx":
        return exports.xlsx_response(call, proposals, user=request.user)
    return exports.csv_response(call, proposals, user=request.user)
