"""E-mail for commenters and moderators: reply notices (double opt-in) and the daily digest.

Nothing here runs inside a post or a moderation request's transaction: mail is sent after the
commit (in a background thread unless COMMENTS_MAIL_IN_BACKGROUND is off), and what was not
sent (the mail server refused, the process died) is still due, so `manage.py send_comment_mail`
sends it later. Each mail goes to one address; no mail shows another commenter's address.
"""

import logging
import re
import threading
from datetime import UTC, timedelta

from django.core.mail import EmailMessage
from django.db import connections, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from . import conf
from .models import Comment, DigestRecipient, ReplySubscription, is_commentable

logger = logging.getLogger(__name__)

NOTICE_INTERVAL = timedelta(hours=1)
DIGEST_INTERVAL = timedelta(hours=23)  # daily, even when cron's run drifts a little
UNCONFIRMED_KEPT = timedelta(days=7)
DIGEST_PERMISSION = "comments.change_comment"


def absolute(path):
    return conf.get("COMMENTS_SITE_URL").rstrip("/") + path


def unsubscribe_url(subscription):
    return absolute(reverse("comments:unsubscribe", kwargs={"token": subscription.token}))


def confirm_url(subscription):
    return absolute(reverse("comments:confirm", kwargs={"token": subscription.token}))


def one_line(text):
    """`text` on one line, as a mail header must be: every run of white space one space."""
    return " ".join(str(text).split())


def _send(message):
    """Send `message`; return True, or log why not and return False."""
    try:
        message.send(fail_silently=False)
    except Exception:
        logger.exception("Comment mail to one recipient not sent; it will be retried")
        return False
    return True


def after_commit(job):
    """Run `job` once the transaction commits, in the background unless configured not to.

    A failure is logged and never reaches the request that caused it.
    """

    def run():
        try:
            job()
        except Exception:
            logger.exception("Sending comment mail failed; send_comment_mail will retry")

    def in_background():
        try:
            run()
        finally:
            connections.close_all()

    def start():
        if conf.get("COMMENTS_MAIL_IN_BACKGROUND"):
            threading.Thread(target=in_background, daemon=True).start()
        else:
            run()

    transaction.on_commit(start)


# Subscribing -------------------------------------------------------------------------------


def subscribe(comment, email, now=None):
    """Record that `email` wants notices of replies to `comment`; return the subscription.

    An address already confirmed (and not unsubscribed) is trusted at once; any other gets a
    confirmation mail after the commit, and no notice until it is confirmed.
    """
    now = now or timezone.now()
    confirmed = ReplySubscription.objects.for_address(email).active().exists()
    subscription, _ = ReplySubscription.objects.get_or_create(
        comment=comment,
        email=email,
        defaults={"created_at": now, "confirmed_at": now if confirmed else None},
    )
    if not subscription.is_active:
        after_commit(lambda: send_confirmation(subscription.pk))
    return subscription


def reply_notices_state(comment):
    """Return what `comment`'s poster is told about reply notices after posting it.

    "confirm": they asked for notices and must still open the confirmation link;
    "on": notices will come (their address was confirmed before); "": they did not ask.
    """
    states = {
        subscription.is_active
        for subscription in comment.reply_subscriptions.filter(
            email__iexact=comment.email, unsubscribed_at__isnull=True
        )
    }
    if True in states:
        return "on"
    return "confirm" if states else ""


def send_confirmation(subscription_id, now=None):
    """Send the confirmation mail of an unconfirmed subscription once; True if sent."""
    now = now or timezone.now()
    claimed = ReplySubscription.objects.filter(
        pk=subscription_id,
        confirmed_at__isnull=True,
        unsubscribed_at__isnull=True,
        confirmation_sent_at__isnull=True,
    ).update(confirmation_sent_at=now)
    if not claimed:
        return False
    subscription = ReplySubscription.objects.select_related("comment").get(pk=subscription_id)
    if _send(confirmation_message(subscription)):
        return True
    ReplySubscription.objects.filter(pk=subscription_id).update(confirmation_sent_at=None)
    return False


def confirmation_message(subscription):
    comment = subscription.comment
    body = (
        f"Hello {comment.name},\n\n"
        f"You asked to be told by e-mail when someone replies to your comment "
        f"“{comment.subject}” on “{comment.target}”.\n\n"
        f"To confirm that this is your address, open this link:\n{confirm_url(subscription)}\n\n"
        "If you did not ask for this, ignore this e-mail: you will get no notices.\n"
    )
    return EmailMessage(
        subject=f"Confirm reply notices for your comment on “{one_line(comment.target)}”",
        body=body,
        to=[subscription.email],
    )


TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def subscription_of(token):
    """The subscription of `token`, or None; a token no link could hold (say, with a NUL
    character, which PostgreSQL refuses) is not looked up."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    return ReplySubscription.objects.filter(token=token).first()


def confirm(token, now=None):
    """Confirm the subscription of `token`; return it (None for an unknown token)."""
    subscription = subscription_of(token)
    if subscription is not None and subscription.confirmed_at is None:
        subscription.confirmed_at = now or timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def unsubscribe(token, now=None):
    """Stop the notices of `token`'s subscription; return it (None for an unknown token)."""
    subscription = subscription_of(token)
    if subscription is not None and subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = now or timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
    return subscription


def resubscribe(token):
    """Undo an unsubscription (say, a link opened by mistake); return the subscription."""
    subscription = subscription_of(token)
    if subscription is not None and subscription.unsubscribed_at is not None:
        subscription.unsubscribed_at = None
        subscription.save(update_fields=["unsubscribed_at"])
    return subscription


