"""Ledger entries as people read them, for any app's templates: `{% load ledger %}{{ entry.kind|entry_label }}`."""

from django import template

from madang.ledger import kinds

register = template.Library()


@register.filter
def entry_label(kind: str) -> str:
    """The kind's label in the active language (registered by the app that owns the kind)."""
    return kinds.label(kind)
