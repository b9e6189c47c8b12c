"""What a higher app may say about a sign-in, registered from its `AppConfig.ready()`.

people sits below the apps that know about single sign-on and second factors (identity), so it
keeps two plain tables and asks them:

- a *password policy* answers, for a person whose password was just found correct, whether
  passwords may be used at all (an organisation that signs its officials in only through its
  own identity provider): `None`, or the message to show instead of signing in;
- a *gate* runs after any first factor (password, OIDC, SAML), before the session is made: it
  returns `None` to let the person in, or a response that takes them elsewhere first (a code
  to type). A gate that stops someone keeps what it needs and finishes with `signin.complete`;
- a *sign-in link source* names other ways in for the log-in page (an agency's single sign-on);
- a *re-authentication link source* names, for the signed-in person, the other ways to confirm it
  is them before a sensitive action (their provider), beside or instead of their password.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from madang.people.models import User

PasswordPolicy = Callable[["User"], str | None]
# (request, user, where to go afterwards, the authentication backend's dotted path)
Gate = Callable[[HttpRequest, "User", str, str], HttpResponse | None]

# (request, where to go afterwards) -> [(label, url)]
LinkSource = Callable[[HttpRequest, str], list[tuple[str, str]]]

_password_policies: list[PasswordPolicy] = []
_gates: list[Gate] = []
_link_sources: list[LinkSource] = []
_reauth_sources: list[LinkSource] = []


def register_password_policy(policy: PasswordPolicy) -> None:
    if policy not in _password_policies:
        _password_policies.append(policy)


def register_gate(gate: Gate) -> None:
    if gate not in _gates:
        _gates.append(gate)


def register_sign_in_links(source: LinkSource) -> None:
    if source not in _link_sources:
        _link_sources.append(source)


def sign_in_links(request: HttpRequest, next_url: str) -> list[tuple[str, str]]:
    return [link for source in _link_sources for link in source(request, next_url)]


def register_reauth_links(source: LinkSource) -> None:
    if source not in _reauth_sources:
        _reauth_sources.append(source)


def reauth_links(request: HttpRequest, next_url: str) -> list[tuple[str, str]]:
    return [link for source in _reauth_sources for link in source(request, next_url)]


def password_refusal(user: User) -> str | None:
    for policy in _password_policies:
        message = policy(user)
        if message:
            return message
    return None


def gates() -> tuple[Gate, ...]:
    return tuple(_gates)
