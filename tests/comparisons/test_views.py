import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comparisons.models import Comparison, DifferenceRow
from comparisons.services import comparison_publish, comparison_unpublish
from tests.factories import make_category, make_comparison, make_subject, page_cache_miss

pytestmark = pytest.mark.django_db


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_comparison_page_shows_its_parts_in_order(client, bpo_kpo):
    response = client.get("/difference-between-bpo-and-kpo/")
    assert response.status_code == 200
    html = response.content.decode()
    positions = [
        html.index('aria-label="Breadcrumb"'),
        html.index("<h1"),
        html.index("Key difference"),
        html.index('class="comparison__body"'),
        html.index('<table class="difference-table">'),
        html.index("Last updated"),
        html.index('id="comments"'),
    ]
    assert positions == sorted(positions)
    assert '<h1 id="comparison-title">Difference between BPO and KPO</h1>' in html
    assert "<title>Difference between BPO and KPO | " in html
    assert '<link rel="canonical" href="http://testserver/difference-between-bpo-and-kpo/">' in html
    assert (
        '<meta name="description" content="BPO outsources processes; KPO outsources knowledge work.">'
        in html
    )


def test_breadcrumbs_lead_home_then_category_then_title(client, bpo_kpo):
    html = client.get(bpo_kpo.get_absolute_url()).content.decode()
    crumbs = html[
        html.index('aria-label="Breadcrumb"') : html.index(
            "</nav>", html.index('aria-label="Breadcrumb"')
        )
    ]
    assert text_of(crumbs).endswith("Home Business Difference between BPO and KPO")


def test_table_has_subject_headers_and_rows_in_order(client, bpo_kpo):
    html = client.get(bpo_kpo.get_absolute_url()).content.decode()
    table = html[html.index("<table") : html.index("</table>")]
    assert "<caption>Comparison of BPO and KPO</caption>" in table
    headers = re.findall(r'<th scope="col">(.*?)</th>', table)
    assert headers == ["Aspect", "BPO", "KPO"]
    rows = re.findall(
        r'<tr>\s*<th scope="row">(.*?)</th>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>', table
    )
    assert rows == [
        ("Stands for", "Business Process Outsourcing", "Knowledge Process Outsourcing"),
        ("Skills required", "Communication skills", "Specialised knowledge"),
        ("Level of service", "Low end services", "High end services"),
    ]


def test_reordered_rows_show_in_their_new_order(client, bpo_kpo):
    bpo_kpo.rows.filter(aspect="Stands for").update(order=99)
    html = client.get(bpo_kpo.get_absolute_url()).content.decode()
    assert re.findall(r'<th scope="row">(.*?)</th>', html) == [
        "Skills required",
        "Level of service",
        "Stands for",
    ]


def test_row_values_are_escaped(client, bpo_kpo):
    DifferenceRow.objects.create(
        comparison=bpo_kpo, order=9, aspect="<b>x</b>", first_value="<script>", second_value="a & b"
    )
    html = client.get(bpo_kpo.get_absolute_url()).content.decode()
    assert '<th scope="row">&lt;b&gt;x&lt;/b&gt;</th>' in html
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_lead_image_credits_are_listed(client, bpo_kpo):
    bpo_kpo.credits.create(text="tvtworld.com", order=1)
    bpo_kpo.credits.create(text="vardhmansoft.com", url="https://example.org/", order=2)
    html = client.get(bpo_kpo.get_absolute_url()).content.decode()
    assert (
        'Image courtesy: tvtworld.com, <a href="https://example.org/" rel="nofollow noopener">'
        "vardhmansoft.com</a>" in html
    )


def test_related_comparisons_share_a_subject_first_then_a_category(client, bpo_kpo):
    bpo = bpo_kpo.first_subject
    other_category = make_category("Elsewhere")
    by_subject = make_comparison(bpo, "Call Centre", categories=[other_category])
    by_category = make_comparison("Film", "Movie", categories=list(bpo_kpo.categories.all()))
    make_comparison("Unrelated", "Thing", categories=[other_category])
    make_comparison(bpo, "Hidden", status=Comparison.Status.DRAFT)
    response = client.get(bpo_kpo.get_absolute_url())
    assert [c.pk for c in response.context["related"]] == [by_subject.pk, by_category.pk]
    html = response.content.decode()
    assert '<a href="/difference-between-bpo-and-call-centre/">BPO vs Call Centre</a>' in html


def test_related_comparisons_stop_at_five(client, bpo_kpo):
    for _ in range(8):
        make_comparison(bpo_kpo.first_subject, categories=[])
    assert len(client.get(bpo_kpo.get_absolute_url()).context["related"]) == 5


