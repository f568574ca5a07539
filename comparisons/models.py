"""The content: categories, subjects, comparisons and their rows of differences."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Least
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from .text import fold_text

CATEGORY_NAV_CACHE_KEY = "comparisons:category-nav"
SUBJECT_SLUG_LENGTH = 120
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


class CategoryQuerySet(models.QuerySet):
    def navigation(self):
        """Return [(name, url)] of every category in menu order, from the cache when it can.

        `forget_navigation()` (called whenever a category changes) refreshes it.
        """
        entries = cache.get(CATEGORY_NAV_CACHE_KEY)
        if entries is None:
            entries = [
                {"pk": category.pk, "name": category.name, "url": category.get_absolute_url()}
                for category in self.only("name", "slug")
            ]
            cache.set(CATEGORY_NAV_CACHE_KEY, entries, None)
        return entries

    @staticmethod
    def forget_navigation():
        cache.delete(CATEGORY_NAV_CACHE_KEY)


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

    objects = CategoryQuerySet.as_manager()

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
        max_length=SUBJECT_SLUG_LENGTH,
        unique=True,
        help_text="The subject's web address: /subject/<slug>/.",
    )
    description = models.TextField(
        blank=True, help_text="A short description shown on the subject's page."
    )
    search_name = models.CharField(
        max_length=120,
        blank=True,
        editable=False,
        db_index=True,
        help_text="The name folded for search: lower case, no accents or punctuation.",
    )
    aliases = models.TextField(
        blank=True,
        help_text=(
            "Other names readers know this subject by, one per line: a spelled-out acronym "
            '("Business Process Outsourcing" for BPO), another spelling ("call center" for '
            'Call Centre), a synonym ("motion picture" for Film). Search finds the subject by '
            "each of them; they are shown on the subject's page."
        ),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("comparisons:subject", kwargs={"slug": self.slug})

    @property
    def alias_list(self):
        """Return the aliases as typed, one per line, without blanks or repeats."""
        lines = (line.strip() for line in (self.aliases or "").splitlines())
        return list(dict.fromkeys(line for line in lines if line))


class SubjectAlias(models.Model):
    """A subject's alias folded for search: derived from `Subject.aliases`, never edited."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="alias_names")
    search_name = models.CharField(max_length=120, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "search_name"], name="subject_alias_unique_search_name"
            )
        ]

    def __str__(self):
        return self.search_name


