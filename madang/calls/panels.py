"""Sections of a proposal's page that apps above `calls` supply, such as its status (followup).

`calls` may not import the apps above it, so each registers its section here from its
`AppConfig.ready()`: a name, and a function that renders the section's HTML for a request and a
proposal the reader may already see. The page shows the sections in the order registered.
"""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from madang.calls.models import Proposal

Render = Callable[[HttpRequest, Proposal], SafeString]

_sections: dict[str, Render] = {}


def register(name: str, render: Render) -> None:
    if name in _sections and _sections[name] is not render:
        raise RuntimeError(f"the proposal page section {name!r} is registered twice")
    _sections[name] = render


def render(request: HttpRequest, proposal: Proposal) -> list[SafeString]:
    return [section(request, proposal) for section in _sections.values()]
