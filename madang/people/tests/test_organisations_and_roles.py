"""The organisation tree and where a role reaches: a subtree, one call, or the whole site."""

import pytest
from django.utils import timezone

from madang.calls import services as calls
from madang.core.errors import DomainError, Forbidden
from madang.people import rules, services
from madang.people.models import Organisation, OrgKind, Role
from madang.testing import phases_around


def test_it_keeps_a_materialised_path_down_the_tree(cast):
    team = services.create_organisation(
        actor=cast.admin, code="hanbit-road", name="도로팀", kind=OrgKind.DEPARTMENT, parent=cast.transport
    )
    assert cast.province.path == f"/{cast.province.pk}/"
    assert cast.transport.path == f"/{cast.province.pk}/{cast.transport.pk}/"
    assert team.path == f"{cast.transport.path}{team.pk}/"
    subtree = Organisation.objects.filter(cast.province.subtree_q())
    assert team in subtree
    assert cast.civil in subtree
    assert cast.other_province not in subtree


def test_it_finds_the_agency_of_a_nested_department(cast):
    team = services.create_organisation(
        actor=None, code="hanbit-road", name="도로팀", kind=OrgKind.DEPARTMENT, parent=cast.transport
    )
    assert team.agency() == cast.province
    assert cast.transport.label() == "한빛도 교통과"
    assert cast.province.label() == "한빛도"


def test_it_refuses_a_department_without_a_parent_or_an_unknown_kind(cast):
    with pytest.raises(DomainError) as err:
        services.create_organisation(actor=None, code="lonely", name="외톨이과", kind=OrgKind.DEPARTMENT)
    assert err.value.code == "no_parent"
    with pytest.raises(DomainError) as err:
        services.create_organisation(actor=None, code="odd", name="이상한 기관", kind="club")
    assert err.value.code == "bad_kind"


def test_it_lets_only_administrators_manage_organisations(cast):
    with pytest.raises(Forbidden):
        services.create_organisation(
            actor=cast.doyun, code="x", name="엑스과", kind=OrgKind.DEPARTMENT, parent=cast.province
        )
    services.grant_role(actor=cast.admin, user=cast.doyun, role=Role.ADMINISTRATOR, organisation=cast.province)
    org = services.create_organisation(
        actor=cast.doyun, code="x", name="엑스과", kind=OrgKind.DEPARTMENT, parent=cast.province
    )
    assert org.parent == cast.province
    with pytest.raises(Forbidden):
        services.create_organisation(
            actor=cast.doyun, code="y", name="와이과", kind=OrgKind.DEPARTMENT, parent=cast.other_province
        )


def test_it_extends_an_organisation_grant_over_its_subtree(cast):
    assert rules.has_role(cast.yuna, Role.REVIEWER, organisation=cast.province)
    assert rules.has_role(cast.yuna, Role.REVIEWER, organisation=cast.transport)
    assert rules.has_role(cast.yuna, Role.REVIEWER, call=cast.call)
    assert not rules.has_role(cast.yuna, Role.REVIEWER, organisation=cast.other_province)
    assert not rules.has_role(cast.yuna, Role.LIAISON, organisation=cast.transport)


def test_it_keeps_a_liaison_grant_to_its_department(cast):
    assert rules.is_liaison_for(cast.sohee, cast.transport)
    assert not rules.is_liaison_for(cast.sohee, cast.welfare)
    assert not rules.is_liaison_for(cast.sohee, cast.province)


def test_it_keeps_a_call_grant_to_that_call(cast):
    other = calls.create_call(
        actor=cast.doyun,
        slug="other-2026",
        title="다른 공모",
        organisation=cast.province,
        phases=phases_around(timezone.now()),
    )
    services.grant_role(actor=cast.doyun, user=cast.jihoon, role=Role.REVIEWER, call=cast.call)
    assert rules.has_role(cast.jihoon, Role.REVIEWER, call=cast.call)
    assert not rules.has_role(cast.jihoon, Role.REVIEWER, call=other)
    assert not rules.has_role(cast.jihoon, Role.REVIEWER, organisation=cast.province)


