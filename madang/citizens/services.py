"""Citizen membership: joining with a verified e-mail, consented attributes, and the
member's rights to see, export and delete their data."""

import csv
import io
import json
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madang.citizens import ledger_entries as entries
from madang.citizens import lottery, rules
from madang.citizens.ledger_entries import CitizenEntry
from madang.citizens.models import (
    LOTTERY_ATTRIBUTES,
    REGIONS,
    AgeBand,
    CitizenProfile,
    Consent,
    Gender,
    Invitation,
    InvitationPool,
    InvitationState,
    Lottery,
    LotteryKind,
    Occupation,
    PoolPurpose,
    PoolState,
    Purpose,
    Volunteering,
)
from madang.core import links
from madang.core.errors import Conflict, DomainError, Forbidden
from madang.core.texts import clean_text
from madang.identity import services as identity_services
from madang.jobs import services as jobs
from madang.jobs.selectors import latest
from madang.ledger import services as ledger
from madang.people import personal_data, seats
from madang.people import services as people
from madang.people.models import Kind, Organisation, User
from madang.solvers import sortition
from madang.solvers.sortition.draw import replacement_lottery

VERIFY_SALT = "madang.citizens.verify"
VERIFY_MAX_AGE = 3 * 24 * 3600
INTERESTS = (
    "civil",
    "transport",
    "welfare",
    "environment",
    "economy",
    "culture",
    "safety",
    "digital",
    "health",
    "education",
)


def join(
    *, username: str, display_name: str, email: str, password: str, language: str = "ko", site: str | None = None
) -> User | None:
    """Make a citizen account and send its confirmation link; None when the address is taken.

    The caller answers the same either way (ASVS 2.1.x, 3.x: no account enumeration through the
    join form): the address's owner, not the visitor, learns that someone tried, by e-mail.
    """
    existing = User.objects.filter(email__iexact=email, is_active=True).order_by("pk").first()
    if existing is not None:
        transaction.on_commit(lambda: send_join_attempt(existing, site=site))
        return None
    with transaction.atomic():
        user = people.create_user(
            actor=None, username=username, display_name=display_name, email=email, kind=Kind.CITIZEN, language=language
        )
        people.set_password(actor=user, user=user, password=password)
        CitizenProfile.objects.create(user=user)
        transaction.on_commit(lambda: send_verification(user, site=site))
    return user


def verification_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT)


