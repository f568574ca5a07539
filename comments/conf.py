"""The comments app's settings, each with a default, read when used (so tests can override)."""

from django.conf import settings

DEFAULTS = {
    # Publish anonymous visitors' comments at once (True) or hold them for approval (False).
    "COMMENTS_AUTO_PUBLISH": False,
    # The cache (a name in CACHES) that holds the rate-limit counters.
    "COMMENTS_RATE_LIMIT_CACHE": "default",
    # (maximum accepted comments, per seconds) per client IP; every pair is enforced.
    "COMMENTS_RATE_LIMITS": ((5, 600), (1, 15)),
    # A form posted sooner than this after it was served is refused (bots are fast).
    "COMMENTS_MIN_SUBMIT_SECONDS": 3,
    # A form older than this is refused as expired.
    "COMMENTS_MAX_FORM_AGE_SECONDS": 2 * 60 * 60,
    # Comments with at least this many links are held for review as spam suspects.
    "COMMENTS_SPAM_LINK_COUNT": 2,
    # A hidden field only bots fill in; a filled one silently discards the post.
    "COMMENTS_HONEYPOT": True,
    # (form pages, per seconds) one client may open; more answer 429 at once. The form page
    # stores a captcha, so this bounds what one client can make the site store. (0, 0): off.
    "COMMENTS_FORM_PAGE_LIMIT": (30, 60),
    # Top-level threads per page.
    "COMMENTS_PER_PAGE": 50,
    # Deepest level of a thread; replies to a comment at this level attach beside it.
    "COMMENTS_MAX_DEPTH": 3,
    # None: the client IP is REMOTE_ADDR. Otherwise the request.META key of a header your
    # own proxy sets, e.g. "HTTP_X_FORWARDED_FOR" (its last address is used).
    "COMMENTS_CLIENT_IP_HEADER": None,
    # Seconds a visitor is asked to wait when the database is down while they post.
    "COMMENTS_RETRY_AFTER_SECONDS": 30,
    # Where "Home" links on the app's own pages (error pages) lead.
    "COMMENTS_HOME_URL": "/",
    # The site's address, for links in e-mails (sent where no request says it).
    "COMMENTS_SITE_URL": "http://127.0.0.1:8000",
    # Send mail after the commit in a background thread (True), or in the request (False).
    "COMMENTS_MAIL_IN_BACKGROUND": True,
}


def get(name):
    """Return the setting `name`, or its default."""
    return getattr(settings, name, DEFAULTS[name])
