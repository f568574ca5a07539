"""Preview of unsaved changes from the admin change form."""

import pytest
from django.contrib.admin.models import LogEntry

from comparisons.models import Comparison, DifferenceRow
from tests.factories import make_category, make_comparison, make_subject
from tests.helpers.admin_forms import comparison_form, inline_management

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comparisons/comparison/"


def edited_form(comparison, **overrides):
    """The change form of `comparison` as an editor left it: a new key difference, rows swapped."""
    first_row, second_row = comparison.rows.all()
    data = comparison_form(
        comparison.first_subject,
        comparison.second_subject,
        comparison.categories.get(),
        slug=comparison.slug,
        status=comparison.status,
        key_difference="An unsaved key difference.",
        **inline_management("rows", 3, initial=2),
    )
    for index, (row, order) in enumerate(((first_row, 2), (second_row, 1))):
        data.update(
            {
                f"rows-{index}-id": row.pk,
                f"rows-{index}-comparison": comparison.pk,
                f"rows-{index}-order": str(order),
                f"rows-{index}-aspect": row.aspect,
                f"rows-{index}-first_value": row.first_value,
                f"rows-{index}-second_value": row.second_value,
            }
        )
    data.update(
        {
            "rows-2-order": "3",
            "rows-2-aspect": "Unsaved aspect",
            "rows-2-first_value": "new one",
            "rows-2-second_value": "new two",
        }
    )
    data.update(overrides)
    return data


def snapshot():
    return (
        list(Comparison.objects.values()),
        list(DifferenceRow.objects.values()),
        LogEntry.objects.count(),
    )


def test_preview_renders_unsaved_changes_with_the_real_template_and_stores_nothing(
    editor_client,
):
    comparison = make_comparison("BPO", "KPO", rows=[("A", "1", "2"), ("B", "3", "4")])
    before = snapshot()
    response = editor_client.post(f"{CHANGELIST}{comparison.pk}/preview/", edited_form(comparison))
    assert response.status_code == 200
    assert [template.name for template in response.templates][0] == (
        "comparisons/comparison_detail.html"
    )
    html = response.content.decode()
    assert "<p>An unsaved key difference.</p>" in html
    aspects = [row.aspect for row in response.context["rows"]]
    assert aspects == ["B", "A", "Unsaved aspect"]
    assert "Preview of unsaved changes - Published." in html
    assert response["Cache-Control"] == "private, no-store"
    assert snapshot() == before


def test_preview_of_a_new_comparison(editor_client):
    data = comparison_form(make_subject("BPO"), make_subject("KPO"), make_category("Business"))
    response = editor_client.post(f"{CHANGELIST}add/preview/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="comparison-title">Difference between BPO and KPO</h1>' in html
    assert "Preview of unsaved changes - Draft - not published." in html
    assert not Comparison.objects.exists() and not DifferenceRow.objects.exists()


def test_preview_with_errors_lists_them_and_stores_nothing(editor_client):
    comparison = make_comparison("BPO", "KPO", rows=[("A", "1", "2"), ("B", "3", "4")])
    response = editor_client.post(
        f"{CHANGELIST}{comparison.pk}/preview/",
        edited_form(comparison, key_difference="", **{"rows-2-second_value": ""}),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "key_difference: This field is required." in html
    assert "rows line 3, second_value: This field is required." in html
    assert Comparison.objects.get().key_difference != ""


def test_preview_is_for_staff_only_and_post_only(client, editor_client):
    comparison = make_comparison("BPO", "KPO", rows=[("A", "1", "2"), ("B", "3", "4")])
    address = f"{CHANGELIST}{comparison.pk}/preview/"
    response = client.post(address, edited_form(comparison))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert editor_client.get(address).status_code == 405


def test_change_form_offers_the_preview_button(editor_client):
    comparison = make_comparison("BPO", "KPO")
    html = editor_client.get(f"{CHANGELIST}{comparison.pk}/change/").content.decode()
    assert (
        f'formtarget="_blank" formaction="/admin/comparisons/comparison/{comparison.pk}/preview/"'
        in html
    )


def test_preview_shows_unsaved_rows_while_readers_are_served_kept_parts(editor_client, client):
    from tests.factories import page_cache_miss

    comparison = make_comparison("BPO", "KPO", rows=[("A", "1", "2"), ("B", "3", "4")])
    path = comparison.get_absolute_url()
    page_cache_miss(client, path)  # the table, sidebar and menus are kept for readers
    response = editor_client.post(f"{CHANGELIST}{comparison.pk}/preview/", edited_form(comparison))
    html = response.content.decode()
    assert '<th scope="row">Unsaved aspect</th>' in html
    assert html.index('<th scope="row">B</th>') < html.index('<th scope="row">A</th>')
    reader_html = client.get(path).content.decode()
    assert "Unsaved aspect" not in reader_html
    assert reader_html.index('<th scope="row">A</th>') < reader_html.index('<th scope="row">B</th>')
