"""Accounts are personal data: the admin's list, search, look, change and deletion of accounts,
and a staff import, go to the access records (madang/privacy) through core.accessrecords."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from madang.people.models import User
from madang.privacy.models import AccessRecord
from madang.testing import fresh_login


def admin_client(cast):
    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save()
    return fresh_login(Client(), cast.admin)


def last():
    return AccessRecord.objects.order_by("n").last()


def test_it_records_the_admins_list_and_search_of_accounts(cast):
    c = admin_client(cast)
    assert c.get("/admin/people/user/").status_code == 200
    shown = User.objects.count()
    assert (last().actor_id, last().action, last().kind, last().count) == (
        cast.admin.pk,
        "view",
        "people.accounts",
        shown,
    )
    assert c.get("/admin/people/user/?q=김민지").status_code == 200
    assert (last().action, last().count) == ("search", 1)


def test_it_records_a_look_at_one_account_and_its_change(cast):
    c = admin_client(cast)
    assert c.get(f"/admin/people/user/{cast.minji.pk}/change/").status_code == 200
    assert (last().action, last().subject_id) == ("view", cast.minji.pk)
    data = {
        "username": "minji",
        "display_name": "김민지",
        "kind": "official",
        "department": cast.civil.pk,
        "grade": 7,
        "title": "주무관(갱신)",
        "language": "ko",
        "email_mode": "immediate",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }
    r = c.post(f"/admin/people/user/{cast.minji.pk}/change/", data)
    assert r.status_code == 302, r.context["adminform"].form.errors if r.context else r
    assert (last().action, last().subject_id) == ("edit", cast.minji.pk)
    cast.minji.refresh_from_db()
    assert cast.minji.title == "주무관(갱신)"


def test_it_records_a_confirmed_staff_import_and_not_a_dry_run(cast):
    c = fresh_login(Client(), cast.admin)
    data = "아이디,성명,이메일,부서코드,직급,직위,역할\r\nroad1,최도로,road1@daehan.kr,hanbit-transport,7급,주무관,\r\n"

    def upload(confirm):
        f = SimpleUploadedFile("직원.csv", data.encode(), content_type="text/csv")
        return c.post("/people/import/", {"what": "staff", "file": f, **({"confirm": "on"} if confirm else {})})

    assert upload(False).status_code == 200
    assert not AccessRecord.objects.exists()
    assert upload(True).status_code == 200
    assert (last().action, last().kind, last().count) == ("edit", "people.accounts", 1)
