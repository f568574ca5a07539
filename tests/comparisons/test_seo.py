"""Search engines and sharing: sitemap, robots.txt, feeds, Open Graph, JSON-LD, old addresses."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from comparisons.models import Category, Comparison, ComparisonAddress
from tests.factories import make_category, make_comparison, make_subject

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


def locations(xml):
    return [element.text for element in ET.fromstring(xml).iter(f"{SITEMAP}loc")]


def test_sitemap_index_lists_sections_and_every_published_page(client, bpo_kpo):
    draft = make_comparison("Tea", "Coffee", status=Comparison.Status.DRAFT)
    make_comparison("Cold", "Flu", publish_at=timezone.now() + timedelta(days=1))
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert locations(index.content) == [
        "http://testserver/sitemap-comparisons.xml",
        "http://testserver/sitemap-categories.xml",
        "http://testserver/sitemap-subjects.xml",
    ]
    comparisons = client.get("/sitemap-comparisons.xml")
    assert locations(comparisons.content) == ["http://testserver/difference-between-bpo-and-kpo/"]
    lastmod = ET.fromstring(comparisons.content).find(f"{SITEMAP}url/{SITEMAP}lastmod").text
    assert lastmod == bpo_kpo.updated_at.date().isoformat() or lastmod.startswith(
        bpo_kpo.updated_at.date().isoformat()
    )
    assert locations(client.get("/sitemap-categories.xml").content) == [
        "http://testserver/category/business/"
    ]
    assert locations(client.get("/sitemap-subjects.xml").content) == [
        "http://testserver/subject/bpo/",
        "http://testserver/subject/kpo/",
    ]
    assert draft.slug not in client.get("/sitemap-subjects.xml").content.decode()


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /interest/",
        "Sitemap: http://testserver/sitemap.xml",
    ]


def test_site_feeds_list_new_comparisons_newest_first(client, bpo_kpo):
    newer = make_comparison("Film", "Movie", publish_at=timezone.now())
    make_comparison("Tea", "Coffee", status=Comparison.Status.DRAFT)
    atom = ET.fromstring(client.get("/feeds/comparisons.atom").content)
    titles = [entry.find(f"{ATOM}title").text for entry in atom.iter(f"{ATOM}entry")]
    assert titles == [newer.title, bpo_kpo.title]
    links = [entry.find(f"{ATOM}link").get("href") for entry in atom.iter(f"{ATOM}entry")]
    assert links[1] == "http://testserver/difference-between-bpo-and-kpo/"
    rss = ET.fromstring(client.get("/feeds/comparisons.rss").content)
    assert [item.find("title").text for item in rss.iter("item")] == titles
    assert rss.find("channel/item/description").text == newer.key_difference


def test_category_feeds_list_only_that_category(client, bpo_kpo):
    make_comparison("Film", "Movie", categories=[make_category("Entertainment")])
    rss = ET.fromstring(client.get("/category/business/feed.rss").content)
    assert [item.find("title").text for item in rss.iter("item")] == [bpo_kpo.title]
    atom = ET.fromstring(client.get("/category/business/feed.atom").content)
    assert [entry.find(f"{ATOM}title").text for entry in atom.iter(f"{ATOM}entry")] == [
        bpo_kpo.title
    ]
    assert client.get("/category/nope/feed.rss").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/comparisons.rss",
        "/feeds/comparisons.atom",
        "/category/tabs/feed.rss",
        "/category/tabs/feed.atom",
    ],
)
def test_feeds_stay_valid_xml_when_text_holds_control_characters(client, path):
    """Text pasted from a word processor can carry a vertical tab (its line break) or other
    control characters, which XML 1.0 cannot hold. Writers leave them out; text stored
    before that (written here past the write path) is left out of the feeds."""
    tabs = make_category("Tabs", slug="tabs")
    comparison = make_comparison("Word processor", "Typewriter", categories=[tabs])
    Category.objects.filter(pk=tabs.pk).update(name="Tabs\x0b")
    Comparison.objects.filter(pk=comparison.pk).update(
        title="Difference between Word\x0bprocessor and Type\x1fwriter",
        key_difference="One line\x0banother\x0c, a bell\x07.",
    )
    response = client.get(path)
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    text = " ".join(feed.itertext())
    assert "Difference between Word processor and Typewriter" in text
    assert "One line another , a bell." in text
    if "/category/" in path:
        assert "new comparisons in Tabs" in text


def test_feeds_are_linked_from_every_head(client, bpo_kpo):
    home = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in home
    assert 'href="/feeds/comparisons.rss"' in home
    category = client.get("/category/business/").content.decode()
    assert 'href="/category/business/feed.atom"' in category
    assert 'href="/feeds/comparisons.atom"' in category


def meta(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    return match.group(1) if match else None


def test_open_graph_and_twitter_tags(client, bpo_kpo, settings, tmp_path):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "comparisons").mkdir()
    Image.new("RGB", (12, 6)).save(tmp_path / "comparisons" / "bpo.png")
    Comparison.objects.filter(pk=bpo_kpo.pk).update(
        lead_image="comparisons/bpo.png", lead_image_alt="Two panels"
    )
    html = client.get(bpo_kpo.get_absolute_url()).content.decode()
    assert meta(html, "property", "og:type") == "article"
    assert meta(html, "property", "og:title") == "Difference between BPO and KPO"
    assert meta(html, "property", "og:description") == bpo_kpo.key_difference
    assert meta(html, "property", "og:url") == "http://testserver/difference-between-bpo-and-kpo/"
    assert meta(html, "property", "og:image") == "http://testserver/media/comparisons/bpo.png"
    assert meta(html, "property", "og:image:alt") == "Two panels"
    assert meta(html, "name", "twitter:card") == "summary_large_image"
    assert meta(html, "name", "twitter:title") == "Difference between BPO and KPO"
    assert '<link rel="canonical" href="http://testserver/difference-between-bpo-and-kpo/">' in html


def structured_data(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_json_ld_describes_article_breadcrumbs_and_table(client, bpo_kpo, django_user_model):
    author = django_user_model.objects.create_user("ann", first_name="Ann", last_name="Lee")
    Comparison.objects.filter(pk=bpo_kpo.pk).update(author=author)
    data = structured_data(client.get(bpo_kpo.get_absolute_url()).content.decode())
    assert data["@context"] == "https://schema.org"
    article, breadcrumbs, rows, table = data["@graph"]
    bpo_kpo.refresh_from_db()
    assert article == {
        "@type": "Article",
        "@id": "http://testserver/difference-between-bpo-and-kpo/#article",
        "headline": "Difference between BPO and KPO",
        "description": bpo_kpo.key_difference,
        "datePublished": bpo_kpo.publish_at.isoformat(),
        "dateModified": bpo_kpo.updated_at.isoformat(),
        "mainEntityOfPage": "http://testserver/difference-between-bpo-and-kpo/",
        "about": [{"@type": "Thing", "name": "BPO"}, {"@type": "Thing", "name": "KPO"}],
        "publisher": {"@type": "Organization", "name": "Differences", "url": "http://testserver/"},
        "author": {"@type": "Person", "name": "Ann Lee"},
    }
    assert [crumb["name"] for crumb in breadcrumbs["itemListElement"]] == [
        "Home",
        "Business",
        "Difference between BPO and KPO",
    ]
    assert breadcrumbs["itemListElement"][1]["item"] == "http://testserver/category/business/"
    assert rows["@type"] == "ItemList" and rows["numberOfItems"] == 3
    assert rows["itemListElement"][0] == {
        "@type": "ListItem",
        "position": 1,
        "name": "Stands for",
        "description": "BPO: Business Process Outsourcing | KPO: Knowledge Process Outsourcing",
    }
    assert table["@type"] == "Table"


def test_json_ld_cannot_be_broken_out_of(client, db):
    hostile = make_comparison(
        make_subject("</script><script>alert(1)</script>", slug="x1"),
        make_subject("A & B", slug="x2"),
        key_difference="</script><!-- & -->",
    )
    html = client.get(hostile.get_absolute_url()).content.decode()
    data = structured_data(html)
    assert data["@graph"][0]["description"] == "</script><!-- & -->"
    assert "<script>alert(1)" not in html


# Old addresses ------------------------------------------------------------------------------


def test_every_earlier_slug_redirects_permanently_to_the_current_one(admin_client, bpo_kpo):
    from tests.helpers.admin_forms import comparison_form, inline_management

    def rename(slug, first=None, second=None):
        data = comparison_form(
            first or bpo_kpo.first_subject,
            second or bpo_kpo.second_subject,
            bpo_kpo.categories.get(),
            slug=slug,
            status="published",
            **inline_management("rows", 0),
        )
        response = admin_client.post(f"/admin/comparisons/comparison/{bpo_kpo.pk}/change/", data)
        assert response.status_code == 302

    rename("bpo-versus-kpo")
    rename("outsourcing-kinds")
    current = "/difference-between-outsourcing-kinds/"
    for old in (
        "/difference-between-bpo-and-kpo/",
        "/difference-between-kpo-and-bpo/",
        "/difference-between-bpo-versus-kpo/",
        "/bpo-vs-kpo/",
        "/kpo-vs-bpo/",
    ):
        response = admin_client.get(old)
        assert (response.status_code, response["Location"]) == (301, current), old
    assert list(ComparisonAddress.objects.values_list("slug", flat=True)) == [
        "bpo-versus-kpo",
        "bpo-and-kpo",
    ]


def test_changing_a_subject_keeps_the_old_pair_address(admin_client, bpo_kpo, client):
    from tests.helpers.admin_forms import comparison_form, inline_management

    lpo = make_subject("LPO", slug="lpo")
    data = comparison_form(
        bpo_kpo.first_subject,
        lpo,
        bpo_kpo.categories.get(),
        slug="",
        status="published",
        **inline_management("rows", 0),
    )
    assert (
        admin_client.post(f"/admin/comparisons/comparison/{bpo_kpo.pk}/change/", data).status_code
        == 302
    )
    bpo_kpo.refresh_from_db()
    assert bpo_kpo.slug == "bpo-and-lpo"
    for old in ("/difference-between-bpo-and-kpo/", "/kpo-vs-bpo/"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (
            301,
            "/difference-between-bpo-and-lpo/",
        )


def test_old_addresses_of_unpublished_comparisons_are_404(client, bpo_kpo):
    ComparisonAddress.objects.create(
        comparison=bpo_kpo, slug="old-name", first_subject_slug="old", second_subject_slug="name"
    )
    assert client.get("/difference-between-old-name/").status_code == 301
    Comparison.objects.filter(pk=bpo_kpo.pk).update(status=Comparison.Status.DRAFT)
    assert client.get("/difference-between-old-name/").status_code == 404
    assert client.get("/old-vs-name/").status_code == 404


def test_a_current_slug_wins_over_an_old_one(client, bpo_kpo):
    other = make_comparison("Old", "Name")
    ComparisonAddress.objects.create(
        comparison=bpo_kpo, slug="old-and-name", first_subject_slug="x", second_subject_slug="y"
    )
    assert client.get("/difference-between-old-and-name/").context["comparison"] == other