def send_verification(user: User, *, site: str | None = None) -> None:
    """`site`: the address the member joined at (links.site_url of their request); else MADANG_SITE_URL."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        link = links.absolute(f"/citizens/verify/{verification_token(user)}/", site=site)
        body = _(
            "Welcome to Madang, %(name)s.\n\nPlease confirm your e-mail address within three days:\n%(link)s\n"
        ) % {"name": user.display_name, "link": link}
        mailers.default.send_messages(
            [EmailMessage(subject=_("[Madang] Confirm your e-mail address"), body=body, to=[user.email])]
        )


def send_join_attempt(user: User, *, site: str | None = None) -> None:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        body = _(
            "Hello %(name)s,\n\nSomeone tried to join Madang with your e-mail address, which already belongs to your "
            "account %(username)s. No new account was made.\n\nIf it was you, log in instead; if you forgot your "
            "password, "
            "set a new one here:\n%(link)s\n\nIf it was not you, you can ignore this e-mail.\n"
        ) % {
            "name": user.display_name,
            "username": user.username,
            "link": links.absolute("/people/password/reset/", site=site),
        }
        mailers.default.send_messages(
            [EmailMessage(subject=_("[Madang] Someone tried to join with your address"), body=body, to=[user.email])]
        )


def verify_email(*, token: str) -> User:
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise DomainError(
            gettext_lazy("This confirmation link has expired. Log in to get a new one."), code="expired"
        ) from exc
    except signing.BadSignature as exc:
        raise DomainError(gettext_lazy("This confirmation link is not valid."), code="bad_token") from exc
    user = User.objects.filter(pk=data.get("u"), email=data.get("e"), is_active=True).first()
    if user is None:
        raise DomainError(gettext_lazy("This confirmation link is not valid."), code="bad_token")
    CitizenProfile.objects.filter(user=user, email_verified_at__isnull=True).update(email_verified_at=timezone.now())
    return user


def profile_of(user: User) -> CitizenProfile:
    if not user.is_citizen:
        raise Forbidden(gettext_lazy("Only citizen members have this profile."))
    # Only join() makes a profile awaiting confirmation. An account without one was made by an
    # administrator or an import, who vouched for its address (people.rules.has_confirmed_email).
    profile, _created = CitizenProfile.objects.get_or_create(user=user, defaults={"email_verified_at": timezone.now()})
    return profile


def has_consent(user: User, purpose: str) -> bool:
    return Consent.objects.filter(user=user, purpose=purpose, withdrawn_at__isnull=True).exists()


def grant_consent(*, actor: User, purpose: str) -> Consent:
    if purpose not in Purpose.values:
        raise DomainError(gettext_lazy("Unknown purpose."), code="bad_purpose")
    existing = Consent.objects.filter(user=actor, purpose=purpose, withdrawn_at__isnull=True).first()
    return existing or Consent.objects.create(user=actor, purpose=purpose)


def withdraw_consent(*, actor: User, purpose: str) -> None:
    """Withdrawing the attributes consent erases the attributes and leaves every open pool."""
    with transaction.atomic():
        Consent.objects.filter(user=actor, purpose=purpose, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )
        if purpose == Purpose.ATTRIBUTES:
            CitizenProfile.objects.filter(user=actor).update(
                gender="", age_band="", region="", occupation="", interests=[], updated_at=timezone.now()
            )
        _leave_open_pools(actor)


def _leave_open_pools(user: User) -> None:
    """Leave every pool not yet drawn. Lotteries already computed keep the person only as an
    anonymous row (their commitment cannot change); a drawn seat they still held is declined."""
    from django.apps import apps

    if apps.is_installed("madang.citizens") and hasattr(user, "volunteerings"):
        _forget_in_lotteries(user)
        user.volunteerings.filter(pool__drawn_at__isnull=True).delete()
        user.volunteerings.update(snapshot={})


def update_attributes(
    *,
    actor: User,
    gender: str = "",
    age_band: str = "",
    region: str = "",
    occupation: str = "",
    interests: list[str] | None = None,
) -> CitizenProfile:
    profile = profile_of(actor)
    values = {"gender": gender, "age_band": age_band, "region": region, "occupation": occupation}
    if (any(values.values()) or interests) and not has_consent(actor, Purpose.ATTRIBUTES):
        raise DomainError(
            gettext_lazy("Please agree to the purpose first: attributes are kept only with your consent."),
            code="no_consent",
        )
    allowed = {"gender": Gender.values, "age_band": AgeBand.values, "region": REGIONS, "occupation": Occupation.values}
    for name, value in values.items():
        if value and value not in allowed[name]:
            raise DomainError(gettext_lazy("Unknown value."), code="bad_value", field=name)
    if interests and set(interests) - set(INTERESTS):
        raise DomainError(gettext_lazy("Unknown value."), code="bad_value", field="interests")
    for name, value in values.items():
        setattr(profile, name, value)
    profile.interests = sorted(set(interests or []))
    profile.updated_at = timezone.now()
    profile.save()
    return profile


def export_data(user: User) -> dict[str, Any]:
    """Everything Madang holds about the member, in one structure (for JSON and CSV export): each
    app's part, from the registry of personal data (madang/people/personal_data.py)."""
    return personal_data.export(user)


def export_json(user: User) -> str:
    return json.dumps(export_data(user), ensure_ascii=False, indent=2)


