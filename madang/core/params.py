"""Ids and numbers read from a request, parsed strictly.

`str.isdigit()` is true for "²" and "١", which `int()` then refuses (a 500) or reads as another
number, and a long run of ASCII digits overflows a 64-bit database column (another 500). Every
id or number a page or endpoint takes from the query string, a form or a JSON key goes through
here: ASCII digits only, within bounds, else a `BadParameter` (400) naming the field.
Path segments need nothing more: Django's `<int:…>` converter already takes ASCII digits only,
and a too-large primary key simply matches nothing.
"""

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from madang.core.errors import DomainError

# Ids fit a 64-bit signed integer in both SQLite and PostgreSQL.
MAX_ID = 2**63 - 1
_INTEGER = re.compile(r"-?[0-9]{1,19}")  # 19 digits hold every 64-bit value; longer is refused unread


class BadParameter(DomainError):
    status = 400

    def __init__(self, field: str, lo: int, hi: int) -> None:
        if lo == 1 and hi == MAX_ID:
            message = _("“%(field)s” must be an id: a whole number written in digits 0–9, from 1.") % {"field": field}
        else:
            message = _("“%(field)s” must be a whole number from %(lo)d to %(hi)d.") % {
                "field": field,
                "lo": lo,
                "hi": hi,
            }
        super().__init__(message, code="bad_parameter", field=field)


def _parse(value: Any, lo: int, hi: int) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if lo <= number <= hi else None


def parse_int(value: Any, *, field: str, lo: int, hi: int) -> int:
    """A whole number in lo..hi from request text; BadParameter (400) otherwise."""
    number = _parse(value, lo, hi)
    if number is None:
        raise BadParameter(field, lo, hi)
    return number


def parse_id(value: Any, *, field: str) -> int:
    """An id (1..2⁶³−1) from request text; BadParameter (400) otherwise."""
    return parse_int(value, field=field, lo=1, hi=MAX_ID)


def optional_id(value: Any, *, field: str) -> int | None:
    """Like parse_id, but an absent or empty value is None (a filter that is not set)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_id(value, field=field)


def id_or_zero(value: Any) -> int:
    """For look-ups that answer "not found" anyway: a valid id, or 0, which matches nothing."""
    return _parse(value, 1, MAX_ID) or 0


def keyed_by_id[V](values: Mapping[str, V], *, field: str) -> dict[int, V]:
    """A JSON object whose keys are ids ({"12": 3}) as a dict keyed by int."""
    return {parse_id(key, field=field): value for key, value in values.items()}


class IdField(forms.IntegerField):
    """A form field for an id: ASCII digits, 1..2⁶³−1 (Django's IntegerField reads "٣" as 3
    and lets a number too large for the database through)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value not in self.empty_values and not (isinstance(value, int) or _INTEGER.fullmatch(str(value).strip())):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids no database column can hold before they reach the database.

    Django turns an out-of-range `pk=` lookup into "no match", but its `pk__in=` check of the
    chosen values hands them over as they are, and SQLite then raises OverflowError (a 500).
    """

    def clean(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            for pk in value:
                if not id_or_zero(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super().clean(value)
