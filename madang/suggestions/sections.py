"""Sections of a suggestion's own page that apps above `suggestions` supply, such as the
first-to-file check across agencies (priority).

`suggestions` may not import the apps above it, so each registers its section here from its
`AppConfig.ready()`: a name, and a function that renders the section's HTML for a request and a
suggestion the reader may already see (it decides itself what that reader is shown). The page
shows the sections in the order registered, after its own.
"""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from madang.suggestions.models import Suggestion

Render = Callable[[HttpRequest, Suggestion], SafeString]

_sections: dict[str, Render] = {}


def register(name: str, render: Render) -> None:
    if name in _sections and _sections[name] is not render:
        raise RuntimeError(f"the suggestion page section {name!r} is registered twice")
    _sections[name] = render


def render(request: HttpRequest, suggestion: Suggestion) -> list[SafeString]:
    return [section(request, suggestion) for section in _sections.values()]
