from collections import Counter
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madang.citizens import ledger_entries, lottery, privacy_kinds, rules, selectors, services
from madang.citizens.forms import (
    AttributesForm,
    DeleteForm,
    JoinForm,
    PoolForm,
    QuotasForm,
    SeedForm,
    SeedSourceForm,
    VolunteerForm,
)
from madang.citizens.models import CitizenProfile, InvitationPool, Lottery, Purpose
from madang.core import charts, links, ratelimit
from madang.core.addresses import client_address
from madang.core.errors import DomainError, NotFound
from madang.jobs.selectors import latest
from madang.people import seats, throttle
from madang.people.auth import signed_in
from madang.privacy import services as privacy
from madang.privacy.models import Action


def home(request: HttpRequest) -> HttpResponse:
    """Where a citizen starts: what membership is for, the calls open to citizens, the pools inviting."""
    user = request.user
    return render(
        request,
        "citizens/home.html",
        {
            "calls": selectors.calls_open_to_citizens(user),
            "pools": selectors.open_pools(),
            "is_citizen": bool(getattr(user, "is_citizen", False)),
            "can_create": rules.can_create_pools(user),
        },
    )


def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ratelimit.hit("join", client_address(request))
        d = form.cleaned_data
        # Whether or not the address was taken, the same page: see services.join.
        services.join(
            username=d["username"],
            display_name=d["display_name"],
            email=d["email"],
            password=d["password"],
            language=(get_language() or "ko")[:2],
            site=links.site_url(request),
        )
        return render(request, "citizens/join_sent.html", {"email": d["email"]})
    return render(request, "citizens/join.html", {"form": form}, status=400 if form.errors else 200)


def verify(request: HttpRequest, token: str) -> HttpResponse:
    services.verify_email(token=token)
    messages.success(request, _("Your e-mail address is confirmed."))
    return redirect("citizens:profile" if request.user.is_authenticated else "people:login")


def _citizen(request: HttpRequest):
    if not signed_in(request).is_citizen:
        raise NotFound()
    return services.profile_of(signed_in(request))


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    prof = _citizen(request)
    consented = services.has_consent(signed_in(request), Purpose.ATTRIBUTES)
    form = AttributesForm(request.POST or None, initial={**prof.attributes(), "consent": consented})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if d["consent"]:
            services.grant_consent(actor=signed_in(request), purpose=Purpose.ATTRIBUTES)
            services.update_attributes(
                actor=signed_in(request),
                gender=d["gender"],
                age_band=d["age_band"],
                region=d["region"],
                occupation=d["occupation"],
                interests=d["interests"],
            )
            messages.success(request, _("Saved."))
        elif consented:
            services.withdraw_consent(actor=signed_in(request), purpose=Purpose.ATTRIBUTES)
            messages.success(request, _("Your consent was withdrawn and your answers were erased."))
        return redirect("citizens:profile")
    return render(
        request,
        "citizens/profile.html",
        {"form": form, "profile": prof, "consented": consented},
        status=400 if form.errors else 200,
    )


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    _citizen(request)
    if fmt == "json":
        response = HttpResponse(
            services.export_json(signed_in(request)), content_type="application/json; charset=utf-8"
        )
    elif fmt == "csv":
        response = HttpResponse(services.export_csv(signed_in(request)), content_type="text/csv; charset=utf-8")
    else:
        raise NotFound()
    # The member's own data: recorded as the answer to a request to see one's data.
    privacy.record(request, action=Action.DOWNLOAD, kind=privacy_kinds.ACCOUNT, subject=request.user)
    response["Content-Disposition"] = f'attachment; filename="madang-my-data.{fmt}"'
    return response


@login_required
def delete(request: HttpRequest) -> HttpResponse:
    _citizen(request)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Through the one log-in throttle (madang/people/throttle.py), like every password check.
        if authenticate(request, username=request.user.get_username(), password=form.cleaned_data["password"]) is None:
            wait = getattr(request, "login_wait", 0)
            form.add_error("password", throttle.wait_message(wait) if wait else _("The password is not correct."))
            return render(request, "citizens/delete.html", {"form": form}, status=429 if wait else 400)
        member = signed_in(request)
        services.delete_account(actor=member, password=form.cleaned_data["password"])
        # Its time starts the period after which what remains of the account is destroyed.
        privacy.record(request, action=Action.DELETE, kind=privacy_kinds.ACCOUNT, subject=member)
        logout(request)
        messages.success(
            request,
            _("Your account and personal data were deleted. Your public contributions remain, without your name."),
        )
        return redirect("site:home")
    return render(request, "citizens/delete.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def resend(request: HttpRequest) -> HttpResponse:
    _citizen(request)
    services.send_verification(signed_in(request), site=links.site_url(request))
    messages.success(request, _("We sent the confirmation e-mail again."))
    return redirect("citizens:profile")


# ---------------------------------------------------------------- invitation pools


def pool_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "citizens/pools.html", {"pools": selectors.pools(), "can_create": rules.can_create_pools(request.user)}
    )


