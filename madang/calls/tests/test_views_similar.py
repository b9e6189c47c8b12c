from django.test import Client


def test_it_shows_similar_proposals_while_typing(cast):
    cast.proposal(title="민원 서류 간소화", problem="민원인이 같은 서류를 여러 번 제출합니다.")
    cast.proposal(
        author=cast.seojun, title="버스 정류장 혼잡도 안내", problem="출퇴근 정류장 혼잡", solution="교통카드 데이터"
    )
    c = Client()
    c.force_login(cast.jihoon)
    r = c.get(
        f"/calls/c/{cast.call.slug}/propose/similar/", {"title": "민원서류를 한번만", "problem": "같은 서류 제출"}
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "민원 서류 간소화" in html
    assert "버스 정류장" not in html
    # a link that opens a new window says so before it is followed (KWCAG 7.2.1)
    assert 'target="_blank"' in html and "새 창에서 열림" in html


def test_it_shows_nothing_for_short_or_unrelated_text(cast):
    cast.proposal()
    c = Client()
    r = c.get(f"/calls/c/{cast.call.slug}/propose/similar/", {"title": "가"})
    assert r.status_code == 200 and "similar" not in r.content.decode()
    r = c.get(f"/calls/c/{cast.call.slug}/propose/similar/", {"title": "산림 드론 순찰"})
    assert "민원 서류" not in r.content.decode()


def test_it_searches_korean_across_spacing_and_particles(cast):
    cast.proposal(title="민원 서류를 한 번만 제출하기")
    cast.proposal(author=cast.seojun, title="교통과의 신호 개선")
    c = Client()
    html = c.get(f"/calls/c/{cast.call.slug}/", {"q": "민원서류"}).content.decode()
    assert "<mark>" in html and "한 번만 제출하기" in html and "신호 개선" not in html
    html = c.get(f"/calls/c/{cast.call.slug}/", {"q": "교통"}).content.decode()
    assert "신호 개선" in html and "제출하기" not in html


def test_it_returns_only_the_list_for_htmx_searches(cast):
    cast.proposal()
    r = Client().get(
        f"/calls/c/{cast.call.slug}/", {"q": "민원"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="proposal-list"
    )
    assert r.status_code == 200
    assert "<html" not in r.content.decode()


def test_it_finds_a_near_identical_title_behind_long_texts(cast):
    long_problem = "민원인이 주민등록등본과 가족관계증명서, 소득 증빙을 부서마다 다시 떼어 옵니다. " * 8
    cast.proposal(
        title="민원 서류 한 번 제출 확대", problem=long_problem, solution="행정정보 공동이용 대상 서류를 넓힙니다. " * 8
    )
    cast.proposal(author=cast.seojun, title="공공 주차장 공유하기", problem="주말에 청사 주차장이 비어 있습니다.")
    c = Client()
    c.force_login(cast.jihoon)
    html = c.get(f"/calls/c/{cast.call.slug}/propose/similar/", {"title": "민원 서류 한번만 제출"}).content.decode()
    assert "민원 서류 한 번 제출 확대" in html
    assert "주차장" not in html  # a shared ending ("…하기") is not a likeness
