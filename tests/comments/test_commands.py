"""Housekeeping: old IPs are blanked, expired captchas deleted."""

import io
from datetime import timedelta

import pytest
from captcha.models import CaptchaStore
from django.core.management import CommandError, call_command
from django.utils import timezone

from comments.models import Comment
from tests.comments.conftest import add_comment

pytestmark = pytest.mark.django_db


def purge(*args):
    output = io.StringIO()
    call_command("purge_comment_ips", *args, stdout=output)
    return output.getvalue()


def test_purge_blanks_ips_older_than_90_days_by_default(article):
    now = timezone.now()
    old = add_comment(article, "old", ip="198.51.100.1", now=now - timedelta(days=91))
    recent = add_comment(article, "recent", ip="198.51.100.2", now=now - timedelta(days=89))
    output = purge()
    assert "Blanked the IP address of 1 comment(s) older than 90 days." in output
    assert Comment.objects.get(pk=old.pk).ip_address is None
    assert Comment.objects.get(pk=recent.pk).ip_address == "198.51.100.2"
    assert Comment.objects.get(pk=old.pk).text == "old"


def test_purge_takes_days(article):
    add_comment(article, "a", ip="198.51.100.1", now=timezone.now() - timedelta(days=8))
    purge("--days", "7")
    assert not Comment.objects.filter(ip_address__isnull=False).exists()
    with pytest.raises(CommandError):
        purge("--days", "-1")


def test_purge_also_deletes_expired_captchas(db):
    expired = CaptchaStore.objects.get(hashkey=CaptchaStore.generate_key())
    CaptchaStore.objects.filter(pk=expired.pk).update(
        expiration=timezone.now() - timedelta(minutes=1)
    )
    live = CaptchaStore.generate_key()
    purge()
    assert list(CaptchaStore.objects.values_list("hashkey", flat=True)) == [live]
