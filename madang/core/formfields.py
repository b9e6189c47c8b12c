"""A form's fields by name, typed: `form.fields[name]` is a plain `Field` to the type checker.

Forms narrow a choice field's queryset or choices in `__init__` (to the event's rooms, the call's
departments). These say which kind of field that is, and fail loudly if it is not.
"""

from __future__ import annotations

from typing import Any

from django import forms


def model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The `ModelChoiceField` (or `ModelMultipleChoiceField`) called `name`."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a ModelChoiceField")
    return field


def choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The `ChoiceField` (or `MultipleChoiceField`) called `name`."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a ChoiceField")
    return field
