"""The snapshot that lets tests on the demo content share one load (tests/demo_content.py)."""

import pytest
from django.contrib.contenttypes.models import ContentType

from comparisons.models import Comparison, Subject
from comparisons.search import search
from tests.demo_content import DatabaseSnapshot, empty_database, table_contents
from tests.factories import make_comparison, make_subject


@pytest.mark.django_db(transaction=True)
def test_a_snapshot_puts_every_table_back_search_index_included():
    make_comparison(make_subject("BPO"), make_subject("KPO"))
    taken = table_contents()
    snapshot = DatabaseSnapshot()
    make_comparison(make_subject("CPU"), make_subject("GPU"))
    Subject.objects.filter(name="BPO").update(name="Business process outsourcing")
    assert table_contents() != taken

    snapshot.restore()

    assert table_contents() == taken
    assert list(Comparison.objects.values_list("title", flat=True)) == [
        "Difference between BPO and KPO"
    ]
    assert titles(search("bpo vs kpo")) == ["Difference between BPO and KPO"]
    assert titles(search("cpu gpu")) == []


@pytest.mark.django_db(transaction=True)
def test_after_a_restore_content_types_are_read_with_the_snapshot_s_ids():
    taken = ContentType.objects.get_for_model(Comparison).pk
    snapshot = DatabaseSnapshot()
    empty_database()  # content types are made again, with new ids
    assert ContentType.objects.get_for_model(Comparison).pk != taken

    snapshot.restore()

    assert ContentType.objects.get_for_model(Comparison).pk == taken


def titles(results):
    return [comparison.title for comparison in results.comparisons]
