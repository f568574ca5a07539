"""Factories that build content with sensible defaults, for every test module."""

import itertools
from datetime import timedelta

from django.utils import timezone

from comparisons.models import Category, Comparison, DifferenceRow, Subject, subject_slug
from comparisons.services import comparison_save, subject_save

_sequence = itertools.count(1)


def make_subject(name=None, **overrides):
    name = name or f"Subject {next(_sequence)}"
    return subject_save(Subject(name=name, **overrides))


def make_category(name=None, **overrides):
    name = name or f"Category {next(_sequence)}"
    return Category.objects.create(
        name=name, slug=overrides.pop("slug", subject_slug(name)), **overrides
    )


def make_comparison(first=None, second=None, *, categories=None, rows=(), **overrides):
    """Create a published comparison; `first`/`second` may be names or Subjects."""
    first = first if isinstance(first, Subject) else make_subject(first)
    second = second if isinstance(second, Subject) else make_subject(second)
    fields = {
        "key_difference": f"{first.name} is not {second.name}.",
        "body": f"About {first.name} and {second.name}.",
        "status": Comparison.Status.PUBLISHED,
        "publish_at": timezone.now() - timedelta(days=1),
    }
    fields.update(overrides)
    return comparison_save(
        Comparison(first_subject=first, second_subject=second, **fields),
        categories=categories if categories is not None else [make_category()],
        rows=[
            DifferenceRow(order=order, aspect=aspect, first_value=one, second_value=two)
            for order, (aspect, one, two) in enumerate(rows, start=1)
        ],
    )


def page_cache_miss(client, path):
    """Render `path` once, then drop that page from the page cache: the next GET is a miss.

    That is an uncached page on a running site (expired, or evicted): the shared caches and
    the parts of pages it leans on (the comparison, the category menu, the Most searched
    blocks, its related list and comment threads, the HTML of its stable parts, the schedule)
    are warm, as they are between edits. For a page
    whose parts changed too, see `page_and_parts_cache_miss`.
    """
    from django.test import RequestFactory

    from pagecache.middleware import drop_page

    client.get(path)
    drop_page(RequestFactory(**client.defaults).get(path))


def page_and_parts_cache_miss(client, path):
    """Render `path` once, then drop every cached page and part of a page: the next GET is a
    miss that reads its related list and comment threads again."""
    from pagecache.tags import SITE_TAG, invalidate

    client.get(path)
    invalidate(SITE_TAG)
