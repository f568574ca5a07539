"""Parts of pages kept per process until one of their tags is bumped (pagecache.fragments)."""

import pytest

from pagecache import recovery
from pagecache.fragments import fragment
from pagecache.tags import SITE_TAG, invalidate

pytestmark = pytest.mark.django_db


class Counter:
    """A computation that says how often it ran."""

    def __init__(self):
        self.runs = 0

    def __call__(self):
        self.runs += 1
        return f"value {self.runs}"


def tags(_value):
    return ["a", "b"]


def test_a_value_is_computed_once_until_one_of_its_tags_is_bumped():
    compute = Counter()
    assert fragment("part", compute, tags) == "value 1"
    assert fragment("part", compute, tags) == "value 1"
    invalidate("b")
    assert fragment("part", compute, tags) == "value 2"
    invalidate("unrelated")
    assert fragment("part", compute, tags) == "value 2"
    invalidate(SITE_TAG)
    assert fragment("part", compute, tags) == "value 3"
    assert compute.runs == 3


def test_a_value_whose_tag_was_bumped_while_it_was_computed_is_not_kept():
    runs = []

    def compute():
        runs.append(1)
        if len(runs) == 1:
            invalidate("a")  # a change committed while the value was being read
        return len(runs)

    assert fragment("part", compute, tags) == 1
    assert fragment("part", compute, tags) == 2
    assert fragment("part", compute, tags) == 2


def test_nothing_is_kept_while_this_process_is_behind_on_a_change():
    compute = Counter()
    fragment("part", compute, tags)
    recovery._state["behind"] = True
    try:
        assert fragment("part", compute, tags) == "value 2"
        assert fragment("part", compute, tags) == "value 3"
    finally:
        recovery.forget_state()


def test_nothing_is_kept_with_the_page_cache_off(settings):
    settings.PAGE_CACHE_ENABLED = False
    compute = Counter()
    fragment("part", compute, tags)
    assert fragment("part", compute, tags) == "value 2"


def test_a_value_is_not_kept_past_the_next_scheduled_change(monkeypatch):
    from pagecache import middleware

    monkeypatch.setattr(middleware, "_seconds_until_next_scheduled_change", lambda: 0.5)
    compute = Counter()
    fragment("part", compute, tags)
    assert fragment("part", compute, tags) == "value 2"