def export_csv(user: User) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["section", "field", "value"])

    def walk(section: str, value: Any, prefix: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(section, v, f"{prefix}{k}.")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(section, v, f"{prefix}{i}.")
        else:
            writer.writerow([section, prefix.rstrip("."), "" if value is None else value])

    for section, value in export_data(user).items():
        walk(section, value)
    return "\ufeff" + buf.getvalue()


def delete_account(*, actor: User, password: str) -> None:
    """Erase the member's personal data; public contributions stay, shown as anonymous."""
    if not actor.check_password(password):
        raise DomainError(gettext_lazy("The password is not correct."), code="bad_password", field="password")
    with transaction.atomic():
        _leave_open_pools(actor)
        CitizenProfile.objects.filter(user=actor).delete()
        Consent.objects.filter(user=actor).delete()
        actor.notifications.all().delete()
        actor.api_tokens.all().delete()
        actor.username = f"deleted-{actor.pk}-{secrets.token_hex(4)}"
        actor.display_name = "탈퇴한 회원 (former member)"
        actor.email = ""
        actor.first_name = actor.last_name = ""
        actor.is_active = False
        actor.set_unusable_password()
        actor.save()


# ---------------------------------------------------------------- invitations by fair lottery

SEED_MAX = 200
SEED_SOURCE_MAX = 300
MAX_PANEL = 500
# A public seed is a published number or phrase (lottery numbers, a closing index, a block
# hash). It is logged verbatim because verifying the draw needs it; it is not personal data,
# and this character set keeps it from carrying anything but such a value.
SEED_PATTERN = re.compile(r"^[\w .,:;/#+()\-]+$")


class InfeasibleQuotasError(DomainError):
    """No panel can meet the quotas; carries the plain-words explanation and the smallest relaxation."""

    def __init__(self, explanation: "lottery.Explanation") -> None:
        lines = [*explanation.problems]
        if explanation.changes:
            lines.append(
                _("Smallest change that makes a panel possible (%(total)d in total):") % {"total": explanation.total}
            )
            lines += explanation.changes
        else:
            lines.append(_("No change of quotas can help: more volunteers are needed."))
        super().__init__(" ".join(lines), code="infeasible_quotas", field="quotas")
        self.explanation = explanation


def _require_organiser(actor: User, pool: InvitationPool) -> None:
    if not rules.can_organise(actor, pool):
        raise Forbidden(
            gettext_lazy("Only the pool's organisers (innovation team, facilitators, administrators) can do this.")
        )


def _lock(pool: InvitationPool) -> InvitationPool:
    """Lock the pool's row for this transaction and bring the caller's object up to date."""
    list(InvitationPool.objects.select_for_update().filter(pk=pool.pk).values_list("pk", flat=True))
    pool.refresh_from_db()
    return pool


def _require_state(pool: InvitationPool, *states: str) -> None:
    if pool.state not in states:
        raise Conflict(
            gettext_lazy("This cannot be done now: the pool is “%(state)s”.") % {"state": pool.get_state_display()},
            code="wrong_state",
        )


def _clean_text(value: str, field: str, limit: int, required: bool = True) -> str:
    return clean_text(value, field=field, limit=limit, required=required)


def validate_quotas(*, attributes: list[str], k: int, quotas: Any) -> dict[str, dict[str, list[int]]]:
    """Every value of every attribute gets [min, max] with 0 ≤ min ≤ max ≤ k; missing values get [0, k]."""
    if not isinstance(quotas, dict):
        raise DomainError(
            gettext_lazy("Quotas must give a minimum and a maximum for each value."), code="bad_quotas", field="quotas"
        )
    unknown = set(quotas) - set(attributes)
    if unknown:
        raise DomainError(
            gettext_lazy("Quotas name an attribute this pool does not use."), code="bad_quotas", field="quotas"
        )
    clean: dict[str, dict[str, list[int]]] = {}
    for attribute in attributes:
        given = quotas.get(attribute) or {}
        allowed = dict(lottery.values_of(attribute))
        if not isinstance(given, dict) or set(given) - set(allowed):
            raise DomainError(
                gettext_lazy("Quotas name a value that does not exist."), code="bad_quotas", field="quotas"
            )
        clean[attribute] = {}
        for value in allowed:
            pair = given.get(value, [0, k])
            if (
                not isinstance(pair, list | tuple)
                or len(pair) != 2
                or not all(isinstance(x, int) and not isinstance(x, bool) for x in pair)
            ):
                raise DomainError(
                    gettext_lazy("Each quota is a pair of whole numbers [minimum, maximum]."),
                    code="bad_quotas",
                    field="quotas",
                )
            lo, hi = int(pair[0]), int(pair[1])
            if not 0 <= lo <= hi <= k:
                raise DomainError(
                    gettext_lazy("The quota for %(label)s must satisfy 0 ≤ minimum ≤ maximum ≤ %(k)d.")
                    % {"label": lottery.quota_label(attribute, value), "k": k},
                    code="bad_quotas",
                    field="quotas",
                )
            clean[attribute][value] = [lo, hi]
    return clean


def _check_event(actor: User, event: str, closes_at: datetime) -> None:
    """A pool drawn for a joint event's citizen seats: one per event, closing before the event starts."""
    venue = next((v for v in seats.drawable_events(actor) if v.subject == event), None)
    if venue is None:
        raise DomainError(
            gettext_lazy("Choose a joint event, not finished, that you organise."), code="bad_event", field="event"
        )
    if InvitationPool.objects.filter(event=event).exists():
        raise DomainError(
            gettext_lazy("This event already has a lottery for its citizen seats."), code="duplicate", field="event"
        )
    if venue.starts_at is not None and closes_at >= venue.starts_at:
        raise DomainError(
            gettext_lazy(
                "Volunteering must close before the event starts (%(start)s), so that the seats are "
                "drawn and answered in time."
            )
            % {"start": timezone.localtime(venue.starts_at).strftime("%Y-%m-%d %H:%M")},
            code="after_event",
            field="closes_at",
        )


def create_pool(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    k: int,
    attributes: list[str],
    opens_at: datetime,
    closes_at: datetime,
    description: str = "",
    purpose: str = PoolPurpose.MEETING,
    answer_days: int = 7,
    quotas: dict[str, Any] | None = None,
    verified_only: bool = False,
    event: str = "",
) -> InvitationPool:
    """`event`: the joint event ("event:12") whose citizen seats the pool draws, if any (people/seats.py)."""
    if not rules.can_organise_in(actor, organisation):
        raise Forbidden(
            gettext_lazy("Only the innovation team, facilitators or administrators of this organisation create pools.")
        )
    if purpose not in PoolPurpose.values:
        raise DomainError(gettext_lazy("Unknown value."), code="bad_value", field="purpose")
    if not 1 <= k <= MAX_PANEL:
        raise DomainError(
            gettext_lazy("The panel has between 1 and %(n)d seats.") % {"n": MAX_PANEL}, code="bad_k", field="k"
        )
    if not attributes or len(set(attributes)) != len(attributes) or set(attributes) - set(LOTTERY_ATTRIBUTES):
        raise DomainError(
            gettext_lazy("Choose one or more of gender, age, region and occupation."),
            code="bad_attributes",
            field="attributes",
        )
    if closes_at <= opens_at:
        raise DomainError(gettext_lazy("Volunteering must close after it opens."), code="bad_window", field="closes_at")
    if not 1 <= answer_days <= 60:
        raise DomainError(
            gettext_lazy("Invited people get between 1 and 60 days to answer."), code="bad_value", field="answer_days"
        )
    if event:
        _check_event(actor, event, closes_at)
        purpose = PoolPurpose.HACKATHON
    clean = validate_quotas(attributes=attributes, k=k, quotas=quotas or {})
    with transaction.atomic():
        pool = InvitationPool.objects.create(
            organisation=organisation,
            organiser=actor,
            title=_clean_text(title, "title", 200),
            description=_clean_text(description, "description", 5000, required=False),
            purpose=purpose,
            k=k,
            attributes=list(attributes),
            quotas=clean,
            opens_at=opens_at,
            closes_at=closes_at,
            answer_days=answer_days,
            verified_only=verified_only,
            event=event,
        )
        ledger.record(
            kind=CitizenEntry.POOL_CREATED, subject=pool.subject, actor_id=actor.pk, data=entries.pool_body(pool)
        )
    return pool


def _discard_computed(pool: InvitationPool) -> None:
    """A computed but uncommitted lottery no longer matches the pool: drop it, back to closed."""
    if pool.state == PoolState.COMPUTED:
        pool.lotteries.filter(committed_at__isnull=True).delete()
        pool.state = PoolState.CLOSED
        pool.save(update_fields=["state"])


def set_quotas(*, actor: User, pool: InvitationPool, quotas: dict[str, Any]) -> InvitationPool:
    _require_organiser(actor, pool)
    _require_state(pool, PoolState.OPEN, PoolState.CLOSED, PoolState.COMPUTED)
    clean = validate_quotas(attributes=pool.attributes, k=pool.k, quotas=quotas)
    with transaction.atomic():
        _discard_computed(pool)
        pool.quotas = clean
        pool.save(update_fields=["quotas"])
        ledger.record(kind=CitizenEntry.QUOTAS_SET, subject=pool.subject, actor_id=actor.pk, data={"quotas": clean})
    return pool


def volunteer(*, actor: User, pool: InvitationPool, email_me: bool = False) -> Volunteering:
    if not (rules.is_authenticated(actor) and actor.is_citizen):
        raise Forbidden(gettext_lazy("Only citizen members volunteer for invitation lotteries."))
    if not rules.is_window_open(pool):
        raise DomainError(gettext_lazy("Volunteering for this pool is not open."), code="not_open")
    identity_services.check_verified_person(actor, required=pool.verified_only)
    if not has_consent(actor, Purpose.ATTRIBUTES):
        raise DomainError(
            gettext_lazy(
                "Volunteering needs your consent to use your attributes for the lottery: "
                "agree to it on your membership page first."
            ),
            code="no_consent",
        )
    profile = profile_of(actor)
    missing = [a for a in pool.attributes if not getattr(profile, a)]
    if missing:
        names = ", ".join(str(lottery.ATTRIBUTE_LABELS[a]) for a in missing)
        raise DomainError(
            gettext_lazy("This lottery balances seats by %(names)s: please fill these in on your membership page.")
            % {"names": names},
            code="missing_attributes",
        )
    with transaction.atomic():
        if email_me:
            grant_consent(actor=actor, purpose=Purpose.INVITATIONS)
        existing = Volunteering.objects.filter(pool=pool, user=actor).first()
        if existing:
            return existing
        try:
            with transaction.atomic():
                return Volunteering.objects.create(pool=pool, user=actor)
        except IntegrityError:  # two clicks at once: the constraint keeps one
            return Volunteering.objects.get(pool=pool, user=actor)


def withdraw_volunteering(*, actor: User, pool: InvitationPool) -> None:
    if not rules.can_withdraw(actor, pool):
        raise DomainError(
            gettext_lazy("The lottery is already committed. If you are drawn, you can decline the invitation."),
            code="committed",
        )
    with transaction.atomic():
        deleted, _rows = Volunteering.objects.filter(pool=pool, user=actor).delete()
        if deleted:
            _discard_computed(pool)


def close_pool(*, actor: User, pool: InvitationPool) -> InvitationPool:
    """Stop volunteering and copy each volunteer's consented attributes: the lottery uses this copy."""
    _require_organiser(actor, pool)
    with transaction.atomic():
        _lock(pool)
        _require_state(pool, PoolState.OPEN)
        consented = set(
            Consent.objects.filter(
                purpose=Purpose.ATTRIBUTES, withdrawn_at__isnull=True, user__volunteerings__pool=pool
            ).values_list("user_id", flat=True)
        )
        profiles = {p.user_id: p for p in CitizenProfile.objects.filter(user__volunteerings__pool=pool)}
        eligible = 0
        for v in pool.volunteerings.all():
            profile = profiles.get(v.user_id)
            values = {a: getattr(profile, a) if profile else "" for a in pool.attributes}
            v.eligible = v.user_id in consented and all(values.values())
            v.snapshot = values if v.eligible else {}
            v.save(update_fields=["snapshot", "eligible"])
            eligible += v.eligible
        pool.state, pool.closed_at = PoolState.CLOSED, timezone.now()
        pool.save(update_fields=["state", "closed_at"])
        ledger.record(
            kind=CitizenEntry.POOL_CLOSED,
            subject=pool.subject,
            actor_id=actor.pk,
            data={"volunteers": pool.volunteerings.count(), "in_lottery": eligible},
        )
    return pool


def _lottery_pool(pool: InvitationPool) -> tuple[list[int], list[list[str]]]:
    """Eligible volunteers in a canonical order (by pseudonym, so the index reveals nothing of
    the order of signing up), as user ids and attribute rows."""
    rows = [
        (entries.participant(pool.pk, v.user_id), v.user_id, [v.snapshot[a] for a in pool.attributes])
        for v in pool.volunteerings.filter(eligible=True)
    ]
    rows.sort()
    return [r[1] for r in rows], [r[2] for r in rows]


def pool_instance(pool: InvitationPool) -> sortition.Instance:
    _members, people = _lottery_pool(pool)
    return lottery.build_instance(k=pool.k, attributes=pool.attributes, quotas=pool.quotas, people=people)


def check_quotas(pool: InvitationPool) -> None:
    """Raise InfeasibleQuotasError, with the explanation and the smallest relaxation, when no panel exists."""
    instance = pool_instance(pool)
    report = sortition.check_feasibility(instance)
    if not report.feasible:
        raise InfeasibleQuotasError(lottery.explain(report, instance))


def compute_distribution(*, actor: User, pool: InvitationPool) -> Any:
    """Check the quotas now (a quick integer program), then compute the LEXIMIN lottery in a
    background job; returns the job."""
    _require_organiser(actor, pool)
    _require_state(pool, PoolState.CLOSED, PoolState.COMPUTED)
    check_quotas(pool)
    running = latest(subject=pool.subject, kind="citizens.compute_distribution")
    if running is not None and not running.is_finished:
        raise Conflict(gettext_lazy("The lottery is being computed already."), code="computing")
    return jobs.enqueue(
        kind="citizens.compute_distribution", params={"pool_id": pool.pk}, actor=actor, subject=pool.subject
    )


def run_distribution(*, pool_id: int, progress: Callable[[int, int, str], None] | None = None) -> Lottery:
    """The LEXIMIN computation (Flanigan et al., Nature 2021) for a closed pool, stored as a lottery.

    Plain function: the background job calls it, and so do tests. The solver runs outside any
    transaction; the result is saved only if the pool did not change meanwhile."""
    report = progress or (lambda done, total, message: None)
    pool = InvitationPool.objects.get(pk=pool_id)
    _require_state(pool, PoolState.CLOSED, PoolState.COMPUTED)
    members, people = _lottery_pool(pool)
    instance = lottery.build_instance(k=pool.k, attributes=pool.attributes, quotas=pool.quotas, people=people)
    report(0, 3, _("Checking the quotas"))
    stages = [0]

    def log(message: str) -> None:
        stages[0] += 1
        report(1, 3, _("Computing the fairest lottery (step %(n)d)") % {"n": stages[0]})

    try:
        result = sortition.find_leximin(instance, seed=0, log=log)
    except sortition.InfeasibleQuotas as exc:
        raise InfeasibleQuotasError(lottery.explain(exc.report, instance)) from exc
    report(2, 3, _("Checking every panel against the quotas"))
    distribution = result.distribution
    if not all(instance.is_valid_panel(p) for p in distribution.panels):
        raise DomainError(
            gettext_lazy("The computed lottery contains a panel that breaks the quotas."), code="solver_error"
        )
    with transaction.atomic():
        locked = InvitationPool.objects.select_for_update().get(pk=pool_id)
        if (
            locked.state not in (PoolState.CLOSED, PoolState.COMPUTED)
            or locked.quotas != pool.quotas
            or _lottery_pool(locked)[0] != members
        ):
            raise Conflict(
                gettext_lazy("The pool changed while the lottery was computed: compute it again."), code="changed"
            )
        locked.lotteries.filter(committed_at__isnull=True).delete()
        made = Lottery.objects.create(
            pool=locked,
            kind=LotteryKind.INITIAL,
            k=locked.k,
            attributes=locked.attributes,
            quotas=locked.quotas,
            people=people,
            members=members,
            panels=[list(p) for p in distribution.panels],
            weights=[float(p).hex() for p in distribution.probabilities],
            probabilities=[float(x) for x in result.probabilities.tolist()],
            commitment=sortition.commit(distribution),
            seconds=result.stats.seconds,
        )
        locked.state = PoolState.COMPUTED
        locked.save(update_fields=["state"])
    report(3, 3, _("Done"))
    return made


def _current_lottery(pool: InvitationPool) -> Lottery:
    found = pool.lotteries.filter(kind=LotteryKind.INITIAL).first()
    if found is None:
        raise Conflict(gettext_lazy("Compute the lottery first."), code="no_lottery")
    return found


def _clean_seed(seed: str) -> str:
    seed = " ".join((seed or "").split())
    if not seed:
        raise DomainError(gettext_lazy("Enter the public seed."), code="required", field="seed")
    if len(seed) > SEED_MAX or not SEED_PATTERN.match(seed):
        raise DomainError(
            gettext_lazy("A public seed is up to 200 letters, digits, spaces and . , : ; / # + ( ) - only."),
            code="bad_seed",
            field="seed",
        )
    return seed


def _commit(actor: User, pool: InvitationPool, made: Lottery, seed_source: str, seed_due_at: datetime | None) -> None:
    now = timezone.now()
    if seed_due_at is not None and seed_due_at <= now:
        # The commitment is worth something only if nobody could know the seed when it was published.
        raise DomainError(
            gettext_lazy("The seed must be published after now: choose a draw that has not happened yet."),
            code="seed_known",
            field="seed_due_at",
        )
    made.seed_source = _clean_text(seed_source, "seed_source", SEED_SOURCE_MAX)
    made.seed_source_salt, _source_hash = ledger.commitment(made.seed_source)
    made.committed_at, made.seed_due_at = now, seed_due_at
    made.save(update_fields=["seed_source", "seed_source_salt", "committed_at", "seed_due_at"])
    ledger.record(
        kind=entries.COMMITTED_ENTRY[LotteryKind(made.kind)],
        subject=pool.subject,
        actor_id=actor.pk,
        data=entries.committed_body(made),
    )


def commit_distribution(
    *, actor: User, pool: InvitationPool, seed_source: str, seed_due_at: datetime | None = None
) -> Lottery:
    """Publish the lottery's commitment, and say where the public seed will come from and when it
    will be published (`seed_due_at`, after now), before it exists."""
    _require_organiser(actor, pool)
    with transaction.atomic():
        _lock(pool)
        _require_state(pool, PoolState.COMPUTED)
        made = _current_lottery(pool)
        _commit(actor, pool, made, seed_source, seed_due_at)
        pool.state = PoolState.COMMITTED
        pool.save(update_fields=["state"])
    return made


def _invite(pool: InvitationPool, made: Lottery, indices: list[int], now: datetime) -> list[Invitation]:
    due = now + timedelta(days=pool.answer_days)
    invitations = []
    for i in indices:
        user_id = made.members[i]
        erased = user_id is None
        invitations.append(
            Invitation.objects.create(
                pool=pool,
                lottery=made,
                user_id=user_id,
                index=i,
                invited_at=now,
                answer_by=due,
                state=InvitationState.DECLINED if erased else InvitationState.INVITED,
                lapsed=erased,
                answered_at=now if erased else None,
            )
        )
    return invitations


def _draw(actor: User, pool: InvitationPool, made: Lottery, seed: str) -> list[Invitation]:
    if made.committed_at is None or made.drawn_at is not None:
        raise Conflict(
            gettext_lazy("Only a committed lottery that has not been drawn can be drawn."), code="wrong_state"
        )
    distribution = lottery.distribution_of(made)
    if sortition.commit(distribution) != made.commitment:  # the stored lottery was altered after commitment
        raise DomainError(
            gettext_lazy("The stored lottery does not match its commitment; it cannot be drawn."), code="tampered"
        )
    now = timezone.now()
    made.seed = _clean_seed(seed)
    made.panel = list(sortition.draw(distribution, made.seed))
    made.panel_pseudonyms = [entries.participant(pool.pk, made.members[i]) for i in made.panel]
    made.drawn_at = now
    made.save(update_fields=["seed", "panel", "panel_pseudonyms", "drawn_at"])
    new = [i for i in made.panel if i not in set(made.kept)]
    invitations = _invite(pool, made, new, now)
    ledger.record(
        kind=entries.DRAWN_ENTRY[LotteryKind(made.kind)],
        subject=pool.subject,
        actor_id=actor.pk,
        data=entries.drawn_body(made, invitations),
    )
    return invitations


def draw_panel(*, actor: User, pool: InvitationPool, seed: str, site: str | None = None) -> Lottery:
    """Draw the panel from the committed lottery with the public seed, and invite the people drawn."""
    _require_organiser(actor, pool)
    with transaction.atomic():
        _lock(pool)
        _require_state(pool, PoolState.COMMITTED)
        made = _current_lottery(pool)
        invitations = _draw(actor, pool, made, seed)
        pool.state, pool.drawn_at = PoolState.DRAWN, made.drawn_at
        pool.save(update_fields=["state", "drawn_at"])
        transaction.on_commit(lambda: send_invitations([inv.pk for inv in invitations], site=site))
    return made


def send_invitations(invitation_ids: list[int], *, site: str | None = None) -> None:
    """E-mail the invited people who asked to be contacted, each in their own language."""
    messages = []
    for inv in Invitation.objects.filter(pk__in=invitation_ids, state=InvitationState.INVITED).select_related(
        "user", "pool"
    ):
        user = inv.user
        if user is None or not user.email or not user.is_active or not has_consent(user, Purpose.INVITATIONS):
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            body = _(
                "%(name)s, you were drawn by lot for “%(title)s”.\n\nPlease confirm or decline by %(due)s:\n%(link)s\n"
            ) % {
                "name": user.display_name,
                "title": inv.pool.title,
                "due": timezone.localtime(inv.answer_by).strftime("%Y-%m-%d %H:%M"),
                "link": links.absolute(f"/citizens/pools/{inv.pool_id}/", site=site),
            }
            messages.append(
                EmailMessage(
                    subject=_("[Madang] You are invited: %(title)s") % {"title": inv.pool.title},
                    body=body,
                    to=[user.email],
                )
            )
    if messages:
        mailers.default.send_messages(messages)


def answer_invitation(*, actor: User, invitation: Invitation, accept: bool) -> Invitation:
    if not (rules.is_authenticated(actor) and invitation.user_id == actor.pk):
        raise Forbidden(gettext_lazy("Only the invited person answers an invitation."))
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.state != InvitationState.INVITED:
            raise Conflict(gettext_lazy("This invitation has already been answered."), code="answered")
        if timezone.now() > invitation.answer_by:
            raise DomainError(gettext_lazy("The deadline to answer has passed."), code="too_late")
        invitation.state = InvitationState.CONFIRMED if accept else InvitationState.DECLINED
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["state", "answered_at"])
        ledger.record(
            kind=CitizenEntry.INVITATION_ANSWERED,
            subject=f"pool:{invitation.pool_id}",
            actor_id=actor.pk,
            data=entries.answered_body(invitation),
        )
    return invitation


