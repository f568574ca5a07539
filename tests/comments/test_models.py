"""The commentable protocol and the Comment model's own rules."""

import pytest
from django.contrib.auth.models import Group

from comments.models import Comment, accepts_new_comments, is_commentable
from comparisons.models import Comparison
from tests.comments.conftest import add_comment

pytestmark = pytest.mark.django_db


def test_published_comparisons_take_comments_until_closed(article):
    assert article.comments_open is True  # the default
    assert is_commentable(article) and accepts_new_comments(article)
    article.comments_open = False
    assert is_commentable(article) and not accepts_new_comments(article)


def test_unpublished_targets_and_other_models_are_not_commentable(article):
    article.status = Comparison.Status.DRAFT
    assert not is_commentable(article)
    group = Group.objects.create(name="Not a page")
    assert not is_commentable(group) and not accepts_new_comments(group)
    assert not is_commentable(None)


def test_text_is_rendered_when_saved_and_stored_as_typed(article):
    comment = add_comment(article, "a < b\n\nsee www.example.com")
    assert comment.text == "a < b\n\nsee www.example.com"
    assert comment.html == (
        "<p>a &lt; b</p>\n<p>see "
        '<a href="http://www.example.com" rel="nofollow ugc noopener">www.example.com</a></p>'
    )
    comment.text = "changed"
    comment.save()
    assert Comment.objects.get().html == "<p>changed</p>"


def test_permalink_and_anchor(article):
    comment = add_comment(article, "Hi")
    assert comment.get_absolute_url() == f"/comments/{comment.pk}/"
    assert comment.anchor == f"comment-{comment.pk}"


@pytest.mark.parametrize(
    "homepage, shown",
    [("https://a.example.com/", "https://a.example.com/"), ("javascript:alert(1)", "")],
)
def test_only_web_homepages_are_linked(article, homepage, shown):
    comment = Comment(homepage=homepage)
    assert comment.safe_homepage == shown


def test_visible_and_for_object(article):
    from tests.factories import make_comparison

    shown = add_comment(article, "shown")
    add_comment(article, "waiting", status=Comment.Status.PENDING)
    add_comment(make_comparison("Lake", "Pond"), "elsewhere")
    assert list(Comment.objects.for_object(article).visible()) == [shown]
    assert Comment.objects.for_object(article).count() == 2
