"""Madang's JSON API: the same people, rules and services as the pages, at /api/.

Every error comes back as `{"code", "message", "field"}` with the message in the request's
language (Accept-Language; Korean by default). Bad input is a 4xx, never a 500.
"""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

# Django's own validation and CSRF messages, looked up in the catalogues Django ships (Korean
# included). Imported under other names so that makemessages leaves them out of ours: they are
# Django's to translate, and an untranslated copy in our catalogue would only add noise.
from django.utils.translation import gettext as django_gettext
from django.utils.translation import ngettext as django_ngettext
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError, ValidationErrorContext
from ninja.openapi.docs import Swagger

from madang.calls import api_edit  # noqa: F401 (adds PATCH /calls/{slug} and the steps to the calls router)
from madang.calls.api import router as calls_router
from madang.citizens.api import router as citizens_router
from madang.core import security
from madang.core.errors import DomainError, NotFound
from madang.events.api import router as events_router
from madang.followup.api import proposals_router as followup_proposals_router
from madang.followup.api import router as followup_router
from madang.inbox.api import router as inbox_router
from madang.insight.api import router as insight_router
from madang.jobs.api import router as jobs_router
from madang.labs.api import router as labs_router
from madang.people.api import router as people_router
from madang.people.api_auth import REQUIRED, CsrfFailed, TokenExpired
from madang.priority.api import router as priority_router
from madang.review.api import router as review_router
from madang.suggestions.api import router as suggestions_router

# Developer documentation shown in /api/docs (English: the schema is built once, not per reader).
DESCRIPTION = (
    "Authenticate with a personal API token (created on your settings page) sent as "
    "`Authorization: Bearer <token>`, or with your browser session (send the CSRF token in "
    "the X-CSRFToken header for changes). Public proposals can be read without logging in. "
    "Errors come back as {code, message, field} in the language of Accept-Language."
)
MAX_MESSAGE_FIELDS = 5


class MadangAPI(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts: list[ValidationErrorContext]) -> ValidationError:
        # Ninja's default keeps pydantic's English sentences. We name the field the client
        # sent and explain it with Django's own validation messages, which Django ships
        # translated (Korean included), so a 422 reads naturally in the client's language.
        errors = []
        for context in error_contexts:
            model = context.model
            for error in context.pydantic_validation_error.errors(include_url=False):
                loc = model.__ninja_flatten_map_reverse__.get(error["loc"], error["loc"])
                errors.append({"field": field_name(loc), "message": explain(error)})
        return ValidationError(errors)


def field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    # A JSON body arrives as one parameter ("payload"); its name means nothing to clients.
    if parts[:1] == ["payload"]:
        parts = parts[1:]
    return ".".join(parts) or "body"


def explain(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing":
        return django_gettext("This field is required.")
    if kind == "null_characters":
        return django_gettext("Null characters are not allowed.")
    if kind == "string_too_long":
        limit, length = ctx.get("max_length", 0), len(value) if isinstance(value, str) else 0
        return django_ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            limit,
        ) % {"limit_value": limit, "show_value": length}
    if kind == "string_too_short":
        limit, length = ctx.get("min_length", 0), len(value) if isinstance(value, str) else 0
        return django_ngettext(
            "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
            limit,
        ) % {"limit_value": limit, "show_value": length}
    if kind in {"int_parsing", "int_type", "int_from_float", "int_parsing_size"}:
        return django_gettext("Enter a whole number.")
    if kind in {"float_parsing", "float_type", "decimal_parsing", "decimal_type"}:
        return django_gettext("Enter a number.")
    if kind == "less_than_equal":
        return django_gettext("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("le")
        }
    if kind == "greater_than_equal":
        return django_gettext("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("ge")
        }
    if kind.startswith("date_") or kind == "date_type":
        return django_gettext("Enter a valid date.")
    if kind.startswith("datetime_"):
        return django_gettext("Enter a valid date/time.")
    if kind in {"enum", "literal_error"}:
        shown = value if isinstance(value, str | int) else "?"
        return django_gettext("Select a valid choice. %(value)s is not one of the available choices.") % {
            "value": str(shown)[:50]
        }
    if kind in {"list_type", "set_type", "tuple_type"}:
        return django_gettext("Enter a list of values.")
    if kind == "json_invalid":
        return django_gettext("Enter a valid JSON.")
    return django_gettext("Enter a valid value.")


api = MadangAPI(
    title="Madang API",
    version="1",
    urls_namespace="api-1",
    description=DESCRIPTION,
    auth=REQUIRED,
    # No validator badge: Swagger UI would otherwise fetch it from validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)


def respond(
    request: HttpRequest, status: int, code: str, message: object, field: str | None = None, **extra: Any
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": str(message), "field": field, **extra}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    response = respond(request, exc.status, exc.code, exc.message, exc.field)
    if exc.status == 403:
        security.event("forbidden", user_id=getattr(request.auth, "pk", None), path=request.path, code=exc.code)  # type: ignore[attr-defined]  # ninja sets request.auth; the handler runs for every endpoint, whatever its auth
    if retry_after := getattr(exc, "retry_after", None):
        response["Retry-After"] = str(retry_after)
    return response


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [e for e in exc.errors if isinstance(e, dict) and "field" in e and "message" in e]
    if not errors:  # raised by code that builds ninja's own shape (pagination, for instance)
        errors = [
            {"field": field_name(tuple(e.get("loc", ())[1:])), "message": django_gettext("Enter a valid value.")}
            for e in exc.errors
        ]
    shown = errors[:MAX_MESSAGE_FIELDS]
    message = "; ".join(f"{e['field']}: {e['message']}" for e in shown)
    return respond(request, 422, "invalid", message, errors[0]["field"] if errors else None, errors=errors)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, TokenExpired):
        response = respond(
            request,
            401,
            "token_expired",
            _("This API token has expired. Create a new one, or rotate it, on your settings page."),
        )
        response["WWW-Authenticate"] = 'Bearer realm="madang", error="invalid_token", error_description="expired"'
        return response
    if isinstance(exc, AuthenticationError):
        response = respond(
            request,
            401,
            "not_authenticated",
            _("Please log in, or send a valid API token as “Authorization: Bearer …”."),
        )
        response["WWW-Authenticate"] = 'Bearer realm="madang"'
        return response
    if isinstance(exc, CsrfFailed):
        security.event("csrf_failed", path=request.path)
        return respond(request, 403, "csrf_failed", django_gettext("CSRF verification failed. Request aborted."))
    if exc.status_code == 400:  # ninja could not parse the body
        return respond(request, 400, "invalid_json", django_gettext("Enter a valid JSON."))
    return respond(request, exc.status_code, "error", exc.message)


@api.exception_handler(Http404)
def on_http404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return on_domain_error(request, NotFound())


@api.exception_handler(ObjectDoesNotExist)
def on_does_not_exist(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    return on_domain_error(request, NotFound())


api.add_router("/", people_router)
api.add_router("/", calls_router)
api.add_router("/review/", review_router)
api.add_router("/followup/", followup_router)
api.add_router("/", followup_proposals_router)
api.add_router("/inbox/", inbox_router)
api.add_router("/", jobs_router)
api.add_router("/", citizens_router)
api.add_router("/", events_router)
api.add_router("/", insight_router)
api.add_router("/", labs_router)
api.add_router("/", suggestions_router)
api.add_router("/", priority_router)

# Last: any other address under /api/ answers in the API's shape rather than with an HTML page.
fallback = Router()


@fallback.api_operation(["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False)
def no_such_endpoint(request: HttpRequest, rest: str) -> None:
    raise NotFound()


api.add_router("/", fallback)