def update_alias_names(subjects):
    """Rewrite the folded aliases of these saved subjects from their `aliases` text."""
    SubjectAlias.objects.filter(subject__in=[subject.pk for subject in subjects]).delete()
    SubjectAlias.objects.bulk_create(
        SubjectAlias(subject=subject, search_name=name)
        for subject in subjects
        for name in dict.fromkeys(fold_text(alias)[:120] for alias in subject.alias_list)
        if name and name != subject.search_name
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


class Comparison(models.Model):
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
            raise ValidationError({"expire_at": "The expiry date must come after the publish date."})
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
        from .images import responsive_image

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


class DifferenceRow(models.Model):
    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="rows")
    aspect = models.CharField(max_length=150, help_text='What is compared, e.g. "Stands for".')
    first_value = models.TextField(help_text="The value for the first subject.")
    second_value = models.TextField(help_text="The value for the second subject.")
    order = models.PositiveIntegerField(
        default=0,
        db_index=True,
        help_text="Rows are shown from the lowest number to the highest. Drag the rows, or type "
        "numbers here.",
    )
    section = models.CharField(
        max_length=80,
        blank=True,
        help_text='Optional heading such as "Overview" or "Careers". Consecutive rows with the '
        "same heading are grouped under it in the table.",
    )
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text='Where this row\'s facts come from, e.g. "OECD Employment Outlook 2024".',
    )
    source_url = models.URLField(
        "source link", blank=True, help_text="Optional link to the source (https://...)."
    )
    checked_on = models.DateField(
        "last checked",
        null=True,
        blank=True,
        help_text="When an editor last checked this row against its source.",
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "difference row"

    def __str__(self):
        return self.aspect


@dataclass
class RowGroup:
    heading: str
    rows: list


def group_rows(rows):
    """Group consecutive `rows` that share a section heading, keeping their order."""
    groups = []
    for row in rows:
        heading = row.section.strip()
        if not groups or groups[-1].heading != heading:
            groups.append(RowGroup(heading, []))
        groups[-1].rows.append(row)
    return groups


class ImageCredit(models.Model):
    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="credits")
    text = models.CharField(max_length=200, help_text='Who the image is from, e.g. "tvtworld.com".')
    url = models.URLField(blank=True, help_text="Optional link to the source.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.text


def subject_slug(name):
    """Return the slug a new subject called `name` gets."""
    return slugify(name)[:SUBJECT_SLUG_LENGTH]


def split_pair_slug(text, separator):
    """Yield every (first_slug, second_slug) that `text` could name around `separator`.

    Subject slugs may themselves contain the separator's words, so each position
    where it occurs is a candidate: "a-and-b-and-c" yields ("a", "b-and-c") and
    ("a-and-b", "c"). Only splits into two parts no longer than a subject's slug are
    candidates, so a text longer than two slugs and the separator yields nothing and
    any text yields at most a few dozen pairs.
    """
    if len(text) > 2 * SUBJECT_SLUG_LENGTH + len(separator):
        return
    start = max(0, len(text) - len(separator) - SUBJECT_SLUG_LENGTH)
    last = min(len(text) - len(separator), SUBJECT_SLUG_LENGTH)
    while (index := text.find(separator, start, last + len(separator))) != -1:
        first, second = text[:index], text[index + len(separator) :]
        if first and second:
            yield first, second
        start = index + 1


def _pair_query(candidates, first_field, second_field):
    """Match either order of any (first, second) slug pair in `candidates`; None if none."""
    query = None
    for first, second in candidates:
        for one, other in ((first, second), (second, first)):
            condition = Q(**{first_field: one, second_field: other})
            query = condition if query is None else query | condition
    return query


def find_comparison_by_pair_slug(queryset, text, separator):
    """Return the comparison in `queryset` whose subjects' slugs `text` names, or None.

    The subjects may be named in either order. One query at most, bounded in size
    whatever the length of `text` (see split_pair_slug).
    """
    query = _pair_query(
        split_pair_slug(text, separator), "first_subject__slug", "second_subject__slug"
    )
    if query is None:
        return None
    return queryset.filter(query).only("slug").first()


def find_comparison_by_old_address(queryset, slug, separator="-and-"):
    """Return the comparison in `queryset` that once lived at `slug`, or None.

    `slug` may be an earlier slug (with "-and-") or an earlier pair of subjects in
    either order (with `separator`). One query at most, bounded in size.
    """
    query = _pair_query(
        split_pair_slug(slug, separator), "first_subject_slug", "second_subject_slug"
    )
    if separator == "-and-" and len(slug) <= COMPARISON_SLUG_LENGTH:
        query = Q(slug=slug) if query is None else query | Q(slug=slug)
    if query is None:
        return None
    address = (
        ComparisonAddress.objects.filter(comparison__in=queryset)
        .filter(query)
        .select_related("comparison")
        .only("comparison__slug")
        .order_by("-created_at", "-id")
        .first()
    )
    return address.comparison if address else None


class ComparisonDraft(models.Model):
    """Unpublished changes to a live comparison: what an editor saved, waiting for a publisher.

    Readers, search, feeds, sitemaps and caches see only the comparison itself; the draft
    becomes live when a publisher publishes it (see comparisons.services).
    """

    comparison = models.OneToOneField(
        Comparison, on_delete=models.CASCADE, primary_key=True, related_name="draft"
    )
    content = models.JSONField(
        help_text="The changed comparison: its fields, category ids, rows and image credits."
    )
    saved_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    publish_at = models.DateTimeField(
        "publish the changes at",
        null=True,
        blank=True,
        db_index=True,
        help_text="When set, the changes go live by themselves at this moment.",
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "draft of a live comparison"

    def __str__(self):
        return f"Draft of {self.comparison}"


class ComparisonAddress(models.Model):
    """An earlier address of a comparison: its old slug and its old pair of subjects."""

    comparison = models.ForeignKey(
        Comparison, on_delete=models.CASCADE, related_name="old_addresses"
    )
    slug = models.SlugField(max_length=200, help_text="The slug the comparison had before.")
    first_subject_slug = models.SlugField(
        max_length=120, help_text="The first subject's slug at the time."
    )
    second_subject_slug = models.SlugField(
        max_length=120, help_text="The second subject's slug at the time."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the address changed.")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "earlier address"
        verbose_name_plural = "earlier addresses"
        indexes = [
            models.Index(fields=["first_subject_slug", "second_subject_slug"], name="old_pair_idx")
        ]

    def __str__(self):
        return self.slug


class DailyInterest(models.Model):
    """How many readers viewed a comparison, and reached it from search, on one day."""

    comparison = models.ForeignKey(
        Comparison, on_delete=models.CASCADE, related_name="daily_interest"
    )
    day = models.DateField(help_text="The day (UTC) the counts are for.")
    views = models.PositiveIntegerField(default=0, help_text="Readers who opened the page.")
    searches = models.PositiveIntegerField(
        default=0, help_text="Readers who opened it from the site search."
    )

    class Meta:
        ordering = ["-day"]
        verbose_name_plural = "daily interest"
        constraints = [
            models.UniqueConstraint(fields=["comparison", "day"], name="daily_interest_unique")
        ]
        indexes = [models.Index(fields=["day"], name="daily_interest_day_idx")]

    def __str__(self):
        return f"{self.comparison_id} on {self.day}"


class ComparisonPopularity(models.Model):
    """A comparison's interest totals, recomputed by `flush_interest` (never on a page view)."""

    comparison = models.OneToOneField(
        Comparison, on_delete=models.CASCADE, primary_key=True, related_name="popularity"
    )
    views_30d = models.PositiveIntegerField(default=0)
    searches_30d = models.PositiveIntegerField(default=0)
    views_total = models.PositiveIntegerField(default=0)
    searches_total = models.PositiveIntegerField(default=0)
    score_30d = models.PositiveIntegerField(
        default=0, db_index=True, help_text="Views plus weighted searches, last 30 days."
    )
    score_total = models.PositiveIntegerField(default=0, help_text="The same, all time.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "comparison popularity"

    def __str__(self):
        return f"{self.comparison_id}: {self.score_30d}"


class PinnedComparison(models.Model):
    """A comparison an editor put at the top of a category's "Most searched" block."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="pins")
    comparison = models.ForeignKey(
        Comparison,
        on_delete=models.CASCADE,
        related_name="pins",
        help_text='Shown at the top of the category\'s "Most searched" block.',
    )
    order = models.PositiveIntegerField(
        default=0, help_text="Pins are shown from the lowest number to the highest."
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "pinned comparison"
        constraints = [
            models.UniqueConstraint(fields=["category", "comparison"], name="pin_unique")
        ]

    def __str__(self):
        return f"{self.comparison} in {self.category}"


class SearchQuery(models.Model):
    """A query readers typed in the site search, normalised, and how often."""

    query = models.CharField(max_length=200, unique=True, help_text="Lower case, trimmed.")
    count = models.PositiveIntegerField(default=0, help_text="How many times it was asked.")
    result_count = models.PositiveIntegerField(
        default=0, db_index=True, help_text="How many comparisons it found the last time."
    )
    first_asked = models.DateTimeField(default=timezone.now)
    last_asked = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-count", "query"]
        verbose_name = "search query"
        verbose_name_plural = "search queries"

    def __str__(self):
        return self.query


class InterestBatch(models.Model):
    """A batch of buffered counts already written, so a retried flush never doubles it."""

    key = models.CharField(max_length=64, unique=True)
    flushed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.key


class RowReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=RowReport.Status.OPEN)


class RowReport(models.Model):
    """A reader's note that a row of a comparison's table is wrong."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved: the row was corrected"
        DISMISSED = "dismissed", "Dismissed: the row is right"

    comparison = models.ForeignKey(
        Comparison, on_delete=models.CASCADE, related_name="row_reports", editable=False
    )
    row = models.ForeignKey(
        DifferenceRow,
        on_delete=models.CASCADE,
        related_name="reports",
        help_text="The row the reader says is wrong.",
    )
    note = models.TextField(max_length=1000, help_text="What the reader says is wrong.")
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.OPEN,
        db_index=True,
        help_text="Resolve it once the row is corrected, or dismiss it if the row is right.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    handled_at = models.DateTimeField(null=True, blank=True, editable=False)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = RowReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "row report"

    def __str__(self):
        return f"Report on {self.row}"

    def handle(self, status, user, at=None):
        """Record that `user` resolved or dismissed this report (call save() after)."""
        self.status = status
        self.handled_by = user
        self.handled_at = at or timezone.now()