def delete_unconfirmed(now=None):
    """Delete subscriptions left unconfirmed for UNCONFIRMED_KEPT; return how many."""
    moment = (now or timezone.now()) - UNCONFIRMED_KEPT
    deleted, _ = ReplySubscription.objects.unconfirmed_older_than(moment).delete()
    return deleted


# Reply notices -----------------------------------------------------------------------------


def unannounced_replies(subscription):
    """Published replies to the subscriber's comment not yet announced, by others, oldest first."""
    return (
        Comment.objects.visible()
        .filter(parent_id=subscription.comment_id)
        .exclude(pk__in=subscription.announced.values("pk"))
        .exclude(email__iexact=subscription.email)
        .order_by("pk")
    )


def replies_published(parent_ids):
    """Announce replies just published to `parent_ids` (the comments answered) to their
    subscribers, after the commit."""
    parent_ids = set(parent_ids)
    if parent_ids:
        after_commit(lambda: send_due_notices(parent_ids))


def send_due_notices(comment_ids=None, now=None):
    """Send each active subscription (of `comment_ids`, or all) its due notice; return how many.

    A notice is due when a published reply is unannounced and the subscription's last notice
    is at least an hour old: replies published meanwhile wait and go out together.
    """
    now = now or timezone.now()
    subscriptions = ReplySubscription.objects.active().filter(
        Q(last_notified_at__isnull=True) | Q(last_notified_at__lte=now - NOTICE_INTERVAL)
    )
    if comment_ids is not None:
        subscriptions = subscriptions.filter(comment_id__in=comment_ids)
    sent = 0
    for subscription in subscriptions.select_related("comment"):
        sent += send_notice(subscription, now)
    return sent


def send_notice(subscription, now):
    """Send `subscription` one notice of its unannounced replies; True if one was sent.

    None is sent while the commented page is not public (its links would lead nowhere): the
    replies wait, and are announced if it comes back.
    """
    replies = list(unannounced_replies(subscription))
    if not replies or not is_commentable(subscription.comment.target):
        return False
    # Claimed first, so a cron run and a background send cannot both mail it.
    claimed = ReplySubscription.objects.filter(
        pk=subscription.pk, last_notified_at=subscription.last_notified_at
    ).update(last_notified_at=now)
    if not claimed:
        return False
    if not _send(notice_message(subscription, replies)):
        ReplySubscription.objects.filter(pk=subscription.pk).update(
            last_notified_at=subscription.last_notified_at
        )
        return False
    subscription.announced.add(*replies)
    return True


def notice_message(subscription, replies):
    comment = subscription.comment
    target = comment.target
    lines = [f"Hello {comment.name},", ""]
    for reply in replies:
        lines += [
            f"{reply.name} replied to your comment “{comment.subject}” on “{target}”:",
            "",
            reply.text,
            "",
            f"Read it on the page: {absolute(reply.get_absolute_url())}",
            "",
        ]
    lines += [
        "You get this e-mail because you asked to be told of replies to your comment.",
        f"Stop these e-mails with one click (no login needed): {unsubscribe_url(subscription)}",
    ]
    several = len(replies) > 1
    return EmailMessage(
        subject=(
            f"{'New replies' if several else 'A new reply'} to your comment "
            f"on “{one_line(target)}”"
        ),
        body="\n".join(lines) + "\n",
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url(subscription)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_unsent_confirmations():
    """Send the confirmation mails that could not be sent before; return how many went."""
    waiting = ReplySubscription.objects.filter(
        confirmed_at__isnull=True, unsubscribed_at__isnull=True, confirmation_sent_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(send_confirmation(pk) for pk in list(waiting))


# The moderators' digest --------------------------------------------------------------------


def wants_digest(user):
    return DigestRecipient.objects.filter(user=user).exists()


def set_digest(user, wanted):
    """Start (`wanted`) or stop the daily digest for `user`."""
    if wanted:
        DigestRecipient.objects.get_or_create(user=user)
    else:
        DigestRecipient.objects.filter(user=user).delete()


def send_digests(now=None):
    """Send the digest to each opted-in moderator not sent one in the last day; return how many.

    Nothing is sent while no comment waits. A recipient who may no longer moderate, or has no
    address, is skipped.
    """
    now = now or timezone.now()
    queue = Comment.objects.awaiting_moderation()
    count = queue.count()
    if not count:
        return 0
    oldest = queue.first()
    sent = 0
    recipients = DigestRecipient.objects.filter(
        Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - DIGEST_INTERVAL)
    ).select_related("user")
    for recipient in recipients:
        user = recipient.user
        if not (user.is_active and user.email and user.has_perm(DIGEST_PERMISSION)):
            continue
        if _send(digest_message(user, count, oldest, now)):
            DigestRecipient.objects.filter(pk=recipient.pk).update(last_sent_at=now)
            sent += 1
    return sent


def digest_message(user, count, oldest, now):
    queue_url = absolute(reverse("admin:comments_comment_changelist") + "?status__exact=pending")
    waited = now - oldest.created_at
    hours = int(waited.total_seconds() // 3600)
    waiting = f"{hours // 24} days" if hours >= 48 else f"{hours} hours"
    plural = "comment is" if count == 1 else "comments are"
    body = (
        f"Hello {user.get_full_name() or user.get_username()},\n\n"
        f"{count} {plural} waiting for moderation.\n\n"
        f"The oldest has waited {waiting}, since {oldest.created_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC: "
        f"“{oldest.subject}” by {oldest.name} on “{oldest.target}”.\n\n"
        f"The queue: {queue_url}\n\n"
        "You get this digest once a day because you asked for it; stop it on "
        f"{absolute(reverse('comments:digest'))}\n"
    )
    return EmailMessage(
        subject=f"Comments waiting for moderation: {count}", body=body, to=[user.email]
    )
