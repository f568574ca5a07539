"""How pages are composed for reading: article sections and link blocks without repeats."""

import re

from comparisons.markup import render_markdown
from comparisons.reading import article_of, shows_contents, without_repeats


def block(name, *ids):
    return {"name": name, "items": [{"id": pk} for pk in ids]}


def test_blocks_leave_out_what_the_page_shows_and_what_an_earlier_block_listed():
    blocks = without_repeats(
        [block("own", 1, 2, 3), block("next", 2, 3, 4), block("empty", 1, 4), block("last", 5)],
        shown=[1],
    )
    assert [(b["name"], [item["id"] for item in b["items"]]) for b in blocks] == [
        ("own", [2, 3]),
        ("next", [4]),
        ("last", [5]),
    ]


def test_a_block_keeps_at_most_five_items_and_the_rest_stay_available():
    blocks = without_repeats([block("a", *range(1, 9)), block("b", 2, 6, 7)])
    assert [item["id"] for item in blocks[0]["items"]] == [1, 2, 3, 4, 5]
    assert [item["id"] for item in blocks[1]["items"]] == [6, 7]


def test_article_gives_headings_ids_and_moves_in_a_nutshell_after_the_table():
    html = render_markdown(
        "Intro.\n\n## What is BPO?\n\nText.\n\n## What is KPO?\n\nMore.\n\n"
        "## What is BPO?\n\nAgain.\n\n## In a nutshell\n\nKPO grew out of BPO."
    )
    article = article_of(html)
    assert article.headings == [
        ("section-what-is-bpo", "What is BPO?"),
        ("section-what-is-kpo", "What is KPO?"),
        ("section-what-is-bpo-2", "What is BPO?"),
    ]
    assert article.summary_heading == ("section-in-a-nutshell", "In a nutshell")
    assert article.summary == (
        '<h2 id="section-in-a-nutshell">In a nutshell</h2>\n<p>KPO grew out of BPO.</p>'
    )
    assert "nutshell" not in article.body and article.body.startswith("<p>Intro.</p>")
    assert shows_contents(article)


def test_short_article_has_no_contents_and_keeps_a_summary_elsewhere_in_place():
    article = article_of(render_markdown("## In a nutshell\n\nShort.\n\n## Details\n\nMore."))
    assert article.summary == "" and article.summary_heading is None
    assert '<h2 id="section-in-a-nutshell">In a nutshell</h2>' in article.body
    assert not shows_contents(article_of(render_markdown("Only a paragraph.")))


def test_no_demo_page_links_a_comparison_twice(client, demo_site):
    for path in (
        "/",
        "/category/business/",
        "/category/language/",
        "/subject/bpo/",
        "/search/?q=outsourcing",
        "/difference-between-bpo-and-kpo/",
        "/difference-between-film-and-movie/",
    ):
        html = client.get(path).content.decode()
        main = html[html.index('<main id="content"') : html.index("</main>")]
        links = [
            href
            for href in re.findall(r'href="(/difference-between-[^"#]+)"', main)
            if href != path
        ]
        assert links and len(links) == len(set(links)), (path, sorted(links))
