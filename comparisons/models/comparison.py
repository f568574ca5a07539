"""The comparison itself, the rule of who sees it, and its queries."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Least
from django.urls import reverse
from django.utils import timezone

from .plain_text import PlainTextFields
from .taxonomy import Category, Subject

COMPARISON_SLUG_LENGTH = 200


def may_see_drafts(user):
    """Return True if `user` is staff allowed to view or change comparisons."""
    return (
        user.is_authenticated
        and user.is_staff
        and (
            user.has_perm("comparisons.view_comparison")
            or user.has_perm("comparisons.change_comparison")
        )
    )


def published_q(at=None, prefix=""):
    """Return the Q object of THE visibility rule, for comparisons reached through `prefix`.

    A reader may see a comparison whose status is published, whose publish date has
    come and whose expiry date, if any, has not: scheduling and expiry need no job.
    `prefix` is a lookup path such as "comparisons__" for use from related models.
    """
    at = at or timezone.now()
    return Q(
        **{
            f"{prefix}status": Comparison.Status.PUBLISHED,
            f"{prefix}publish_at__lte": at,
        }
    ) & (Q(**{f"{prefix}expire_at__isnull": True}) | Q(**{f"{prefix}expire_at__gt": at}))


class ComparisonQuerySet(models.QuerySet):
    def published(self, at=None):
        """Comparisons a reader may see at `at` (now by default): see `published_q`."""
        return self.filter(published_q(at))

    def waiting_for_review(self):
        return self.filter(status=Comparison.Status.REVIEW)

    def scheduled(self, at=None):
        """Published comparisons whose publish date is still to come."""
        return self.filter(status=Comparison.Status.PUBLISHED, publish_at__gt=at or timezone.now())

    def visible_to(self, user):
        """All comparisons for staff who may view or change them, the published ones for
        everybody else (readers, moderators, staff without a comparisons permission)."""
        if may_see_drafts(user):
            return self.all()
        return self.published()

    def involving(self, subject):
        """Comparisons in which `subject` is one of the two sides."""
        return self.filter(Q(first_subject=subject) | Q(second_subject=subject))

    def for_listing(self):
        """Load what a list of comparison links shows, in one query."""
        return self.select_related("first_subject", "second_subject").only(
            "id",
            "title",
            "slug",
            "key_difference",
            "publish_at",
            "updated_at",
            "status",
            "first_subject__id",
            "first_subject__name",
            "first_subject__slug",
            "second_subject__id",
            "second_subject__name",
            "second_subject__slug",
        )

    def newest_first(self):
        return self.order_by("-publish_at", "-id")

    def related_to(self, comparison, categories=None, limit=6):
        """Up to `limit` comparisons sharing a subject with `comparison`, newest first, then
        those sharing a category, newest first. `categories` defaults to the comparison's
        own (pass them for one not saved yet).

        One query. Its candidates are the union of subqueries that each stop after `limit`
        rows (via the indexes on subject, status and publish date), so its cost does not grow
        with the size of the site, of its categories or of a subject's comparisons. Written as
        a UNION of derived tables because neither "IN (a) OR IN (b)" (a sequential scan on
        PostgreSQL) nor Django's union() (no LIMIT inside a compound query on SQLite) would do.
        """
        subjects = [comparison.first_subject_id, comparison.second_subject_id]
        if categories is None:
            categories = comparison.categories.all()
        categories = [category.pk for category in categories]
        shares_subject = Q(first_subject__in=subjects) | Q(second_subject__in=subjects)
        others = self.exclude(pk=comparison.pk).newest_first().values("pk")
        # One candidate list per subject and side, each read newest first straight from the
        # (subject, status, publish date) indexes: an OR of the four would scan the site.
        candidates = [
            others.filter(**{side: subject})[:limit]
            for subject in subjects
            for side in ("first_subject", "second_subject")
        ]
        if categories:
            in_categories = models.Exists(
                Comparison.categories.through.objects.filter(
                    comparison_id=models.OuterRef("pk"), category_id__in=categories
                )
            )
            candidates.append(others.filter(in_categories)[:limit])
        parts, params = [], []
        for number, candidate in enumerate(candidates):
            sql, candidate_params = candidate.query.sql_with_params()
            parts.append(f"SELECT * FROM ({sql}) AS candidates_{number}")
            params.extend(candidate_params)
        return (
            self.filter(pk__in=RawSQL(" UNION ALL ".join(parts), params))
            .annotate(
                shares_subject=models.Case(
                    models.When(shares_subject, then=1),
                    default=0,
                    output_field=models.IntegerField(),
                )
            )
            .order_by("-shares_subject", "-publish_at", "-id")[:limit]
        )


class Comparison(PlainTextFields, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    first_subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        related_name="comparisons_as_first",
        help_text="Shown first: in the title, the address and the table's first column.",
    )
    second_subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        related_name="comparisons_as_second",
        help_text="Shown second. A pair can only be compared once, in either order.",
    )
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text='Leave blank for "Difference between <first> and <second>".',
    )
    slug = models.SlugField(
        max_length=COMPARISON_SLUG_LENGTH,
        unique=True,
        blank=True,
        help_text="The page lives at /difference-between-<slug>/. "
        "Leave blank to derive it from the subjects, e.g. bpo-and-kpo.",
    )
    key_difference = models.TextField(
        help_text="The short summary readers see first, in one or two plain sentences."
    )
    body = models.TextField(
        blank=True,
        help_text="The article in Markdown: ## headings, paragraphs, - lists, [links](https://…), "
        "*emphasis*, > quotes. HTML is not allowed and is shown as text.",
    )
    body_html = models.TextField(blank=True, editable=False)
    categories = models.ManyToManyField(
        Category,
        related_name="comparisons",
        help_text="One or more. The first one is used in the breadcrumbs.",
    )
    lead_image = models.ImageField(
        upload_to="comparisons/",
        blank=True,
        help_text="The picture shown above the article. Give it alt text below.",
    )
    lead_image_alt = models.CharField(
        "lead image alt text",
        max_length=250,
        blank=True,
        help_text="Describe the picture for readers who cannot see it. Required with an image.",
    )
    lead_image_renditions = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="The resized WebP and JPEG copies made once on upload.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comparisons",
        help_text="Who wrote it; shown on the page.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Draft: being written. In review: waiting for a publisher. Published: shown "
        "to readers from the publish date. Unpublished: taken down. Only publishers can publish "
        "or take down.",
    )
    publish_at = models.DateTimeField(
        "publish date",
        default=timezone.now,
        db_index=True,
        help_text="A date in the future schedules a published comparison: it appears by itself "
        "at that moment.",
    )
    expire_at = models.DateTimeField(
        "expiry date",
        null=True,
        blank=True,
        help_text="Optional. At this moment the comparison is taken down by itself.",
    )
    comments_open = models.BooleanField(
        default=True,
        help_text="Untick to close comments: existing comments stay visible, and the form is "
        "replaced by “Comments are closed”.",
    )
    meta_description = models.CharField(
        max_length=300,
        blank=True,
        help_text="What search engines show under the title. Leave blank to use the key difference.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Derived search data, rebuilt by comparisons.search.update_search_index() (see there).
    search_vector = SearchVectorField(null=True, editable=False)
    search_head = SearchVectorField(null=True, editable=False)  # subjects, title, key difference
    search_text = models.TextField(blank=True, editable=False)
    # Reader interest as one sort key (30-day score, then all-time), set by flush_interest.
    popularity_rank = models.PositiveBigIntegerField(default=0, editable=False)

    objects = ComparisonQuerySet.as_manager()

    BODY_MAX_CHARACTERS = 2_000_000  # a long article is 100,000

    class Meta:
        ordering = ["-publish_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(first_subject=models.F("second_subject")),
                name="comparison_subjects_differ",
                violation_error_message="A subject cannot be compared with itself.",
            ),
            models.UniqueConstraint(
                Least("first_subject", "second_subject"),
                Greatest("first_subject", "second_subject"),
                name="comparison_pair_unique",
                violation_error_message="These two subjects are already compared.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="comparison_visible_idx"),
            models.Index(
                fields=["-popularity_rank", "-publish_at", "-id"], name="comparison_popular_idx"
            ),
            # The related block: a subject's newest published comparisons, on either side.
            models.Index(
                fields=["first_subject", "status", "publish_at"], name="comparison_first_newest_idx"
            ),
            models.Index(
                fields=["second_subject", "status", "publish_at"],
                name="comparison_second_newest_idx",
            ),
        ]
        permissions = [("publish_comparison", "Can publish, schedule and take down comparisons")]

    def __str__(self):
        return self.title or self.default_title()

    def get_absolute_url(self):
        return reverse("comparisons:detail", kwargs={"slug": self.slug})

    def clean(self):
        if len(self.body) > self.BODY_MAX_CHARACTERS:
            raise ValidationError(
                {
                    "body": f"The body is {len(self.body):,} characters long; an article can "
                    f"have up to {self.BODY_MAX_CHARACTERS:,}. Shorten it or split it in two: "
                    "your text is kept below."
                }
            )
        if self.first_subject_id and self.second_subject_id:
            self.title = self.title or self.default_title()
            self.slug = self.slug or self.default_slug()
        if self.expire_at and self.publish_at and self.expire_at <= self.publish_at:
            raise ValidationError(
                {"expire_at": "The expiry date must come after the publish date."}
            )
        if self.lead_image and not self.lead_image_alt.strip():
            raise ValidationError(
                {
                    "lead_image_alt": "Describe the image for readers who cannot see it: "
                    "alt text is required when there is a lead image."
                }
            )

    @property
    def responsive_lead_image(self):
        """The lead image's renditions for a <picture>, or None (see images.responsive_image)."""
        from ..images import responsive_image

        return responsive_image(self.lead_image_renditions, self.lead_image.storage)

    def default_title(self):
        return f"Difference between {self.first_subject.name} and {self.second_subject.name}"

    def default_slug(self):
        slug = f"{self.first_subject.slug}-and-{self.second_subject.slug}"
        return slug[:COMPARISON_SLUG_LENGTH]

    @property
    def short_title(self):
        return f"{self.first_subject.name} vs {self.second_subject.name}"

    @property
    def description(self):
        return self.meta_description or self.key_difference

    def is_public(self, at=None):
        return self.publication_state(at) == "published"

    def publication_state(self, at=None):
        """Return what readers get at `at`: "draft", "review", "scheduled", "published",
        "expired" or "unpublished". The same rule as `published_q`."""
        at = at or timezone.now()
        if self.status != self.Status.PUBLISHED:
            return self.status
        if self.publish_at > at:
            return "scheduled"
        if self.expire_at is not None and self.expire_at <= at:
            return "expired"
        return "published"
