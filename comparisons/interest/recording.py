"""Recording reader interest: one view, search click or query per visitor and day.

The visitor is a keyed hash of the IP address and user agent with a salt that changes every
day, kept only in the cache until the day ends: no cookie, nothing personal stored. Known
bots and staff do not count. Recording never fails a page: a Redis outage is only logged.
"""

import functools
import hashlib
import hmac
import logging
import re
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone
from redis.exceptions import RedisError

from comments.api import Limited, LimitUnavailable, RateLimit, Rule, client_ip

from .counters import counter

logger = logging.getLogger("comparisons.interest")

VIEW, SEARCH = "view", "search"
KINDS = (VIEW, SEARCH)
MAX_LOGGED_QUERY = 200
BOT_USER_AGENT = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|"
    r"lighthouse|pingdom|uptime|monitor|curl/|wget/|python-requests|python-urllib|"
    r"httpclient|okhttp|go-http-client|java/|headlesschrome|phantomjs|scrapy",
    re.IGNORECASE,
)


# Who counts ---------------------------------------------------------------------------


def is_bot(user_agent):
    """Return True for an empty user agent or one of a known bot, crawler or tool."""
    return not user_agent or bool(BOT_USER_AGENT.search(user_agent))


def counts(request):
    """Return True if this request's interest should be counted: not a bot, not staff."""
    if is_bot(request.META.get("HTTP_USER_AGENT", "")):
        return False
    user = getattr(request, "user", None)
    return not (user and user.is_authenticated and user.is_staff)


# Visitors (user agents) one address may count for one thing a day: the people of an office
# behind one address count, a script changing its user agent on each request does not.
VISITORS_PER_ADDRESS = 5


def visitor_key(request, day, with_agent=True):
    """Return a cookie-free key for the visitor (without `with_agent`: for their address),
    valid for `day` only.

    A keyed hash (HMAC with the secret key and the day) of the client's IP address (read
    as every limit reads it, see comments.limits.client_ip) and user agent: it cannot be
    reversed or linked across days, and is never stored in the database.
    """
    salt = hmac.new(settings.SECRET_KEY.encode(), day.isoformat().encode(), hashlib.sha256)
    identity = client_ip(request) or ""
    if with_agent:
        identity += "|" + request.META.get("HTTP_USER_AGENT", "")
    return hmac.new(salt.digest(), identity.encode(), hashlib.sha256).hexdigest()[:32]


def first_time_today(request, what, day):
    """Return True the first time today this visitor does `what` (atomic: one use a day),
    for at most VISITORS_PER_ADDRESS visitors of one address.

    False also when the cache cannot say: a count is never worth failing a page for.
    """
    end_of_day = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    timeout = max(60, int((end_of_day - timezone.now()).total_seconds()) + 3600)
    once_today = RateLimit("interest:seen", [Rule(1, timeout)], cache_alias="default")
    per_address = RateLimit(
        "interest:address", [Rule(VISITORS_PER_ADDRESS, timeout)], cache_alias="default"
    )
    try:
        once_today.take(f"{day.isoformat()}:{what}:{visitor_key(request, day)}")
        per_address.take(f"{day.isoformat()}:{what}:{visitor_key(request, day, False)}")
    except (Limited, LimitUnavailable):
        return False
    return True


def today():
    return timezone.now().date()


def never_failing(record):
    """Let counting fail quietly (logged) when Redis is away: a page never fails for a count."""

    @functools.wraps(record)
    def wrapper(*args, **kwargs):
        try:
            return record(*args, **kwargs)
        except RedisError:
            logger.warning("Reader interest not counted: Redis is not answering.", exc_info=True)
            return False

    return wrapper


@never_failing
def record_interest(request, comparison_id, kind, day=None):
    """Count one view or search of a comparison for this visitor today; return if counted."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of interest: {kind!r}")
    day = day or today()
    if not counts(request) or not first_time_today(request, f"{kind}:{comparison_id}", day):
        return False
    counter().add_interest(comparison_id, kind, day)
    return True


def normalise_query(query):
    """Return the query as logged: lower case, trimmed, single spaces, no e-mail or numbers."""
    text = "".join(char if char.isprintable() else " " for char in (query or "").lower())
    text = re.sub(r"\S+@\S+", "[email]", text)
    text = re.sub(r"\d[\d\s().+-]{6,}\d", "[number]", text)
    return " ".join(text.split())[:MAX_LOGGED_QUERY]


@never_failing
def record_search_query(request, query, result_count, day=None):
    """Count a search query (once per visitor per day); return whether it was counted."""
    day = day or today()
    query = normalise_query(query)
    if not query or not counts(request):
        return False
    digest = hashlib.sha256(query.encode()).hexdigest()[:24]
    if not first_time_today(request, f"query:{digest}", day):
        return False
    counter().add_query(query, result_count, day)
    return True


SEARCH_LOG_SALT = "comparisons.search-log"


def search_log_token(query, result_count):
    """Return what the results page's beacon sends back to log its query: the query and its
    result count, signed so that a beacon can only log what a results page showed."""
    return signing.dumps([query, int(result_count)], salt=SEARCH_LOG_SALT, compress=True)


def record_search_log(request, token):
    """Count the search a results page's beacon reports; return whether it was counted.

    Raise signing.BadSignature for a token no results page gave.
    """
    query, result_count = signing.loads(token, salt=SEARCH_LOG_SALT)
    return record_search_query(request, str(query), int(result_count))
