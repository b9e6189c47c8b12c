from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from madang.solvers.korean import highlight_spans, snippet_spans

register = template.Library()


@register.simple_tag
def highlight(text: str, query: str) -> SafeString:
    """Escape `text` and wrap the parts that match the search in <mark>."""
    if not query:
        return mark_safe(escape(text))
    return mark_safe(
        "".join(f"<mark>{escape(s)}</mark>" if hit else escape(s) for s, hit in highlight_spans(text, query))
    )


@register.simple_tag
def highlight_snippet(text: str, query: str, width: int = 160) -> SafeString:
    """Like `highlight`, of the passage of a long text around its first match (with "…" for the rest)."""
    return mark_safe(
        "".join(f"<mark>{escape(s)}</mark>" if hit else escape(s) for s, hit in snippet_spans(text or "", query, width))
    )
