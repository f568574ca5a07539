"""One write path: the admin, an import and the demo loader leave identical derived data."""

import json
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import transaction
from reversion.models import Version

from comparisons import demo
from comparisons.interest import most_searched_blocks
from comparisons.models import Comparison, ComparisonAddress, DifferenceRow, RowReport, Subject
from comparisons.search import search
from comparisons.services import (
    comparison_delete,
    comparison_save,
    match_rows,
    renumber,
    subject_save,
)
from comparisons.transfer import apply_plan, plan_import
from tests.factories import make_category, make_comparison, make_subject
from tests.helpers.admin_forms import comparison_form

pytestmark = pytest.mark.django_db

PUBLISH_AT = datetime(2024, 1, 2, 10, 0, tzinfo=UTC)
BODY = "## Why\n\nBPO moves *processes*; KPO moves knowledge."
KEY = "BPO outsources processes; KPO outsources knowledge work."
ROWS = [
    ("Stands for", "Business Process Outsourcing", "Knowledge Process Outsourcing"),
    ("Workforce", "Generalists", "Specialists"),
]


class Rollback(Exception):
    pass


def derived_data():
    """Everything a write derives from the content, as readers and editors meet it."""
    comparison = Comparison.objects.select_related("first_subject", "second_subject").get()
    versions = Version.objects.get_for_object(comparison)
    # As this transaction reads them: the write must have refreshed them, not this read.
    with mock.patch(
        "comparisons.interest.ranking.compute_most_searched_with_expiry",
        side_effect=AssertionError("the write did not refresh the Most searched blocks"),
    ):
        blocks = most_searched_blocks()
    return {
        "fields": (comparison.title, comparison.slug, comparison.body_html, comparison.status),
        "search_text": comparison.search_text,
        "search_vector": str(comparison.search_vector),
        "subjects": sorted(Subject.objects.values_list("name", "slug", "search_name")),
        "rows": list(comparison.rows.values_list("order", "aspect", "first_value", "second_value")),
        "revisions": versions.count(),
        "revision_rows": sorted(
            version.field_dict["aspect"]
            for version in versions.order_by("-pk").first().revision.version_set.all()
            if version.content_type.model == "differencerow"
        ),
        "search_hits": [found.slug for found in search("bpo kpo").comparisons],
        "most_searched": [
            (block["name"], [item["label"] for item in block["items"]])
            for block in blocks
        ],
        "addresses": ComparisonAddress.objects.count(),
    }


def written_by(write):
    """Run `write()`, read the derived data, and undo everything."""
    cache.clear()
    try:
        with transaction.atomic():
            write()
            data = derived_data()
            raise Rollback
    except Rollback:
        pass
    cache.clear()
    return data


def test_admin_save_import_and_demo_load_leave_identical_derived_data(
    publisher_client, publisher
):
    business = make_category("Business", slug="business")

    def admin_save():
        bpo, kpo = make_subject("BPO"), make_subject("KPO")
        data = comparison_form(
            bpo, kpo, business, _publish="Publish", key_difference=KEY, body=BODY
        )
        response = publisher_client.post("/admin/comparisons/comparison/add/", data)
        assert response.status_code == 302, response.context["adminform"].form.errors

    record = {
        "first_subject": "BPO",
        "second_subject": "KPO",
        "key_difference": KEY,
        "body": BODY,
        "categories": ["business"],
        "status": "published",
        "publish_at": "2024-01-02T10:00:00Z",
        "rows": [
            {"aspect": aspect, "first_value": one, "second_value": two}
            for aspect, one, two in ROWS
        ],
    }

    def import_file():
        plan = plan_import(json.dumps([record]), "json")
        assert plan.errors == []
        apply_plan(plan, user=publisher)

    def demo_load():
        demo.load_subjects({"BPO": "", "KPO": ""})
        demo.import_comparisons([record])

    admin, imported, loaded = (written_by(write) for write in (admin_save, import_file, demo_load))
    assert admin["search_hits"] == ["bpo-and-kpo"]
    assert admin["most_searched"] == [("Business", ["BPO vs KPO"])]
    assert admin["rows"] == [(1, *ROWS[0]), (2, *ROWS[1])]
    assert admin["subjects"] == [("BPO", "bpo", "bpo"), ("KPO", "kpo", "kpo")]
    assert imported == admin
    assert loaded == admin


def test_an_imported_published_comparison_is_found_at_once_and_has_a_revision(bpo_kpo):
    record = {
        "first_subject": "Tea",
        "second_subject": "Coffee",
        "key_difference": "Leaves against beans.",
        "categories": ["business"],
        "status": "published",
        "publish_at": "2024-01-02T10:00:00Z",
        "rows": [{"aspect": "Made from", "first_value": "Leaves", "second_value": "Beans"}],
    }
    apply_plan(plan_import(json.dumps([record]), "json"))
    assert [found.slug for found in search("tea coffee").comparisons] == ["tea-and-coffee"]
    imported = Comparison.objects.get(slug="tea-and-coffee")
    assert Version.objects.get_for_object(imported).count() == 1
    assert Subject.objects.get(name="Coffee").search_name == "coffee"


