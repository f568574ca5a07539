"""Rate limits, spam rules, client IPs, subjects and the comments_changed signal."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import OperationalError
from django.test import RequestFactory

from comments import moderation
from comments.models import BlockedWord, Comment
from comments.moderation import RateLimited, check_rate_limit, client_ip, record_accepted_post
from comments.signals import comments_changed
from tests.comments.conftest import add_comment, form_data

pytestmark = pytest.mark.django_db

POST_URL = "/comments/post/"
NOW = 1_800_000_000.0


# Rate limits -----------------------------------------------------------------------------


def test_one_comment_per_15_seconds():
    record_accepted_post("203.0.113.7", now=NOW)
    with pytest.raises(RateLimited, match="try again in 15 seconds"):
        check_rate_limit("203.0.113.7", now=NOW)
    with pytest.raises(RateLimited, match="try again in 1 second"):
        check_rate_limit("203.0.113.7", now=NOW + 14.5)
    check_rate_limit("203.0.113.7", now=NOW + 15.5)
    check_rate_limit("203.0.113.8", now=NOW)  # another client is not affected


def test_five_comments_per_10_minutes():
    for minute in range(5):
        check_rate_limit("203.0.113.7", now=NOW + minute * 60)
        record_accepted_post("203.0.113.7", now=NOW + minute * 60)
    with pytest.raises(RateLimited, match="try again in 5 minutes"):
        check_rate_limit("203.0.113.7", now=NOW + 5 * 60)
    check_rate_limit("203.0.113.7", now=NOW + 10 * 60 + 1)  # the first one has expired


def test_two_posts_at_the_same_moment_cannot_both_pass_the_15_second_rule():
    check_rate_limit("203.0.113.7", now=NOW)
    check_rate_limit("203.0.113.7", now=NOW)  # both checked before either was recorded
    record_accepted_post("203.0.113.7", now=NOW)
    with pytest.raises(RateLimited):
        record_accepted_post("203.0.113.7", now=NOW)


def test_ipv6_clients_are_limited_per_64_network():
    record_accepted_post("2001:db8:1:2::1", now=NOW)
    with pytest.raises(RateLimited):
        check_rate_limit("2001:db8:1:2:ffff::9", now=NOW + 1)
    check_rate_limit("2001:db8:1:3::1", now=NOW + 1)


def test_the_sixth_comment_in_ten_minutes_gets_429_and_keeps_the_text(client, article, settings):
    settings.COMMENTS_RATE_LIMITS = ((5, 600),)
    for number in range(5):
        response = client.post(POST_URL, form_data(article, text=f"Comment {number}"))
        assert response.status_code == 302
    data = form_data(article, text="The sixth.")
    response = client.post(POST_URL, data)
    html = response.content.decode()
    assert response.status_code == 429
    assert "You have posted too many comments in a short time" in html
    assert ">\nThe sixth.</textarea>" in html and 'value="Ada"' in html
    assert 0 < int(response["Retry-After"]) <= 600
    assert Comment.objects.count() == 5


def test_a_second_comment_within_15_seconds_gets_429(client, article):
    assert client.post(POST_URL, form_data(article, text="One")).status_code == 302
    response = client.post(POST_URL, form_data(article, text="Two"))
    assert response.status_code == 429
    assert Comment.objects.count() == 1


def test_refused_posts_do_not_count_toward_the_limits(client, article):
    assert client.post(POST_URL, form_data(article, captcha_1="wrong")).status_code == 400
    assert client.post(POST_URL, form_data(article, age=1)).status_code == 400
    assert client.post(POST_URL, form_data(article)).status_code == 302


def test_staff_are_not_rate_limited(staff_client, article):
    for number in range(3):
        data = form_data(article, captcha=False, text=f"Staff note {number}")
        assert staff_client.post(POST_URL, data).status_code == 302


def test_an_unreachable_rate_limit_cache_refuses_with_429(client, article, settings):
    settings.CACHES = {
        **settings.CACHES,
        "unreachable": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there: "Redis is down"
        },
    }
    settings.COMMENTS_RATE_LIMIT_CACHE = "unreachable"
    data = form_data(article, text="Please keep this.")
    response = client.post(POST_URL, data)
    html = response.content.decode()
    assert response.status_code == 429
    assert "please try again in a minute" in html
    assert ">\nPlease keep this.</textarea>" in html
    assert not Comment.objects.exists()


def test_limits_use_the_configured_cache(client, article, settings):
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "limits": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "l"},
    }
    settings.COMMENTS_RATE_LIMIT_CACHE = "limits"
    assert client.post(POST_URL, form_data(article)).status_code == 302
    assert caches["limits"].get("limits:comments:posts:127.0.0.1:1:0")


# Client IP -------------------------------------------------------------------------------


def test_client_ip_is_remote_addr_by_default():
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "198.51.100.1"


def test_client_ip_comes_from_the_trusted_proxy_header_only_when_configured(settings):
    settings.COMMENTS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    factory = RequestFactory()
    request = factory.get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9"
    )
    assert client_ip(request) == "198.51.100.9"
    junk = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_ip(junk) == "10.0.0.1"


# Spam rules ------------------------------------------------------------------------------


def test_two_links_hold_a_comment_even_with_auto_publish(article, settings):
    settings.COMMENTS_AUTO_PUBLISH = True
    held = moderation.post_comment(
        article, name="N", email="n@example.com", text="http://a.com and www.b.com"
    )
    assert (held.status, held.held_reason) == (Comment.Status.PENDING, "2 links")
    one = moderation.post_comment(article, name="N", email="n@example.com", text="http://a.com")
    assert (one.status, one.held_reason) == (Comment.Status.PUBLISHED, "")


def test_blocked_words_hold_a_comment_for_review(article, settings):
    settings.COMMENTS_AUTO_PUBLISH = True
    BlockedWord.objects.create(word="Cheap Pills")
    BlockedWord.objects.create(word="ass")
    held = moderation.post_comment(
        article, name="N", email="n@example.com", text="Buy CHEAP pills here"
    )
    assert held.status == Comment.Status.PENDING
    assert held.held_reason == "blocked words: Cheap Pills"
    # Whole words only: "class" and "passage" do not contain the word "ass".
    fine = moderation.post_comment(
        article, name="N", email="n@example.com", text="A first-class passage."
    )
    assert (fine.status, fine.held_reason) == (Comment.Status.PUBLISHED, "")


def test_staff_comments_publish_at_once_whatever_the_rules(article, staff_user):
    BlockedWord.objects.create(word="pills")
    staff = moderation.post_comment(
        article, name="S", email="", text="Pills: http://a.com http://b.com", user=staff_user
    )
    assert (staff.status, staff.held_reason) == (Comment.Status.PUBLISHED, "")


def test_held_comments_post_through_the_form_go_to_the_queue(client, article, settings):
    settings.COMMENTS_AUTO_PUBLISH = True
    text = "See http://a.example.com and http://b.example.com"
    response = client.post(POST_URL, form_data(article, text=text))
    assert response["Location"].startswith("/comments/posted/")
    assert Comment.objects.get().status == Comment.Status.PENDING


# Subjects and threads --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, subject",
    [
        ("Short one", "Short one"),
        ("  spaced\n\nout  ", "spaced out"),
        ("The quick brown fox jumps over the lazy dog", "The quick brown fox jumps…"),
        ("Supercalifragilisticexpialidocious-and-more", "Supercalifragilisticexpialid…"),
    ],
)
def test_subject_is_derived_from_the_first_words(text, subject):
    assert moderation.derive_subject(text) == subject
    assert len(subject) <= moderation.SUBJECT_LENGTH


def test_replies_deeper_than_three_levels_attach_at_level_three(article):
    top = add_comment(article, "level 1")
    second = add_comment(article, "level 2", parent=top)
    third = add_comment(article, "level 3", parent=second)
    fourth = add_comment(article, "level 4?", parent=third)
    assert [c.depth for c in (top, second, third, fourth)] == [0, 1, 2, 2]
    assert fourth.parent == second and fourth.thread == top


def test_max_depth_is_a_setting(article, settings):
    settings.COMMENTS_MAX_DEPTH = 2
    top = add_comment(article, "level 1")
    second = add_comment(article, "level 2", parent=top)
    third = add_comment(article, "level 3?", parent=second)
    assert (third.parent, third.depth) == (top, 1)


# Signals ---------------------------------------------------------------------------------


@pytest.fixture
def changes():
    received = []

    def listener(sender, targets, **kwargs):
        received.append(targets)

    comments_changed.connect(listener)
    yield received
    comments_changed.disconnect(listener)


def test_posting_and_moderating_send_comments_changed(
    article, changes, django_capture_on_commit_callbacks
):
    key = (ContentType.objects.get_for_model(article).pk, article.pk)
    with django_capture_on_commit_callbacks(execute=True):
        comment = add_comment(article, "Hi", status=Comment.Status.PENDING)
    assert changes == [{key}]
    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate(Comment.objects.filter(pk=comment.pk), Comment.Status.PUBLISHED)
    assert changes == [{key}, {key}]
    with django_capture_on_commit_callbacks(execute=True):
        assert moderation.moderate(Comment.objects.all(), Comment.Status.PUBLISHED) == 0
    assert len(changes) == 2  # nothing changed, nothing sent


def test_signal_waits_for_the_commit(article, changes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        add_comment(article, "Hi")
    assert changes == [] and len(callbacks) == 1


# Dual-stack binds and failed posts ------------------------------------------------------


def test_ipv4_visitors_seen_as_mapped_ipv6_each_have_their_own_limit(client, article):
    first = form_data(article, text="From the first visitor")
    assert client.post(POST_URL, first, REMOTE_ADDR="::ffff:203.0.113.5").status_code == 302
    again = form_data(article, text="Again, too soon")
    assert client.post(POST_URL, again, REMOTE_ADDR="203.0.113.5").status_code == 429
    second = form_data(article, text="From another visitor")
    assert client.post(POST_URL, second, REMOTE_ADDR="::ffff:203.0.113.6").status_code == 302
    assert sorted(Comment.objects.values_list("ip_address", flat=True)) == [
        "203.0.113.5",
        "203.0.113.6",
    ]


def test_a_post_that_fails_to_store_does_not_count_against_the_limit(
    client, article, monkeypatch
):
    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    with monkeypatch.context() as patch:
        patch.setattr(moderation, "post_comment", locked)
        response = client.post(POST_URL, form_data(article, text="Kept for later."))
    assert response.status_code == 503
    assert "Kept for later." in response.content.decode()
    response = client.post(POST_URL, form_data(article, text="Kept for later."))
    assert response.status_code == 302
    assert Comment.objects.get().text == "Kept for later."
