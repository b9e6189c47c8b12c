"""core/_field.html, the one way a form field is laid out: a screen reader must reach the field's
help and its errors from the field itself (KWCAG 7.3.1 and 7.3.2, WCAG 1.3.1 and 3.3.1)."""

import re

from django import forms
from django.template.loader import render_to_string


class Form(forms.Form):
    title = forms.CharField(label="제목", max_length=5, help_text="다섯 글자까지")


def described(html: str) -> tuple[list[str], set[str]]:
    refs = re.search(r'<input[^>]*aria-describedby="([^"]*)"', html)
    assert refs is not None, html
    return refs.group(1).split(), set(re.findall(r'\bid="([^"]+)"', html))


def test_it_points_the_field_at_its_help_text():
    html = render_to_string("core/_field.html", {"field": Form()["title"]})
    refs, ids = described(html)
    assert refs and all(ref in ids for ref in refs), (refs, ids)
    assert re.search(rf'id="{refs[0]}"[^>]*>다섯 글자까지<', html)


def test_it_points_the_field_at_its_help_and_its_error_and_marks_it_invalid():
    form = Form(data={"title": "너무 긴 제목입니다"})
    assert not form.is_valid()
    html = render_to_string("core/_field.html", {"field": form["title"]})
    refs, ids = described(html)
    assert len(refs) == 2 and all(ref in ids for ref in refs), (refs, ids)
    assert 'aria-invalid="true"' in html and 'role="alert"' in html
