"""One rule for the text people type, wherever they type it (it was written five times, and the
copies disagreed on trimming and on the message)."""

from pathlib import Path

import pytest

import madang
from madang.core.errors import DomainError
from madang.core.texts import clean_text


def test_it_trims_and_keeps_what_fits():
    assert clean_text("  민원 서류  ", field="title", limit=5) == "민원 서류"
    assert clean_text("민원   서류\n간소화", field="text", limit=20, collapse=True) == "민원 서류 간소화"
    assert clean_text("", field="note", limit=5, required=False) == ""


@pytest.mark.parametrize(
    ("value", "kwargs", "code"),
    [
        ("   ", {}, "required"),
        ("가" * 6, {}, "too_long"),
        ("짧음", {"min_length": 5}, "too_short"),
    ],
)
def test_it_refuses_with_a_code_and_the_field(value, kwargs, code):
    with pytest.raises(DomainError) as refused:
        clean_text(value, field="body", limit=5, **kwargs)
    assert (refused.value.code, refused.value.field) == (code, "body")


def test_it_is_the_only_length_rule_in_the_services():
    root = Path(madang.__file__).parent
    writers = [
        p.relative_to(root).as_posix()
        for p in root.rglob("*.py")
        if "tests" not in p.parts and 'code="too_long", field=field' in p.read_text()
    ]
    assert writers == ["core/texts.py"]
