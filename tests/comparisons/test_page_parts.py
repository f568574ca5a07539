"""A comparison page's parts (related list, rows, credits, categories, comment threads) are
read once per change and kept between page misses; every change that shows on the page
reaches the next miss."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons.models import DifferenceRow
from comparisons.services import comparison_save
from tests.factories import make_comparison, page_cache_miss

pytestmark = pytest.mark.django_db


def miss(client, path):
    """The HTML of a page-cache miss of `path` and the number of queries it ran."""
    page_cache_miss(client, path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200 and response["X-Page-Cache"] == "miss"
    return response.content.decode(), len(queries)


def test_a_page_miss_reads_only_the_comparison_while_its_parts_are_unchanged(client, bpo_kpo):
    path = bpo_kpo.get_absolute_url()
    assert miss(client, path)[1] == 1


def test_a_new_related_comparison_shows_on_the_next_miss(
    client, bpo_kpo, django_capture_on_commit_callbacks
):
    path = bpo_kpo.get_absolute_url()
    assert "Shares vs Bonds" not in miss(client, path)[0]
    with django_capture_on_commit_callbacks(execute=True):
        make_comparison("Shares", "Bonds", categories=[bpo_kpo.categories.get()])
    assert "Shares vs Bonds" in miss(client, path)[0]


def test_a_renamed_related_comparison_shows_on_the_next_miss(
    client, bpo_kpo, django_capture_on_commit_callbacks
):
    related = make_comparison("Shares", "Bonds", categories=[bpo_kpo.categories.get()])
    path = bpo_kpo.get_absolute_url()
    assert "Shares vs Bonds" in miss(client, path)[0]
    related.first_subject.name = "Stocks"
    with django_capture_on_commit_callbacks(execute=True):
        from comparisons.services import subject_save

        subject_save(related.first_subject)
    assert "Stocks vs Bonds" in miss(client, path)[0]


def test_an_edited_row_shows_on_the_next_miss(client, bpo_kpo, django_capture_on_commit_callbacks):
    path = bpo_kpo.get_absolute_url()
    assert "Low end services" in miss(client, path)[0]
    rows = list(bpo_kpo.rows.all())
    rows[2].first_value = "Routine services"
    with django_capture_on_commit_callbacks(execute=True):
        comparison_save(bpo_kpo, rows=rows)
    html = miss(client, path)[0]
    assert "Routine services" in html and "Low end services" not in html
    assert DifferenceRow.objects.filter(first_value="Routine services").count() == 1


def test_a_renamed_category_shows_on_the_next_miss(
    client, bpo_kpo, django_capture_on_commit_callbacks
):
    path = bpo_kpo.get_absolute_url()
    miss(client, path)
    business = bpo_kpo.categories.get()
    business.name = "Commerce"
    with django_capture_on_commit_callbacks(execute=True):
        business.save()
    assert ">Commerce<" in miss(client, path)[0]
