"""Who am I, and personal API tokens."""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from madang.people.api_auth import ERRORS, Input, by_token
from madang.core.errors import Forbidden
from madang.people import services
from madang.people.models import User

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


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
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
    return person_me(request.auth)  # type: ignore[attr-defined]


@router.post("/tokens", response={201: TokenOut, **ERRORS})
def create_token(request: HttpRequest, payload: TokenIn) -> Status[TokenOut]:
    # A stolen token must not be able to mint more tokens that outlive its revocation.
    if by_token(request):
        raise Forbidden(_("API tokens can only be created from a logged-in browser session."))
    token, secret = services.issue_api_token(actor=request.auth, name=payload.name)  # type: ignore[attr-defined]
    return Status(201, TokenOut(id=token.pk, name=token.name, prefix=token.prefix, created_at=token.created_at, token=secret))