def lapse_invitations(*, pool: InvitationPool) -> int:
    """Invitations left unanswered past their deadline count as declined."""
    return pool.invitations.filter(state=InvitationState.INVITED, answer_by__lt=timezone.now()).update(
        state=InvitationState.DECLINED, lapsed=True, answered_at=timezone.now()
    )


def prepare_replacement(
    *, actor: User, pool: InvitationPool, seed_source: str, seed_due_at: datetime | None = None
) -> Lottery:
    """Compute and commit the lottery for the seats of those who declined, by the same rules:
    the confirmed stay, everyone who declined leaves the pool, the quotas are unchanged."""
    _require_organiser(actor, pool)
    _require_state(pool, PoolState.DRAWN)
    if pool.lotteries.filter(kind=LotteryKind.REPLACEMENT, drawn_at__isnull=True).exists():
        raise Conflict(gettext_lazy("A replacement lottery is already committed: draw it first."), code="pending")
    lapse_invitations(pool=pool)
    if pool.invitations.filter(state=InvitationState.INVITED).exists():
        raise Conflict(
            gettext_lazy("Some invited people have not answered yet; wait for their answers or the deadline."),
            code="waiting",
        )
    base = _current_lottery(pool)
    states = dict(pool.invitations.values_list("index", "state"))
    confirmed = sorted(i for i, s in states.items() if s == InvitationState.CONFIRMED)
    removed = sorted(
        {i for i, s in states.items() if s in (InvitationState.DECLINED, InvitationState.REPLACED)}
        | {i for i, m in enumerate(base.members) if m is None}
    )
    if not pool.invitations.filter(state=InvitationState.DECLINED).exists():
        raise Conflict(gettext_lazy("No seat needs a replacement."), code="nothing_to_replace")
    instance = lottery.instance_of(base)
    try:
        distribution = replacement_lottery(instance, confirmed, removed)
    except sortition.InfeasibleQuotas as exc:
        raise InfeasibleQuotasError(lottery.explain(exc.report, _remaining(instance, confirmed, removed))) from exc
    except ValueError as exc:
        raise DomainError(
            gettext_lazy("The confirmed people already break a quota; no replacement can fix that."),
            code="infeasible_quotas",
        ) from exc
    with transaction.atomic():
        made = Lottery.objects.create(
            pool=pool,
            kind=LotteryKind.REPLACEMENT,
            k=base.k,
            attributes=base.attributes,
            quotas=base.quotas,
            people=base.people,
            members=base.members,
            kept=confirmed,
            removed=removed,
            panels=[list(p) for p in distribution.panels],
            weights=[float(p).hex() for p in distribution.probabilities],
            probabilities=[float(x) for x in distribution.marginals().tolist()],
            commitment=sortition.commit(distribution),
        )
        _commit(actor, pool, made, seed_source, seed_due_at)
    return made