@login_required
def pool_new(request: HttpRequest) -> HttpResponse:
    if not rules.can_create_pools(request.user):
        raise NotFound()
    form = PoolForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        pool = services.create_pool(
            actor=signed_in(request),
            organisation=d["organisation"],
            title=d["title"],
            k=d["k"],
            attributes=d["attributes"],
            opens_at=d["opens_at"],
            closes_at=d["closes_at"],
            description=d["description"],
            purpose=d["purpose"],
            answer_days=d["answer_days"],
            event=d["event"],
        )
        return redirect("citizens:pool_organise", pool.pk)
    return render(request, "citizens/pool_new.html", {"form": form}, status=400 if form.errors else 200)


def pool_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pool = selectors.access_pool(request.user, pk)
    user = request.user
    profile = CitizenProfile.objects.filter(user=user).first() if user.is_authenticated else None
    context = {
        "pool": pool,
        "volunteering": selectors.my_volunteering(user, pool),
        "invitation": selectors.my_invitation(user, pool),
        "can_volunteer": rules.can_volunteer(user, pool),
        "can_withdraw": rules.can_withdraw(user, pool),
        "can_organise": rules.can_organise(user, pool),
        "volunteer_count": pool.volunteerings.count(),
        "consented": user.is_authenticated and services.has_consent(user, Purpose.ATTRIBUTES),
        "missing": [lottery.ATTRIBUTE_LABELS[a] for a in pool.attributes if profile is None or not getattr(profile, a)],
        "attribute_names": [lottery.ATTRIBUTE_LABELS[a] for a in pool.attributes],
        "form": VolunteerForm(),
        "venue": seats.venue(pool.event),
        # The person's pseudonym in this pool's context, and the opening that proves it is theirs.
        "pseudonym": ledger_entries.participant(pool.pk, user.pk) if user.is_authenticated else None,
        "opening": ledger_entries.participant_opening(pool.pk, user.pk) if user.is_authenticated else None,
    }
    return render(request, "citizens/pool_detail.html", context)


def _organiser_context(request: HttpRequest, pool: InvitationPool, **extra: Any) -> dict[str, Any]:
    made = selectors.initial_lottery(pool)
    return {
        "pool": pool,
        "quota_rows": QuotasForm(pool=pool).table(selectors.value_counts(pool)),
        "min_probability": min(made.probabilities) if made and made.probabilities else None,
        "volunteer_count": pool.volunteerings.count(),
        "eligible_count": pool.volunteerings.filter(eligible=True).count(),
        "lottery": made,
        "replacements": selectors.replacement_lotteries(pool),
        "pending": selectors.pending_replacement(pool),
        "invitations": selectors.invitations_of(pool),
        "job": latest(subject=pool.subject, kind="citizens.compute_distribution"),
        "seed_source_form": SeedSourceForm(),
        "seed_form": SeedForm(),
        **extra,
    }


@login_required
def pool_organise(request: HttpRequest, pk: int) -> HttpResponse:
    pool = selectors.access_pool(request.user, pk, perm="organise")
    context = _organiser_context(request, pool)
    # The page names the people invited (attributes only as counts).
    privacy.record(
        request,
        action=Action.VIEW,
        kind=privacy_kinds.INVITATIONS,
        scope=pool.subject,
        count=len(context["invitations"]),
    )
    return render(request, "citizens/pool_organise.html", context)


@login_required
def pool_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The htmx partial: the compute job's progress, then the computed lottery once it is there."""
    pool = selectors.access_pool(request.user, pk, perm="organise")
    context = _organiser_context(request, pool)
    response = render(request, "citizens/_compute.html", context)
    if context["job"] is not None and context["job"].is_finished:
        response["HX-Refresh"] = "true"  # the next steps (commit, draw) are on the full page
    return response


def _invalid(form: Any) -> DomainError:
    errors = "; ".join(
        f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}" for f, e in form.errors.items()
    )
    return DomainError(errors, code="invalid")


def _form_data(form_class: Any, request: HttpRequest, **kwargs: Any) -> Any:
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        raise _invalid(form)
    return form


def _volunteer(r: HttpRequest, pool: InvitationPool) -> None:
    services.volunteer(actor=signed_in(r), pool=pool, email_me=_form_data(VolunteerForm, r).cleaned_data["email_me"])


def _withdraw(r: HttpRequest, pool: InvitationPool) -> None:
    services.withdraw_volunteering(actor=signed_in(r), pool=pool)


def _quotas(r: HttpRequest, pool: InvitationPool) -> None:
    services.set_quotas(actor=signed_in(r), pool=pool, quotas=_form_data(QuotasForm, r, pool=pool).quotas())


