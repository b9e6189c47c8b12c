"""The one check of free text a person typed: trimmed, present when required, within a length."""

from django.utils.translation import gettext_lazy as _

from madang.core.errors import DomainError


def clean_text(
    value: str | None, *, field: str, limit: int, required: bool = True, min_length: int = 0, collapse: bool = False
) -> str:
    """`value` trimmed (with `collapse`, every run of white space made one space); DomainError
    when it is empty but required, shorter than `min_length` or longer than `limit` characters."""
    value = " ".join(value.split()) if collapse and value else (value or "").strip()
    if required and not value:
        raise DomainError(_("This field is required."), code="required", field=field)
    if value and len(value) < min_length:
        raise DomainError(_("Write at least %(n)d characters.") % {"n": min_length}, code="too_short", field=field)
    if len(value) > limit:
        raise DomainError(_("Too long: at most %(n)d characters.") % {"n": limit}, code="too_long", field=field)
    return value
