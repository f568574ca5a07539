"""Posting through the form: captcha, honeypot, timestamp, duplicates, closed pages, PRG."""

import re

import pytest
from captcha.models import CaptchaStore
from django.urls import reverse

from comments.captcha import CAPTCHA_HELP
from comments.forms import TEXT_RULES, security_hash, target_label
from comments.models import Comment
from comments.moderation import DUPLICATE_MESSAGE, QUEUED_MESSAGE
from tests.comments.conftest import form_data, new_captcha

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.commentsapp.urls")]

POST_URL = "/comments/post/"


def form_url(target, **query):
    url = f"/comments/new/commentsapp.note/{target.pk}/"
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def assert_kept(response, data, fields=("name", "email", "homepage", "subject")):
    """The refused form comes back with everything typed, except the captcha answer."""
    html = response.content.decode()
    for field in fields:
        if data.get(field):
            assert f'value="{data[field]}"' in html, field
    assert f">\n{data['text']}</textarea>" in html
    if data.get("captcha_1"):
        assert f'value="{data["captcha_1"]}"' not in html
    assert "Your comment was not posted" in html


# The form page -----------------------------------------------------------------------------


def test_form_page_is_never_cached_and_holds_the_form(client, article):
    response = client.get(form_url(article))
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    html = response.content.decode()
    assert "csrfmiddlewaretoken" in html and 'name="captcha_0"' in html
    assert TEXT_RULES in html and CAPTCHA_HELP in html
    for label in ("Your name", "E-mail", "Homepage", "Subject", "Comment"):
        assert f">{label} " in html or f">{label}</label>" in html
    assert '<label class="field__label" for="id_captcha_1">' in html
    assert 'aria-describedby="id_text-help"' in html
    assert '<button class="captcha__refresh" type="button"' in html
    assert f'href="{article.get_absolute_url()}#comments"' in html
    assert CaptchaStore.objects.count() == 1


def test_form_fragment_is_just_the_form(client, article):
    response = client.get(form_url(article, fragment=1))
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert html.startswith('<div class="comment-form" id="comment-form">')
    assert "<html" not in html and "csrfmiddlewaretoken" in html


def test_reply_form_names_the_comment_replied_to(client, article):
    from tests.comments.conftest import add_comment

    parent = add_comment(article, "First!", subject="Opening words")
    html = client.get(form_url(article, parent=parent.pk)).content.decode()
    assert "Reply to “<bdi>Opening words</bdi>”" in html
    assert f'name="parent" value="{parent.pk}"' in html


@pytest.mark.parametrize("fragment", [0, 1])
def test_a_reply_form_names_the_author_when_the_subject_was_not_typed(client, article, fragment):
    from tests.comments.conftest import add_comment

    parent = add_comment(
        article, "Clear summary, thanks. In my team the BPO side handles billing.", name="Priya"
    )
    html = client.get(form_url(article, parent=parent.pk, fragment=fragment)).content.decode()
    assert "Reply to <bdi>Priya</bdi></h" in html
    assert parent.subject not in html  # no headline cut off mid-sentence


def test_staff_form_has_no_captcha_name_or_email(staff_client, article):
    html = staff_client.get(form_url(article)).content.decode()
    assert "captcha" not in html and 'name="name"' not in html and 'name="email"' not in html
    assert "Posting as <bdi>staffer</bdi>." in html


@pytest.mark.parametrize(
    "path, status",
    [
        ("/comments/new/commentsapp.note/999999/", 404),
        ("/comments/new/auth.user/1/", 404),
        ("/comments/new/nope.nope/1/", 404),
        ("/comments/new/commentsapp/1/", 400),
        ("/comments/new/commentsapp.note/abc/", 400),
        ("/comments/new/commentsapp.note/99999999999999999999999/", 400),
    ],
)
def test_form_page_for_unknown_targets(client, article, django_user_model, path, status):
    django_user_model.objects.create_user("someone", password="pw-for-tests-1")
    assert client.get(path).status_code == status


