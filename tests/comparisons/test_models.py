from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from comparisons.markup import render_markdown
from comparisons.models import Comparison, DifferenceRow, split_pair_slug
from tests.factories import make_comparison, make_subject

pytestmark = pytest.mark.django_db


def test_title_and_slug_are_derived_from_the_subjects():
    comparison = make_comparison(make_subject("BPO"), make_subject("KPO"))
    assert comparison.title == "Difference between BPO and KPO"
    assert comparison.slug == "bpo-and-kpo"
    assert comparison.get_absolute_url() == "/difference-between-bpo-and-kpo/"


def test_an_editors_title_and_slug_are_kept():
    comparison = make_comparison("Film", "Movie", title="Film or movie?", slug="film-or-movie")
    assert (comparison.title, comparison.slug) == ("Film or movie?", "film-or-movie")


def test_the_same_pair_cannot_be_stored_in_the_same_order():
    bpo, kpo = make_subject("BPO"), make_subject("KPO")
    make_comparison(bpo, kpo)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comparison.objects.create(first_subject=bpo, second_subject=kpo, slug="other")


def test_the_same_pair_cannot_be_stored_reversed():
    bpo, kpo = make_subject("BPO"), make_subject("KPO")
    make_comparison(bpo, kpo)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comparison.objects.create(first_subject=kpo, second_subject=bpo, slug="kpo-and-bpo")


def test_validation_names_the_reversed_duplicate_pair_for_editors():
    bpo, kpo = make_subject("BPO"), make_subject("KPO")
    make_comparison(bpo, kpo)
    duplicate = Comparison(first_subject=kpo, second_subject=bpo, key_difference="x")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "These two subjects are already compared." in str(error.value)


def test_a_subject_cannot_be_compared_with_itself():
    bpo = make_subject("BPO")
    with pytest.raises(IntegrityError), transaction.atomic():
        Comparison.objects.create(first_subject=bpo, second_subject=bpo, slug="bpo-and-bpo")


def test_rows_come_in_their_order_not_their_creation_order():
    comparison = make_comparison()
    for order, aspect in ((3, "Third"), (1, "First"), (2, "Second")):
        DifferenceRow.objects.create(
            comparison=comparison, order=order, aspect=aspect, first_value="a", second_value="b"
        )
    assert [row.aspect for row in comparison.rows.all()] == ["First", "Second", "Third"]


def test_published_excludes_drafts_and_future_dates():
    live = make_comparison()
    make_comparison(status=Comparison.Status.DRAFT)
    make_comparison(publish_at=timezone.now() + timedelta(hours=1))
    assert list(Comparison.objects.published()) == [live]


def test_body_is_rendered_from_markdown_when_saved():
    comparison = make_comparison(body="## Heading\n\nSome *emphasis*.\n\n- one\n- two")
    assert comparison.body_html == (
        "<h2>Heading</h2>\n<p>Some <em>emphasis</em>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    )


class Elements(HTMLParser):
    """The elements of an HTML fragment, as (tag, {attribute: value})."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<img src=x onerror=alert(1)>",
        '<iframe src="https://evil.example"></iframe>',
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '<p onclick="alert(1)">hi</p>',
    ],
)
def test_markdown_drops_anything_executable(source):
    for tag, attributes in Elements(render_markdown(source)).found:
        assert tag in ("p", "a")
        assert set(attributes) <= {"href", "title"}
        assert not attributes.get("href", "https:").startswith(("javascript:", "data:"))


def test_markdown_shows_raw_html_as_text():
    source = 'Wrap it in <div class="note">a note</div> & use `<b>` or:\n\n    <p>Hi</p>'
    assert render_markdown(source) == (
        "<p>Wrap it in &lt;div class=\"note\"&gt;a note&lt;/div&gt; &amp; use "
        "<code>&lt;b&gt;</code> or:</p>\n<pre><code>&lt;p&gt;Hi&lt;/p&gt;\n</code></pre>"
    )
    assert render_markdown("<script>alert(1)</script>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )


def test_markdown_keeps_safe_links():
    html = render_markdown("[Django](https://www.djangoproject.com/)")
    assert html == '<p><a href="https://www.djangoproject.com/">Django</a></p>'


def test_the_raw_body_is_stored_as_typed():
    source = "Use <b>bold</b> & [x](javascript:y)"
    assert make_comparison(body=source).body == source


def test_pair_slugs_split_at_every_separator():
    assert list(split_pair_slug("a-and-b-and-c", "-and-")) == [("a", "b-and-c"), ("a-and-b", "c")]
    assert list(split_pair_slug("nothing", "-vs-")) == []