def test_home_lists_newest_and_every_category_with_its_count(client, bpo_kpo):
    business = bpo_kpo.categories.get()
    empty = make_category("Health", slug="health")
    make_comparison(
        "Older", "Thing", categories=[business], publish_at=timezone.now() - timedelta(days=9)
    )
    make_comparison("Secret", "Draft", categories=[business], status=Comparison.Status.DRAFT)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert [c.short_title for c in response.context["newest"]] == ["BPO vs KPO", "Older vs Thing"]
    assert text_of(html).count("Business 2 comparisons") == 1
    assert "Health 0 comparisons" in text_of(html)
    assert f'href="{empty.get_absolute_url()}"' in html
    assert "Secret" not in html


def test_category_page_is_newest_first_and_paginated_by_20(client):
    category = make_category("Business", slug="business")
    for days in range(25):
        make_comparison(
            f"A{days}",
            f"B{days}",
            categories=[category],
            publish_at=timezone.now() - timedelta(days=days + 1),
        )
    first_page = client.get("/category/business/")
    assert [c.short_title for c in first_page.context["comparisons"]][:2] == [
        "A0 vs B0",
        "A1 vs B1",
    ]
    assert len(first_page.context["comparisons"]) == 20
    second_page = client.get("/category/business/?page=2")
    assert [c.short_title for c in second_page.context["comparisons"]] == [
        f"A{days} vs B{days}" for days in range(20, 25)
    ]
    assert 'rel="prev"' in second_page.content.decode()
    assert client.get("/category/business/?page=9").status_code == 404


def test_subject_page_lists_every_comparison_of_the_subject(client, bpo_kpo):
    make_comparison(bpo_kpo.first_subject, "Call Centre")
    make_comparison("Other", "Pair")
    response = client.get("/subject/bpo/")
    assert response.status_code == 200
    assert sorted(c.short_title for c in response.context["comparisons"]) == [
        "BPO vs Call Centre",
        "BPO vs KPO",
    ]


def test_a_subject_of_drafts_alone_has_no_page_for_readers(client, editor_client):
    draft = make_comparison("Tea", "Coffee", status=Comparison.Status.DRAFT)
    assert client.get("/subject/tea/").status_code == 404
    assert editor_client.get("/subject/tea/").status_code == 200
    comparison_publish(draft)
    response = client.get("/subject/tea/")
    assert response.status_code == 200
    assert [c.short_title for c in response.context["comparisons"]] == ["Tea vs Coffee"]
    comparison_unpublish(draft)
    assert client.get("/subject/tea/").status_code == 404


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": Comparison.Status.DRAFT},
        {"publish_at": timezone.now() + timedelta(days=1)},
    ],
)
def test_unpublished_comparisons_are_404_for_the_public_everywhere(client, overrides):
    category = make_category("Business", slug="business")
    hidden = make_comparison(
        make_subject("BPO", slug="bpo"),
        make_subject("KPO", slug="kpo"),
        categories=[category],
        **overrides,
    )
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get("/difference-between-kpo-and-bpo/").status_code == 404
    assert client.get("/bpo-vs-kpo/").status_code == 404
    for page in ("/", "/category/business/", "/subject/bpo/", "/search/?q=bpo"):
        assert "Difference between BPO and KPO" not in client.get(page).content.decode()
        assert "BPO vs KPO" not in client.get(page).content.decode()
    assert "Business 0 comparisons" in text_of(client.get("/").content.decode())


def test_staff_see_drafts_on_their_real_address_with_a_banner(editor_client):
    draft = make_comparison("BPO", "KPO", status=Comparison.Status.DRAFT)
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Draft - not published" in response.content.decode()


def test_staff_see_scheduled_comparisons_with_a_banner(editor_client):
    scheduled = make_comparison("BPO", "KPO", publish_at=timezone.now() + timedelta(days=2))
    html = editor_client.get(scheduled.get_absolute_url()).content.decode()
    assert "Scheduled - not published until" in html


def test_published_pages_have_no_banner(client, bpo_kpo):
    assert "not published" not in client.get(bpo_kpo.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "path",
    ["/difference-between-kpo-and-bpo/", "/bpo-vs-kpo/", "/kpo-vs-bpo/"],
)
def test_other_addresses_redirect_permanently_to_the_canonical_one(client, bpo_kpo, path):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == "/difference-between-bpo-and-kpo/"


