"""The site's settings, plus a small app of notes that take comments (tests/commentsapp)."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.commentsapp.apps.CommentsAppConfig"]
# Comment mail is sent in the request in tests, so the outbox can be read at once; the
# background thread is tested on its own (tests/comments/test_notifications.py).
COMMENTS_MAIL_IN_BACKGROUND = False
