"""Categories and subjects: what comparisons are grouped by and compare."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from pagecache.tags import read_derived

from ..text import fold_text, name_key
from .plain_text import PlainTextFields

CATEGORY_NAV_CACHE_KEY = "comparisons:category-nav"
SUBJECT_SLUG_LENGTH = 120


class CategoryQuerySet(models.QuerySet):
    def navigation(self):
        """Return [(name, url)] of every category in menu order, from the cache when it can.

        `forget_navigation()` (called whenever a category changes) refreshes it.
        """
        entries = read_derived(cache, CATEGORY_NAV_CACHE_KEY)
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


def refuse_a_name_like_another(instance, candidates):
    """Raise ValidationError on `instance`'s name when one of `candidates` (same model) has a
    name readers cannot tell from it (see name_key): two "BPO"s in a menu or a search."""
    key = name_key(instance.name)
    if not key:
        return
    for other in candidates.exclude(pk=instance.pk).only("name"):
        if name_key(other.name) == key:
            raise ValidationError(
                {
                    "name": f"“{other.name}” already exists, and differs from this name only "
                    "in capitals or accents: use it, or choose a name readers can tell apart."
                }
            )


class Category(PlainTextFields, models.Model):
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

    def clean(self):
        super().clean()
        refuse_a_name_like_another(self, Category.objects.all())


class Subject(PlainTextFields, models.Model):
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

    def clean(self):
        super().clean()
        # Names alike fold to the same search name (which also drops punctuation): only
        # those subjects need a closer look.
        alike = Subject.objects.filter(search_name=fold_text(self.name)[:120])
        refuse_a_name_like_another(self, alike)

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


def subject_slug(name):
    """Return the slug a new subject called `name` gets."""
    return slugify(name)[:SUBJECT_SLUG_LENGTH]
