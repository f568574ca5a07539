"""Helpers for the comments tests: a commentable note, valid form data, a clean rate limit.

The comments app is tested against its own small site of notes (tests/commentsapp); the tests
of how comments appear on comparison pages ask for `comparison` instead.
"""

import time

import pytest
from captcha.models import CaptchaStore

from comments.forms import security_hash, target_label
from comments.models import Comment
from comments.moderation import post_comment
from tests.commentsapp.models import Note
from tests.factories import make_comparison


@pytest.fixture
def article(db):
    """A note that takes comments."""
    return Note.objects.create(title="Film and movie")


@pytest.fixture
def comparison(db):
    return make_comparison("Film", "Movie")


def new_captcha():
    """Return (key, answer) of a fresh captcha, as a visitor reading the image would."""
    key = CaptchaStore.generate_key()
    return key, CaptchaStore.objects.get(hashkey=key).response


def form_data(commented, /, *, age=10, captcha=True, **overrides):
    """Valid POST data for a new comment on `commented`, served `age` seconds ago."""
    served = int(time.time() - age)
    label = target_label(commented)
    data = {
        "target": label,
        "object_id": str(commented.pk),
        "timestamp": str(served),
        "security_hash": security_hash(f"{label}:{commented.pk}", served),
        "name": "Ada",
        "email": "ada@example.com",
        "homepage": "",
        "subject": "",
        "text": "A film is a movie, said Ada.",
        "website": "",
    }
    if captcha:
        key, answer = new_captcha()
        data.update(captcha_0=key, captcha_1=answer)
    data.update(overrides)
    return data


def add_comment(target, text="Hello", *, status=Comment.Status.PUBLISHED, **fields):
    """Store a comment directly (no form, no limits) and set its status."""
    fields.setdefault("name", "Reader")
    fields.setdefault("email", "reader@example.com")
    comment = post_comment(target, text=text, **fields)
    if comment.status != status:
        Comment.objects.filter(pk=comment.pk).update(status=status)
        comment.status = status
    return comment
