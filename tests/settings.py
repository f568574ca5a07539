"""The site's settings, plus a small app of notes that take comments (tests/commentsapp)."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.commentsapp.apps.CommentsAppConfig"]