def test_form_page_for_unpublished_target_is_404(client, article):
    article.visible = False
    article.save()
    assert client.get(form_url(article)).status_code == 404


# Posting ---------------------------------------------------------------------------------


def test_anonymous_comment_is_queued_with_exact_text(client, article):
    text = "Films <b>are</b> movies & vice versa.\r\nSee www.example.com"
    response = client.post(POST_URL, form_data(article, text=text, homepage="https://ada.dev"))
    posted = reverse(
        "comments:posted",
        kwargs={"target_label": "commentsapp.note", "object_id": article.pk},
    )
    assert response.status_code == 302 and response["Location"].startswith(posted + "?comment=")
    posted = response["Location"]
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.text == text.replace("\r\n", "\n")  # the browser's line ends
    assert (comment.name, comment.email, comment.homepage) == (
        "Ada",
        "ada@example.com",
        "https://ada.dev",
    )
    assert comment.subject == "Films <b>are</b> movies &…"
    assert comment.ip_address == "127.0.0.1"
    assert comment.target == article
    page = client.get(posted)
    assert QUEUED_MESSAGE in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    # Post/Redirect/Get: reloading what the browser shows never posts again.
    client.get(posted)
    assert Comment.objects.count() == 1


def test_auto_publish_sends_the_visitor_to_the_comment(client, article, settings):
    settings.COMMENTS_AUTO_PUBLISH = True
    response = client.post(POST_URL, form_data(article, subject="My view"))
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PUBLISHED
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert "My view" in client.get(article.get_absolute_url()).content.decode()


def test_staff_post_without_captcha_and_publish_at_once(staff_client, staff_user, article):
    staff_user.first_name, staff_user.last_name, staff_user.email = "Sam", "Staff", "s@x.org"
    staff_user.save()
    data = form_data(article, captcha=False)
    for field in ("name", "email", "homepage"):
        del data[field]
    response = staff_client.post(POST_URL, data)
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert (comment.name, comment.email, comment.user, comment.status) == (
        "Sam Staff",
        "s@x.org",
        staff_user,
        Comment.Status.PUBLISHED,
    )


def test_reply_is_stored_in_its_thread(client, article, settings):
    from tests.comments.conftest import add_comment

    settings.COMMENTS_AUTO_PUBLISH = True
    parent = add_comment(article, "Top")
    client.post(POST_URL, form_data(article, parent=str(parent.pk), text="Answer"))
    reply = Comment.objects.get(text="Answer")
    assert (reply.parent, reply.thread, reply.depth) == (parent, parent, 1)


# Captcha ---------------------------------------------------------------------------------


def test_captcha_is_required(client, article):
    data = form_data(article, captcha_1="")
    response = client.post(POST_URL, data)
    assert response.status_code == 400
    assert "Type the code shown in the image." in response.content.decode()
    assert_kept(response, data)
    assert not Comment.objects.exists()


