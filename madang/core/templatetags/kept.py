"""Template built-ins (settings.TEMPLATES) that keep what they made: `{% url %}` and `{% kept %}`.

A page of Madang is mostly the same words and links for every reader in a language, and Django's
template engine makes them anew for each page: a proposal's page spent about 2 ms of its 12 on
its navigation, footer, session notice and comment forms (issue 18).

`{% kept %}…{% endkept %}` renders what it holds once per language (and script prefix) in each
process and then repeats it. What it holds is rendered with an *empty* context, so it can use
`{% translate %}`, `{% url %}` with literal arguments and `{% static %}`, but nothing of the page
or its reader: a `{{ variable }}` or a `{% csrf_token %}` inside is refused when the template is
read, and anything else that asks the context (an `{% if %}`) finds it empty, never another
reader's data.

`{% url %}` here takes the place of Django's own tag, which it parses and answers exactly as Django
does, and keeps the addresses it made.

Django finds an address anew each time (about 25–35 µs here), and a proposal's page asks for
about thirty: its navigation, its forms, its comments' actions (issue 18). An address depends
only on the view's name, its arguments, the namespace of the request's view, the script prefix,
the URLconf and the language, so with arguments that are plain ints and strings it is kept under
all of those (the most recent `KEPT`); anything else (an object as an argument) is reversed as
before. A view name that matches nothing is never kept, and fails as it always did.
"""

import functools
from typing import Any

from django import template
from django.template import Node, NodeList, TemplateSyntaxError, defaulttags
from django.template.base import Parser, Token, VariableNode
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

KEPT = 4096


@functools.lru_cache(maxsize=KEPT)
def _address(
    view_name: str,
    args: tuple[int | str, ...],
    kwargs: tuple[tuple[str, int | str], ...],
    current_app: str | None,
    _prefix: str,
    _urlconf: Any,
    _language: str | None,
) -> str:
    # (The last three are only part of the key: reverse reads them itself.)
    return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)


def _plain(value: Any) -> bool:
    # (A template's literal is a SafeString: a str, equal to and hashed as the same text.)
    return isinstance(value, str | int) and not isinstance(value, bool)


class KeptURLNode(defaulttags.URLNode):
    def render(self, context: Any) -> str:
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple((k, v.resolve(context)) for k, v in self.kwargs.items())
        view_name = self.view_name.resolve(context)
        if not (isinstance(view_name, str) and all(map(_plain, args)) and all(_plain(v) for _, v in kwargs)):
            return str(super().render(context))
        # (The namespace as Django's tag finds it: the request's current_app, else its view's.)
        request: Any = getattr(context, "request", None)
        if hasattr(request, "current_app"):
            current_app = request.current_app
        else:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        try:
            url = _address(view_name, args, kwargs, current_app, get_script_prefix(), get_urlconf(), get_language())
        except NoReverseMatch:
            if self.asvar is None:
                raise
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return str(conditional_escape(url)) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> KeptURLNode:
    node = defaulttags.url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)


class KeptNode(Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist
        self.made: dict[tuple[str | None, str], str] = {}  # (language, script prefix) → HTML

    def render(self, context: Any) -> str:
        key = (get_language(), get_script_prefix())
        html = self.made.get(key)
        if html is None:
            html = self.nodelist.render(context.new())  # (the page's engine and settings, none of its values)
            self.made[key] = html
        return html


@register.tag
def kept(parser: Parser, token: Token) -> KeptNode:
    if len(token.split_contents()) != 1:
        raise TemplateSyntaxError("{% kept %} takes no arguments")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    # (Refused when the template is read: a form's token or a value of the page would be one
    # reader's, kept for the next.)
    if nodelist.get_nodes_by_type(defaulttags.CsrfTokenNode):
        raise TemplateSyntaxError("{% kept %} may not hold a CSRF token: keep only what every reader shares")
    if nodelist.get_nodes_by_type(VariableNode):
        raise TemplateSyntaxError("{% kept %} may not hold a variable: keep only what every reader shares")
    return KeptNode(nodelist)
