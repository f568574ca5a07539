"""The site's settings for the test suite and the servers it starts.

Three differences: a small app of notes that take comments (tests/commentsapp), a fast
password hasher (hashing strength is not under test, and PBKDF2 costs about a second per user
on a busy machine), and a longer wait for Redis before it counts as failing. Servers started by the tests use this module too, so they accept the
passwords the tests stored.

When pytest-xdist runs the suite in several workers, each worker also gets a Redis database of
its own (see `worker_redis_url`); pytest-django gives each its own test database.
"""

import os
from urllib.parse import urlsplit, urlunsplit


def worker_redis_url(url, worker):
    """Return `url` moved to Redis database <its number + n> for pytest-xdist worker "gw<n>".

    Every test empties the caches, so workers sharing one database would empty each other's.
    """
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    return urlunsplit(parts._replace(path=f"/{number}"))


# Before the site's settings read REDIS_URL, and only in the worker itself: the servers tests
# start inherit the marker, so they keep the URL they are given (the worker's moved one, or
# the URL of a Redis server a test started for them).
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker and os.environ.get("TESTS_REDIS_WORKER") != _worker:
    if os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = worker_redis_url(os.environ["REDIS_URL"], _worker)
    os.environ["TESTS_REDIS_WORKER"] = _worker

# Production gives up on Redis after 0.25 s. On a machine busy with browsers and two workers a
# healthy Redis can take longer to answer, which would read as a fault; no test waits for
# that timeout to elapse (a stopped Redis refuses at once).
os.environ.setdefault("REDIS_TIMEOUT_SECONDS", "2")

from config.settings import *  # noqa: E402, F403
from config.settings import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "tests.commentsapp.apps.CommentsAppConfig"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Comment mail is sent in the request in tests, so the outbox can be read at once; the
# background thread is tested on its own (tests/comments/test_notifications.py).
COMMENTS_MAIL_IN_BACKGROUND = False
