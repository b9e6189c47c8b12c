"""What a provider says about a person, read through its claim mapping.

OIDC claims come as a JSON object, SAML attributes as lists of strings; both become one
`Person`, which the services act on. Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from madang.identity.models import IdentityProvider

FALSE_WORDS = {"false", "0", "no", "n", "off", "disabled", "inactive", "휴직", "퇴직", "정지", "비활성"}


@dataclass(frozen=True)
class Person:
    subject: str
    username: str = ""
    name: str = ""
    email: str = ""
    department: str = ""  # an organisation code
    grade: int | None = None
    grade_given: bool = False  # a grade claim was there (even if it made no sense)
    title: str = ""
    active: bool = True
    person: str = ""  # a citizen broker's stable person identifier: hashed at once, never stored


def _one(value: Any) -> str:
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    if value is None:
        return ""
    return str(value).strip()


def parse_grade(text: str) -> int | None:
    """ "7급", "7", "grade 7", "지방행정주사(6급)" -> the grade; -1 when it is not 1 to 9."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits:
        return None
    value = int(digits)
    return value if 1 <= value <= 9 else -1


def read(provider: IdentityProvider, claims: Mapping[str, Any], *, subject: str) -> Person:
    def get(field: str) -> str:
        name = provider.claim(field)
        return _one(claims.get(name)) if name else ""

    grade_text = get("grade")
    active_name = provider.claim("active")
    active = True
    if active_name and active_name in claims:
        raw = claims[active_name]
        active = raw if isinstance(raw, bool) else _one(raw).lower() not in FALSE_WORDS
    return Person(
        subject=subject.strip(),
        username=get("username")[:150],
        name=get("name")[:100],
        email=get("email")[:254],
        department=get("department")[:64],
        grade=parse_grade(grade_text),
        grade_given=bool(grade_text),
        title=get("title")[:50],
        active=active,
        person=get("person"),
    )