def _close(r: HttpRequest, pool: InvitationPool) -> None:
    services.close_pool(actor=signed_in(r), pool=pool)


def _compute(r: HttpRequest, pool: InvitationPool) -> None:
    services.compute_distribution(actor=signed_in(r), pool=pool)


def _commit(r: HttpRequest, pool: InvitationPool) -> None:
    d = _form_data(SeedSourceForm, r).cleaned_data
    services.commit_distribution(
        actor=signed_in(r), pool=pool, seed_source=d["seed_source"], seed_due_at=d["seed_due_at"]
    )


def _draw(r: HttpRequest, pool: InvitationPool) -> None:
    services.draw_panel(
        actor=signed_in(r), pool=pool, seed=_form_data(SeedForm, r).cleaned_data["seed"], site=links.site_url(r)
    )


def _prepare_replacement(r: HttpRequest, pool: InvitationPool) -> None:
    d = _form_data(SeedSourceForm, r).cleaned_data
    services.prepare_replacement(
        actor=signed_in(r), pool=pool, seed_source=d["seed_source"], seed_due_at=d["seed_due_at"]
    )


def _draw_replacement(r: HttpRequest, pool: InvitationPool) -> None:
    services.draw_replacement(
        actor=signed_in(r), pool=pool, seed=_form_data(SeedForm, r).cleaned_data["seed"], site=links.site_url(r)
    )


CITIZEN_ACTIONS: dict[str, Callable[[HttpRequest, InvitationPool], None]] = {
    "volunteer": _volunteer,
    "withdraw": _withdraw,
}
ORGANISER_ACTIONS: dict[str, Callable[[HttpRequest, InvitationPool], None]] = {
    "quotas": _quotas,
    "close": _close,
    "compute": _compute,
    "commit": _commit,
    "draw": _draw,
    "replacement": _prepare_replacement,
    "replacement_draw": _draw_replacement,
}


@login_required
@require_POST
def pool_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action in CITIZEN_ACTIONS:
        pool = selectors.access_pool(request.user, pk)
        CITIZEN_ACTIONS[action](request, pool)
        messages.success(request, _("Saved."))
        return redirect("citizens:pool", pool.pk)
    if action not in ORGANISER_ACTIONS:
        raise NotFound()
    pool = selectors.access_pool(request.user, pk, perm="organise")
    try:
        ORGANISER_ACTIONS[action](request, pool)
    except services.InfeasibleQuotasError as exc:
        return render(
            request,
            "citizens/infeasible.html",
            {"pool": pool, "explanation": exc.explanation, "error": exc},
            status=exc.status,
        )
    messages.success(request, _("Saved."))
    return redirect("citizens:pool_organise", pool.pk)


@login_required
@require_POST
def invitation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.access_invitation(request.user, pk)
    answer = request.POST.get("answer")
    if answer not in ("confirm", "decline"):
        raise DomainError(_("Choose to confirm or to decline."), code="invalid", field="answer")
    services.answer_invitation(actor=signed_in(request), invitation=invitation, accept=answer == "confirm")
    messages.success(
        request, _("Thank you: your answer was recorded.") if answer == "confirm" else _("Your answer was recorded.")
    )
    return redirect("citizens:pool", invitation.pool_id)


def _published(made: Lottery) -> dict[str, Any]:
    n = len(made.people)
    check = lottery.verify(made)
    return {
        "lottery": made,
        "n": n,
        "uniform": made.k / n if n else 0.0,
        "check": check,
        "order": lottery.order_of(made),
        "probabilities": sorted(made.probabilities),
        "levels": sorted(Counter(round(p, 4) for p in made.probabilities).items()),
        "chart": charts.probability_profile(
            made.probabilities,
            uniform=made.k / n if n else 0.0,
            title=_("Selection probability of every volunteer, lowest first"),
            series=(_("LEXIMIN probability"), _("Equal share k/n")),
        ),
    }


def transparency(request: HttpRequest, pk: int) -> HttpResponse:
    pool = selectors.access_pool(request.user, pk)
    lotteries = [_published(m) for m in pool.lotteries.filter(committed_at__isnull=False).order_by("computed_at", "pk")]
    quotas = [
        (lottery.quota_label(a, v), lo, hi) for a in pool.attributes for v, (lo, hi) in pool.quotas.get(a, {}).items()
    ]
    return render(
        request,
        "citizens/transparency.html",
        {"pool": pool, "lotteries": lotteries, "quotas": quotas, "script": lottery.OFFLINE_SCRIPT},
    )


def lottery_json(request: HttpRequest, pk: int, lottery_id: int) -> HttpResponse:
    pool = selectors.access_pool(request.user, pk)
    made = pool.lotteries.filter(pk=lottery_id, committed_at__isnull=False).first()
    if made is None:
        raise NotFound()
    response = JsonResponse(lottery.published(made), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="madang-pool-{pool.pk}-lottery-{made.pk}.json"'
    return response
