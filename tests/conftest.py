"""Shared fixtures: small factories that build content with sensible defaults."""

import itertools
import os
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone

from comparisons.models import Category, Comparison, DifferenceRow, Subject, subject_slug
from config.page_cache import forget_local_copies

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# browser tests make around it are still plain synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_sequence = itertools.count(1)


@pytest.fixture(autouse=True)
def _empty_caches():
    """Start every test with empty caches: cached pages must not leak between tests."""
    for cache in caches.all():
        cache.clear()
    forget_local_copies()
    yield


def make_subject(name=None, **overrides):
    name = name or f"Subject {next(_sequence)}"
    return Subject.objects.create(
        name=name, slug=overrides.pop("slug", subject_slug(name)), **overrides
    )


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
    comparison = Comparison.objects.create(first_subject=first, second_subject=second, **fields)
    comparison.categories.set(categories if categories is not None else [make_category()])
    DifferenceRow.objects.bulk_create(
        DifferenceRow(
            comparison=comparison, order=order, aspect=aspect, first_value=one, second_value=two
        )
        for order, (aspect, one, two) in enumerate(rows, start=1)
    )
    return comparison


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        "staffer", password="correct horse battery", is_staff=True
    )


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def bpo_kpo(db):
    business = make_category("Business", slug="business")
    return make_comparison(
        make_subject("BPO", slug="bpo"),
        make_subject("KPO", slug="kpo"),
        categories=[business],
        key_difference="BPO outsources processes; KPO outsources knowledge work.",
        rows=[
            ("Stands for", "Business Process Outsourcing", "Knowledge Process Outsourcing"),
            ("Skills required", "Communication skills", "Specialised knowledge"),
            ("Level of service", "Low end services", "High end services"),
        ],
    )
