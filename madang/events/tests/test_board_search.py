"""Searching an event's boards: contributions and gallery comments, for those who see the boards."""

import pytest

from madang.core.errors import NotFound
from madang.events import selectors, services

from .conftest import client


def texts(hits) -> list[str]:
    return [h.text for h in hits]


@pytest.fixture
def posted(room):
    folk = room["folk"]
    worse = services.post_item(actor=folk.cast.minji, board=room["reverse"], text="민원서류를 세 번 떼게 한다")
    services.post_item(actor=folk.jia, board=room["reverse"], text="행정정보 공동이용으로 서류를 한 번에", turns=worse)
    services.post_item(actor=folk.cast.seojun, board=room["harvest"], text="주차 허가 절차가 복잡하다", anonymous=True)
    services.add_supplement(actor=folk.min, board=room["reverse"], body="국토부의 민원 서류 간소화 사례도 참고하세요")
    gone = services.post_item(actor=folk.jia, board=room["harvest"], text="지울 서류 메모")
    services.remove_item(actor=folk.jia, item=gone)
    return room


def test_it_finds_contributions_and_gallery_comments_by_korean_words(posted):
    folk = posted["folk"]
    found = selectors.search_boards(folk.cast.minji, posted["reverse"].event, query="민원 서류")
    assert sorted(texts(found)) == ["국토부의 민원 서류 간소화 사례도 참고하세요", "민원서류를 세 번 떼게 한다"]
    assert {h.kind for h in found} == {"worse", "supplement"}
    everything = selectors.search_boards(folk.cast.minji, posted["reverse"].event, query="서류")
    assert "지울 서류 메모" not in texts(everything)  # (removed)
    assert len(everything) == 3


def test_it_filters_by_kind_and_session_and_ranks_the_best_match_first(posted):
    folk, event = posted["folk"], posted["reverse"].event
    assert texts(selectors.search_boards(folk.jia, event, query="서류", kind="fix")) == [
        "행정정보 공동이용으로 서류를 한 번에"
    ]
    assert texts(selectors.search_boards(folk.jia, event, query="서류", kind="supplement")) == [
        "국토부의 민원 서류 간소화 사례도 참고하세요"
    ]
    session = posted["reverse"].session_id
    assert len(selectors.search_boards(folk.jia, event, query="서류", session=session)) == 3
    assert selectors.search_boards(folk.jia, event, query="서류", session=session + 1000) == []
    best = selectors.search_boards(folk.jia, event, query="민원 서류", order="relevance")
    assert [h.score for h in best] == sorted((h.score for h in best), reverse=True) and len(best) == 2
    assert best[0].text == "민원서류를 세 번 떼게 한다"  # (the shorter text, where the words weigh more)
    assert best[0].score > best[1].score
    newest = selectors.search_boards(folk.jia, event, query="민원 서류")
    assert newest[0].text == "국토부의 민원 서류 간소화 사례도 참고하세요"


def test_only_participants_and_organisers_search_the_boards(posted):
    folk, event = posted["folk"], posted["reverse"].event
    for outsider in (folk.cast.bada, folk.cast.garam, None):
        with pytest.raises(NotFound):
            selectors.search_boards(outsider, event, query="서류")
    assert client(folk.cast.bada).get("/events/hackathon/boards/search/", {"q": "서류"}).status_code == 404
    assert client().get("/events/hackathon/boards/search/", {"q": "서류"}).status_code == 302  # (to sign in)
    assert client(folk.cast.bada).get("/api/events/hackathon/boards/search", {"q": "서류"}).status_code == 404
    assert len(selectors.search_boards(folk.haram, event, query="서류")) == 3


def test_an_anonymous_contribution_keeps_its_author_hidden_in_search(posted):
    folk, event = posted["folk"], posted["reverse"].event
    [hit] = selectors.search_boards(folk.jia, event, query="주차")
    assert hit.author is None and "이서준" not in hit.by
    [seen] = selectors.search_boards(folk.haram, event, query="주차")
    assert seen.author == "이서준"
    api = client(folk.jia).get("/api/events/hackathon/boards/search", {"q": "주차"}).json()
    assert api["count"] == 1 and api["items"][0]["author"] is None and "이서준" not in str(api)
    assert (
        client(folk.haram).get("/api/events/hackathon/boards/search", {"q": "주차"}).json()["items"][0]["author"]
        == "이서준"
    )


def test_the_board_search_page_marks_matches_and_links_to_the_place_on_the_board(posted):
    folk, board = posted["folk"], posted["reverse"]
    page = client(folk.cast.minji).get("/events/hackathon/boards/search/", {"q": "간소화"}).content.decode()
    supplement = board.supplements.get()
    assert f'href="/events/hackathon/boards/{board.pk}/#supplement-{supplement.pk}"' in page
    assert "<mark>간소</mark><mark>화</mark>" in page or "<mark>간소화</mark>" in page
    assert "다른 분임의 의견" in page
    on_board = client(folk.cast.minji).get(f"/events/hackathon/boards/{board.pk}/").content.decode()
    assert f'id="supplement-{supplement.pk}"' in on_board
    part = (
        client(folk.cast.minji)
        .get(
            "/events/hackathon/boards/search/",
            {"q": "서류", "kind": "worse"},
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="board-hits",
        )
        .content.decode()
    )
    assert "<html" not in part and "민원<mark>서류</mark>를" in part and "간소화" not in part
    nothing = client(folk.cast.minji).get("/events/hackathon/boards/search/", {"q": "지하철"}).content.decode()
    assert "검색에 맞는 보드 내용이 없습니다" in nothing
    gallery = client(folk.cast.minji).get("/events/hackathon/boards/").content.decode()
    assert 'action="/events/hackathon/boards/search/"' in gallery


def test_bad_board_search_input_gets_a_clear_answer(posted):
    folk = posted["folk"]
    r = client(folk.jia).get("/api/events/hackathon/boards/search", {"q": "서류", "kind": "mural"})
    assert r.status_code == 422 and "kind" in r.content.decode()
    page = client(folk.jia).get("/events/hackathon/boards/search/", {"q": "서류", "session": "abc", "page": "-3"})
    assert page.status_code == 200
