"""HEAD answers every public address as GET does, without a body (link checkers, monitors)."""

from django.urls import reverse

from comments.models import Comment
from tests.public_pages import public_pages


def other_public_addresses():
    comment = Comment.objects.visible().first()
    return [
        "/robots.txt",
        "/sitemap.xml",
        "/feeds/comparisons.rss",
        "/feeds/comparisons.atom",
        "/category/business/feed.rss",
        "/bpo-vs-kpo/",
        reverse("comments:forget") + "?next=/",
        reverse("comments:permalink", kwargs={"comment_id": comment.pk}),
        reverse("comments:digest"),
    ]


def test_head_answers_every_public_address_like_get(client, demo_site):
    paths = [path for _, path in public_pages()] + other_public_addresses()
    for path in paths:
        got = client.get(path)
        head = client.head(path)
        assert (path, head.status_code) == (path, got.status_code)
        assert head.status_code != 405
        assert head.content == b""
        assert head.get("Location") == got.get("Location")
