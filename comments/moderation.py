"""The rules: who may post, how often, what is held for review, and how moderation is recorded."""

import ipaddress
import math
import re
import time

from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

from . import conf
from .models import BlockedWord, Comment
from .signals import comments_changed
from .text import count_links, render_plain_text

QUEUED_MESSAGE = (
    "Your comment has been queued for review by site administrators "
    "and will be published after approval."
)
DUPLICATE_MESSAGE = "Duplicate comment detected; it looks as though you've already said that!"
SUBJECT_LENGTH = 29


class RateLimited(Exception):
    """The client posted too often, or the rate-limit store cannot be asked."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def client_ip(request):
    """Return the client's IP address.

    REMOTE_ADDR, unless COMMENTS_CLIENT_IP_HEADER names a header a trusted proxy sets; of a
    list (X-Forwarded-For) the last address is the one that proxy saw.
    """
    header = conf.get("COMMENTS_CLIENT_IP_HEADER")
    candidates = []
    if header:
        candidates.append(request.META.get(header, "").split(",")[-1].strip())
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def _client_key(ip):
    """One rate-limit identity per IPv4 address or IPv6 /64 network."""
    if ip is None:
        return "unknown"
    address = ipaddress.ip_address(ip)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return ip


def _cache_key(ip):
    return f"comments:posts:{_client_key(ip)}"


def _rate_limit_cache():
    return caches[conf.get("COMMENTS_RATE_LIMIT_CACHE")]


def _longest_window():
    return max((seconds for _, seconds in conf.get("COMMENTS_RATE_LIMITS")), default=0)


def check_rate_limit(ip, now=None):
    """Raise RateLimited if `ip` has used up an allowance, or if the cache cannot answer.

    Only accepted comments count (see record_accepted_post).
    """
    now = time.time() if now is None else now
    try:
        stamps = _rate_limit_cache().get(_cache_key(ip)) or []
    except Exception as error:  # Redis down: refuse rather than let floods through.
        raise RateLimited(
            "Comments cannot be accepted right now; please try again in a minute."
        ) from error
    for allowed, seconds in conf.get("COMMENTS_RATE_LIMITS"):
        recent = [stamp for stamp in stamps if stamp > now - seconds]
        if len(recent) >= allowed:
            wait = max(1, math.ceil(min(recent) + seconds - now))
            raise RateLimited(
                f"You have posted too many comments in a short time; please try again in "
                f"{_duration(wait)}."
            )


def record_accepted_post(ip, now=None):
    """Count an accepted comment from `ip` toward its rate limits.

    A "1 per N seconds" rule is also taken as an atomic lock, so two posts sent at the same
    moment cannot both pass it; the loser gets RateLimited.
    """
    now = time.time() if now is None else now
    window = _longest_window()
    if not window:
        return
    cache = _rate_limit_cache()
    key = _cache_key(ip)
    try:
        for allowed, seconds in conf.get("COMMENTS_RATE_LIMITS"):
            if allowed == 1:
                _take_lock(cache, f"{key}:lock:{seconds}", seconds, now)
        stamps = [stamp for stamp in cache.get(key) or [] if stamp > now - window]
        cache.set(key, [*stamps, now], timeout=window)
    except RateLimited:
        raise
    except Exception as error:
        raise RateLimited(
            "Comments cannot be accepted right now; please try again in a minute."
        ) from error


def _take_lock(cache, key, seconds, now):
    """Hold `key` for `seconds` from `now`, or raise RateLimited if someone holds it."""
    if cache.add(key, now, timeout=seconds):
        return
    held_since = cache.get(key)
    if held_since is not None and now - held_since < seconds:
        raise RateLimited(
            f"You have posted too many comments in a short time; please try again in "
            f"{_duration(max(1, math.ceil(held_since + seconds - now)))}."
        )
    cache.set(key, now, timeout=seconds)  # expired by the clock we were given


def allow_form_page(ip, now=None):
    """Count a comment form served to `ip`; return False once it had its allowance
    (COMMENTS_FORM_PAGE_LIMIT) in the current window.

    A fixed window in the rate-limit cache: one increment (the window's first request also
    adds the counter), no database. If the cache cannot answer, the form is served (reading a
    form harms no one).
    """
    allowed, seconds = conf.get("COMMENTS_FORM_PAGE_LIMIT")
    if not allowed:
        return True
    now = time.time() if now is None else now
    key = f"comments:forms:{_client_key(ip)}:{int(now // seconds)}"
    cache = _rate_limit_cache()
    try:
        try:
            count = cache.incr(key)
        except ValueError:  # the window's first request
            count = 1 if cache.add(key, 1, timeout=seconds + 1) else cache.incr(key)
    except Exception:
        return True
    return count <= allowed


def _duration(seconds):
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = (seconds + 59) // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def is_duplicate(target, email, text):
    """True if the same e-mail already posted the same text on `target`."""
    return (
        Comment.objects.for_object(target)
        .filter(email__iexact=email, text=text)
        .exclude(status=Comment.Status.DELETED)
        .exists()
    )


def spam_reasons(text, rendered_html):
    """Return why the spam rules would hold this text for review ("" if they would not)."""
    reasons = []
    links = count_links(rendered_html)
    if links >= conf.get("COMMENTS_SPAM_LINK_COUNT"):
        reasons.append(f"{links} links")
    lowered = text.casefold()
    blocked = [
        word
        for word in BlockedWord.objects.values_list("word", flat=True)
        if word and re.search(rf"(?<!\w){re.escape(word.casefold())}(?!\w)", lowered)
    ]
    if blocked:
        reasons.append("blocked words: " + ", ".join(sorted(blocked)))
    return "; ".join(reasons)


def derive_subject(text, length=SUBJECT_LENGTH):
    """Return the first words of `text`, at most `length` characters, as Drupal does."""
    words = re.sub(r"\s+", " ", text).strip()
    if len(words) <= length:
        return words or "(No subject)"
    cut = words[: length - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" .,;:") + "\u2026"


def reply_parent(parent):
    """Return the comment a reply to `parent` attaches to.

    Replies to a comment at the deepest level (COMMENTS_MAX_DEPTH) attach beside it.
    """
    deepest_parent = max(conf.get("COMMENTS_MAX_DEPTH"), 2) - 2
    while parent.depth > deepest_parent and parent.parent_id is not None:
        parent = parent.parent
    return parent


def notify_changed(targets):
    """Send comments_changed for `targets` once the transaction commits."""
    targets = set(targets)
    if targets:
        transaction.on_commit(lambda: comments_changed.send(sender=Comment, targets=targets))


@transaction.atomic
def post_comment(
    target, *, text, name, email, homepage="", subject="", parent=None, user=None, ip=None,
    now=None,
):
    """Store a new comment on `target` and return it.

    Staff comments publish at once; others follow COMMENTS_AUTO_PUBLISH, except that spam
    suspects (too many links, blocked words) always wait for review. The caller has checked
    the target accepts comments and the poster passed the captcha and limits.
    """
    comment = Comment(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        user=user,
        name=name,
        email=email,
        homepage=homepage,
        subject=subject.strip() or derive_subject(text),
        subject_derived=not subject.strip(),
        text=text,
        ip_address=ip,
        created_at=now or timezone.now(),
    )
    if parent is not None:
        parent = reply_parent(parent)
        comment.parent = parent
        comment.thread_id = parent.thread_id or parent.pk
        comment.depth = parent.depth + 1
    if user is not None and user.is_staff:
        comment.status = Comment.Status.PUBLISHED
    else:
        comment.held_reason = spam_reasons(text, render_plain_text(text))
        auto_publish = conf.get("COMMENTS_AUTO_PUBLISH") and not comment.held_reason
        comment.status = Comment.Status.PUBLISHED if auto_publish else Comment.Status.PENDING
    comment.save()
    notify_changed({comment.target_key()})
    return comment


@transaction.atomic
def moderate(queryset, status):
    """Set `status` on every comment in `queryset`; return how many changed.

    Bulk updates bypass save(), so the changed targets are announced here.
    """
    changing = queryset.exclude(status=status)
    targets = set(changing.values_list("content_type_id", "object_id").distinct())
    updated = changing.update(status=status, updated_at=timezone.now())
    notify_changed(targets)
    return updated
