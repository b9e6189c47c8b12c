"""The one error type services raise for rule violations.

Views and the API turn it into a 4xx answer with the message in the user's language;
it never becomes a 500. `code` is stable for API clients; `message` is a lazy translation.
"""

from django.utils.functional import Promise


class DomainError(Exception):
    status = 400

    def __init__(self, message: str | Promise, *, code: str = "invalid", field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field


class NotFound(DomainError):
    """Missing and forbidden look the same from outside (no existence leaks)."""

    status = 404

    def __init__(self, message: str | Promise | None = None) -> None:
        from django.utils.translation import gettext_lazy as _

        super().__init__(message or _("The page or item was not found, or you may not see it."), code="not_found")


class Forbidden(DomainError):
    status = 403

    def __init__(self, message: str | Promise, *, code: str = "forbidden") -> None:
        super().__init__(message, code=code)


class Conflict(DomainError):
    status = 409
