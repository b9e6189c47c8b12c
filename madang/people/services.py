"""Writes for people and organisations: the tree, accounts, roles, API tokens, passwords, bulk import.

Log-in throttling lives in madang/people/throttle.py."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any, TypedDict

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, mailers
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madang.core import security
from madang.core.errors import DomainError, Forbidden
from madang.people import rules
from madang.people.models import ApiToken, Kind, Organisation, OrgKind, Role, RoleGrant, User


def create_organisation(
    *, actor: User | None, code: str, name: str, kind: str, parent: Organisation | None = None, name_en: str = ""
) -> Organisation:
    if actor is not None and not rules.can_administer_people(actor, parent):
        raise Forbidden(gettext_lazy("Only administrators manage organisations."))
    if kind not in OrgKind.values:
        raise DomainError(gettext_lazy("Unknown organisation kind."), code="bad_kind")
    if kind == OrgKind.DEPARTMENT and parent is None:
        raise DomainError(gettext_lazy("A department belongs to an organisation."), code="no_parent")
    with transaction.atomic():
        org = Organisation.objects.create(code=code, name=name, name_en=name_en, kind=kind, parent=parent)
        org.path = f"{parent.path if parent else '/'}{org.pk}/"
        org.save(update_fields=["path"])
    return org


def create_user(
    *,
    actor: User | None,
    username: str,
    display_name: str,
    password: str | None = None,
    email: str = "",
    kind: str = Kind.OFFICIAL,
    department: Organisation | None = None,
    grade: int | None = None,
    title: str = "",
    language: str = "ko",
) -> User:
    if actor is not None and not rules.can_administer_people(actor, department):
        raise Forbidden(gettext_lazy("Only administrators create accounts."))
    if kind == Kind.CITIZEN and department is not None:
        raise DomainError(gettext_lazy("Citizens do not belong to a department."), code="citizen_department")
    if grade is not None and not 1 <= grade <= 9:
        raise DomainError(gettext_lazy("Grade must be between 1 and 9."), code="bad_grade")
    if User.objects.filter(username=username).exists():
        raise DomainError(gettext_lazy("This username is taken."), code="duplicate", field="username")
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        kind=kind,
        department=department,
        grade=grade,
        title=title,
        language=language,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


def grant_role(
    *, actor: User | None, user: User, role: str, organisation: Organisation | None = None, call: Any = None
) -> RoleGrant:
    if (
        actor is not None
        and not rules.can_administer_people(actor, organisation)
        and not (call is not None and rules.is_innovation_team(actor, call) and role == Role.REVIEWER)
    ):
        raise Forbidden(gettext_lazy("You may not grant this role."))
    grant, _created = RoleGrant.objects.get_or_create(
        user=user, role=role, organisation=organisation, call=call, defaults={"granted_by": actor}
    )
    rules.forget_grants(user)
    return grant


def revoke_role(*, actor: User, grant: RoleGrant) -> None:
    if not rules.can_administer_people(actor, grant.organisation):
        raise Forbidden(gettext_lazy("You may not revoke this role."))
    grant.delete()
    rules.forget_grants(grant.user)


def end_grants_left_behind(*, user: User) -> list[RoleGrant]:
    """After a move to another department: end the roles held over organisations the person has left.

    A role granted over an organisation (a liaison of their old department, the innovation team of
    their old agency) came with their post there; it does not follow them. Roles over a subtree that
    still holds the new department stay, as do site-wide roles and roles in one call (a reviewer
    keeps the call they were asked to review). Each ended role is a security event, so the
    administrators who granted it can see why it went. Called by the staff import and by single
    sign-on when the department changes.
    """
    department = user.department
    ended = [
        grant
        for grant in RoleGrant.objects.filter(user=user, organisation__isnull=False).select_related("organisation")
        if department is None or not department.path.startswith(grant.organisation.path)  # type: ignore[union-attr]  # organisation__isnull=False above
    ]
    for grant in ended:
        security.event("role_ended_on_move", user_id=user.pk, kind=grant.role, scope=grant.organisation.code)  # type: ignore[union-attr]  # organisation__isnull=False above
        grant.delete()
    if ended:
        rules.forget_grants(user)
    return ended


# ---------------------------------------------------------------- API tokens


def token_lifetime(days: int | None) -> timedelta:
    days = settings.MADANG_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= settings.MADANG_API_TOKEN_MAX_DAYS:
        raise DomainError(
            gettext_lazy("A token lasts from 1 to %(max)d days.") % {"max": settings.MADANG_API_TOKEN_MAX_DAYS},
            code="bad_expiry",
            field="days",
        )
    return timedelta(days=days)


def issue_api_token(*, actor: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    name = name.strip()[:100] or "API"
    lifetime = token_lifetime(days)
    secret = ApiToken.new_secret()
    now = timezone.now()
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        digest=ApiToken.digest_of(secret),
        prefix=secret[4:12],
        created_at=now,
        expires_at=now + lifetime,
    )
    security.event("api_token_created", user_id=actor.pk)
    return token, secret


def rotate_api_token(*, actor: User, token: ApiToken, days: int | None = None) -> tuple[ApiToken, str]:
    """A new secret under the same name; the old one stops working at once (no overlap: a
    leaked secret should die the moment its owner rotates it)."""
    if token.user_id != actor.pk:
        raise Forbidden(gettext_lazy("This token is not yours."))
    lifetime = token_lifetime(days)
    with transaction.atomic():
        old = ApiToken.objects.select_for_update().get(pk=token.pk)
        if old.revoked_at is not None:
            raise DomainError(gettext_lazy("This token was revoked already."), code="revoked")
        now = timezone.now()
        old.revoked_at = now
        old.save(update_fields=["revoked_at"])
        secret = ApiToken.new_secret()
        new = ApiToken.objects.create(
            user=actor,
            name=old.name,
            digest=ApiToken.digest_of(secret),
            prefix=secret[4:12],
            created_at=now,
            expires_at=now + lifetime,
            rotated_from=old,
        )
    security.event("api_token_rotated", user_id=actor.pk)
    return new, secret


def revoke_api_token(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        raise Forbidden(gettext_lazy("This token is not yours."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


# ---------------------------------------------------------------- e-mail confirmation


def check_confirmed_email(actor: User) -> None:
    """Raise unless the actor may take part (see rules.has_confirmed_email)."""
    if not rules.has_confirmed_email(actor):
        raise Forbidden(
            gettext_lazy(
                "Please confirm your e-mail address first: open the link we sent you, or ask for a new one "
                "on your member page."
            ),
            code="email_unconfirmed",
        )


# ---------------------------------------------------------------- passwords


def change_password(*, actor: User, new_password: str) -> None:
    """Set the actor's own password (the caller has checked the current one through the
    throttle). Django's session check then ends every other session of the actor; API tokens
    are left alone and keep working until they expire or are revoked (docs/asvs.md)."""
    set_password(actor=actor, user=actor, password=new_password)
    security.event("password_changed", user_id=actor.pk)


def request_password_reset(*, email: str, make_link: Callable[[User], str]) -> None:
    """E-mail a reset link to each active account with this address and a usable password.
    Says nothing about whether there was one: the caller answers the same either way."""
    email = email.strip()
    if not email:
        return
    users = [u for u in User.objects.filter(email__iexact=email, is_active=True) if u.has_usable_password()]
    if not users:
        security.event("password_reset_unknown")
        return
    for user in users:
        security.event("password_reset_requested", user_id=user.pk)
        link = make_link(user)
        transaction.on_commit(partial(_send_reset, user, link))


def _send_reset(user: User, link: str) -> None:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        minutes = settings.PASSWORD_RESET_TIMEOUT // 60
        body = _(
            "Hello %(name)s,\n\nSomeone (we hope you) asked to set a new password for your Madang account "
            "%(username)s. Open this link within %(minutes)d minutes to choose one; it works once:\n%(link)s\n\n"
            "If it was not you, ignore this e-mail: your password stays as it is.\n"
        ) % {"name": user.display_name, "username": user.username, "minutes": minutes, "link": link}
        mailers.default.send_messages(
            [EmailMessage(subject=_("[Madang] Set a new password"), body=body, to=[user.email])]
        )


def reset_password(*, user: User, new_password: str) -> None:
    """Set a password from a reset link (the token was checked by the view). Other sessions end
    as with a change; the link stops working because the password hash changed."""
    set_password(actor=user, user=user, password=new_password)
    security.event("password_reset_done", user_id=user.pk)


def set_language(*, actor: User, language: str) -> User:
    """The language of the pages and e-mails this person gets (what to be notified about, and how,
    is inbox's: `inbox.services.set_preferences`)."""
    actor.language = language
    actor.save(update_fields=["language"])
    return actor


# ---------------------------------------------------------------- bulk import

# Korean headers first; English accepted too. Each maps to our field name.
ORG_HEADERS = {
    "기관코드": "code",
    "code": "code",
    "기관명": "name",
    "name": "name",
    "영문명": "name_en",
    "name_en": "name_en",
    "유형": "kind",
    "kind": "kind",
    "상위기관코드": "parent",
    "parent": "parent",
}
STAFF_HEADERS = {
    "아이디": "username",
    "username": "username",
    "성명": "display_name",
    "이름": "display_name",
    "name": "display_name",
    "이메일": "email",
    "email": "email",
    "부서코드": "department",
    "department": "department",
    "직급": "grade",
    "grade": "grade",
    "직위": "title",
    "직명": "title",
    "title": "title",
    "역할": "roles",
    "roles": "roles",
}
KIND_WORDS = {
    "중앙부처": OrgKind.MINISTRY,
    "중앙행정기관": OrgKind.MINISTRY,
    "광역": OrgKind.PROVINCE,
    "광역자치단체": OrgKind.PROVINCE,
    "시도": OrgKind.PROVINCE,
    "기초": OrgKind.LOCAL,
    "기초자치단체": OrgKind.LOCAL,
    "시군구": OrgKind.LOCAL,
    "경찰": OrgKind.POLICE,
    "소방": OrgKind.FIRE,
    "공공기관": OrgKind.PUBLIC,
    "부서": OrgKind.DEPARTMENT,
    **{k.value: k for k in OrgKind},
}
ROLE_WORDS = {
    "심사위원": Role.REVIEWER,
    "혁신팀": Role.INNOVATION_TEAM,
    "혁신담당": Role.INNOVATION_TEAM,
    "담당관": Role.LIAISON,
    "연락관": Role.LIAISON,
    "부서담당": Role.LIAISON,
    "퍼실리테이터": Role.FACILITATOR,
    "관리자": Role.ADMINISTRATOR,
    **{r.value: r for r in Role},
}


class _StaffRow(TypedDict):
    """One valid row of a staff import: create_user's arguments, also set one by one on an existing user."""

    username: str
    display_name: str
    email: str
    department: Organisation
    grade: int | None
    title: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.rejected


def read_table(data: bytes, filename: str) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8, UTF-8 with BOM, or CP949 as Korean Excel writes it) or XLSX file."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise DomainError(gettext_lazy("The XLSX file could not be read."), code="bad_file") from exc
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
        if not rows:
            return []
        header = [str(h or "").strip() for h in rows[0]]
        return [
            {header[i]: ("" if v is None else str(v).strip()) for i, v in enumerate(r) if i < len(header)}
            for r in rows[1:]
            if any(v not in (None, "") for v in r)
        ]
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DomainError(gettext_lazy("The CSV file is neither UTF-8 nor CP949 text."), code="bad_file")
    reader = csv.DictReader(io.StringIO(text))
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]


