"""Bulk import of organisations and staff from what offices actually have: Korean CSV and XLSX."""

import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from madang.core.errors import DomainError, Forbidden
from madang.people import rules, services
from madang.people.models import Organisation, OrgKind, Role, User

ORG_HEADER = ["기관코드", "기관명", "유형", "상위기관코드"]
STAFF_HEADER = ["아이디", "성명", "이메일", "부서코드", "직급", "직위", "역할"]


def csv_bytes(header, rows, encoding="utf-8"):
    lines = [",".join(header)] + [",".join(r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(header, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


ORGS = [
    ["daehan", "대한시", "기초", ""],
    ["daehan-road", "도로과", "부서", "daehan"],
    ["daehan-park", "공원녹지과", "부서", "daehan"],
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_it_reads_csv_in_every_encoding_korean_offices_use(encoding):
    rows = services.read_table(csv_bytes(ORG_HEADER, ORGS, encoding), "기관.csv")
    assert rows[1] == {"기관코드": "daehan-road", "기관명": "도로과", "유형": "부서", "상위기관코드": "daehan"}


def test_it_reads_xlsx():
    rows = services.read_table(
        xlsx_bytes(STAFF_HEADER, [["road1", "최도로", "", "daehan-road", 7, "주무관", ""]]), "직원.XLSX"
    )
    assert rows == [
        {
            "아이디": "road1",
            "성명": "최도로",
            "이메일": "",
            "부서코드": "daehan-road",
            "직급": "7",
            "직위": "주무관",
            "역할": "",
        }
    ]


def test_it_refuses_a_damaged_xlsx_and_binary_csv():
    with pytest.raises(DomainError) as err:
        services.read_table(b"PK\x03\x04 not really", "직원.xlsx")
    assert err.value.code == "bad_file"
    with pytest.raises(DomainError) as err:
        services.read_table(b"\xff\xfe\x00\x81\xff", "직원.csv")
    assert err.value.code == "bad_file"


def test_it_creates_organisations_parents_first(cast):
    rows = services.read_table(csv_bytes(ORG_HEADER, ORGS, "cp949"), "기관.csv")
    report = services.import_organisations(actor=cast.admin, rows=rows, dry_run=False)
    assert (report.created, report.updated, report.rejected) == (3, 0, [])
    road = Organisation.objects.get(code="daehan-road")
    city = Organisation.objects.get(code="daehan")
    assert (city.kind, road.kind, road.parent) == (OrgKind.LOCAL, OrgKind.DEPARTMENT, city)
    assert road.path == f"{city.path}{road.pk}/"


def test_it_updates_organisations_it_already_knows(cast):
    rows = services.read_table(
        csv_bytes(ORG_HEADER, [["hanbit-transport", "교통정책과", "부서", "hanbit"]]), "기관.csv"
    )
    report = services.import_organisations(actor=cast.admin, rows=rows, dry_run=False)
    assert (report.created, report.updated) == (0, 1)
    cast.transport.refresh_from_db()
    assert cast.transport.name == "교통정책과"


def test_it_lists_every_bad_organisation_row_in_a_dry_run_and_writes_nothing(cast):
    rows = services.read_table(
        csv_bytes(
            ORG_HEADER,
            [
                ["daehan", "대한시", "기초", ""],
                ["", "이름만", "부서", "daehan"],
                ["daehan-x", "엑스과", "동아리", "daehan"],
                ["daehan-y", "와이과", "부서", "nowhere"],
                ["daehan", "대한시 중복", "기초", ""],
                ["daehan-z", "제트과", "부서", ""],
            ],
        ),
        "기관.csv",
    )
    before = Organisation.objects.count()
    with translation.override("en"):
        report = services.import_organisations(actor=cast.admin, rows=rows, dry_run=True)
    assert [line for line, _ in report.rejected] == [3, 4, 5, 6, 7]
    reasons = dict(report.rejected)
    assert "code" in reasons[3]
    assert "동아리" in reasons[4]
    assert "nowhere" in reasons[5]
    assert "daehan" in reasons[6]
    assert "parent" in reasons[7]
    assert report.dry_run
    assert not report.ok
    assert Organisation.objects.count() == before


def test_it_writes_no_organisation_when_one_row_is_bad(cast):
    rows = services.read_table(csv_bytes(ORG_HEADER, [*ORGS, ["daehan-bad", "", "부서", "daehan"]]), "기관.csv")
    with translation.override("ko"):
        report = services.import_organisations(actor=cast.admin, rows=rows, dry_run=False)
    assert report.rejected == [(5, "이름이 없습니다")]  # the reason is in the reader's language
    assert not Organisation.objects.filter(code__startswith="daehan").exists()


STAFF = [
    ["road1", "최도로", "road1@daehan.kr", "hanbit-transport", "7급", "주무관", ""],
    ["road2", "한연락", "road2@daehan.kr", "hanbit-transport", "6급", "주무관", "연락관"],
    ["plan1", "오심사", "", "hanbit-planning", "5", "사무관", "심사위원, 혁신팀"],
]


@pytest.mark.parametrize("kind", ["csv-utf8", "csv-bom", "csv-cp949", "xlsx"])
def test_it_creates_staff_with_grades_and_scoped_roles(cast, kind):
    if kind == "xlsx":
        data, name = xlsx_bytes(STAFF_HEADER, STAFF), "직원.xlsx"
    else:
        encoding = {"csv-utf8": "utf-8", "csv-bom": "utf-8-sig", "csv-cp949": "cp949"}[kind]
        data, name = csv_bytes(STAFF_HEADER, [[c.replace(", ", ";") for c in r] for r in STAFF], encoding), "직원.csv"
    report = services.import_staff(actor=cast.admin, rows=services.read_table(data, name), dry_run=False)
    assert (report.created, report.updated, report.rejected) == (3, 0, [])
    road1, road2, plan1 = (User.objects.get(username=u) for u in ("road1", "road2", "plan1"))
    assert (road1.display_name, road1.grade, road1.title, road1.department) == ("최도로", 7, "주무관", cast.transport)
    assert not road1.has_usable_password()
    assert rules.is_liaison_for(road2, cast.transport)
    assert not rules.is_liaison_for(road2, cast.welfare)
    assert rules.has_role(plan1, Role.REVIEWER, organisation=cast.province)
    assert rules.is_innovation_team(plan1, cast.call)


def test_it_updates_staff_it_already_knows(cast):
    rows = services.read_table(
        csv_bytes(STAFF_HEADER, [["seojun", "이서준", "seojun@hanbit.kr", "hanbit-welfare", "5급", "사무관", ""]]),
        "직원.csv",
    )
    report = services.import_staff(actor=cast.admin, rows=rows, dry_run=False)
    assert (report.created, report.updated) == (0, 1)
    cast.seojun.refresh_from_db()
    assert (cast.seojun.department, cast.seojun.grade, cast.seojun.email) == (cast.welfare, 5, "seojun@hanbit.kr")
    assert cast.seojun.check_password("madang-test-pass-2026")  # an import never touches passwords


def test_a_move_in_the_import_ends_the_roles_held_over_the_department_left(cast):
    """Found in review: the staff import moved a liaison of 민원과 to 복지과 and left them its liaison."""
    from madang.people.models import RoleGrant

    RoleGrant.objects.create(user=cast.seojun, role=Role.LIAISON, organisation=cast.civil)
    RoleGrant.objects.create(user=cast.seojun, role=Role.INNOVATION_TEAM, organisation=cast.province)
    rows = services.read_table(
        csv_bytes(STAFF_HEADER, [["seojun", "이서준", "", "hanbit-welfare", "6급", "주무관", "연락관"]]), "직원.csv"
    )
    services.import_staff(actor=cast.admin, rows=rows, dry_run=False)
    grants = {(g.role, g.organisation) for g in RoleGrant.objects.filter(user=cast.seojun)}
    # The old liaison role is gone; the province's innovation team still holds 복지과; the row's own
    # role is granted over the new department.
    assert grants == {(Role.INNOVATION_TEAM, cast.province), (Role.LIAISON, cast.welfare)}
    # An import that does not move anyone ends nothing.
    services.import_staff(actor=cast.admin, rows=rows, dry_run=False)
    assert RoleGrant.objects.filter(user=cast.seojun).count() == 2


def test_it_lists_every_bad_staff_row_in_a_dry_run_and_writes_nothing(cast):
    rows = services.read_table(
        csv_bytes(
            STAFF_HEADER,
            [
                ["ok1", "정상", "", "hanbit-civil", "7급", "", ""],
                ["", "아이디없음", "", "hanbit-civil", "7급", "", ""],
                ["bad mail", "메일틀림", "not-an-email", "hanbit-civil", "7급", "", ""],
                ["ok2", "", "", "nowhere", "10급", "", "사장"],
                ["ok1", "중복", "", "hanbit-civil", "7급", "", ""],
            ],
        ),
        "직원.csv",
    )
    before = User.objects.count()
    with translation.override("en"):
        report = services.import_staff(actor=cast.admin, rows=rows, dry_run=True)
    assert [line for line, _ in report.rejected] == [3, 4, 5, 6]
    reasons = dict(report.rejected)
    assert "username" in reasons[3]
    assert "not-an-email" in reasons[4]
    assert "username" in reasons[4]
    assert all(word in reasons[5] for word in ("name", "nowhere", "1 to 9", "사장"))
    assert "ok1" in reasons[6]
    assert User.objects.count() == before


def test_it_writes_no_staff_when_one_row_is_bad(cast):
    rows = services.read_table(
        xlsx_bytes(STAFF_HEADER, [*STAFF, ["late", "늦은행", "", "hanbit-transport", "12급", "", ""]]), "직원.xlsx"
    )
    report = services.import_staff(actor=cast.admin, rows=rows, dry_run=False)
    assert [line for line, _ in report.rejected] == [5]
    assert not User.objects.filter(username__in=["road1", "road2", "plan1", "late"]).exists()


def test_it_lets_only_site_administrators_import(cast):
    with pytest.raises(Forbidden):
        services.import_staff(actor=cast.doyun, rows=[], dry_run=True)
    with pytest.raises(Forbidden):
        services.import_organisations(actor=cast.doyun, rows=[], dry_run=True)
