"""The content: categories, subjects, comparisons and their rows of differences."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Least
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from .markup import render_markdown


class Category(models.Model):
    name = models.CharField(max_length=100, unique=True, help_text="Shown in menus and headings.")
    slug = models.SlugField(
        max_length=100, unique=True, help_text="The category's web address: /category/<slug>/."
    )
    description = models.TextField(
        blank=True, help_text="One or two sentences shown at the top of the category page."
    )
    order = models.PositiveIntegerField(
        default=0,
        db_index=True,
        help_text="Lower numbers come first in menus and on the home page.",
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("comparisons:category", kwargs={"slug": self.slug})


class Subject(models.Model):
    name = models.CharField(max_length=120, unique=True, help_text='What is compared, e.g. "BPO".')
    slug = models.SlugField(
        max_length=120, unique=True, help_text="The subject's web address: /subject/<slug>/."
    )
    description = models.TextField(
        blank=True, help_text="A short description shown on the subject's page."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("comparisons:subject", kwargs={"slug": self.slug})


class ComparisonQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """Update in bulk (admin actions) and drop the cached pages showing these comparisons,
        in the lists they were in before and are in after."""
        from .invalidation import invalidate_comparisons

        pks = list(self.values_list("pk", flat=True))
        invalidate_comparisons(pks)
        count = super().update(**kwargs)
        invalidate_comparisons(pks)
        return count

    def published(self, at=None):
        """Comparisons a reader may see: published, with a publish date not in the future."""
        return self.filter(status=Comparison.Status.PUBLISHED, publish_at__lte=at or timezone.now())

    def visible_to(self, user):
        """All comparisons for staff, the published ones for everybody else."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.published()

    def involving(self, subject):
        """Comparisons in which `subject` is one of the two sides."""
        return self.filter(Q(first_subject=subject) | Q(second_subject=subject))

    def for_pair(self, first, second):
        """The comparison of these two subjects, in either order."""
        return self.filter(
            Q(first_subject=first, second_subject=second)
            | Q(first_subject=second, second_subject=first)
        )

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

    def related_to(self, comparison, limit=6):
        """Up to `limit` comparisons sharing a subject with `comparison`, newest first, then
        those sharing a category, newest first.

        One query. Its candidates are the union of subqueries that each stop after `limit`
        rows (via the indexes on subject, status and publish date), so its cost does not grow
        with the size of the site, of its categories or of a subject's comparisons. Written as a UNION of derived tables because
        neither "IN (a) OR IN (b)" (a sequential scan on PostgreSQL) nor Django's union()
        (no LIMIT inside a compound query on SQLite) would do.
        """
        subjects = [comparison.first_subject_id, comparison.second_subject_id]
        categories = [category.pk for category in comparison.categories.all()]
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


class Comparison(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

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
        max_length=200,
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
        help_text="Describe the picture for readers who cannot see it.",
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
        help_text="Only published comparisons whose publish date has come are shown to readers.",
    )
    publish_at = models.DateTimeField(
        "publish date",
        default=timezone.now,
        db_index=True,
        help_text="A date in the future keeps a published comparison hidden until then.",
    )
    meta_description = models.CharField(
        max_length=300,
        blank=True,
        help_text="What search engines show under the title. Leave blank to use the key difference.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ComparisonQuerySet.as_manager()

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
            # The related block: a subject's newest published comparisons, on either side.
            models.Index(
                fields=["first_subject", "status", "publish_at"], name="comparison_first_newest_idx"
            ),
            models.Index(
                fields=["second_subject", "status", "publish_at"],
                name="comparison_second_newest_idx",
            ),
        ]

    def __str__(self):
        return self.title or self.default_title()

    def save(self, *args, **kwargs):
        self.title = self.title or self.default_title()
        self.slug = self.slug or self.default_slug()
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("comparisons:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.first_subject_id and self.second_subject_id:
            self.title = self.title or self.default_title()
            self.slug = self.slug or self.default_slug()

    def default_title(self):
        return f"Difference between {self.first_subject.name} and {self.second_subject.name}"

    def default_slug(self):
        return f"{self.first_subject.slug}-and-{self.second_subject.slug}"[:200]

    @property
    def short_title(self):
        return f"{self.first_subject.name} vs {self.second_subject.name}"

    @property
    def description(self):
        return self.meta_description or self.key_difference

    def is_public(self, at=None):
        return self.status == self.Status.PUBLISHED and self.publish_at <= (at or timezone.now())


class ComparisonPartQuerySet(models.QuerySet):
    """Rows and credits: bulk writes drop their comparisons' cached pages like saves do."""

    def _invalidate(self, comparison_pks):
        from config.page_cache import detail_tag, invalidate

        invalidate(*(detail_tag(Comparison, pk) for pk in set(comparison_pks)))

    def update(self, **kwargs):
        pks = list(self.values_list("comparison_id", flat=True).distinct())
        count = super().update(**kwargs)
        self._invalidate(pks + ([kwargs["comparison_id"]] if "comparison_id" in kwargs else []))
        return count

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        self._invalidate(obj.comparison_id for obj in created)
        return created


class DifferenceRow(models.Model):
    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="rows")
    aspect = models.CharField(max_length=150, help_text='What is compared, e.g. "Stands for".')
    first_value = models.TextField(help_text="The value for the first subject.")
    second_value = models.TextField(help_text="The value for the second subject.")
    order = models.PositiveIntegerField(
        default=0, db_index=True, help_text="Rows are shown from the lowest number to the highest."
    )

    objects = ComparisonPartQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "difference row"

    def __str__(self):
        return self.aspect


class ImageCredit(models.Model):
    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="credits")
    text = models.CharField(max_length=200, help_text='Who the image is from, e.g. "tvtworld.com".')
    url = models.URLField(blank=True, help_text="Optional link to the source.")
    order = models.PositiveIntegerField(default=0)

    objects = ComparisonPartQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.text


def subject_slug(name):
    """Return the slug a new subject called `name` gets."""
    return slugify(name)[:120]


def split_pair_slug(text, separator):
    """Yield every (first_slug, second_slug) that `text` could name around `separator`.

    Subject slugs may themselves contain the separator's words, so each position
    where it occurs is a candidate: "a-and-b-and-c" yields ("a", "b-and-c") and
    ("a-and-b", "c").
    """
    start = 0
    while (index := text.find(separator, start)) != -1:
        first, second = text[:index], text[index + len(separator) :]
        if first and second:
            yield first, second
        start = index + 1


def find_comparison_by_pair_slug(queryset, text, separator):
    """Return the comparison in `queryset` whose subjects' slugs `text` names, or None.

    The subjects may be named in either order.
    """
    candidates = list(split_pair_slug(text, separator))
    if not candidates:
        return None
    query = Q()
    for first, second in candidates:
        query |= Q(first_subject__slug=first, second_subject__slug=second)
        query |= Q(first_subject__slug=second, second_subject__slug=first)
    return queryset.filter(query).only("slug").first()
