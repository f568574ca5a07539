"""Comments attached to any registered model by content type + object id, and the blocklist.

A model takes comments only once registered (`comments.api.register`, see registry.py).
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from . import conf
from .registry import commentable
from .text import render_plain_text


def is_commentable(target):
    """True if `target`'s model is registered and the public may see `target`."""
    registration = commentable(target)
    return registration is not None and registration.public(target)


def accepts_new_comments(target):
    """True if `target` is commentable and open for new comments."""
    registration = commentable(target)
    return registration is not None and registration.public(target) and registration.open(target)


class CommentQuerySet(models.QuerySet):
    def for_object(self, target):
        """Comments attached to `target`, in any status."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=target.pk
        )

    def visible(self):
        """Comments the public may read."""
        return self.filter(status=Comment.Status.PUBLISHED)

    def awaiting_moderation(self):
        """Comments a moderator has still to approve or reject, oldest first."""
        return self.filter(status=Comment.Status.PENDING).order_by("created_at", "id")

    def visible_threads(self):
        """Top-level comments whose thread shows something: they or a reply are published.

        Oldest first.
        """
        published_reply = Comment.objects.filter(
            thread=OuterRef("pk"), status=Comment.Status.PUBLISHED
        )
        return (
            self.filter(parent=None)
            .filter(Q(status=Comment.Status.PUBLISHED) | Exists(published_reply))
            .order_by("created_at", "id")
        )

    def in_threads(self, roots):
        """The comments of the threads `roots` (a queryset of top-level comments) start."""
        root_ids = roots.values("pk")
        return self.filter(Q(pk__in=root_ids) | Q(thread__in=root_ids))

    def for_display(self):
        """Only the columns a public page shows: never e-mail or IP."""
        return self.only(
            "id",
            "parent_id",
            "thread_id",
            "depth",
            "name",
            "homepage",
            "subject",
            "subject_derived",
            "html",
            "status",
            "created_at",
            "content_type_id",
            "object_id",
        ).order_by("created_at", "id")

    def older_threads_than(self, root):
        """Visible threads of the same target that come before `root`'s."""
        return self.filter(content_type=root.content_type_id, object_id=root.object_id).filter(
            Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, id__lt=root.id)
        )


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PUBLISHED = "published", "Published"
        SPAM = "spam", "Spam"
        DELETED = "deleted", "Deleted"

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, help_text="The kind of page commented on."
    )
    object_id = models.PositiveBigIntegerField(help_text="The id of the page commented on.")
    target = GenericForeignKey("content_type", "object_id")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        help_text="The comment this one answers; empty for a new thread.",
    )
    thread = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="The top-level comment of this reply's thread; empty for a top-level comment.",
    )
    depth = models.PositiveSmallIntegerField(
        default=0, help_text="0 for a top-level comment, 1 for a reply, 2 for a reply to a reply."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The staff account that posted it, if any.",
    )
    name = models.CharField(max_length=60, help_text="Shown with the comment.")
    email = models.EmailField(blank=True, help_text="Never shown publicly.")
    homepage = models.URLField(blank=True, help_text="The name links here (nofollow).")
    subject = models.CharField(max_length=64, help_text="Shown as the comment's heading.")
    subject_derived = models.BooleanField(
        default=False,
        help_text="The poster typed no subject; this one is the comment's first words, shown "
        "to moderators but not as a heading on the page.",
    )
    text = models.TextField(help_text="Exactly as typed.")
    html = models.TextField(editable=False, help_text="The text rendered safely when saved.")
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
        help_text="Only published comments are shown. Deleted ones keep their row; where "
        "they have published replies the thread shows “This comment has been removed”.",
    )
    held_reason = models.CharField(
        max_length=200,
        blank=True,
        help_text="Why the spam rules held this comment for review, if they did.",
    )
    ip_address = models.GenericIPAddressField(
        "IP address",
        null=True,
        blank=True,
        help_text="The poster's address, kept for abuse reports; blanked after 90 days.",
    )
    created_at = models.DateTimeField(
        "posted", default=timezone.now, db_index=True, help_text="When it was posted."
    )
    updated_at = models.DateTimeField(auto_now=True, help_text="When it last changed.")

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True, thread__isnull=True, depth=0)
                | Q(parent__isnull=False, thread__isnull=False, depth__gt=0),
                name="comment_thread_consistent",
                violation_error_message="A reply needs its parent and thread; a top-level "
                "comment has neither.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "published", "spam", "deleted"]),
                name="comment_status_known",
            ),
        ]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "parent", "created_at"],
                name="comment_threads_idx",
            ),
            models.Index(fields=["thread", "status"], name="comment_thread_status_idx"),
            models.Index(
                fields=["content_type", "object_id", "email"], name="comment_duplicate_idx"
            ),
        ]

    def __str__(self):
        return f"{self.name}: {self.subject}"

    def save(self, *args, **kwargs):
        self.html = render_plain_text(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("comments:permalink", kwargs={"comment_id": self.pk})

    @property
    def anchor(self):
        return f"comment-{self.pk}"

    @property
    def safe_homepage(self):
        """The homepage if it is an http(s) address, else ""."""
        return self.homepage if self.homepage.lower().startswith(("http://", "https://")) else ""

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def target_key(self):
        return (self.content_type_id, self.object_id)

    def page_number(self):
        """The page of its target's comments on which this comment's thread appears."""
        root = self if self.thread_id is None else self.thread
        older = Comment.objects.visible_threads().older_threads_than(root).count()
        return older // conf.get("COMMENTS_PER_PAGE") + 1


class BlockedWord(models.Model):
    word = models.CharField(
        max_length=100,
        unique=True,
        help_text="A word or phrase; comments containing it (in any letter case) are held "
        "for review as spam suspects.",
    )
    note = models.CharField(max_length=200, blank=True, help_text="Why it is blocked (optional).")
    created_at = models.DateTimeField("added", auto_now_add=True, help_text="When it was added.")

    class Meta:
        ordering = ["word"]
        verbose_name = "blocked word"

    def __str__(self):
        return self.word

    def save(self, *args, **kwargs):
        self.word = self.word.strip()
        super().save(*args, **kwargs)


def comment_count(status, model):
    """An annotation: how many comments in `status` each row of `model` has."""
    counts = (
        Comment.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=OuterRef("pk"),
            status=status,
        )
        .order_by()
        .values("object_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def new_token():
    return secrets.token_urlsafe(32)


class ReplySubscriptionQuerySet(models.QuerySet):
    def active(self):
        """Confirmed and not unsubscribed: these addresses get notices."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)

    def for_address(self, email):
        return self.filter(email__iexact=email)

    def unconfirmed_older_than(self, moment):
        return self.filter(confirmed_at__isnull=True, created_at__lt=moment)


class ReplySubscription(models.Model):
    """A commenter's request to hear by e-mail when a reply to their comment is published.

    Double opt-in: notices go only to a confirmed address (`confirmed_at`). The token is the
    secret in the confirmation and unsubscribe links; the address is never shown to others.
    """

    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        related_name="reply_subscriptions",
        help_text="The comment whose replies are announced.",
    )
    email = models.EmailField(help_text="Where notices go; never shown publicly.")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now, help_text="When it was asked for.")
    confirmation_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the confirmation mail went out."
    )
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the address was confirmed; empty: no notices."
    )
    unsubscribed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the subscriber stopped the notices."
    )
    last_notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last notice went out (one per hour at most)."
    )
    announced = models.ManyToManyField(
        Comment,
        blank=True,
        related_name="+",
        help_text="The replies already announced (each once, in whatever order published).",
    )

    objects = ReplySubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "email"], name="reply_subscription_once")
        ]

    def __str__(self):
        return f"Replies to comment {self.comment_id}"

    @property
    def is_active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None


class DigestRecipient(models.Model):
    """A moderator who gets the daily digest of comments waiting for moderation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Daily digest for {self.user}"
