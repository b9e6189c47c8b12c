"""How an API request says who it is, and the few shapes every API router shares.

Three ways in, tried in this order:

- `Authorization: Bearer mdg_…`, a personal token. Only its SHA-256 is stored. A bearer token
  that is malformed, unknown, revoked or belongs to a deactivated account is answered 401 at
  once, never by falling back to the session: a script must learn that its token is dead.
  An expired token gets its own code, `token_expired`, so the script's owner knows to rotate it.
  Other schemes (Basic from an intranet proxy) are not ours and are left alone.
- The browser session, with Django's CSRF check on unsafe methods as on the pages. The check
  runs only when the session authenticates someone: a cookie-less client gets a plain 401.
- Nobody: `PUBLIC` endpoints also serve anonymous visitors what the pages show them.
"""

from datetime import timedelta
from typing import Annotated, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.pagination import PageNumberPagination
from ninja.security.base import AuthBase
from ninja.utils import check_csrf
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from madang.core.errors import NotFound
from madang.core.params import MAX_ID
from madang.people.models import ApiToken, User

Id = Annotated[int, Field(ge=1, le=MAX_ID)]

TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)
MAX_TOKEN_LENGTH = 200


class CsrfFailed(HttpError):
    def __init__(self) -> None:
        super().__init__(403, "CSRF check failed")


class TokenExpired(AuthenticationError):
    """A token past its expiry: 401 with code `token_expired` (madang/api.py)."""


class TokenAuth(AuthBase):
    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization")
        if header is None:
            return None
        scheme, _sep, secret = header.partition(" ")
        if scheme.lower() != "bearer":
            # Not ours: an intranet proxy's Basic credentials, say, which browsers resend on
            # every request. The session (or nobody) decides.
            return None
        secret = secret.strip()
        if not secret or len(secret) > MAX_TOKEN_LENGTH or " " in secret:
            raise AuthenticationError()
        token = _live_token(ApiToken.digest_of(secret))
        if token is None or not token.user.is_active:
            raise AuthenticationError()
        now = timezone.now()
        if token.is_expired(now):
            raise TokenExpired()
        if token.last_used_at is None or now - token.last_used_at >= TOKEN_TOUCH_INTERVAL:
            # Compare-and-set: a script firing many requests at once writes the row once a
            # minute, not once per request, and never moves the time backwards.
            ApiToken.objects.filter(pk=token.pk).filter(
                Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOKEN_TOUCH_INTERVAL)
            ).update(last_used_at=now)
        request.user = token.user
        request.api_token = token  # type: ignore[attr-defined]  # HttpRequest declares no api_token; set here for by_token() and the token endpoints
        return token.user


def _live_token(digest: str) -> ApiToken | None:
    """The unrevoked token with this digest and its user, or None.

    Two plain queries rather than one composed by the ORM: every scripted request runs this,
    and composing a join costs more than running it.
    """
    token = next(iter(ApiToken.objects.raw(_TOKEN_SQL, [digest])), None)
    if token is None:
        return None
    user = next(iter(User.objects.raw(_USER_SQL, [token.user_id])), None)
    if user is None:
        return None
    token.user = user
    return token


def _columns(model: Any) -> str:
    # Named, not `*`: on PostgreSQL these statements are prepared on each connection (settings.py,
    # `postgres_binding`), and a prepared `*` fails once a migration adds a column, until the
    # servers restart; a named list keeps its result type.
    return ", ".join(f'"{field.column}"' for field in model._meta.concrete_fields)


_TOKEN_SQL = f"SELECT {_columns(ApiToken)} FROM {ApiToken._meta.db_table} WHERE digest = %s AND revoked_at IS NULL"  # noqa: S608 (no input)
_USER_SQL = f"SELECT {_columns(User)} FROM {User._meta.db_table} WHERE id = %s"  # noqa: S608 (no input)


class SessionAuth(AuthBase):
    openapi_type = "apiKey"
    openapi_in = "cookie"
    # Ninja's docs page reads this to send the CSRF token with "Try it out".
    csrf = True

    def __init__(self) -> None:
        self.openapi_name = settings.SESSION_COOKIE_NAME
        super().__init__()

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if check_csrf(request) is not None:
            raise CsrfFailed()
        return user


def anonymous(request: HttpRequest) -> Any:
    """The last resort of PUBLIC endpoints: the (anonymous) user the middleware set."""
    return request.user


token_auth = TokenAuth()
session_auth = SessionAuth()
REQUIRED = [token_auth, session_auth]
PUBLIC = [token_auth, session_auth, anonymous]
# In the schema, `{}` marks authentication as optional for the public reads.
PUBLIC_OPENAPI: dict[str, Any] = {"security": [{}]}


def api_user(request: HttpRequest) -> User:
    """The person an endpoint under `REQUIRED` (the API's default) was authenticated as.

    Ninja sets `request.auth` to what the first authenticator returned; this reads it typed.
    Anything else than a `User` means the endpoint is misconfigured: 401, never a visitor
    reaching a service as its `actor`.
    """
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError()
    return user


def api_visitor(request: HttpRequest) -> User | AnonymousUser:
    """Who is reading a `PUBLIC` endpoint: a signed-in person or the anonymous visitor."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User | AnonymousUser):
        raise AuthenticationError()
    return user


def by_token(request: HttpRequest) -> bool:
    return getattr(request, "api_token", None) is not None


# ---------------------------------------------------------------- shared shapes


class Input(BaseModel):
    """A request body: a JSON object of known fields.

    Not ninja's Schema, which also reads attributes of whatever it is given: the JSON string
    "글" would pass as an object whose `title` is "글".title(). Unknown fields are refused so
    that a misspelt field is an error rather than silently ignored.
    """

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        # PostgreSQL cannot store U+0000 in text and fails the whole write (a 500); SQLite would
        # keep it silently. The pages refuse it through Django's form fields, so must the API.
        return refuse_nul(value)

    @field_validator("*", mode="before")
    @classmethod
    def _booleans_only_as_booleans(cls, value: Any, info: ValidationInfo) -> Any:
        # JSON true and false only: pydantic's lax mode would read 0, 1, "yes" or "off" as a
        # bool, so a client's mistake would quietly mark a proposal public or internal.
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and field.annotation is bool and not isinstance(value, bool):
            raise PydanticCustomError("bool_type", "Input should be true or false")
        return value


def refuse_nul(value: Any) -> Any:
    if isinstance(value, str):
        if "\x00" in value:
            raise PydanticCustomError("null_characters", "Null characters are not allowed.")
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            refuse_nul(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_nul(key)
            refuse_nul(item)
    return value


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class FieldErrorOut(Schema):
    field: str
    message: str


class ValidationErrorOut(ErrorOut):
    errors: list[FieldErrorOut] = []


ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ValidationErrorOut,
    429: ErrorOut,
}

MAX_PAGE = 10_000
MAX_PAGE_SIZE = 100


class Pages(PageNumberPagination):
    """Page numbers with both the page and its size bounded, so no request asks the
    database for an offset it cannot represent or a page it cannot hold in memory."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

    def __init__(self, page_size: int = 20, **kwargs: Any) -> None:
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)


def unknown(field: str) -> NotFound:
    """A referenced id (a category, a department, a parent comment) that does not exist."""
    error = NotFound()
    error.field = field
    return error
