"""The comment section people expect: count, own comment after posting, preview, remember me,
subjects, one error per mistake."""

import re

import pytest
from captcha.models import CaptchaStore

from comments.models import Comment
from comments.moderation import QUEUED_MESSAGE
from comments.remember import REMEMBER_COOKIE
from tests.comments.conftest import add_comment, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(comparison):
    """The comment section as the site shows it, on a comparison page."""
    return comparison

POST_URL = "/comments/post/"


def form_url(target):
    return f"/comments/new/comparisons.comparison/{target.pk}/"


# The count ------------------------------------------------------------------------------------


def test_count_of_published_comments_under_the_title_and_as_heading(client, article):
    first = add_comment(article, "One")
    add_comment(article, "Two", parent=first)
    add_comment(article, "Waiting", status=Comment.Status.PENDING)
    add_comment(article, "Spam", status=Comment.Status.SPAM)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<p class="comments-count"><a href="#comments">2 comments</a></p>' in html
    assert '<h2 id="comments-heading">Comments (2)</h2>' in html
    assert html.index("comments-count") < html.index('id="comments-heading"')


def test_one_comment_and_none(client, article, bpo_kpo):
    add_comment(article, "Alone")
    assert '<a href="#comments">1 comment</a>' in client.get(article.get_absolute_url()).content.decode()
    html = client.get(bpo_kpo.get_absolute_url()).content.decode()
    assert '<a href="#comments">0 comments</a>' in html
    assert '<h2 id="comments-heading">Comments (0)</h2>' in html


def test_the_count_costs_no_query_of_its_own(client, article):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import page_and_parts_cache_miss

    for n in range(3):
        add_comment(article, f"Comment {n}")
    page_and_parts_cache_miss(client, article.get_absolute_url())
    with CaptureQueriesContext(connection) as counted:
        client.get(article.get_absolute_url())
    comment_queries = [q["sql"] for q in counted.captured_queries if "comments_comment" in q["sql"]]
    assert len(comment_queries) == 1


def test_the_cached_count_changes_when_a_comment_is_published(
    client, article, django_capture_on_commit_callbacks
):
    url = article.get_absolute_url()
    waiting = add_comment(article, "Soon", status=Comment.Status.PENDING)
    assert "Comments (0)" in client.get(url).content.decode()
    assert "Comments (0)" in client.get(url).content.decode()  # from the page cache
    from comments.moderation import moderate

    with django_capture_on_commit_callbacks(execute=True):
        moderate(Comment.objects.filter(pk=waiting.pk), Comment.Status.PUBLISHED)
    html = client.get(url).content.decode()
    assert "Comments (1)" in html and '<a href="#comments">1 comment</a>' in html


# Own comment after posting ------------------------------------------------------------------


def test_without_js_the_poster_sees_their_comment_awaiting_moderation(client, article):
    data = form_data(article, text="Line one\nwww.example.com", subject="My point")
    response = client.post(POST_URL, data)
    posted = client.get(response["Location"])
    html = posted.content.decode()
    assert "no-store" in posted["Cache-Control"]
    assert '<p class="comment__status" id="own-comment-status">Awaiting moderation</p>' in html
    assert '<h3 class="comment__subject"><bdi>My point</bdi></h3>' in html
    assert '<p>Line one<br>\n<a href="http://www.example.com"' in html
    assert QUEUED_MESSAGE in html
    assert f'<a href="{article.get_absolute_url()}#comments">Back to <bdi>{article}</bdi></a>' in html
    # Nobody else sees it: not on the (cached) page, not on the posted page without the token.
    assert "Line one" not in client.get(article.get_absolute_url()).content.decode()
    bare = response["Location"].split("?")[0]
    assert "Line one" not in client.get(bare).content.decode()
    assert "Line one" not in client.get(bare + "?comment=1:forged").content.decode()


def test_with_js_the_form_is_replaced_by_the_comment(client, article):
    data = form_data(article, text="Shown in place", fragment="1")
    response = client.post(POST_URL, data)
    assert "fragment=1" in response["Location"]
    html = client.get(response["Location"]).content.decode()
    assert html.startswith('<div class="comment-posted" data-comment-posted>')
    assert "Awaiting moderation" in html and "Shown in place" in html
    assert "<html" not in html


def test_a_comment_published_at_once_appears_in_the_list(client, article, settings):
    settings.COMMENTS_AUTO_PUBLISH = True
    settings.COMMENTS_RATE_LIMITS = ()
    response = client.post(POST_URL, form_data(article, text="Straight in"))
    comment = Comment.objects.get()
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert "Straight in" in client.get(article.get_absolute_url()).content.decode()
    # With JS, the script is sent on to the same place.
    js = client.post(POST_URL, form_data(article, text="Also straight in", fragment="1",
                                         email="other@example.com"))
    html = client.get(js["Location"]).content.decode()
    later = Comment.objects.latest("pk")
    assert f'data-permalink="{article.get_absolute_url()}#comment-{later.pk}"' in html


# Preview --------------------------------------------------------------------------------------


