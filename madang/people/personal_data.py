"""Everything the site holds about a person, for their right to see and take it (개인정보 보호법
제35조 열람, 제35조의2 전송): the member's export at /citizens/me/data.json and .csv.

Each app knows its own records about a person, so each registers the sections it adds to the
export from its AppConfig.ready(), naming the links to the person each section covers
("events.Registration.user"); people imports no domain app. A test fails when a model links to
a person through a field no section covers and the field is not named, with its reason, as not
about that person (madang/people/tests/test_personal_data.py): a new kind of record cannot be
left out of the export unnoticed.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from madang.people.models import RoleGrant, User

Rows = Callable[[User], Any]  # JSON-serialisable: a dict, or a list of dicts


@dataclass(frozen=True)
class Section:
    name: str  # its key in the export, e.g. "event_registrations"
    owner: str  # the app label that registered it
    covers: tuple[str, ...]  # "<app_label>.<Model>.<field>": the links to the person it exports
    rows: Rows


_sections: dict[str, Section] = {}


def register(name: str, rows: Rows, *, owner: str, covers: Iterable[str]) -> None:
    """Add a section to every person's export. A name has one owner; the same app may replace it."""
    known = _sections.get(name)
    if known is not None and known.owner != owner:
        raise ImproperlyConfigured(f"personal data section {name!r} is registered by {known.owner!r} and {owner!r}")
    _sections[name] = Section(name, owner, tuple(covers), rows)


def sections() -> list[Section]:
    """In the order the apps registered them (INSTALLED_APPS order: the account first)."""
    return list(_sections.values())


def covered() -> set[str]:
    return {link for s in _sections.values() for link in s.covers}


def export(user: User) -> dict[str, Any]:
    return {s.name: s.rows(user) for s in sections()}


def when(value: Any) -> str | None:
    """A datetime or date as ISO 8601 (None stays None)."""
    return value.isoformat() if value is not None else None


# ---------------------------------------------------------------- what people itself holds


def _account(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "name": user.display_name,
        "email": user.email,
        "kind": user.kind,
        "language": user.language,
        "joined": when(user.date_joined),
        "last_login": when(user.last_login),
        "department": user.department.label if user.department_id and user.department else None,
        "grade": user.grade,
        "title": user.title,
        "email_mode": user.email_mode,
        "muted_notifications": list(user.muted_kinds),
    }


def _roles(user: User) -> list[dict[str, Any]]:
    return [
        {
            "role": g.role,
            "organisation": g.organisation.name if g.organisation else None,
            "call": g.call_id,
            "granted": when(g.granted_at),
        }
        for g in user.role_grants.select_related("organisation")
    ]


def _roles_granted(user: User) -> list[dict[str, Any]]:
    return [
        {"role": g.role, "to": g.user_id, "granted": when(g.granted_at)}
        for g in RoleGrant.objects.filter(granted_by=user)
    ]


def _tokens(user: User) -> list[dict[str, Any]]:
    # The token's name and dates; never its secret (only a digest is kept anyway).
    return [
        {
            "name": t.name,
            "prefix": t.prefix,
            "created": when(t.created_at),
            "expires": when(t.expires_at),
            "last_used": when(t.last_used_at),
            "revoked": when(t.revoked_at),
        }
        for t in user.api_tokens.all()
    ]


def register_own() -> None:
    """Called from people's AppConfig.ready()."""
    register("account", _account, owner="people", covers=())
    register("roles", _roles, owner="people", covers=["people.RoleGrant.user"])
    register("roles_granted", _roles_granted, owner="people", covers=["people.RoleGrant.granted_by"])
    register("api_tokens", _tokens, owner="people", covers=["people.ApiToken.user"])
