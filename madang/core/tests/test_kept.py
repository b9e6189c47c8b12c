"""The template built-ins of core/templatetags/kept.py: `{% url %}` keeps the addresses it made
and answers exactly as Django's own tag (the same address, the same error, under another script
prefix the other address); `{% kept %}` makes its part once per language from nothing of the page."""

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse, set_script_prefix

from madang.core.templatetags import kept


def render(text: str, **context: object) -> str:
    return engines["django"].from_string(text).render(context)


def test_the_tag_in_every_template_is_the_kept_one():
    template = engines["django"].from_string("{% url 'calls:proposal' 5 %}")
    assert isinstance(template.template.nodelist[0], kept.KeptURLNode)


def test_addresses_are_those_of_reverse_and_kept():
    kept._address.cache_clear()
    assert render("{% url 'calls:proposal' 5 %}") == reverse("calls:proposal", args=[5])
    assert render("{% url 'calls:proposal' pk %}", pk=7) == reverse("calls:proposal", args=[7])
    assert render("{% url 'calls:detail' slug=s %}", s="hanbit-2026") == reverse(
        "calls:detail", kwargs={"slug": "hanbit-2026"}
    )
    assert render("{% url 'calls:list' %}{% url 'calls:list' %}") == reverse("calls:list") * 2
    info = kept._address.cache_info()
    assert info.misses == 4 and info.hits == 1


def test_objects_as_arguments_are_reversed_each_time():
    class Slug:
        def __str__(self) -> str:
            return "hanbit-2026"

    kept._address.cache_clear()
    assert render("{% url 'calls:detail' s %}", s=Slug()) == reverse("calls:detail", args=["hanbit-2026"])
    assert kept._address.cache_info().currsize == 0


def test_a_name_that_matches_nothing_fails_as_before_and_is_not_kept():
    with pytest.raises(NoReverseMatch):
        render("{% url 'calls:no_such_page' %}")
    assert render("{% url 'calls:no_such_page' as there %}[{{ there }}]") == "[]"
    assert render("{% url 'calls:proposal' 3 as there %}[{{ there }}]") == f"[{reverse('calls:proposal', args=[3])}]"


def test_another_script_prefix_gets_its_own_address():
    first = render("{% url 'calls:list' %}")
    try:
        set_script_prefix("/madang/")
        assert render("{% url 'calls:list' %}") == "/madang" + first
    finally:
        set_script_prefix("/")
    assert render("{% url 'calls:list' %}") == first


def test_the_namespace_of_the_request_is_part_of_the_key():
    request = RequestFactory().get("/")
    request.current_app = "calls"
    out = engines["django"].from_string("{% url 'calls:list' %}").render({}, request)
    assert out == reverse("calls:list", current_app="calls")


def test_a_kept_part_is_made_once_per_language_and_holds_nothing_of_the_page():
    from django.template import TemplateSyntaxError
    from django.utils import translation

    template = engines["django"].from_string(
        "{% load i18n %}[{% kept %}{% translate 'Calls' %} {% url 'calls:list' %}"
        "{% if user %}!{% endif %}{% endkept %}]"
    )
    (node,) = [n for n in template.template.nodelist if isinstance(n, kept.KeptNode)]
    with translation.override("ko"):
        korean = template.render({"user": "minji"})
        assert korean == f"[공모 {reverse('calls:list')}]"  # (the page's `user` is not seen inside)
        calls = []
        node.nodelist.render = lambda context: calls.append(context) or "again"  # type: ignore[method-assign]  # counts renders
        assert template.render({"user": "seojun"}) == korean
        assert calls == []
    with translation.override("en"):
        assert template.render({}) == "[again]"  # (another language: made anew)
    for holds in ("{{ user }}", "{% csrf_token %}", "{{ x|upper }}"):
        with pytest.raises(TemplateSyntaxError):
            engines["django"].from_string("{% kept %}" + holds + "{% endkept %}")
    with pytest.raises(TemplateSyntaxError):
        engines["django"].from_string("{% kept 'name' %}{% endkept %}")