def test_renaming_a_subject_reindexes_its_comparisons(bpo_kpo):
    bpo = bpo_kpo.first_subject
    bpo.name = "Outsourcing of processes"
    subject_save(bpo)
    bpo.refresh_from_db()
    assert bpo.search_name == "outsourcing of processes"
    assert [found.slug for found in search("outsourcing of processes").comparisons] == [
        "bpo-and-kpo"
    ]


def test_changing_the_slug_keeps_the_earlier_address(client, bpo_kpo):
    bpo_kpo.slug = "bpo-versus-kpo"
    comparison_save(bpo_kpo)
    response = client.get("/difference-between-bpo-and-kpo/")
    assert response.status_code == 301
    assert response["Location"] == "/difference-between-bpo-versus-kpo/"


def test_deleting_drops_the_page_and_the_search_hit(client, bpo_kpo):
    assert client.get(bpo_kpo.get_absolute_url()).status_code == 200
    comparison_delete(bpo_kpo)
    assert client.get("/difference-between-bpo-and-kpo/").status_code == 404
    assert list(search("bpo kpo").comparisons) == []


def rows_numbered(*orders, typed=None):
    rows = [DifferenceRow(aspect=f"Row {index}", order=order) for index, order in enumerate(orders)]
    if typed is not None:
        rows[typed]._order_typed = True
    return rows


def test_typing_an_order_moves_the_rows_after_it():
    rows = rows_numbered(1, 2, 3, 2, typed=3)
    assert [(row.aspect, row.order) for row in renumber(rows)] == [
        ("Row 0", 1),
        ("Row 3", 2),
        ("Row 1", 3),
        ("Row 2", 4),
    ]


def test_new_rows_without_an_order_go_last_and_distinct_orders_stay():
    rows = rows_numbered(0, 5, 9, 0)
    assert [(row.aspect, row.order) for row in renumber(rows)] == [
        ("Row 1", 5),
        ("Row 2", 9),
        ("Row 0", 10),
        ("Row 3", 11),
    ]


def test_imported_rows_are_matched_by_aspect_then_position(bpo_kpo):
    stored = list(bpo_kpo.rows.all())  # Stands for, Skills required, Level of service
    incoming = [
        DifferenceRow(aspect="skills  REQUIRED", first_value="a", second_value="b"),
        DifferenceRow(aspect="Stands  for", first_value="c", second_value="d"),
        DifferenceRow(aspect="Level", first_value="e", second_value="f"),
        DifferenceRow(aspect="New", first_value="g", second_value="h"),
    ]
    matched = match_rows(stored, incoming)
    assert [row.pk for row in incoming] == [stored[1].pk, stored[0].pk, stored[2].pk, None]
    assert (len(matched.updated), matched.added, matched.removed) == (3, incoming[3:], [])


def test_an_import_keeps_open_reports_on_rows_it_changes(bpo_kpo):
    row = bpo_kpo.rows.get(aspect="Skills required")
    report = RowReport.objects.create(comparison=bpo_kpo, row=row, note="Outdated")
    make_comparison("Tea", "Coffee")  # another comparison in the same file, unchanged
    import io

    from comparisons.transfer import export_records, write_json

    stream = io.StringIO()
    write_json(export_records(Comparison.objects.filter(pk=bpo_kpo.pk)), stream)
    records = json.loads(stream.getvalue())
    records[0]["rows"][1]["second_value"] = "Deep expertise"
    plan = plan_import(json.dumps(records), "json")
    (item,) = plan.of("change")
    assert item.row_changes.describe() == "3 row(s) updated in place (1 open report(s) kept)"
    apply_plan(plan)
    report.refresh_from_db()
    assert report.row.second_value == "Deep expertise"
    assert Version.objects.get_for_object(bpo_kpo).count() == 2


def test_control_characters_pasted_into_text_are_left_out_by_every_writer(publisher_client):
    """A word processor's line break (a vertical tab) is a line break in a text field and a
    space in a one-line field; other control characters go. XML feeds cannot hold them, and
    HTML forbids them."""
    business = make_category("Business", slug="business")
    response = publisher_client.post(
        "/admin/comparisons/subject/add/",
        {"name": "Word\x0bprocessor\x07", "slug": "word-processor", "aliases": "", "description": ""},
    )
    assert response.status_code == 302
    word = Subject.objects.get(slug="word-processor")
    assert word.name == "Word processor"

    comparison = make_comparison(
        word,
        "Type\x1fwriter",
        categories=[business],
        title="Difference between\r\nword processors and typewriters",
        key_difference="One line\x0banother\x0c.",
        rows=[("Keys\x0b", "Soft\x0bkeys", "Hard\x00keys")],
    )
    comparison.refresh_from_db()
    assert comparison.key_difference == "One line\nanother\n."
    assert comparison.title == "Difference between word processors and typewriters"
    assert comparison.second_subject.name == "Typewriter"
    row = comparison.rows.get()
    assert (row.aspect, row.first_value, row.second_value) == ("Keys", "Soft\nkeys", "Hardkeys")


def test_a_name_that_matches_another_once_cleaned_is_refused_with_a_message(publisher_client):
    make_subject("Word processor")
    response = publisher_client.post(
        "/admin/comparisons/subject/add/",
        {"name": "Word\x0bprocessor", "slug": "word-processor-2", "aliases": "", "description": ""},
    )
    assert response.status_code == 200
    assert "“Word processor” already exists" in response.content.decode()
    assert Subject.objects.filter(name="Word processor").count() == 1
