"""The strict markup reading the crawl and the browser walks use (KWCAG 8.1.1 마크업 오류 방지) finds
the errors a validator reports, and leaves alone what HTML5 allows (end tags it lets out, SVG's
self-closing elements)."""

from madang.core.tests.markup import problems


def test_it_accepts_html5_with_the_end_tags_it_may_leave_out():
    page = (
        "<!doctype html><html lang=ko><head><meta charset=utf-8><title>마당</title></head><body>"
        "<p>하나<p>둘<ul><li>가<li>나</ul><dl><dt>용어<dd>뜻</dl>"
        "<table><thead><tr><th>항목<th>수<tbody><tr><td>공감<td>3<tr><td>댓글<td>1</table>"
        "<select><option>가<option>나<optgroup label=x><option>다</select>"
        '<svg role="img"><rect width="1" height="1"/><path d="M0 0"/></svg><br><img src="x" alt="">'
        "<p>문단<div>블록</div></body></html>"
    )
    assert problems(page) == []


def test_it_finds_an_id_used_twice():
    assert problems('<label for="id_title">제목</label><input id="id_title"><input id="id_title">') == [
        'line 1: the id "id_title" is used twice (first on line 1)'
    ]


def test_it_finds_an_empty_id_and_one_with_a_space():
    assert len(problems('<p id="">가</p><p id="a b">나</p>')) == 2


def test_it_finds_an_attribute_given_twice():
    assert problems('<button type="submit" class="a" class="b">보내기</button>') == [
        'line 1: <button> has the attribute "class" twice'
    ]


def test_it_finds_a_p_closed_by_a_form_inside_it():
    # the form closes the p; the links after it fall out of the row, and </p> closes nothing
    assert problems('<p class="row"><a href="/">가</a><form method="post"></form><a href="/x">나</a></p>') == [
        "line 1: </p> with no <p> open"
    ]


def test_it_finds_misnested_and_unclosed_elements():
    assert problems("<div><span>가</div></span>") == [
        "line 1: <span> is still open where </div> comes (misnested)",
        "line 1: </span> with no <span> open",
    ]
    assert problems("<main><section><h2>가</h2>\n</main>") == [
        "line 2: <section> is still open where </main> comes (misnested)"
    ]
    assert problems("<div><section>") == ["end: <div> is never closed", "end: <section> is never closed"]


def test_it_finds_a_slash_that_closes_nothing_and_an_end_tag_of_a_void_element():
    assert problems("<div/>가") == [
        "line 1: <div/>: the slash does not close an HTML element",
        "end: <div> is never closed",
    ]
    assert problems("<br></br>") == ["line 1: </br>: a void element has no end tag"]


def test_it_finds_a_form_in_a_form_a_link_in_a_link_and_a_button_in_a_button():
    assert problems("<form><form></form></form>") == ["line 1: <form> inside another <form>"]
    assert problems('<a href="/">가<a href="/x">나</a></a>') == ["line 1: <a> inside another <a>"]
    assert problems("<button>가<button>나</button></button>") == ["line 1: <button> inside another <button>"]


def test_it_counts_lines_so_a_report_points_at_the_place():
    assert problems("<p>\n\n<div>가</div>\n</p>") == ["line 4: </p> with no <p> open"]
