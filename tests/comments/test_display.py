"""The comments on a cached page: threads, removed comments, pages, permalinks, queries."""

import re
from datetime import timedelta

import pytest
from captcha.models import CaptchaStore
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import Comment
from tests.comments.conftest import add_comment, form_data
from tests.factories import make_comparison, page_and_parts_cache_miss

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(comparison):
    """Comments on a comparison: these tests cover how the site shows and moderates them."""
    return comparison


def page_html(client, target, query=""):
    response = client.get(target.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def comments_section(html):
    start = html.index('<section class="comments"')
    return html[start : html.index("</section>", start)]


def shown_ids(html):
    return [int(match) for match in re.findall(r'<article class="comment" id="comment-(\d+)"', html)]


def test_published_comments_show_threaded_oldest_first(client, article):
    start = timezone.now() - timedelta(hours=1)
    first = add_comment(article, "First thread", now=start)
    second = add_comment(article, "Second thread", now=start + timedelta(minutes=1))
    reply = add_comment(article, "Reply to first", parent=first, now=start + timedelta(minutes=2))
    nested = add_comment(article, "Reply to reply", parent=reply, now=start + timedelta(minutes=3))
    html = comments_section(page_html(client, article))
    assert shown_ids(html) == [first.pk, reply.pk, nested.pk, second.pk]
    assert html.count('<ol class="comment-replies">') == 2
    assert f'<a href="/comments/{first.pk}/">Permalink' in html
    assert f'href="/comments/new/comparisons.comparison/{article.pk}/?parent={first.pk}"' in html


def test_unpublished_comments_are_not_shown(client, article):
    add_comment(article, "Still pending", status=Comment.Status.PENDING)
    add_comment(article, "Spam spam", status=Comment.Status.SPAM)
    add_comment(article, "Gone", status=Comment.Status.DELETED)
    html = page_html(client, article)
    for text in ("Still pending", "Spam spam", "Gone", "has been removed"):
        assert text not in html
    assert "No comments yet." in html


def test_removed_comment_with_published_replies_leaves_a_placeholder(client, article):
    parent = add_comment(article, "Rude words")
    reply = add_comment(article, "A calm answer", parent=parent)
    Comment.objects.filter(pk=parent.pk).update(status=Comment.Status.DELETED)
    html = comments_section(page_html(client, article))
    assert "Rude words" not in html
    assert f'<p class="comment comment--removed" id="comment-{parent.pk}">This comment has been removed.</p>' in html
    assert shown_ids(html) == [reply.pk]


def test_text_name_and_homepage_are_rendered_safely(client, article):
    add_comment(
        article,
        "<script>alert(1)</script> see http://example.com",
        name="<b>Eve</b>",
        subject="<i>hi</i>",
        homepage="https://eve.example.com/",
    )
    html = comments_section(page_html(client, article))
    assert "<script>" not in html and "<b>Eve" not in html and "<i>hi" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<a href="https://eve.example.com/" rel="nofollow ugc noopener"><bdi>&lt;b&gt;Eve&lt;/b&gt;</bdi></a>' in html
    assert '<a href="http://example.com" rel="nofollow ugc noopener">http://example.com</a>' in html


def test_email_and_ip_never_appear_on_the_page(client, article):
    add_comment(article, "Hello", email="secret.person@example.com", ip="198.51.100.77")
    html = page_html(client, article)
    assert "secret.person" not in html and "198.51.100.77" not in html


def test_the_page_holds_nothing_per_visitor(client, article):
    add_comment(article, "Hello")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html and "captcha" not in html
    assert "csrftoken" not in response.cookies
    assert CaptchaStore.objects.count() == 0
    assert '<a class="button" href="/comments/new/comparisons.comparison/' in html
    assert '<script src="/static/js/comments.js" defer></script>' in html
    assert 'style="' not in html and "onclick" not in html


def test_staff_and_readers_get_the_same_comments_html(client, staff_client, article):
    add_comment(article, "Hello")
    assert comments_section(page_html(client, article)) == comments_section(
        page_html(staff_client, article)
    )


def test_closed_comments_stay_visible_without_form_or_reply_links(client, article):
    add_comment(article, "Said before closing")
    article.comments_open = False
    article.save()
    html = comments_section(page_html(client, article))
    assert "Said before closing" in html
    assert '<p class="comments__closed">Comments are closed.</p>' in html
    assert "Add new comment" not in html and "Reply" not in html


def make_threads(target, count, start=None):
    start = start or timezone.now() - timedelta(days=1)
    comments = [
        Comment(
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
            name=f"Reader {n}",
            email="r@example.com",
            subject=f"Thread {n}",
            text=f"Thread {n}",
            html=f"<p>Thread {n}</p>",
            status=Comment.Status.PUBLISHED,
            created_at=start + timedelta(seconds=n),
        )
        for n in range(count)
    ]
    return Comment.objects.bulk_create(comments)


def test_comments_are_paginated_by_50_threads(client, article):
    threads = make_threads(article, 51)
    add_comment(article, "Reply on the first page", parent=threads[0])
    first = comments_section(page_html(client, article))
    assert len(re.findall(r'<h3 class="comment__subject"[^>]*><bdi>Thread \d+</bdi></h3>', first)) == 50
    assert "Reply on the first page" in first
    assert "Comments page 1 of 2" in first
    assert f'href="{article.get_absolute_url()}?comment_page=2#comments" rel="next"' in first
    second = comments_section(page_html(client, article, "?comment_page=2"))
    assert shown_ids(second) == [threads[50].pk]
    assert f'href="{article.get_absolute_url()}#comments" rel="prev"' in second


@pytest.mark.parametrize("page", ["3", "0", "abc", "-1", "99999999999999999999"])
def test_pages_that_do_not_exist_are_404(client, article, page):
    make_threads(article, 51)
    response = client.get(article.get_absolute_url() + f"?comment_page={page}")
    assert response.status_code == 404


def test_permalink_lands_on_the_right_page(client, article):
    threads = make_threads(article, 51)
    late_reply = add_comment(article, "Late reply", parent=threads[50])
    response = client.get(f"/comments/{late_reply.pk}/")
    assert response.status_code == 302
    assert response["Location"] == (
        f"{article.get_absolute_url()}?comment_page=2#comment-{late_reply.pk}"
    )
    early = client.get(f"/comments/{threads[3].pk}/")
    assert early["Location"] == f"{article.get_absolute_url()}#comment-{threads[3].pk}"
    assert client.get(response["Location"]).status_code == 200


def test_permalinks_of_unpublished_comments_or_pages_are_404(client, article):
    pending = add_comment(article, "Pending", status=Comment.Status.PENDING)
    assert client.get(f"/comments/{pending.pk}/").status_code == 404
    published = add_comment(article, "Published")
    article.status = "draft"
    article.save()
    assert client.get(f"/comments/{published.pk}/").status_code == 404
    assert client.get("/comments/999999/").status_code == 404


@pytest.mark.parametrize("comment_count", [0, 200])
def test_page_query_count_is_constant(client, django_assert_max_num_queries, comment_count):
    target = make_comparison("Film", "Movie", rows=[("Aspect", "one", "two")])
    threads = make_threads(target, comment_count // 2)
    for thread in threads:
        add_comment(target, f"Reply to {thread.pk}", parent=thread)
    page_and_parts_cache_miss(client, target.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(target.get_absolute_url())
    assert response.status_code == 200
    assert len(queries) == 6
    page_and_parts_cache_miss(client, target.get_absolute_url() + "?comment_page=1")
    ContentType.objects.clear_cache()  # a fresh process: the budget of 8 still holds
    with django_assert_max_num_queries(8):
        client.get(target.get_absolute_url() + "?comment_page=1")


def test_right_to_left_overrides_in_names_and_subjects_cannot_flip_the_text_after_them(
    client, article
):
    override = "\u202e"
    comment = add_comment(article, "Body", name=f"{override}Eve", subject=f"{override}Hello")
    section = comments_section(page_html(client, article))
    assert f'-subject"><bdi>{override}Hello</bdi></h3>' in section
    assert f'-author"><bdi>{override}Eve</bdi></span>' in section
    assert f"to the comment “<bdi>{override}Hello</bdi>”" in section
    assert f'Reply<span class="visually-hidden"> to <bdi>{override}Eve</bdi></span>' in section
    form = client.get(f"/comments/new/comparisons.comparison/{article.pk}/?parent={comment.pk}")
    html = form.content.decode()
    assert f"Reply to “<bdi>{override}Hello</bdi>”" in html
    assert f'<p class="comment__meta"><bdi>{override}Eve</bdi> wrote:</p>' in html


def test_direction_and_control_characters_leave_names_and_subjects(client, article):
    """An override would turn the rest of a mail's line or an admin heading around; a control
    character shows as a box; right-to-left letters need neither and stay isolated."""
    data = form_data(
        article,
        name="\u202eEve\x07 \u05d0\u05d1",
        subject="\u2067Hello\nthere\x01",
        text="Fine\x01 text\x0b\nwith a tab\there.",
        preview="1",
    )
    html = client.post("/comments/post/", data).content.decode()
    assert '<h3 class="comment__subject"><bdi>Hello there</bdi></h3>' in html
    assert '<span class="comment__author"><bdi>Eve \u05d0\u05d1</bdi></span>' in html
    assert "<p>Fine text<br>\nwith a tab\there.</p>" in html
