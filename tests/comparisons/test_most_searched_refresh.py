"""When a change makes the "Most searched" blocks be computed again, and when it need not."""

from unittest import mock

import pytest

from comparisons.interest import most_searched_blocks, refresh_most_searched
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
        "comparisons.services.changed.refresh_most_searched", wraps=refresh_most_searched
    ) as refresh:
        yield refresh


def labels():
    return [item["label"] for block in most_searched_blocks() for item in block["items"]]


def test_editing_the_text_of_a_published_comparison_leaves_the_blocks_alone(
    bpo_kpo, recomputed
):
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
