"""A comparison page's parts (the comparison, related list, rows, credits, categories,
comment threads, and the HTML of its stable parts) are read once per change and kept between
page misses; every change that shows on the page reaches the next miss."""

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


def test_a_page_miss_reads_nothing_while_the_comparison_and_its_parts_are_unchanged(
    client, bpo_kpo
):
    path = bpo_kpo.get_absolute_url()
    assert miss(client, path)[1] == 0


def test_a_kept_comparison_is_gone_on_the_first_miss_after_it_expires(
    client, bpo_kpo, monkeypatch, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    bpo_kpo.expire_at = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        comparison_save(bpo_kpo)
    path = bpo_kpo.get_absolute_url()
    assert miss(client, path)[1] == 0
    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page_cache_miss(client, path)
    assert client.get(path).status_code == 404


def test_an_unpublished_comparison_is_gone_on_the_next_miss(
    client, bpo_kpo, django_capture_on_commit_callbacks
):
    from comparisons.models import Comparison

    path = bpo_kpo.get_absolute_url()
    assert miss(client, path)[1] == 0
    bpo_kpo.status = Comparison.Status.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        comparison_save(bpo_kpo)
    page_cache_miss(client, path)
    assert client.get(path).status_code == 404


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


# -- parts kept as HTML: the menu, the differences table, the sidebar's lists, the comments


def test_a_renamed_category_shows_in_every_menu_on_the_next_miss(
    client, bpo_kpo, django_capture_on_commit_callbacks
):
    path = bpo_kpo.get_absolute_url()
    assert miss(client, path)[0].count('/category/business/">Business</a>') == 5
    business = bpo_kpo.categories.get()
    business.name = "Commerce"
    with django_capture_on_commit_callbacks(execute=True):
        business.save()
    html = miss(client, path)[0]
    # the header's two menus, the footer's, the breadcrumbs and "Filed under"
    assert html.count('/category/business/">Commerce</a>') == 5
    assert ">Business<" not in html


def test_a_renamed_subject_shows_in_the_differences_table_on_the_next_miss(
    client, bpo_kpo, django_capture_on_commit_callbacks
):
    from comparisons.services import subject_save

    path = bpo_kpo.get_absolute_url()
    assert '<th scope="col">KPO</th>' in miss(client, path)[0]
    bpo_kpo.second_subject.name = "Knowledge outsourcing"
    with django_capture_on_commit_callbacks(execute=True):
        subject_save(bpo_kpo.second_subject)
    html = miss(client, path)[0]
    assert '<th scope="col">Knowledge outsourcing</th>' in html
    assert 'data-label="Knowledge outsourcing">Knowledge Process Outsourcing</td>' in html
    assert '<th scope="col">KPO</th>' not in html


def test_a_renamed_related_comparison_leaves_no_old_title_in_the_sidebar(
    client, bpo_kpo, django_capture_on_commit_callbacks
):
    from comparisons.services import subject_save

    related = make_comparison("Shares", "Bonds", categories=[bpo_kpo.categories.get()])
    path = bpo_kpo.get_absolute_url()
    assert (
        '<li><a href="/difference-between-shares-and-bonds/">Shares vs Bonds</a></li>'
        in (miss(client, path)[0])
    )
    related.first_subject.name = "Stocks"
    with django_capture_on_commit_callbacks(execute=True):
        subject_save(related.first_subject)
    html = miss(client, path)[0]
    assert "Stocks vs Bonds</a></li>" in html and "Shares vs Bonds" not in html


def test_a_changed_most_searched_block_shows_on_the_next_miss(
    client, bpo_kpo, django_capture_on_commit_callbacks
):
    from comparisons import interest
    from comparisons.models import PinnedComparison
    from tests.factories import make_category

    health = make_category("Health", slug="health")
    tea = make_comparison("Tea", "Coffee", categories=[health])
    make_comparison("Milk", "Water", categories=[health])
    interest.refresh_most_searched()
    path = bpo_kpo.get_absolute_url()
    html = miss(client, path)[0]
    assert "Most Searched in Health" in html
    assert html.index("Milk vs Water") < html.index("Tea vs Coffee")  # the newest first
    PinnedComparison.objects.create(category=health, comparison=tea, order=1)
    with django_capture_on_commit_callbacks(execute=True):
        interest.refresh_most_searched()  # as the periodic flush_interest does
    html = miss(client, path)[0]
    assert html.index("Tea vs Coffee") < html.index("Milk vs Water")


def test_a_published_comment_shows_on_the_next_miss(
    client, bpo_kpo, django_capture_on_commit_callbacks
):
    from comments.models import Comment
    from comments.moderation import moderate, post_comment

    path = bpo_kpo.get_absolute_url()
    html = miss(client, path)[0]
    assert "Comments (0)" in html and "No comments yet." in html
    with django_capture_on_commit_callbacks(execute=True):
        comment = post_comment(
            bpo_kpo, text="Held for a moderator.", name="Ada", email="a@example.com"
        )
        moderate(Comment.objects.filter(pk=comment.pk), Comment.Status.PENDING)
    assert "Held for a moderator." not in miss(client, path)[0]
    with django_capture_on_commit_callbacks(execute=True):
        moderate(Comment.objects.filter(pk=comment.pk), Comment.Status.PUBLISHED)
    html = miss(client, path)[0]
    assert "Held for a moderator." in html and "Comments (1)" in html
    assert '<a href="#comments">1 comment</a>' in html


def test_a_comments_page_past_the_last_is_404_with_the_section_kept(client, bpo_kpo):
    path = bpo_kpo.get_absolute_url()
    miss(client, path)
    assert client.get(path + "?comment_page=2").status_code == 404
