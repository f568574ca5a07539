"""The site's settings for the test suite and the servers it starts.

Two differences: a small app of notes that take comments (tests/commentsapp), and a fast
password hasher: hashing strength is not under test, and PBKDF2 costs about a second per user
on a busy machine. Servers started by the tests use this module too, so they accept the
passwords the tests stored.
"""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.commentsapp.apps.CommentsAppConfig"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Comment mail is sent in the request in tests, so the outbox can be read at once; the
# background thread is tested on its own (tests/comments/test_notifications.py).
COMMENTS_MAIL_IN_BACKGROUND = False
