"""The comment form page stays cheap and bounded: per-client limit, HEAD, captcha clean-up."""

from datetime import timedelta

import pytest
from captcha.models import CaptchaStore
from django.core.cache import caches
from django.utils import timezone

from comments import captcha
from comments.forms import target_label
from comments.views import FORM_PAGE_LIMIT_MESSAGE

pytestmark = pytest.mark.django_db


def form_url(target):
    return f"/comments/new/{target_label(target)}/{target.pk}/"


@pytest.fixture(autouse=True)
def fresh_limits(settings):
    caches[settings.COMMENTS_RATE_LIMIT_CACHE].clear()
    yield
    caches[settings.COMMENTS_RATE_LIMIT_CACHE].clear()


def test_one_client_gets_a_fast_429_past_its_allowance(
    client, article, settings, django_assert_num_queries
):
    settings.COMMENTS_FORM_PAGE_LIMIT = (5, 60)
    for _ in range(5):
        assert client.get(form_url(article), REMOTE_ADDR="203.0.113.7").status_code == 200
    with django_assert_num_queries(0):
        refused = client.get(form_url(article), REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "no-store" in refused["Cache-Control"]
    assert f'<p role="alert">{FORM_PAGE_LIMIT_MESSAGE}</p>' in refused.content.decode()
    # What one client could make the site store is bounded by its allowance.
    assert CaptchaStore.objects.count() == 5
    # Another client is not affected.
    assert client.get(form_url(article), REMOTE_ADDR="203.0.113.8").status_code == 200


def test_the_allowance_comes_back_in_the_next_window(article, settings):
    from comments.moderation import allow_form_page

    settings.COMMENTS_FORM_PAGE_LIMIT = (2, 60)
    start = 1_000_000 * 60
    assert [allow_form_page("198.51.100.4", now=start + t) for t in (0, 1, 2)] == [
        True,
        True,
        False,
    ]
    assert allow_form_page("198.51.100.4", now=start + 60) is True


def test_the_limit_can_be_switched_off(client, article, settings):
    settings.COMMENTS_FORM_PAGE_LIMIT = (0, 0)
    for _ in range(3):
        assert client.get(form_url(article)).status_code == 200


def test_head_answers_like_get_and_stores_no_captcha(client, article):
    got = client.get(form_url(article))
    assert CaptchaStore.objects.count() == 1
    head = client.head(form_url(article))
    assert head.status_code == 200
    assert head.content == b""
    for header in ("Content-Type", "Content-Length", "Cache-Control"):
        assert head[header] == got[header], header
    assert CaptchaStore.objects.count() == 1


def test_closed_comments_store_no_captcha(client, article):
    article.accepts_comments = False
    article.save()
    html = client.get(form_url(article)).content.decode()
    assert "Comments are closed." in html
    assert not CaptchaStore.objects.exists()


def test_the_form_page_clears_expired_captchas_once_a_minute(client, article, monkeypatch):
    monkeypatch.setattr(captcha, "_last_cleanup", float("-inf"))
    expired = [CaptchaStore.generate_key() for _ in range(3)]
    CaptchaStore.objects.filter(hashkey__in=expired).update(
        expiration=timezone.now() - timedelta(seconds=1)
    )
    client.get(form_url(article))
    assert not CaptchaStore.objects.filter(hashkey__in=expired).exists()
    assert CaptchaStore.objects.count() == 1  # the one just shown
    # Within the minute, nothing more is deleted: one DELETE a minute at most.
    assert captcha.remove_expired_captchas(now=captcha._last_cleanup + 59) is False
    assert captcha.remove_expired_captchas(now=captcha._last_cleanup + 60) is True


def test_new_images_and_sounds_count_toward_the_same_allowance(client, article, settings):
    settings.COMMENTS_FORM_PAGE_LIMIT = (2, 60)
    ajax = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest", "REMOTE_ADDR": "203.0.113.9"}
    assert client.get(form_url(article), REMOTE_ADDR="203.0.113.9").status_code == 200
    assert client.get("/captcha/refresh/", **ajax).status_code == 200
    assert client.get("/captcha/refresh/", **ajax).status_code == 429
    key = CaptchaStore.objects.first().hashkey
    assert client.get(f"/captcha/audio/{key}.wav", REMOTE_ADDR="203.0.113.9").status_code == 429
    assert CaptchaStore.objects.count() == 2


def test_a_flood_of_429s_writes_no_log_lines(client, article, settings, caplog):
    settings.COMMENTS_FORM_PAGE_LIMIT = (1, 60)
    client.get(form_url(article))
    with caplog.at_level("WARNING", logger="django.request"):
        for _ in range(3):
            assert client.get(form_url(article)).status_code == 429
    assert caplog.records == []
