"""Registration, and the Comment model's own rules."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured

from comments.api import register
from comments.models import Comment, accepts_new_comments, is_commentable
from comparisons.models import Comparison
from tests.comments.conftest import add_comment
from tests.commentsapp.models import Unregistered
from tests.factories import make_comparison

pytestmark = pytest.mark.django_db


def test_registered_targets_take_comments_until_closed(article):
    assert is_commentable(article) and accepts_new_comments(article)
    article.accepts_comments = False
    assert is_commentable(article) and not accepts_new_comments(article)


def test_hidden_targets_and_unregistered_models_are_not_commentable(article):
    article.visible = False
    assert not is_commentable(article) and not accepts_new_comments(article)
    group = Group.objects.create(name="Not a page")
    assert not is_commentable(group) and not accepts_new_comments(group)
    assert not is_commentable(None)


def test_a_model_that_looks_commentable_takes_no_comments_until_registered():
    thing = Unregistered.objects.create(title="Has is_public and comments_open")
    assert not is_commentable(thing) and not accepts_new_comments(thing)


def test_registering_a_model_without_what_comments_need_is_refused():
    with pytest.raises(ImproperlyConfigured, match=r"Group.is_public\(\) is needed"):
        register(Group)
    with pytest.raises(ImproperlyConfigured, match=r"Unregistered.open_for_comments is needed"):
        register(Unregistered, comments_open="open_for_comments")


def test_the_site_registers_comparisons_open_until_closed_and_public_only_when_published():
    comparison = make_comparison("Film", "Movie")
    assert comparison.comments_open is True  # the default
    assert accepts_new_comments(comparison)
    comparison.comments_open = False
    assert is_commentable(comparison) and not accepts_new_comments(comparison)
    comparison.status = Comparison.Status.DRAFT
    assert not is_commentable(comparison)


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
    shown = add_comment(article, "shown")
    add_comment(article, "waiting", status=Comment.Status.PENDING)
    add_comment(type(article).objects.create(title="Lake"), "elsewhere")
    assert list(Comment.objects.for_object(article).visible()) == [shown]
    assert Comment.objects.for_object(article).count() == 2


def test_the_moderation_queue_is_pending_comments_oldest_first(article):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    later = add_comment(article, "later", status=Comment.Status.PENDING, now=now)
    add_comment(article, "shown")
    add_comment(article, "spam", status=Comment.Status.SPAM)
    first = add_comment(
        article, "first", status=Comment.Status.PENDING, now=now - timedelta(hours=1)
    )
    assert list(Comment.objects.awaiting_moderation()) == [first, later]