def _remaining(instance: sortition.Instance, confirmed: list[int], removed: list[int]) -> sortition.Instance:
    """The instance a replacement lottery solves (as in sortition.draw.replacement_lottery), to explain it."""
    taken = instance.panel_counts(confirmed)
    quotas = [
        sortition.Quota(q.category, q.feature, max(0, q.min - int(c)), q.max - int(c))
        for q, c in zip(instance.quotas, taken.tolist(), strict=True)
    ]
    gone = set(confirmed) | set(removed)
    people = tuple(p for i, p in enumerate(instance.people) if i not in gone)
    return sortition.Instance(instance.k - len(confirmed), instance.categories, tuple(quotas), people)


def draw_replacement(*, actor: User, pool: InvitationPool, seed: str, site: str | None = None) -> Lottery:
    """Draw the committed replacement lottery with a new public seed; the declined seats are marked replaced."""
    _require_organiser(actor, pool)
    with transaction.atomic():
        _lock(pool)
        _require_state(pool, PoolState.DRAWN)
        made = pool.lotteries.filter(kind=LotteryKind.REPLACEMENT, drawn_at__isnull=True).first()
        if made is None:
            raise Conflict(gettext_lazy("Prepare the replacement lottery first."), code="no_lottery")
        pool.invitations.filter(state=InvitationState.DECLINED, index__in=made.removed).update(
            state=InvitationState.REPLACED
        )
        invitations = _draw(actor, pool, made, seed)
        transaction.on_commit(lambda: send_invitations([inv.pk for inv in invitations], site=site))
    return made


def _forget_in_lotteries(user: User) -> None:
    """The person erases their data: in undrawn committed lotteries they stay an anonymous row
    (the commitment cannot change); an uncommitted one is discarded; a pending seat is declined."""
    with transaction.atomic():
        for made in Lottery.objects.filter(pool__volunteerings__user=user).select_related("pool").distinct():
            if made.committed_at is None:
                _discard_computed(made.pool)
                continue
            if user.pk in made.members:
                made.members = [None if m == user.pk else m for m in made.members]
                made.save(update_fields=["members"])
        Invitation.objects.filter(user=user, state=InvitationState.INVITED).update(
            state=InvitationState.DECLINED, lapsed=True, answered_at=timezone.now()
        )
