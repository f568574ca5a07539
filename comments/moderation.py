"""The rules: who may post, how often, what is held for review, and how moderation is recorded."""

import re
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from . import conf, limits, notifications
from .limits import client_ip  # noqa: F401 (the posting view reads the address from here)
from .models import BlockedWord, Comment
from .signals import comments_changed
from .text import count_links, render_plain_text

QUEUED_MESSAGE = (
    "Your comment has been queued for review by site administrators "
    "and will be published after approval."
)
DUPLICATE_MESSAGE = "Duplicate comment detected; it looks as though you've already said that!"
SUBJECT_LENGTH = 29
UNAVAILABLE_MESSAGE = "Comments cannot be accepted right now; please try again in a minute."


class RateLimited(Exception):
    """The client posted too often, or the rate-limit store cannot be asked."""

    def __init__(self, message, wait=None):
        super().__init__(message)
        self.message = message
        self.wait = wait  # seconds until a post may pass, when known


def _too_many(wait):
    return (
        "You have posted too many comments in a short time; please try again in "
        f"{limits.duration(wait)}."
    )


def post_limit():
    """The limit on accepted comments per client (COMMENTS_RATE_LIMITS)."""
    rules = [limits.Rule(allowed, seconds) for allowed, seconds in conf.get("COMMENTS_RATE_LIMITS")]
    return limits.RateLimit("comments:posts", rules)


def check_rate_limit(ip, now=None):
    """Raise RateLimited if `ip` has used up an allowance, or if the cache cannot answer.

    Only accepted comments count (see counted_post).
    """
    try:
        wait = post_limit().wait(limits.client_key(ip), now)
    except limits.LimitUnavailable as error:  # Redis down: refuse rather than let floods through
        raise RateLimited(UNAVAILABLE_MESSAGE) from error
    if wait:
        raise RateLimited(_too_many(wait), wait)


def record_accepted_post(ip, now=None):
    """Count an accepted comment from `ip` toward its rate limits; return what was taken.

    Taking is atomic, so two posts sent at the same moment cannot both pass a rule; the
    loser gets RateLimited.
    """
    try:
        return post_limit().take(limits.client_key(ip), now)
    except limits.Limited as limited:
        raise RateLimited(_too_many(limited.wait), limited.wait) from None
    except limits.LimitUnavailable as error:
        raise RateLimited(UNAVAILABLE_MESSAGE) from error


@contextmanager
def counted_post(ip, *, exempt=False, now=None):
    """Count a post from `ip` for the block, and give the count back if the block raises:
    a post that fails to store does not use up the visitor's allowance. `exempt` posts
    (staff) are not counted."""
    taken = [] if exempt else record_accepted_post(ip, now)
    try:
        yield
    except BaseException:
        post_limit().give_back(taken)
        raise


def allow_form_page(ip, now=None):
    """Count a comment form served to `ip`; return False once it had its allowance
    (COMMENTS_FORM_PAGE_LIMIT) in the current window. If the cache cannot answer, the form
    is served (reading a form harms no one)."""
    allowed, seconds = conf.get("COMMENTS_FORM_PAGE_LIMIT")
    return limits.WindowCount("comments:forms", allowed, seconds).allows(
        limits.client_key(ip), now
    )


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
    now=None, notify_replies=False,
):
    """Store a new comment on `target` and return it.

    Staff comments publish at once; others follow COMMENTS_AUTO_PUBLISH, except that spam
    suspects (too many links, blocked words) always wait for review. The caller has checked
    the target accepts comments and the poster passed the captcha and limits.
    With `notify_replies` (and an e-mail address) the poster is subscribed to reply notices
    (see notifications.subscribe); a published reply is announced to its parent's subscribers.
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
    if notify_replies and email:
        notifications.subscribe(comment, email, now=now)
    if comment.is_published and comment.parent_id:
        notifications.replies_published({comment.parent_id})
    return comment


@transaction.atomic
def moderate(queryset, status):
    """Set `status` on every comment in `queryset`; return how many changed.

    Bulk updates bypass save(), so the changed targets are announced here.
    """
    changing = queryset.exclude(status=status)
    targets = set(changing.values_list("content_type_id", "object_id").distinct())
    answered = set(
        changing.filter(parent__isnull=False).order_by().values_list("parent_id", flat=True)
    )
    updated = changing.update(status=status, updated_at=timezone.now())
    notify_changed(targets)
    if status == Comment.Status.PUBLISHED:
        notifications.replies_published(answered)
    return updated
