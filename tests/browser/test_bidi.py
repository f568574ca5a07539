"""In Chromium, a subject named with a right-to-left override reverses only itself: the words
after it stay in reading order (left to right) in the heading and the breadcrumb."""

import pytest

from tests.factories import make_category, make_comparison, make_subject

pytestmark = pytest.mark.django_db(transaction=True)

WORD_LEFT_EDGE = """([selector, word]) => {
    const element = document.querySelector(selector);
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf(word);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + word.length);
        const box = range.getClientRects()[0];
        return [Math.round(box.top), box.left];
    }
    return null;
}"""


@pytest.mark.parametrize("selector", ["h1", ".breadcrumbs [aria-current=page]"])
def test_the_words_after_an_overridden_name_keep_their_order(live_server, page, selector):
    comparison = make_comparison(
        make_subject("\u202eOutsourcing"),
        make_subject("Insourcing"),
        categories=[make_category("Business")],
        key_difference="Who does the work.",
        body="Two ways.",
    )
    page.goto(live_server.url + comparison.get_absolute_url())
    between = page.evaluate(WORD_LEFT_EDGE, [selector, "between"])
    name = page.evaluate(WORD_LEFT_EDGE, [selector, "Outsourcing"])
    joiner = page.evaluate(WORD_LEFT_EDGE, [selector, "and"])
    after = page.evaluate(WORD_LEFT_EDGE, [selector, "Insourcing"])
    assert between < name < joiner < after  # line by line, left to right
