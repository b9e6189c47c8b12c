"""Links to documents from the pages of the apps below documents, which may not import it.

A domain template asks `{% load documents_links %}{% may_make_lab_documents user lab as flag %}`
and links with `{% url 'documents:…' %}`: the rule stays in documents/rules.py, and the domain
app's Python never names documents (tests/test_architecture.py)."""

from typing import Any

from django import template

from madang.documents import rules

register = template.Library()


@register.simple_tag
def may_make_lab_documents(user: Any, lab: Any) -> bool:
    return rules.can_make_lab_documents(user, lab)