def test_wrong_captcha_is_refused_and_the_text_kept(client, article):
    data = form_data(article, captcha_1="wrong", subject="Keep me", homepage="http://a.example.com")
    response = client.post(POST_URL, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "The answer you entered for the CAPTCHA was not correct" in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_captcha-error id_captcha-help"' in html
    assert '<div class="error-summary" role="alert"' in html
    assert_kept(response, data)
    assert not Comment.objects.exists()


def test_a_solved_captcha_cannot_be_used_again(client, article, settings):
    settings.COMMENTS_RATE_LIMITS = ()
    data = form_data(article)
    assert client.post(POST_URL, data).status_code == 302
    again = client.post(POST_URL, {**data, "text": "Another thing entirely."})
    assert again.status_code == 400
    assert "CAPTCHA was not correct" in again.content.decode()
    assert Comment.objects.count() == 1


def test_a_failed_captcha_cannot_be_used_again(client, article):
    data = form_data(article)
    answer = data["captcha_1"]
    assert client.post(POST_URL, {**data, "captcha_1": "wrong"}).status_code == 400
    assert not CaptchaStore.objects.filter(hashkey=data["captcha_0"]).exists()
    retry = client.post(POST_URL, {**data, "captcha_1": answer})
    assert retry.status_code == 400
    assert not Comment.objects.exists()


def test_a_refused_form_comes_with_a_new_captcha(client, article):
    data = form_data(article, captcha_1="wrong")
    html = client.post(POST_URL, data).content.decode()
    assert data["captcha_0"] not in html
    assert CaptchaStore.objects.count() == 1  # the new one


def test_captcha_answer_is_case_insensitive(client, article):
    data = form_data(article)
    data["captcha_1"] = data["captcha_1"].upper()
    assert client.post(POST_URL, data).status_code == 302


# Honeypot and timestamp ----------------------------------------------------------------


def test_filled_honeypot_silently_discards_the_post(client, article):
    response = client.post(POST_URL, form_data(article, website="http://spam.example.com"))
    assert response.status_code == 302
    assert response["Location"].startswith("/comments/posted/")
    assert not Comment.objects.exists()


def test_honeypot_can_be_switched_off(client, article, settings):
    settings.COMMENTS_HONEYPOT = False
    assert 'name="website"' not in client.get(form_url(article)).content.decode()
    assert client.post(POST_URL, form_data(article, website="x")).status_code == 302
    assert Comment.objects.count() == 1


def test_posting_faster_than_three_seconds_is_refused(client, article):
    data = form_data(article, age=1)
    response = client.post(POST_URL, data)
    assert response.status_code == 400
    assert "That was quicker than a person can type" in response.content.decode()
    assert_kept(response, data)
    assert not Comment.objects.exists()


def test_a_form_older_than_two_hours_is_refused(client, article):
    data = form_data(article, age=2 * 60 * 60 + 5)
    response = client.post(POST_URL, data)
    assert response.status_code == 400
    assert "This form has expired" in response.content.decode()
    assert_kept(response, data)


def test_time_limits_are_settings(client, article, settings):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.COMMENTS_MAX_FORM_AGE_SECONDS = 60
    assert client.post(POST_URL, form_data(article, age=61)).status_code == 400
    assert client.post(POST_URL, form_data(article, age=0)).status_code == 302


def test_a_tampered_form_is_signed_afresh(client, article):
    data = form_data(article, age=60, security_hash="0" * 64)
    html = client.post(POST_URL, data).content.decode()
    assert "The form was changed or damaged" in html
    timestamp = int(re.search(r'name="timestamp" value="(\d+)"', html).group(1))
    assert timestamp > int(data["timestamp"])
    assert f'name="security_hash" value="{security_hash(f"{target_label(article)}:{article.pk}", timestamp)}"' in html


# Duplicates and closed pages -------------------------------------------------------------


def test_duplicate_comment_is_refused_with_409(client, article, settings):
    settings.COMMENTS_RATE_LIMITS = ()
    assert client.post(POST_URL, form_data(article)).status_code == 302
    data = form_data(article, email="ADA@example.com")
    response = client.post(POST_URL, data)
    assert response.status_code == 409
    assert DUPLICATE_MESSAGE.replace("'", "&#x27;") in response.content.decode()
    assert_kept(response, data)
    assert Comment.objects.count() == 1


def test_same_text_on_another_page_is_not_a_duplicate(client, article, settings):
    from tests.factories import make_comparison

    settings.COMMENTS_RATE_LIMITS = ()
    other = make_comparison("Lake", "Pond")
    assert client.post(POST_URL, form_data(article)).status_code == 302
    assert client.post(POST_URL, form_data(other)).status_code == 302


def test_closed_comments_refuse_posts_and_keep_the_text(client, article):
    article.accepts_comments = False
    article.save()
    response = client.post(POST_URL, form_data(article, text="Typed <before> closing"))
    html = response.content.decode()
    assert response.status_code == 403
    assert '<p class="comments__closed" role="alert">Comments are closed.</p>' in html
    assert 'readonly>Typed &lt;before&gt; closing</textarea>' in html
    assert "csrfmiddlewaretoken" not in html
    assert not Comment.objects.exists()
    form_page = client.get(form_url(article)).content.decode()
    assert "Comments are closed." in form_page and "<form" not in form_page.split("<main")[1]


@pytest.mark.parametrize("fragment", ["", "1"])
def test_a_page_taken_down_while_the_visitor_typed_gives_their_text_back(
    client, article, fragment
):
    article.visible = False  # taken down after the form was shown
    article.save()
    data = {**form_data(article, text="Typed before it went"), "fragment": fragment}
    response = client.post(POST_URL, data)
    html = response.content.decode()
    assert response.status_code == 403
    assert "This page is no longer published, so it takes no comments." in html
    assert 'readonly>Typed before it went</textarea>' in html
    assert f'href="{article.get_absolute_url()}#comments"' not in html  # it is gone
    assert not Comment.objects.exists()
    assert client.get(form_url(article)).status_code == 404  # no new form for it


# CSRF and malformed requests -----------------------------------------------------------


def test_csrf_is_enforced(article, settings):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    assert browser.post(POST_URL, form_data(article)).status_code == 403
    html = browser.get(form_url(article)).content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    data = form_data(article, csrfmiddlewaretoken=token)
    assert browser.post(POST_URL, data).status_code == 302
    wrong = form_data(article, csrfmiddlewaretoken="x" * 64, text="Do not lose me.")
    response = browser.post(POST_URL, wrong)
    html = response.content.decode()
    assert response.status_code == 403
    assert "the form&#x27;s security token had expired" in html
    assert_kept(response, wrong)
    assert Comment.objects.count() == 1
    # A fresh token comes with the form again, so posting once more works.
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    again = form_data(article, csrfmiddlewaretoken=token, text="Do not lose me.")
    settings.COMMENTS_RATE_LIMITS = ()
    assert browser.post(POST_URL, again).status_code == 302


def test_other_csrf_failures_get_the_sites_403_csrf_page(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"})
    assert response.status_code == 403
    assert "<h1>This form could not be sent</h1>" in response.content.decode()


def test_get_on_the_post_address_is_refused(client, db):
    assert client.get(POST_URL).status_code == 405


@pytest.mark.parametrize(
    "changes, status",
    [
        ({"target": None, "object_id": None}, 400),
        ({"target": "commentsapp.note", "object_id": "999999"}, 404),
        ({"target": "auth.user"}, 404),
        ({"target": "nope.nope"}, 404),
        ({"target": "garbage"}, 400),
        ({"target": "commentsapp.note\x00"}, 400),
        ({"object_id": "1 OR 1=1"}, 400),
        ({"object_id": "-1"}, 400),
        ({"object_id": "9" * 40}, 400),
        ({"timestamp": None, "security_hash": None}, 400),
        ({"security_hash": "0" * 40}, 400),
        ({"timestamp": "not-a-number"}, 400),
        ({"parent": "abc"}, 400),
        ({"parent": "999999"}, 400),
        ({"name": None, "email": None, "text": None}, 400),
        ({"text": "x\x00y"}, 400),
        ({"name": "N" * 61}, 400),
        ({"text": "x" * 5001}, 400),
        ({"email": "not-an-address"}, 400),
        ({"homepage": "javascript:alert(1)"}, 400),
        ({"homepage": "ftp://example.com/"}, 400),
        ({"text": " \r\n "}, 400),
    ],
)
def test_malformed_posts_get_a_clear_4xx(client, article, django_user_model, changes, status):
    django_user_model.objects.create_user("target-user", password="pw-for-tests-1")
    data = form_data(article)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    response = client.post(POST_URL, data)
    assert response.status_code == status
    assert not Comment.objects.exists()


def test_a_timestamp_signed_for_another_page_is_refused(client, article):
    other = type(article).objects.create(title="Lake and pond")
    data = form_data(other)
    data["object_id"] = str(article.pk)
    response = client.post(POST_URL, data)
    assert response.status_code == 400
    assert "The form was changed or damaged" in response.content.decode()
    assert_kept(response, data)
    assert not Comment.objects.exists()


def test_a_reply_to_a_comment_of_another_page_is_refused(client, article):
    from tests.comments.conftest import add_comment
    from tests.factories import make_comparison

    elsewhere = add_comment(make_comparison("Lake", "Pond"), "Elsewhere")
    response = client.post(POST_URL, form_data(article, parent=str(elsewhere.pk)))
    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_a_reply_to_an_unpublished_comment_is_refused(client, article):
    from tests.comments.conftest import add_comment

    pending = add_comment(article, "Waiting", status=Comment.Status.PENDING)
    data = form_data(article, parent=str(pending.pk))
    response = client.post(POST_URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The comment you reply to is not on this page. Post it as a new comment instead." in html
    assert_kept(response, data)
    assert 'name="parent" id="id_parent"' in html  # now a new comment, not a reply
    assert Comment.objects.count() == 1


def test_invalid_utf8_is_refused(client, article):
    data = form_data(article)
    body = "&".join(f"{key}={value}" for key, value in data.items() if key != "text")
    response = client.post(
        POST_URL,
        (body + "&text=caf%E9+%FF").encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()


def test_a_10_mb_body_is_refused(client, article):
    data = form_data(article, text="x" * (10 * 1024 * 1024))
    assert client.post(POST_URL, data).status_code == 400
    assert not Comment.objects.exists()


def test_new_captcha_key_is_not_reused_between_forms(client, article):
    first, _ = new_captcha()
    second, _ = new_captcha()
    assert first != second


def test_error_summary_links_each_error_to_its_field(client, article):
    data = form_data(article, name="", email="", homepage="ftp://x.example.com")
    html = client.post(POST_URL, data).content.decode()
    assert '<li><a href="#id_name">Enter your name.</a></li>' in html
    assert '<li><a href="#id_email">Enter your e-mail address.</a></li>' in html
    assert (
        '<li><a href="#id_homepage">Enter a web address starting with http:// or https://.</a></li>'
        in html
    )
    assert '<p class="field__error" id="id_name-error">Enter your name.</p>' in html
    assert 'aria-describedby="id_name-error"' in html
    assert 'aria-describedby="id_email-error id_email-help"' in html
    assert 'value="ftp://x.example.com"' in html


def test_line_ends_count_once_toward_the_5000_characters(client, article):
    text = ("x" * 99 + "\r\n") * 50  # 5,000 characters as the textarea counts them
    assert client.post(POST_URL, form_data(article, text=text)).status_code == 302
    assert Comment.objects.get().text == text.replace("\r\n", "\n")
    too_long = form_data(article, text=text + "x")
    assert client.post(POST_URL, too_long).status_code == 400


def test_the_outage_page_sends_both_ticks_again(rf, article):
    from comments.views import kept_comment

    data = form_data(article, notify="on", remember="on")
    request = rf.post(POST_URL, data)
    hidden = dict(kept_comment(request)["hidden"])
    assert (hidden["notify"], hidden["remember"]) == ("on", "on")
    assert "captcha_0" not in hidden and "website" not in hidden


def test_a_refused_post_says_so_in_the_page_title(client, article):
    html = client.post(POST_URL, form_data(article, email="not an address")).content.decode()
    assert "<title>Error: Add new comment on " in html


def test_an_empty_form_posted_at_once_gets_only_what_is_missing(client, article):
    data = form_data(article, age=0, name="", email="", text="")
    html = client.post(POST_URL, data).content.decode()
    assert "Write your comment." in html and "Enter your name." in html
    assert "quicker than a person can type" not in html
    quick = client.post(POST_URL, form_data(article, age=0)).content.decode()
    assert "That was quicker than a person can type" in quick


def test_a_preview_with_a_mistake_keeps_the_code_and_says_so(client, article):
    data = form_data(article, email="not an address", preview="1")
    html = client.post(POST_URL, data).content.decode()
    assert "Everything you typed is still in the form.</p>" in html
    assert "except the code from the image" not in html
