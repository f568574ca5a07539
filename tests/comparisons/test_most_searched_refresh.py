"""When a change makes the "Most searched" blocks be computed again, and when it need not."""

from unittest import mock

import pytest
from django.db import transaction

from comparisons.interest import compute_most_searched_with_expiry, most_searched_blocks
from comparisons.models import Comparison
from comparisons.services import comparison_save, subject_save
from tests.factories import make_category, make_comparison

pytestmark = pytest.mark.django_db


@pytest.fixture
def bpo_kpo():
    return make_comparison("BPO", "KPO", categories=[make_category("Business")])


@pytest.fixture
def recomputed():
    """Counts the blocks' computations from here on."""
    with mock.patch(
        "comparisons.interest.ranking.compute_most_searched_with_expiry",
        wraps=compute_most_searched_with_expiry,
    ) as refresh:
        yield refresh


def labels():
    return [item["label"] for block in most_searched_blocks() for item in block["items"]]


def test_editing_the_text_of_a_published_comparison_leaves_the_blocks_alone(bpo_kpo, recomputed):
    bpo_kpo.key_difference = "BPO runs processes; KPO applies knowledge."
    bpo_kpo.body = "A new body."
    comparison_save(bpo_kpo)
    assert recomputed.call_count == 0
    assert labels() == ["BPO vs KPO"]


@pytest.mark.parametrize(
    "change",
    [
        lambda c: setattr(c, "status", Comparison.Status.DRAFT),
        lambda c: setattr(c, "slug", "bpo-and-kpo-compared"),
    ],
    ids=["unpublished", "new address"],
)
def test_a_change_of_place_or_address_recomputes_them(bpo_kpo, recomputed, change):
    change(bpo_kpo)
    comparison_save(bpo_kpo)
    assert recomputed.call_count >= 1


def test_moving_to_another_category_recomputes_them(bpo_kpo, recomputed):
    comparison_save(bpo_kpo, categories=[make_category("Finance")])
    assert recomputed.call_count >= 1
    assert [block["name"] for block in most_searched_blocks()] == ["Finance"]


def test_a_new_published_comparison_is_listed(bpo_kpo):
    make_comparison("CPU", "GPU", categories=list(bpo_kpo.categories.all()))
    assert sorted(labels()) == ["BPO vs KPO", "CPU vs GPU"]


def test_renaming_a_subject_renames_it_in_the_blocks(bpo_kpo):
    subject = bpo_kpo.first_subject
    subject.name = "Business Process Outsourcing"
    subject_save(subject)
    assert labels() == ["Business Process Outsourcing vs KPO"]


class RolledBack(Exception):
    pass


def labels_seen_by_another_server():
    """The labels in the blocks as another process reads them: from another thread, with a
    database connection of its own outside the change's transaction."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def read():
        try:
            return labels()
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(read).result()


@pytest.mark.django_db(transaction=True)
def test_no_other_server_lists_a_comparison_before_its_change_commits_or_after_it_rolls_back():
    business = make_category("Business")
    make_comparison("BPO", "KPO", categories=[business])
    assert labels_seen_by_another_server() == ["BPO vs KPO"]

    with pytest.raises(RolledBack), transaction.atomic():
        make_comparison("CPU", "GPU", categories=[business])
        assert sorted(labels()) == ["BPO vs KPO", "CPU vs GPU"]  # the change sees itself
        assert labels_seen_by_another_server() == ["BPO vs KPO"]
        raise RolledBack

    assert labels() == labels_seen_by_another_server() == ["BPO vs KPO"]

    with transaction.atomic():
        make_comparison("CPU", "GPU", categories=[business])
    assert sorted(labels_seen_by_another_server()) == ["BPO vs KPO", "CPU vs GPU"]