def _map(row: dict[str, str], headers: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in row.items():
        key = headers.get(k.strip()) or headers.get(k.strip().lower())
        if key:
            out[key] = v
    return out


def import_organisations(*, actor: User, rows: list[dict[str, str]], dry_run: bool = True) -> ImportReport:
    if not rules.is_site_admin(actor):
        raise Forbidden(gettext_lazy("Only administrators import organisations."))
    report = ImportReport(dry_run=dry_run)
    known = {o.code: o for o in Organisation.objects.all()}
    planned: dict[str, dict[str, str]] = {}
    for line, raw in enumerate(rows, start=2):
        row = _map(raw, ORG_HEADERS)
        code, name = row.get("code", ""), row.get("name", "")
        kind = KIND_WORDS.get(row.get("kind", ""))
        problems = []
        if not code:
            problems.append(_("code is missing"))
        elif code in planned:
            problems.append(_("code %(c)s appears twice in the file") % {"c": code})
        if not name:
            problems.append(_("name is missing"))
        if kind is None:
            problems.append(_("unknown kind “%(k)s”") % {"k": row.get("kind", "")})
        parent = row.get("parent", "")
        if parent and parent not in known and parent not in planned:
            problems.append(_("parent %(p)s is not known (list parents before their children)") % {"p": parent})
        if kind == OrgKind.DEPARTMENT and not parent:
            problems.append(_("a department needs a parent"))
        if problems:
            report.rejected.append((line, "; ".join(problems)))
            continue
        planned[code] = {**row, "kind": str(kind)}
    if dry_run or report.rejected:
        report.created = sum(1 for c in planned if c not in known)
        report.updated = sum(1 for c in planned if c in known)
        return report
    with transaction.atomic():
        for code, row in planned.items():
            parent_org = known.get(row.get("parent", "")) if row.get("parent") else None
            if code in known:
                org = known[code]
                org.name, org.name_en, org.kind = row["name"], row.get("name_en", ""), row["kind"]
                org.save(update_fields=["name", "name_en", "kind"])
                report.updated += 1
            else:
                known[code] = create_organisation(
                    actor=None,
                    code=code,
                    name=row["name"],
                    kind=row["kind"],
                    parent=parent_org,
                    name_en=row.get("name_en", ""),
                )
                report.created += 1
    return report


def _parse_grade(text: str) -> int | None:
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits:
        return None
    value = int(digits)
    return value if 1 <= value <= 9 else -1


def import_staff(*, actor: User, rows: list[dict[str, str]], dry_run: bool = True) -> ImportReport:
    """Create or update officials. Nothing is written unless every row is valid."""
    if not rules.is_site_admin(actor):
        raise Forbidden(gettext_lazy("Only administrators import staff."))
    report = ImportReport(dry_run=dry_run)
    departments = {o.code: o for o in Organisation.objects.all()}
    existing = set(User.objects.values_list("username", flat=True))
    planned: list[tuple[_StaffRow, list[Role]]] = []
    seen: set[str] = set()
    for line, raw in enumerate(rows, start=2):
        row = _map(raw, STAFF_HEADERS)
        problems = []
        username = row.get("username", "")
        if not username:
            problems.append(_("username is missing"))
        elif username in seen:
            problems.append(_("username %(u)s appears twice in the file") % {"u": username})
        elif len(username) > 150 or not all(ch.isalnum() or ch in "@.+-_" for ch in username):
            problems.append(_("username may use letters, digits and @.+-_ only"))
        seen.add(username)
        if not row.get("display_name"):
            problems.append(_("name is missing"))
        email = row.get("email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(_("e-mail address “%(e)s” is not valid") % {"e": email})
        dept = departments.get(row.get("department", ""))
        if dept is None:
            problems.append(_("department code “%(d)s” is not known") % {"d": row.get("department", "")})
        grade = _parse_grade(row.get("grade", ""))
        if grade == -1:
            problems.append(_("grade must be 1 to 9"))
        roles: list[Role] = []
        for word in filter(None, (w.strip() for w in row.get("roles", "").replace(";", ",").split(","))):
            if word not in ROLE_WORDS:
                problems.append(_("unknown role “%(r)s”") % {"r": word})
            else:
                roles.append(ROLE_WORDS[word])
        if problems or dept is None:  # an unknown department is always one of the problems
            report.rejected.append((line, "; ".join(problems)))
            continue
        data: _StaffRow = {
            "username": username,
            "display_name": row["display_name"],
            "email": email,
            "department": dept,
            "grade": grade,
            "title": row.get("title", "")[:50],
        }
        planned.append((data, roles))
    report.created = sum(1 for d, _r in planned if d["username"] not in existing)
    report.updated = len(planned) - report.created
    if dry_run or report.rejected:
        return report
    with transaction.atomic():
        for data, roles in planned:
            user = User.objects.filter(username=data["username"]).first()
            if user is None:
                user = create_user(actor=None, **data)
            else:
                moved = user.department_id != data["department"].pk
                for key, value in data.items():
                    setattr(user, key, value)
                user.save()
                if moved:
                    end_grants_left_behind(user=user)
            for role in roles:
                scope = data["department"] if role == Role.LIAISON else data["department"].agency()
                grant_role(actor=None, user=user, role=role, organisation=scope)
    return report


def set_password(*, actor: User, user: User, password: str) -> None:
    if actor.pk != user.pk and not rules.can_administer_people(actor, user.department):
        raise Forbidden(gettext_lazy("You may not change this password."))
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="weak_password", field="password") from exc
    user.set_password(password)
    user.save(update_fields=["password"])
