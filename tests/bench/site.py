"""A synthetic site for the benchmark (`manage.py bench_site`), built with bulk writes.

Everything it creates is recognisable (slugs start with "bench-"), so it can be reused by the
next run or removed without touching real content.
"""

import random
import sys
import time
from datetime import timedelta

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from comparisons.markup import render_markdown
from comparisons.models import Category, Comparison, DifferenceRow, Subject
from comparisons.services import comparisons_changed, subject_prepare
from pagecache.tags import SITE_TAG, invalidate

from . import comments as bench_comments
from . import popularity as bench_popularity

PREFIX = "bench-"
CATEGORY_COUNT = 12
BATCH = 5000
# What other apps add to the site: build_bench_data(...) and remove_bench_data(pks).
EXTRAS = (bench_comments, bench_popularity)
BODY = """\
## What {a} is

{a} is one of the two things this page compares. Readers often mix it up with {b}, because
both appear in the same conversations, the same job titles and the same search results.

## What {b} is

{b} is the other one. It shares a vocabulary with {a}, but it answers a different need and
it is chosen by different people for different reasons.

## Which one to choose

- Choose {a} when cost and volume matter most.
- Choose {b} when judgement and expertise matter most.
- When in doubt, read the table below: it puts the two side by side, aspect by aspect.

> A fair comparison names what each side does well, not only where it falls short.
"""


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, label, total, stream=sys.stderr):
        self.label, self.total, self.stream = label, max(total, 1), stream
        self.done, self.started = 0, time.monotonic()

    def advance(self, count):
        self.done += count
        share = min(self.done / self.total, 1)
        bar = "#" * int(share * 30)
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        self.stream.write(
            f"\r  {self.label:<12} [{bar:<30}] {int(share * 100):3d}% {self.done:>9,}/{self.total:,}"
            f"  {rate:,.0f}/s"
        )
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def bench_comparisons():
    return Comparison.objects.filter(slug__startswith=PREFIX)


def subject_count_for(comparisons):
    """Enough subjects for `comparisons` distinct pairs (x, x+d) with d below half of them."""
    return max(50, comparisons // 100)


def remove_bench_site():
    """Delete the synthetic site with bulk deletes (no per-object signals)."""
    through = Comparison.categories.through
    with transaction.atomic():
        pks = bench_comparisons().values("pk")
        for extra in EXTRAS:
            extra.remove_bench_data(pks)
        DifferenceRow.objects.filter(comparison__in=pks)._raw_delete("default")
        through.objects.filter(comparison__in=pks)._raw_delete("default")
        Comparison.objects.filter(slug__startswith=PREFIX)._raw_delete("default")
        Subject.objects.filter(slug__startswith=PREFIX)._raw_delete("default")
        Category.objects.filter(slug__startswith=PREFIX)._raw_delete("default")
    invalidate(SITE_TAG)


def build_bench_site(comparisons, rows_per_comparison, comments=0, seed=1, stdout=sys.stdout):
    """Create `comparisons` published comparisons with their rows, categories and subjects."""
    rng = random.Random(seed)
    now = timezone.now()
    subject_total = subject_count_for(comparisons)
    plain = models.QuerySet  # bulk writes, then comparisons_changed batch by batch

    categories = plain(Category).bulk_create(
        Category(
            name=f"Bench category {n}",
            slug=f"{PREFIX}category-{n}",
            description=f"Synthetic category {n}.",
            order=100 + n,
        )
        for n in range(CATEGORY_COUNT)
    )
    progress = Progress("subjects", subject_total)
    subjects = []
    for start in range(0, subject_total, BATCH):
        batch = [
            subject_prepare(Subject(name=f"Bench subject {n}", slug=f"{PREFIX}subject-{n}"))
            for n in range(start, min(start + BATCH, subject_total))
        ]
        subjects += plain(Subject).bulk_create(batch)
        progress.advance(len(batch))

    body_template = render_markdown(BODY.format(a="{a}", b="{b}"))
    progress = Progress("comparisons", comparisons)
    created = []
    for start in range(0, comparisons, BATCH):
        batch = []
        for n in range(start, min(start + BATCH, comparisons)):
            first = subjects[n % subject_total]
            second = subjects[(n % subject_total + 1 + n // subject_total) % subject_total]
            batch.append(
                Comparison(
                    first_subject=first,
                    second_subject=second,
                    title=f"Difference between {first.name} and {second.name}",
                    slug=f"{first.slug}-and-{second.slug}",
                    key_difference=f"{first.name} handles volume; {second.name} handles judgement.",
                    body=BODY.format(a=first.name, b=second.name),
                    body_html=body_template.replace("{a}", first.name).replace("{b}", second.name),
                    status=Comparison.Status.PUBLISHED
                    if rng.random() > 0.02
                    else Comparison.Status.DRAFT,
                    publish_at=now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60)),
                )
            )
        created += plain(Comparison).bulk_create(batch)
        progress.advance(len(batch))

    through = Comparison.categories.through
    progress = Progress("categories", len(created))
    for start in range(0, len(created), BATCH):
        links = []
        for comparison in created[start : start + BATCH]:
            for category in rng.sample(categories, rng.choice((1, 1, 2))):
                links.append(through(comparison_id=comparison.pk, category_id=category.pk))
        plain(through).bulk_create(links)
        progress.advance(min(BATCH, len(created) - start))

    progress = Progress("rows", len(created) * rows_per_comparison)
    pending = []
    for comparison in created:
        for order in range(1, rows_per_comparison + 1):
            pending.append(
                DifferenceRow(
                    comparison_id=comparison.pk,
                    order=order,
                    aspect=f"Aspect {order}",
                    first_value=f"How the first subject handles aspect {order}, in a sentence.",
                    second_value=f"How the second subject handles aspect {order}, differently.",
                )
            )
        if len(pending) >= BATCH:
            plain(DifferenceRow).bulk_create(pending)
            progress.advance(len(pending))
            pending = []
    if pending:
        plain(DifferenceRow).bulk_create(pending)
        progress.advance(len(pending))

    # What every write ends with (search index, pages, blocks), batch by batch.
    progress = Progress("derived data", len(created))
    for start in range(0, len(created), BATCH):
        comparisons_changed({comparison.pk: None for comparison in created[start : start + BATCH]})
        progress.advance(min(BATCH, len(created) - start))

    for extra in EXTRAS:
        extra.build_bench_data(
            comparison_ids=[c.pk for c in created], comments=comments, progress=Progress
        )
    invalidate(SITE_TAG)
    return len(created)


def sample_pages():
    """Addresses of typical pages: a comparison in the biggest category, that category, a
    subject, and a search naming that subject (it finds the subject's comparisons)."""
    through = Comparison.categories.through
    biggest = (
        through.objects.filter(category__slug__startswith=PREFIX)
        .values("category_id")
        .annotate(n=models.Count("id"))
        .order_by("-n")
        .first()
    )
    category = Category.objects.get(pk=biggest["category_id"])
    in_category = (
        Comparison.objects.published()
        .filter(slug__startswith=PREFIX, categories=category)
        .select_related("first_subject")
        .order_by("pk")
    )
    comparison = in_category[in_category.count() // 2]
    return {
        "comparison": comparison.get_absolute_url(),
        "category": category.get_absolute_url(),
        "subject": comparison.first_subject.get_absolute_url(),
        "search": f"/search/?q={comparison.first_subject.name.replace(' ', '+')}",
        "comment_form": reverse(
            "comments:form",
            kwargs={"target_label": "comparisons.comparison", "object_id": comparison.pk},
        ),
    }
