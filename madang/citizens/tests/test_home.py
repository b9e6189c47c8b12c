"""The citizens' front page (/citizens/) and the insight index (/insight/<call>/), both named in
the README, answered 404; now each is a page, linked from the navigation and the call page."""

from django.test import Client

from madang.calls.models import Audience


def test_the_citizens_page_lists_calls_open_to_citizens_and_invites_anonymous_readers_to_join(cast):
    cast.call.audience = Audience.BOTH
    cast.call.save()
    page = Client(HTTP_ACCEPT_LANGUAGE="ko").get("/citizens/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "마당의 국민 참여" in html and cast.call.title in html and "/citizens/join/" in html
    assert 'href="/citizens/"' in html  # the main navigation leads here


def test_a_citizen_sees_the_way_to_their_own_data_and_officials_do_not_see_officials_only_calls_there(cast):
    citizen = Client(HTTP_ACCEPT_LANGUAGE="ko")
    citizen.force_login(cast.garam)
    html = citizen.get("/citizens/").content.decode()
    assert "/citizens/me/" in html and cast.call.title not in html  # the cast's call is for officials only


def test_the_insight_index_links_each_tool_the_reader_may_use(cast):
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="ko").get(f"/insight/{cast.call.slug}/")
    assert anonymous.status_code == 200
    html = anonymous.content.decode()
    assert f"/insight/{cast.call.slug}/opinion/" in html and f"/insight/{cast.call.slug}/duplicates/" not in html
    team = Client(HTTP_ACCEPT_LANGUAGE="ko")
    team.force_login(cast.doyun)
    assert f"/insight/{cast.call.slug}/duplicates/" in team.get(f"/insight/{cast.call.slug}/").content.decode()
    assert f"/insight/{cast.call.slug}/" in team.get(f"/calls/c/{cast.call.slug}/").content.decode()
    assert Client().get("/insight/no-such-call/").status_code == 404
