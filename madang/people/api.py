"""Who am I, and personal API tokens."""

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from madang.core.errors import Forbidden, NotFound
from madang.people import services, sessions
from madang.people.api_auth import ERRORS, Id, Input, api_user, by_token
from madang.people.models import ApiToken, User

router = Router(tags=["people"])


class GrantOut(Schema):
    role: str
    organisation_id: int | None
    organisation: str | None
    call_id: int | None


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    kind: str
    department_id: int | None
    department: str | None
    grade: int | None
    title: str
    language: str
    roles: list[GrantOut]


class TokenIn(Input):
    name: str = Field(..., min_length=1, max_length=100)
    days: int | None = Field(
        None,
        ge=1,
        le=3650,
        description="Lifetime in days (default MADANG_API_TOKEN_DAYS, at most MADANG_API_TOKEN_MAX_DAYS).",
    )


class RotateIn(Input):
    days: int | None = Field(None, ge=1, le=3650)


class TokenInfoOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    expired: bool


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    token: str = Field(..., description="The secret. It is shown this once and cannot be read back.")


def person_me(user: User) -> MeOut:
    grants = user.role_grants.select_related("organisation__parent").order_by("role", "id")
    return MeOut(
        id=user.pk,
        username=user.username,
        display_name=user.display_name,
        kind=user.kind,
        department_id=user.department_id,
        department=user.department.label() if user.department else None,
        grade=user.grade,
        title=user.title,
        language=user.language,
        roles=[
            GrantOut(
                role=g.role,
                organisation_id=g.organisation_id,
                organisation=g.organisation.label() if g.organisation else None,
                call_id=g.call_id,
            )
            for g in grants
        ],
    )


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request: HttpRequest) -> MeOut:
    return person_me(api_user(request))


def _session_with_recent_password(request: HttpRequest) -> None:
    # A stolen token must not be able to mint more tokens that outlive its revocation, and a
    # session left open must not either: the password has to have been given lately.
    if by_token(request):
        raise Forbidden(_("API tokens can only be created from a logged-in browser session."))
    if not sessions.recently_authenticated(request):
        raise Forbidden(
            _("Please give your password again (on the settings page) before managing API tokens."),
            code="reauth_required",
        )


def _token_out(token: ApiToken, secret: str) -> TokenOut:
    return TokenOut(
        id=token.pk,
        name=token.name,
        prefix=token.prefix,
        created_at=token.created_at,
        expires_at=token.expires_at,
        token=secret,
    )


@router.get("/tokens", response={200: list[TokenInfoOut], **ERRORS})
def list_tokens(request: HttpRequest) -> list[TokenInfoOut]:
    """Your tokens that are not revoked, expired ones included (marked)."""
    now = timezone.now()
    tokens = api_user(request).api_tokens.filter(revoked_at__isnull=True).order_by("-created_at")
    return [
        TokenInfoOut(
            id=t.pk,
            name=t.name,
            prefix=t.prefix,
            created_at=t.created_at,
            expires_at=t.expires_at,
            last_used_at=t.last_used_at,
            expired=t.is_expired(now),
        )
        for t in tokens
    ]


@router.post("/tokens", response={201: TokenOut, **ERRORS})
def create_token(request: HttpRequest, payload: TokenIn) -> Status[TokenOut]:
    _session_with_recent_password(request)
    token, secret = services.issue_api_token(actor=api_user(request), name=payload.name, days=payload.days)
    return Status(201, _token_out(token, secret))


@router.post("/tokens/{token_id}/rotate", response={201: TokenOut, **ERRORS})
def rotate_token(request: HttpRequest, token_id: Id, payload: RotateIn | None = None) -> Status[TokenOut]:
    """A new secret under the same name; the old token stops working at once (no overlap)."""
    _session_with_recent_password(request)
    token = api_user(request).api_tokens.filter(pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound()
    new, secret = services.rotate_api_token(
        actor=api_user(request), token=token, days=payload.days if payload else None
    )
    return Status(201, _token_out(new, secret))
