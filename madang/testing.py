"""The test cast: a small province with named people, built through the services.

Used by every test module through the `cast` fixture in conftest.py (the demo builds its own
province; both take the phase helpers from madang.calls.phases). Names are Korean personas so tests read as stories:

- 김민지 (minji): 7급 주무관 in 민원과 of 한빛도, a proposer
- 이서준 (seojun): 6급 주무관 in 민원과, a colleague in the same department
- 박지훈 (jihoon): 8급 in 교통과, a colleague in another department
- 최유나 (yuna): 5급 사무관 in 기획과, a reviewer
- 정하늘 (haneul): 6급 in 정보화과, a second reviewer
- 강도윤 (doyun): 혁신팀 (innovation team) in 혁신담당관
- 윤소희 (sohee): liaison for 교통과
- 오세훈 (sehun): liaison for 복지과
- 한가람 (garam): a citizen member
- 임바다 (bada): an official of another province (outsider)
- 관리자 (admin): the site administrator
"""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from madang.calls import services as calls
from madang.calls.models import Audience, Call, Proposal
from madang.calls.phases import phases_around, set_phase
from madang.people import services as people
from madang.people.models import Kind, Organisation, OrgKind, Role, User

__all__ = ["PASSWORD", "Cast", "build_cast", "phases_around", "set_phase"]

PASSWORD = "madang-test-pass-2026"  # noqa: S105 (test accounts only)


def fresh_login(client: Any, user: User) -> Any:
    """force_login, as if the password had just been given (for actions that ask for it again)."""
    from madang.people import sessions

    client.force_login(user)
    session = client.session
    session[sessions.REAUTH_KEY] = session[sessions.STARTED_KEY] = session[sessions.SEEN_KEY] = int(sessions.clock())
    session.save()
    return client


@dataclass
class Cast:
    province: Organisation
    other_province: Organisation
    civil: Organisation  # 민원과
    transport: Organisation  # 교통과
    welfare: Organisation  # 복지과
    planning: Organisation  # 기획과
    it: Organisation  # 정보화과
    innovation: Organisation  # 혁신담당관
    minji: User
    seojun: User
    jihoon: User
    yuna: User
    haneul: User
    doyun: User
    sohee: User
    sehun: User
    garam: User
    bada: User
    admin: User
    call: Call

    def proposal(
        self, author: User | None = None, title: str = "민원 서류 간소화", submit: bool = True, **fields: str
    ) -> Proposal:
        p = calls.create_proposal(
            actor=author or self.minji,
            call=self.call,
            fields=calls.ProposalFields(
                title=title,
                problem=fields.get("problem", "민원인이 같은 서류를 여러 번 제출해야 합니다."),
                solution=fields.get("solution", "행정정보 공동이용으로 한 번만 제출하게 합니다."),
                expected_effect=fields.get("expected_effect", "처리 기간 단축"),
            ),
        )
        if submit:
            p = calls.submit_proposal(actor=author or self.minji, proposal=p)
        return p

    def coauthor(self, proposal: Proposal, person: User, *, by: User | None = None) -> Proposal:
        """`person` is invited (by the author, unless `by`) and accepts."""
        invitation = calls.invite_coauthor(actor=by or proposal.author, proposal=proposal, invitee=person)
        calls.answer_invitation(actor=person, invitation=invitation, accept=True)
        proposal.__dict__.pop("known_author_ids", None)
        if hasattr(proposal, "_prefetched_objects_cache"):
            proposal._prefetched_objects_cache.pop("coauthors", None)
        return proposal


def build_cast() -> Cast:
    org = people.create_organisation
    province = org(actor=None, code="hanbit", name="한빛도", name_en="Hanbit Province", kind=OrgKind.PROVINCE)
    other = org(actor=None, code="saebyeok", name="새벽도", name_en="Saebyeok Province", kind=OrgKind.PROVINCE)
    dept = {}
    for code, name, en in [
        ("civil", "민원과", "Civil Affairs"),
        ("transport", "교통과", "Transport"),
        ("welfare", "복지과", "Welfare"),
        ("planning", "기획과", "Planning"),
        ("it", "정보화과", "Information Services"),
        ("innovation", "혁신담당관", "Innovation Office"),
    ]:
        dept[code] = org(
            actor=None, code=f"hanbit-{code}", name=name, name_en=en, kind=OrgKind.DEPARTMENT, parent=province
        )
    other_dept = org(actor=None, code="saebyeok-civil", name="민원과", kind=OrgKind.DEPARTMENT, parent=other)

    def person(
        username: str,
        name: str,
        department: Organisation | None,
        grade: int | None,
        title: str,
        kind: str = Kind.OFFICIAL,
    ) -> User:
        return people.create_user(
            actor=None,
            username=username,
            display_name=name,
            password=PASSWORD,
            email=f"{username}@example.kr",
            kind=kind,
            department=department,
            grade=grade,
            title=title,
        )

    minji = person("minji", "김민지", dept["civil"], 7, "주무관")
    seojun = person("seojun", "이서준", dept["civil"], 6, "주무관")
    jihoon = person("jihoon", "박지훈", dept["transport"], 8, "주무관")
    yuna = person("yuna", "최유나", dept["planning"], 5, "사무관")
    haneul = person("haneul", "정하늘", dept["it"], 6, "주무관")
    doyun = person("doyun", "강도윤", dept["innovation"], 5, "사무관")
    sohee = person("sohee", "윤소희", dept["transport"], 6, "주무관")
    sehun = person("sehun", "오세훈", dept["welfare"], 6, "주무관")
    garam = person("garam", "한가람", None, None, "", kind=Kind.CITIZEN)
    bada = person("bada", "임바다", other_dept, 7, "주무관")
    admin = person("admin", "관리자", dept["innovation"], 4, "서기관")
    people.grant_role(actor=None, user=admin, role=Role.ADMINISTRATOR)
    people.grant_role(actor=None, user=doyun, role=Role.INNOVATION_TEAM, organisation=province)
    people.grant_role(actor=None, user=yuna, role=Role.REVIEWER, organisation=province)
    people.grant_role(actor=None, user=haneul, role=Role.REVIEWER, organisation=province)
    people.grant_role(actor=None, user=sohee, role=Role.LIAISON, organisation=dept["transport"])
    people.grant_role(actor=None, user=sehun, role=Role.LIAISON, organisation=dept["welfare"])

    call = calls.create_call(
        actor=doyun,
        slug="hanbit-2026",
        title="2026 한빛도 적극행정 아이디어 공모",
        description="<p>현장의 불편을 바꿀 아이디어를 모읍니다.</p>",
        organisation=province,
        audience=Audience.OFFICIALS,
        phases=phases_around(timezone.now()),
        categories=["민원", "교통", "복지"],
        criteria=[
            calls.CriterionSpec("실현 가능성", 2, 5),
            calls.CriterionSpec("효과", 2, 5),
            calls.CriterionSpec("창의성", 1, 5),
        ],
    )
    return Cast(
        province=province,
        other_province=other,
        civil=dept["civil"],
        transport=dept["transport"],
        welfare=dept["welfare"],
        planning=dept["planning"],
        it=dept["it"],
        innovation=dept["innovation"],
        minji=minji,
        seojun=seojun,
        jihoon=jihoon,
        yuna=yuna,
        haneul=haneul,
        doyun=doyun,
        sohee=sohee,
        sehun=sehun,
        garam=garam,
        bada=bada,
        admin=admin,
        call=call,
    )
