"""Revisions: every admin save keeps the comparison with its rows; diff, restore, recover."""

import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from reversion.models import Revision, Version

from comparisons.models import Comparison
from comparisons.services import comparison_publish
from tests.factories import make_comparison
from tests.helpers.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comparisons/comparison/"


def edit(client, comparison, comment="", **changes):
    """Open the change form, apply `changes` to its data, save it; return the response."""
    address = f"{CHANGELIST}{comparison.pk}/change/"
    data = change_form_data(client.get(address))
    data.update(changes, revision_comment=comment)
    response = client.post(address, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


@pytest.fixture
def kept(editor_client):
    """A comparison with three revisions: as created, as first saved in the admin, then with
    the Workforce row changed."""
    comparison = make_comparison(
        "BPO",
        "KPO",
        rows=[("Stands for", "Business", "Knowledge"), ("Workforce", "Many", "Few")],
        status=Comparison.Status.REVIEW,  # an editor's saves of a live page wait as a draft
        publish_at=datetime(2025, 1, 2, 10, 0, tzinfo=UTC),  # as the form shows it
    )
    edit(editor_client, comparison, "First look")
    edit(editor_client, comparison, "Fixed the workforce row", **{"rows-1-second_value": "Experts"})
    return comparison


def test_each_save_keeps_a_revision_with_rows_user_and_comment(editor_client, kept):
    revisions = list(Revision.objects.order_by("pk"))
    assert len(revisions) == 3
    latest = revisions[-1]
    assert latest.user == get_user_model().objects.get(username="ed")
    assert latest.get_comment().startswith("Fixed the workforce row (")
    assert "Changed Second value for difference row \u201cWorkforce\u201d.)" in latest.get_comment()
    rows = [
        version.field_dict
        for version in latest.version_set.all()
        if version.content_type.model == "differencerow"
    ]
    assert sorted((row["aspect"], row["second_value"]) for row in rows) == [
        ("Stands for", "Knowledge"),
        ("Workforce", "Experts"),
    ]


def test_history_lists_revisions_with_compare_choices(editor_client, kept):
    response = editor_client.get(f"{CHANGELIST}{kept.pk}/history/")
    html = response.content.decode()
    assert html.count('type="radio" name="from"') == 3
    newest, previous, _ = (action["revision"] for action in response.context["action_list"])
    assert newest.get_comment().startswith("Fixed the workforce row")
    assert f'name="to" value="{newest.pk}" id="to-{newest.pk}" aria-label' in html
    assert re.search(rf'name="from" value="{previous.pk}"[^>]*checked', html)
    assert re.search(rf'name="to" value="{newest.pk}"[^>]*checked', html)
    assert f">{newest.date_created:%Y-%m-%d %H:%M:%S}</a>" in html
    assert "Fixed the workforce row" in html
    assert "Compare the chosen revisions" in html


def test_diff_shows_the_changed_row_side_by_side(editor_client, kept):
    _, first, second = Revision.objects.order_by("pk")
    response = editor_client.get(
        f"{CHANGELIST}{kept.pk}/history/compare/", {"from": second.pk, "to": first.pk}
    )
    assert response.status_code == 200
    rows = {row.aspect: row for row in response.context["rows"]}
    assert rows["Stands for"].kind == "same"
    assert rows["Workforce"].kind == "changed"
    changed = [change for change in rows["Workforce"].fields if change.changed]
    assert [(c.label, c.old, c.new) for c in changed] == [("Second value", "Few", "Experts")]
    assert not any(change.changed for change in response.context["fields"])
    html = response.content.decode()
    assert "<caption>Workforce: changed</caption>" in html
    assert "<caption>Stands for: same</caption>" not in html
    assert "Unchanged rows: Stands for." in html
    assert "<td><del>Few</del></td>\n        <td><ins>Experts</ins></td>" in html


def test_diff_shows_added_and_removed_rows_and_field_changes(editor_client, kept):
    edit(
        editor_client,
        kept,
        "",
        key_difference="Rewritten.",
        **{"rows-0-DELETE": "on"},
    )
    _, first, _, third = Revision.objects.order_by("pk")
    response = editor_client.get(
        f"{CHANGELIST}{kept.pk}/history/compare/", {"from": first.pk, "to": third.pk}
    )
    kinds = {row.aspect: row.kind for row in response.context["rows"]}
    assert kinds == {"Stands for": "removed", "Workforce": "changed"}
    fields = {c.label: (c.old, c.new) for c in response.context["fields"] if c.changed}
    assert fields == {"Key difference": ("BPO is not KPO.", "Rewritten.")}


def test_compare_needs_two_revisions_of_this_comparison(editor_client, kept):
    assert editor_client.get(f"{CHANGELIST}{kept.pk}/history/compare/").status_code == 404
    response = editor_client.get(
        f"{CHANGELIST}{kept.pk}/history/compare/", {"from": 1, "to": "x"}
    )
    assert response.status_code == 404


def test_restore_brings_back_the_old_rows_as_a_new_revision(editor_client, kept):
    first = Version.objects.get_for_object(kept).order_by("pk").first()
    address = f"{CHANGELIST}{kept.pk}/history/{first.pk}/"
    response = editor_client.get(address)
    assert response.status_code == 200
    assert kept.rows.get(aspect="Workforce").second_value == "Experts"  # a GET changes nothing
    response = editor_client.post(address, change_form_data(response))
    assert response.status_code == 302
    assert kept.rows.get(aspect="Workforce").second_value == "Few"
    assert Revision.objects.count() == 4
    assert Revision.objects.order_by("pk").last().get_comment().startswith(
        "Reverted to previous version"
    )


def test_a_deleted_comparison_can_be_recovered_with_its_rows(editor_client, publisher_client, kept):
    response = publisher_client.post(f"{CHANGELIST}{kept.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Comparison.objects.exists()
    listing = editor_client.get(f"{CHANGELIST}recover/")
    assert "Difference between BPO and KPO" in listing.content.decode()
    version = Version.objects.get_deleted(Comparison).get()
    address = f"{CHANGELIST}recover/{version.pk}/"
    response = editor_client.post(address, change_form_data(editor_client.get(address)))
    assert response.status_code == 302
    recovered = Comparison.objects.get()
    assert [(row.aspect, row.second_value) for row in recovered.rows.all()] == [
        ("Stands for", "Knowledge"),
        ("Workforce", "Experts"),
    ]


def test_deleting_asks_for_confirmation_and_lists_the_rows(publisher_client, kept):
    html = publisher_client.get(f"{CHANGELIST}{kept.pk}/delete/").content.decode()
    assert "Are you sure you want to delete" in html
    assert "<li>Difference rows: 2</li>" in html
    assert "<li>Difference row: Workforce</li>" in html
    assert Comparison.objects.exists()


def test_line_endings_sent_by_browsers_are_not_shown_as_changes():
    from comparisons.revisions import Change, _display

    assert not Change("Body", _display("one\ntwo"), _display("one\r\ntwo")).changed
    assert Change("Body", _display("one\ntwo"), _display("one\r\nthree")).changed


def test_restoring_a_draft_revision_does_not_unpublish(editor_client, publisher_client, kept):
    Comparison.objects.filter(pk=kept.pk).update(status=Comparison.Status.DRAFT)
    edit(editor_client, kept, "Now a draft")  # the newest revision holds the draft
    Comparison.objects.filter(pk=kept.pk).update(status=Comparison.Status.PUBLISHED)
    draft_version = Version.objects.get_for_object(kept).order_by("pk").last()
    assert draft_version.field_dict["status"] == "draft"
    address = f"{CHANGELIST}{kept.pk}/history/{draft_version.pk}/"
    # Restoring replaces the live page at once: a publisher's call.
    assert editor_client.get(address).status_code == 403
    assert editor_client.post(address, {}).status_code == 403
    response = publisher_client.post(address, change_form_data(publisher_client.get(address)))
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.status == Comparison.Status.PUBLISHED
    assert kept.key_difference == "BPO is not KPO."


def test_an_editor_recovers_a_published_comparison_as_a_draft(
    editor_client, publisher_client, kept
):
    comparison_publish(kept)
    publisher_client.post(f"{CHANGELIST}{kept.pk}/delete/", {"post": "yes"})
    version = Version.objects.get_deleted(Comparison).order_by("-pk").first()
    assert version.field_dict["status"] == "published"
    address = f"{CHANGELIST}recover/{version.pk}/"
    editor_client.post(address, change_form_data(editor_client.get(address)))
    assert Comparison.objects.get().status == Comparison.Status.DRAFT


def test_a_publisher_restoring_content_leaves_the_status_alone(publisher_client, kept):
    Comparison.objects.filter(pk=kept.pk).update(status=Comparison.Status.UNPUBLISHED)
    first = Version.objects.get_for_object(kept).order_by("pk").first()
    address = f"{CHANGELIST}{kept.pk}/history/{first.pk}/"
    response = publisher_client.post(address, change_form_data(publisher_client.get(address)))
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.status == Comparison.Status.UNPUBLISHED


def test_the_diff_marks_the_changed_words_within_a_field():
    from comparisons.revisions import word_diff

    old, new = word_diff("BPO moves <processes> abroad.\nSecond line", "BPO moves knowledge abroad.")
    assert old == "BPO moves <del>&lt;processes&gt;</del> abroad.<del><br>Second line</del>"
    assert new == "BPO moves <ins>knowledge</ins> abroad."


@pytest.mark.parametrize("screen", ["change", "history", "history/1"])
def test_an_address_whose_id_is_no_ascii_number_finds_nothing(editor_client, kept, screen):
    response = editor_client.get(f"{CHANGELIST}%C2%B2/{screen}/")
    assert response.status_code in (302, 404)
