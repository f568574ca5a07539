"""Query budgets: a page's SQL count is fixed, whatever the amount of content behind it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    make_category,
    make_comparison,
    page_and_parts_cache_miss,
    page_cache_miss,
)

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 8


def count_queries(client, path, miss=page_cache_miss):
    """The queries of a page-cache miss on a running site (see `page_cache_miss`)."""
    miss(client, path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def rich_comparison(row_count, related_count):
    categories = [make_category() for _ in range(3)]
    comparison = make_comparison(
        categories=categories,
        rows=[(f"Aspect {n}", f"first {n}", f"second {n}") for n in range(row_count)],
    )
    comparison.credits.create(text="example.org")
    for n in range(related_count):
        # Half share a subject, half only a category: both related queries are exercised.
        make_comparison(comparison.first_subject if n % 2 else None, categories=categories[:1])
    return comparison


def test_comparison_page_costs_the_same_with_1_or_100_rows_and_1_or_20_related(client):
    small = rich_comparison(row_count=1, related_count=1)
    big = rich_comparison(row_count=100, related_count=20)
    small_count = count_queries(client, small.get_absolute_url())
    big_count = count_queries(client, big.get_absolute_url())
    assert small_count == big_count == 0  # it and its parts are kept until they change


def test_comparison_page_with_every_part_changed_costs_the_same_whatever_its_size(client):
    small = rich_comparison(row_count=1, related_count=1)
    big = rich_comparison(row_count=100, related_count=20)
    add_comments(big, 100)
    small_count = count_queries(client, small.get_absolute_url(), page_and_parts_cache_miss)
    big_count = count_queries(client, big.get_absolute_url(), page_and_parts_cache_miss)
    assert small_count == big_count <= PAGE_BUDGET


@pytest.mark.parametrize("path", ["/", "/category/business/", "/subject/bpo/"])
def test_listing_pages_cost_the_same_with_few_or_many_comparisons(client, bpo_kpo, path):
    few = count_queries(client, path)
    business = bpo_kpo.categories.get()
    for _ in range(30):
        make_comparison(bpo_kpo.first_subject, categories=[business, make_category()])
    assert count_queries(client, path) == few <= PAGE_BUDGET


@pytest.mark.parametrize("path", ["/", "/category/business/", "/difference-between-bpo-and-kpo/"])
def test_pages_from_the_cache_cost_no_query(client, bpo_kpo, path):
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path)["X-Page-Cache"] == "hit"
    assert len(queries) == 0


def add_comments(comparison, count):
    """`count` published comments on `comparison`: top-level ones and replies to them, with
    a few held and removed ones among them (their rows are read, not shown)."""
    from comments.models import Comment
    from comments.moderation import post_comment

    first = post_comment(comparison, text="The first comment.", name="Ada", email="a@example.com")
    statuses = [Comment.Status.PUBLISHED] * 8 + [Comment.Status.PENDING, Comment.Status.DELETED]
    top = [
        Comment(
            content_type=first.content_type,
            object_id=comparison.pk,
            name=f"Reader {n}",
            email=f"r{n}@example.com",
            subject=f"Comment {n}",
            text=f"Comment number {n}.",
            html=f"<p>Comment number {n}.</p>",
            status=statuses[n % len(statuses)],
        )
        for n in range(count // 2 - 1)
    ]
    top = [first, *Comment.objects.bulk_create(top)]
    replies = [
        Comment(
            content_type=first.content_type,
            object_id=comparison.pk,
            parent=parent,
            thread=parent,
            depth=1,
            name=f"Replier {n}",
            email=f"p{n}@example.com",
            subject=f"Reply {n}",
            text=f"Reply number {n}.",
            html=f"<p>Reply number {n}.</p>",
            status=Comment.Status.PUBLISHED,
        )
        for n, parent in enumerate(top[: count - len(top)])
    ]
    Comment.objects.bulk_create(replies)
    Comment.objects.filter(pk=first.pk).update(status=Comment.Status.PUBLISHED)
    assert Comment.objects.for_object(comparison).count() == count


def test_comparison_page_costs_the_same_with_0_or_500_comments(client):
    quiet = rich_comparison(row_count=10, related_count=5)
    busy = rich_comparison(row_count=10, related_count=5)
    add_comments(busy, 500)
    quiet_count = count_queries(client, quiet.get_absolute_url(), page_and_parts_cache_miss)
    busy_count = count_queries(client, busy.get_absolute_url(), page_and_parts_cache_miss)
    assert "Reply number 0." in client.get(busy.get_absolute_url()).content.decode()
    assert quiet_count == busy_count <= PAGE_BUDGET