def test_pair_addresses_work_with_hyphenated_subjects(client):
    comparison = make_comparison(make_subject("Bharatanatyam"), make_subject("Kuchipudi Dance"))
    assert comparison.slug == "bharatanatyam-and-kuchipudi-dance"
    response = client.get("/kuchipudi-dance-vs-bharatanatyam/")
    assert response.status_code == 301
    assert response["Location"] == comparison.get_absolute_url()


@pytest.mark.parametrize(
    "path",
    [
        "/difference-between-nothing-and-here/",
        "/nope-vs-nothing/",
        "/category/none/",
        "/subject/none/",
        "/plain-words/",
    ],
)
def test_unknown_addresses_get_the_sites_own_404_page(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert '<link rel="canonical"' in html


def test_every_page_has_a_title_description_and_canonical_link(client, bpo_kpo):
    for path in (
        "/",
        "/category/business/",
        "/subject/bpo/",
        bpo_kpo.get_absolute_url(),
        "/search/?q=bpo",
    ):
        html = client.get(path).content.decode()
        assert re.search(r"<title>[^<]+</title>", html), path
        assert re.search(r'<meta name="description" content="[^"]+">', html), path
        assert f'<link rel="canonical" href="http://testserver{path.split("?")[0]}">' in html, path


def make_rich_comparison(row_count, related_count):
    categories = [make_category() for _ in range(3)]
    comparison = make_comparison(
        categories=categories,
        rows=[(f"Aspect {n}", f"first {n}", f"second {n}") for n in range(row_count)],
    )
    comparison.credits.create(text="example.org")
    for _ in range(related_count):
        make_comparison(comparison.first_subject, categories=categories)
    return comparison


@pytest.mark.parametrize("row_count, related_count", [(1, 0), (50, 10)])
def test_comparison_page_query_count_is_fixed(
    client, django_assert_max_num_queries, row_count, related_count
):
    comparison = make_rich_comparison(row_count, related_count)
    page_cache_miss(client, comparison.get_absolute_url())
    with django_assert_max_num_queries(7):
        response = client.get(comparison.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["rows"]) == row_count


@pytest.mark.parametrize("extra", [0, 30])
def test_home_and_category_query_counts_are_fixed(client, django_assert_max_num_queries, extra):
    category = make_category("Business", slug="business")
    for _ in range(extra):
        make_comparison(categories=[category, make_category()])
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/category/business/").status_code == 200


def test_named_urls_reverse_to_the_documented_addresses():
    assert reverse("comparisons:category", kwargs={"slug": "health"}) == "/category/health/"
    assert reverse("comparisons:subject", kwargs={"slug": "bpo"}) == "/subject/bpo/"
    assert reverse("comparisons:detail", kwargs={"slug": "bpo-and-kpo"}) == (
        "/difference-between-bpo-and-kpo/"
    )


SAFE_ONLY = [
    "/feeds/comparisons.atom",
    "/feeds/comparisons.rss",
    "/category/business/feed.atom",
    "/category/business/feed.rss",
    "/sitemap.xml",
    "/sitemap-comparisons.xml",
    "/bpo-vs-kpo/",
]


@pytest.mark.parametrize("address", SAFE_ONLY)
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS", "TRACE"])
def test_feeds_sitemaps_and_pair_addresses_answer_only_get_and_head(
    client, bpo_kpo, address, method
):
    assert client.get(address).status_code in (200, 301)
    response = client.generic(method, address)
    assert (response.status_code, response["Allow"]) == (405, "GET, HEAD")


def test_the_report_page_refuses_methods_it_does_not_use(client, bpo_kpo):
    response = client.generic("TRACE", f"{bpo_kpo.get_absolute_url()}report/")
    assert (response.status_code, response["Allow"]) == (405, "GET, HEAD, POST")


@pytest.mark.parametrize(
    "address",
    ["/bpo-vs-kpo/", "/KPO-vs-BPO/", "/difference-between-BPO-and-KPO/", "/Difference-Between-Kpo-And-Bpo/"],
)
def test_pair_addresses_in_any_case_move_to_the_page_with_their_query(client, bpo_kpo, address):
    response = client.get(address, {"utm_source": "newsletter"})
    if address.startswith("/Difference-Between"):  # not one of the site's addresses at all
        assert response.status_code == 404
        return
    assert response.status_code == 301
    assert response["Location"] == "/difference-between-bpo-and-kpo/?utm_source=newsletter"


def test_a_form_refused_for_its_missing_security_code_gets_the_sites_page(bpo_kpo):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"{bpo_kpo.get_absolute_url()}report/", {"note": "Typo"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>This form could not be sent</h1>" in html
    assert "Allow cookies for this site, then go back, reload the page" in html
    assert 'class="site-header"' in html and "<style" not in html
