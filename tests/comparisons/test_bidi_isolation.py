"""Names written right to left, or carrying direction overrides, keep their direction to
themselves: every subject and category name on the reading pages is isolated (<bdi> in HTML,
isolate marks in the page title and attributes), so the text after it reads as written."""

import re

import pytest

from comparisons import interest
from comparisons.services import comparison_save
from tests.factories import make_category, make_comparison, make_subject

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: turns everything after it until it is closed
FSI, PDI = "\u2068", "\u2069"
EVIL_SUBJECT = f"{RLO}Evil"
EVIL_CATEGORY = f"{RLO}Shady"


@pytest.fixture
def evil(db):
    category = make_category(EVIL_CATEGORY, slug="shady")
    first = make_subject(EVIL_SUBJECT, aliases=f"{RLO}Alias\nPlain alias")
    text = {"key_difference": "Not the same.", "body": "About both."}  # the names only
    comparison = make_comparison(
        first, "Good", categories=[category], rows=[("Size", "Big", "Small")], **text
    )
    make_comparison(first, "Other", categories=[category], **text)
    interest.refresh_most_searched()
    return comparison


def unisolated_overrides(html):
    """Return the text around each override that is neither inside <bdi> nor between isolate
    marks. Left out: script elements (JSON-LD holds data, not text) and the meta description,
    whose whole value may be the name, with nothing after it to turn."""
    html = re.sub(r"<script\b.*?</script>", "", html, flags=re.S)
    html = re.sub(r'<meta name="description" content="[^"]*">', "", html)
    found = []
    for match in re.finditer(RLO, html):
        before = html[: match.start()]
        in_bdi = before.rfind("<bdi>") > before.rfind("</bdi>")
        in_isolate = before.rfind(FSI) > before.rfind(PDI)
        if not (in_bdi or in_isolate):
            found.append(html[max(0, match.start() - 60) : match.end() + 30])
    return found


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/category/shady/",
        "/subject/evil/",
        "/difference-between-evil-and-good/",
        "/difference-between-evil-and-other/",
        "/search/?q=evil",
        "/search/?q=evil+vs+good",
    ],
)
def test_every_name_with_an_override_is_isolated(client, evil, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert RLO in html
    assert unisolated_overrides(html) == []


def test_the_comparison_title_isolates_each_name_and_itself(client, evil):
    html = client.get(evil.get_absolute_url()).content.decode()
    assert (
        f'<h1 id="comparison-title"><bdi>Difference between <bdi>{RLO}Evil</bdi> and '
        "Good</bdi></h1>"
    ) in html
    assert (f"<title>{FSI}Difference between {FSI}{RLO}Evil{PDI} and Good{PDI} | ") in html
    assert f'<td data-label="{FSI}{RLO}Evil{PDI}">Big</td>' in html
    assert f"<bdi>{RLO}Evil</bdi> vs Other</a></li>" in html  # related


def test_most_searched_blocks_isolate_category_and_subject_names(client, evil):
    html = client.get("/search/", {"q": "nothing like it"}).content.decode()
    assert (
        f'<a href="/category/shady/?sort=popular">Most Searched in <bdi>{RLO}Shady</bdi></a>'
        in (html)
    )
    assert f'<a href="{evil.get_absolute_url()}"><bdi>{RLO}Evil</bdi> vs Good</a>' in html


def test_a_title_an_editor_wrote_is_isolated_around_the_names_it_holds(client, evil):
    evil.title = f"{EVIL_SUBJECT} & Good: <the> story"
    comparison_save(evil)
    html = client.get(evil.get_absolute_url()).content.decode()
    assert (
        f'<h1 id="comparison-title"><bdi><bdi>{RLO}Evil</bdi> &amp; Good: '
        "&lt;the&gt; story</bdi></h1>"
    ) in html


def test_the_subject_page_isolates_the_name_and_each_alias(client, evil):
    html = client.get("/subject/evil/").content.decode()
    assert f"<h1><bdi>{RLO}Evil</bdi></h1>" in html
    assert (
        f'<p class="subject-aliases">Also known as <bdi>{RLO}Alias</bdi>, Plain alias.</p>'
    ) in html


def test_names_that_cannot_turn_text_stay_plain_and_hebrew_ones_are_isolated(client, db):
    hebrew = make_subject("\u05e2\u05d1\u05e8\u05d9\u05ea 2")  # "Hebrew 2": the digit would join it
    comparison = make_comparison(hebrew, "English", key_difference="Two scripts.")
    html = client.get(comparison.get_absolute_url()).content.decode()
    assert (
        '<h1 id="comparison-title"><bdi>Difference between '
        "<bdi>\u05e2\u05d1\u05e8\u05d9\u05ea 2</bdi> and English</bdi></h1>"
    ) in html
    assert '<a href="/subject/english/">English</a>' in html
    assert "<bdi>English</bdi>" not in html


def test_the_comment_form_page_isolates_the_commented_comparison(client, evil):
    html = client.get(f"/comments/new/comparisons.comparison/{evil.pk}/").content.decode()
    assert unisolated_overrides(html) == []
    assert (
        f'<a href="{evil.get_absolute_url()}#comments">Back to '
        f"<bdi>Difference between {RLO}Evil and Good</bdi></a>"
    ) in html
    assert f"<title>Add new comment on {FSI}Difference between {RLO}Evil and Good{PDI} | " in html