def test_preview_renders_the_comment_and_keeps_the_captcha(client, article):
    data = form_data(article, text="First line\nSecond www.example.com", preview="1")
    key, answer = data["captcha_0"], data["captcha_1"]
    response = client.post(POST_URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 class="comment-preview__heading" id="comment-preview-heading">Preview of your comment</h2>' in html
    assert '<p>First line<br>\nSecond <a href="http://www.example.com"' in html
    assert "Preview: not posted yet" in html
    # The same captcha, with the answer typed: nothing was spent or stored.
    assert f'name="captcha_0" value="{key}"' in html
    assert f'name="captcha_1" value="{answer}"' in html
    assert CaptchaStore.objects.filter(hashkey=key).exists()
    assert not Comment.objects.exists()
    # Posting right after the preview works with that captcha.
    data.pop("preview")
    data["timestamp"] = re.search(r'name="timestamp" value="(\d+)"', html).group(1)
    data["security_hash"] = re.search(r'name="security_hash" value="(\w+)"', html).group(1)
    assert client.post(POST_URL, data).status_code == 302
    assert Comment.objects.count() == 1


def test_preview_still_reports_mistakes(client, article):
    response = client.post(POST_URL, form_data(article, preview="1", email="nope"))
    assert response.status_code == 400
    assert "Enter an e-mail address like name@example.com." in response.content.decode()
    assert "Preview of your comment" not in response.content.decode()


# Remember me ------------------------------------------------------------------------------


def test_remember_me_is_unticked_by_default(client, article):
    html = client.get(form_url(article)).content.decode()
    assert '<input type="checkbox" name="remember"' in html
    assert re.search(r'<input type="checkbox" name="remember"[^>]*checked', html) is None
    assert "Save my name, e-mail and homepage for the next comment" in html


def test_remember_me_fills_the_next_form_and_can_be_forgotten(client, article, settings):
    settings.COMMENTS_RATE_LIMITS = ()
    response = client.post(
        POST_URL, form_data(article, name="Vera", homepage="https://vera.example", remember="on")
    )
    cookie = response.cookies[REMEMBER_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["path"] == "/comments/"
    assert "vera.example" not in cookie.value.split(":")[-1]  # signed, not readable as-is
    html = client.get(form_url(article)).content.decode()
    assert 'name="name" value="Vera"' in html
    assert 'value="https://vera.example"' in html
    assert re.search(r'<input type="checkbox" name="remember"[^>]*checked', html)
    assert "or <a href=\"/comments/forget-me/?next=" in html and "forget my details now</a>." in html
    # Forgetting: the link deletes the cookie and goes back to the form.
    forget = client.get(f"/comments/forget-me/?next={form_url(article)}")
    assert forget.status_code == 302 and forget["Location"] == form_url(article)
    assert forget.cookies[REMEMBER_COOKIE].value == ""
    assert 'name="name" value="Vera"' not in client.get(form_url(article)).content.decode()


@pytest.mark.parametrize("back", ["-1", "1e5", "a%C3%A9b", "%FF", "//evil.example/", "https://evil.example/"])
def test_forgetting_with_a_return_address_that_is_no_local_path_goes_home(client, back):
    response = client.get(f"/comments/forget-me/?next={back}")
    assert response.status_code == 302 and response["Location"] == "/"


def test_posting_unticked_forgets_the_details(client, article, settings):
    settings.COMMENTS_RATE_LIMITS = ()
    client.post(POST_URL, form_data(article, remember="on"))
    response = client.post(POST_URL, form_data(article, text="Another one"))
    assert response.cookies[REMEMBER_COOKIE].value == ""


def test_a_forged_cookie_is_ignored(client, article):
    client.cookies[REMEMBER_COOKIE] = '{"name": "Mallory"}'
    assert "Mallory" not in client.get(form_url(article)).content.decode()


def test_cached_pages_are_identical_with_and_without_the_cookie(client, article, settings):
    settings.COMMENTS_RATE_LIMITS = ()
    url = article.get_absolute_url()
    add_comment(article, "Visible")
    before = client.get(url).content
    client.post(POST_URL, form_data(article, remember="on"))
    assert REMEMBER_COOKIE in client.cookies
    assert client.get(url).content == before


# Subjects and errors -----------------------------------------------------------------------


def test_a_derived_subject_is_no_headline(client, article):
    add_comment(article, "A long comment whose first words would be cut off as a heading")
    add_comment(article, "Short", subject="Typed subject")
    html = client.get(article.get_absolute_url()).content.decode()
    assert re.findall(r'<h3 class="comment__subject"[^>]*><bdi>([^<]*)</bdi></h3>', html) == ["Typed subject"]
    derived = Comment.objects.get(subject_derived=True)
    assert f'aria-labelledby="comment-{derived.pk}-author"' in html


def test_an_invalid_homepage_is_reported_once(client, article):
    html = client.post(POST_URL, form_data(article, homepage="not a web address")).content.decode()
    message = "Enter a web address starting with http:// or https://."
    assert html.count(message) == 2  # once in the summary (a link to the field), once by it
    assert f'<p class="field__error" id="id_homepage-error">{message}</p>' in html