def test_it_lets_the_team_grant_only_reviewers_on_its_call(cast):
    with pytest.raises(Forbidden):
        services.grant_role(actor=cast.doyun, user=cast.jihoon, role=Role.INNOVATION_TEAM, call=cast.call)
    with pytest.raises(Forbidden):
        services.grant_role(actor=cast.minji, user=cast.jihoon, role=Role.REVIEWER, call=cast.call)


def test_it_makes_a_site_wide_grant_reach_everywhere(cast):
    assert rules.is_site_admin(cast.admin)
    assert not rules.is_site_admin(cast.doyun)
    services.grant_role(actor=cast.admin, user=cast.haneul, role=Role.FACILITATOR)
    assert rules.has_role(cast.haneul, Role.FACILITATOR, organisation=cast.other_province)
    assert rules.has_role(cast.haneul, Role.FACILITATOR, call=cast.call)


def test_it_grants_a_role_once_and_revokes_it(cast):
    first = services.grant_role(actor=cast.admin, user=cast.jihoon, role=Role.LIAISON, organisation=cast.transport)
    again = services.grant_role(actor=cast.admin, user=cast.jihoon, role=Role.LIAISON, organisation=cast.transport)
    assert first == again
    assert rules.is_liaison_for(cast.jihoon, cast.transport)
    with pytest.raises(Forbidden):
        services.revoke_role(actor=cast.doyun, grant=first)
    services.revoke_role(actor=cast.admin, grant=first)
    assert not rules.is_liaison_for(cast.jihoon, cast.transport)


def test_it_refuses_citizens_in_departments_and_grades_out_of_range(cast):
    with pytest.raises(DomainError) as err:
        services.create_user(actor=None, username="c1", display_name="시민", kind="citizen", department=cast.civil)
    assert err.value.code == "citizen_department"
    with pytest.raises(DomainError) as err:
        services.create_user(actor=None, username="g10", display_name="직원", department=cast.civil, grade=10)
    assert err.value.code == "bad_grade"
    with pytest.raises(DomainError) as err:
        services.create_user(actor=None, username="minji", display_name="김민지2", department=cast.civil)
    assert err.value.code == "duplicate"


def test_it_refuses_a_weak_password(cast):
    with pytest.raises(DomainError) as err:
        services.set_password(actor=cast.minji, user=cast.minji, password="1234")
    assert err.value.code == "weak_password"
    with pytest.raises(Forbidden):
        services.set_password(actor=cast.seojun, user=cast.minji, password="a-much-longer-passphrase")
    services.set_password(actor=cast.minji, user=cast.minji, password="마당에서-새로운-비밀번호")
    cast.minji.refresh_from_db()
    assert cast.minji.check_password("마당에서-새로운-비밀번호")


def test_the_admin_pages_grant_and_revoke_through_the_services(cast, client):
    from madang.people.models import RoleGrant
    from madang.testing import PASSWORD

    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save()
    assert (
        client.post(
            "/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD, "next": "/admin/"}
        ).status_code
        == 302
    )
    response = client.post(
        "/admin/people/rolegrant/add/",
        {
            "user": cast.haneul.pk,
            "role": Role.LIAISON,
            "organisation": cast.haneul.department_id,
            "granted_at_0": "2026-12-06",
            "granted_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302, [e for e in response.context["adminform"].form.errors.items()]
    grant = RoleGrant.objects.get(user=cast.haneul, role=Role.LIAISON)
    assert grant.granted_by == cast.admin  # recorded by the service, not left empty by the admin
    assert rules.is_liaison_for(cast.haneul, grant.organisation)
    response = client.post(f"/admin/people/rolegrant/{grant.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not RoleGrant.objects.filter(user=cast.haneul, role=Role.LIAISON).exists()
