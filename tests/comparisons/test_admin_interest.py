"""The editors' view of reader interest: figures, chart, query report, pins."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from comparisons.models import DailyInterest, PinnedComparison, SearchQuery
from comparisons.search import search
from tests.factories import make_category, make_comparison

pytestmark = pytest.mark.django_db


def test_change_page_shows_views_and_searches_with_a_chart(editor_client, bpo_kpo):
    today = timezone.now().date()
    for days_ago, views, searches in ((0, 5, 2), (6, 1, 0), (20, 10, 3), (100, 50, 50)):
        DailyInterest.objects.create(
            comparison=bpo_kpo, day=today - timedelta(days=days_ago), views=views, searches=searches
        )
    html = editor_client.get(f"/admin/comparisons/comparison/{bpo_kpo.pk}/change/").content.decode()
    figures = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td><td>(\d+)</td></tr>', html)
    assert figures == [
        ("Last 7 days", "6", "2"),
        ("Last 30 days", "16", "5"),
        ("All time", "66", "55"),
    ]
    start = html.index('<svg class="interest-chart"')
    svg = html[start : html.index("</svg>", start)]
    assert svg.count("<rect") == 1 + 30 * 2
    assert "style=" not in svg
    assert f"{today:%d %b}: 5 views, 2 searches" in svg


def test_search_query_report_lists_most_asked_and_unanswered(editor_client):
    SearchQuery.objects.create(query="bpo vs kpo", count=9, result_count=1)
    SearchQuery.objects.create(query="unicorn vs narwhal", count=4, result_count=0)
    SearchQuery.objects.create(query="<b>tea</b>", count=2, result_count=0)
    SearchQuery.objects.create(query="film", count=1, result_count=2)
    changelist = editor_client.get("/admin/comparisons/searchquery/")
    assert changelist.status_code == 200
    assert 'href="/admin/comparisons/searchquery/report/"' in changelist.content.decode()
    html = editor_client.get("/admin/comparisons/searchquery/report/").content.decode()
    unanswered = html[html.index("Most asked with no results") : html.index("Most asked</h2>")]
    most_asked = html[html.index("Most asked</h2>") :]
    row = re.compile(r"<tr><td>([^<]*)</td><td>(\d+)</td>")
    assert row.findall(unanswered) == [("unicorn vs narwhal", "4"), ("&lt;b&gt;tea&lt;/b&gt;", "2")]
    assert [query for query, _ in row.findall(most_asked)] == [
        "bpo vs kpo",
        "unicorn vs narwhal",
        "&lt;b&gt;tea&lt;/b&gt;",
        "film",
    ]
    no_results = editor_client.get("/admin/comparisons/searchquery/?results=none").content.decode()
    assert "unicorn vs narwhal" in no_results and "film" not in no_results


def test_report_needs_permission(client, django_user_model):
    user = django_user_model.objects.create_user("x", password="pw-for-tests-1", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/comparisons/searchquery/report/").status_code == 403


def test_editors_pin_comparisons_on_the_category_page(editor_client, bpo_kpo, client):
    other = make_comparison("Call Centre", "BPO Firm", categories=list(bpo_kpo.categories.all()))
    category = bpo_kpo.categories.get()
    data = {
        "name": category.name,
        "slug": category.slug,
        "description": "",
        "order": "0",
        "pins-TOTAL_FORMS": "1",
        "pins-INITIAL_FORMS": "0",
        "pins-MIN_NUM_FORMS": "0",
        "pins-MAX_NUM_FORMS": "1000",
        "pins-0-order": "1",
        "pins-0-comparison": other.pk,
    }
    response = editor_client.post(f"/admin/comparisons/category/{category.pk}/change/", data)
    assert response.status_code == 302
    assert list(PinnedComparison.objects.values_list("comparison_id", flat=True)) == [other.pk]
    newer = make_category("Newer", slug="newer")
    for number in range(8):  # fill "Newest comparisons", which would take the pair first
        make_comparison(f"N{number}", f"M{number}", categories=[newer])
    home = client.get("/").content.decode()
    block = home[home.index("Most Searched in Business") :]
    assert block.index("Call Centre vs BPO Firm") < block.index("BPO vs KPO")


def test_renaming_a_subject_updates_search(editor_client, bpo_kpo):
    subject = bpo_kpo.second_subject
    response = editor_client.post(
        f"/admin/comparisons/subject/{subject.pk}/change/",
        {"name": "Knowledge Outsourcing", "slug": "kpo", "description": ""},
    )
    assert response.status_code == 302
    assert [c.pk for c in search("bpo vs knowledge outsourcing").comparisons][:1] == [bpo_kpo.pk]
    assert list(search("knowledge outsourcing").subjects) == [subject]
