"""Drafts of live pages: an editor's change to a published comparison waits for a publisher."""

import pytest
from django.test import Client
from reversion.models import Version

from comparisons.models import Comparison, ComparisonDraft, RowReport
from comparisons.roles import EDITORS, PUBLISHERS
from comparisons.search import search
from tests.comparisons.conftest import role_user
from tests.helpers.admin_forms import add_inline_form, change_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comparisons/comparison/"
NEW_VALUE = "Knowledge work done by specialists"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_only(django_user_model):
    return client_for(role_user(django_user_model, "only-ed", EDITORS))


@pytest.fixture
def publisher_only(django_user_model):
    return client_for(role_user(django_user_model, "only-pub", PUBLISHERS))


def row_field(data, aspect):
    """The form prefix of the row called `aspect` in change form `data`."""
    for key, value in data.items():
        if key.endswith("-aspect") and value == aspect:
            return key[: -len("aspect")]
    raise KeyError(aspect)


@pytest.fixture
def drafted(editor_only, client, bpo_kpo):
    """BPO vs KPO, live and read once, with an editor's unsaved row and slug change."""
    assert client.get(bpo_kpo.get_absolute_url()).status_code == 200  # now in the page cache
    address = f"{CHANGELIST}{bpo_kpo.pk}/change/"
    data = change_form_data(editor_only.get(address))
    data[row_field(data, "Stands for") + "second_value"] = NEW_VALUE
    data["slug"] = "bpo-versus-kpo"
    response = editor_only.post(address, data)
    assert response.status_code == 302
    return bpo_kpo


def test_an_editors_change_to_a_live_page_leaves_readers_on_the_live_version(client, drafted):
    page = client.get("/difference-between-bpo-and-kpo/")
    assert page.status_code == 200
    assert "Knowledge Process Outsourcing" in page.content.decode()
    assert NEW_VALUE not in page.content.decode()
    assert client.get("/difference-between-bpo-versus-kpo/").status_code == 404
    assert [found.slug for found in search("knowledge process outsourcing").comparisons] == [
        "bpo-and-kpo"
    ]
    assert list(search("specialists").comparisons) == []
    assert Comparison.objects.get().slug == "bpo-and-kpo"
    assert NEW_VALUE not in client.get("/sitemap.xml").content.decode() + client.get(
        "/feeds/comparisons.rss"
    ).content.decode()


def test_the_change_form_shows_the_draft_and_its_diff(editor_only, drafted):
    response = editor_only.get(f"{CHANGELIST}{drafted.pk}/change/")
    html = response.content.decode()
    assert "<h2>Live, with unpublished changes</h2>" in html
    assert response.context["adminform"].form["slug"].value() == "bpo-versus-kpo"
    data = change_form_data(response)
    assert data[row_field(data, "Stands for") + "second_value"] == NEW_VALUE
    diff = {change.label: change.marked for change in response.context["draft_fields"]}
    assert diff["Slug"] == ("<del>bpo-and-kpo</del>", "<ins>bpo-versus-kpo</ins>")
    (row,) = response.context["draft_rows"]
    assert (row.aspect, row.kind) == ("Stands for", "changed")
    assert "Publish the changes" not in html  # an editor may not


def test_an_editor_goes_on_from_the_draft(editor_only, drafted):
    address = f"{CHANGELIST}{drafted.pk}/change/"
    data = change_form_data(editor_only.get(address))
    data["key_difference"] = "A second unpublished change."
    assert editor_only.post(address, data).status_code == 302
    content = ComparisonDraft.objects.get().content
    assert content["fields"]["slug"] == "bpo-versus-kpo"
    assert content["fields"]["key_difference"] == "A second unpublished change."
    assert Comparison.objects.get().key_difference.startswith("BPO outsources")


def test_a_publisher_previews_and_publishes_the_draft(publisher_only, client, drafted):
    report = RowReport.objects.create(
        comparison=drafted, row=drafted.rows.get(aspect="Stands for"), note="Say who does it"
    )
    address = f"{CHANGELIST}{drafted.pk}/change/"
    response = publisher_only.get(address)
    assert "Publish the changes" in response.content.decode()
    preview = publisher_only.post(f"{CHANGELIST}{drafted.pk}/preview/", change_form_data(response))
    assert NEW_VALUE in preview.content.decode()
    response = publisher_only.post(f"{CHANGELIST}{drafted.pk}/draft/publish/")
    assert response.status_code == 302
    assert not ComparisonDraft.objects.exists()
    assert client.get("/difference-between-bpo-versus-kpo/").status_code == 200
    moved = client.get("/difference-between-bpo-and-kpo/")
    assert (moved.status_code, moved["Location"]) == (301, "/difference-between-bpo-versus-kpo/")
    assert NEW_VALUE in client.get("/difference-between-bpo-versus-kpo/").content.decode()
    assert [found.slug for found in search("specialists").comparisons] == ["bpo-versus-kpo"]
    report.refresh_from_db()
    assert report.row.second_value == NEW_VALUE  # the row was changed in place
    latest = Version.objects.get_for_object(drafted).order_by("-pk").first().revision
    assert latest.get_comment().startswith("Published the changes only-ed saved on ")
    history = publisher_only.get(f"{CHANGELIST}{drafted.pk}/history/").content.decode()
    assert "Published the changes only-ed saved on" in history


def test_a_publisher_discards_the_draft(publisher_only, client, drafted):
    response = publisher_only.post(f"{CHANGELIST}{drafted.pk}/draft/discard/")
    assert response.status_code == 302
    assert not ComparisonDraft.objects.exists()
    assert "Live, with unpublished changes" not in publisher_only.get(
        f"{CHANGELIST}{drafted.pk}/change/"
    ).content.decode()
    assert client.get("/difference-between-bpo-and-kpo/").status_code == 200


def test_only_publishers_publish_or_discard(editor_only, drafted):
    for action in ("publish", "discard"):
        assert editor_only.post(f"{CHANGELIST}{drafted.pk}/draft/{action}/").status_code == 403
    assert ComparisonDraft.objects.exists()


def test_a_publishers_save_makes_the_draft_live(publisher_only, client, drafted):
    address = f"{CHANGELIST}{drafted.pk}/change/"
    assert publisher_only.post(address, change_form_data(publisher_only.get(address))).status_code == 302
    assert not ComparisonDraft.objects.exists()
    assert Comparison.objects.get().slug == "bpo-versus-kpo"
    assert NEW_VALUE in client.get("/difference-between-bpo-versus-kpo/").content.decode()


def test_an_editor_still_edits_drafts_directly(editor_only, bpo_kpo):
    bpo_kpo.status = Comparison.Status.DRAFT
    from comparisons.services import comparison_save

    comparison_save(bpo_kpo)
    address = f"{CHANGELIST}{bpo_kpo.pk}/change/"
    data = change_form_data(editor_only.get(address))
    data["key_difference"] = "Straight in."
    assert editor_only.post(address, data).status_code == 302
    assert Comparison.objects.get().key_difference == "Straight in."
    assert not ComparisonDraft.objects.exists()


def schedule(client, comparison, when):
    return client.post(f"{CHANGELIST}{comparison.pk}/draft/schedule/", {"publish_at": when})


def test_a_scheduled_draft_goes_live_by_itself_at_its_moment(clock, publisher_only, client, drafted):
    response = schedule(publisher_only, drafted, "2025-06-03T09:00")
    assert (response.status_code, response["Location"]) == (302, f"{CHANGELIST}{drafted.pk}/change/")
    form = publisher_only.get(f"{CHANGELIST}{drafted.pk}/change/").content.decode()
    assert "the changes go live by themselves at 2025-06-03 09:00" in form
    assert "(scheduled by only-pub)" in form

    clock.move(hours=20, minutes=59)  # 08:59 the next day
    page = client.get("/difference-between-bpo-and-kpo/")
    assert page.status_code == 200
    assert NEW_VALUE not in page.content.decode()
    assert ComparisonDraft.objects.exists()

    clock.move(minutes=1)  # 09:00: the first request makes the changes live
    moved = client.get("/difference-between-bpo-and-kpo/")
    assert (moved.status_code, moved["Location"]) == (301, "/difference-between-bpo-versus-kpo/")
    assert NEW_VALUE in client.get("/difference-between-bpo-versus-kpo/").content.decode()
    assert not ComparisonDraft.objects.exists()
    assert [found.slug for found in search("specialists").comparisons] == ["bpo-versus-kpo"]
    latest = Version.objects.get_for_object(drafted).order_by("-pk").first().revision
    assert latest.get_comment().startswith("Published on schedule the changes only-ed saved on ")
    assert latest.user.username == "only-pub"


def test_a_scheduled_draft_costs_no_query_until_it_is_due(
    clock, publisher_only, client, drafted, django_assert_num_queries
):
    from comparisons.services import comparison_drafts_publish_due

    schedule(publisher_only, drafted, "2025-06-03T09:00")
    comparison_drafts_publish_due()  # reads when the next draft is due, once
    with django_assert_num_queries(0):
        assert comparison_drafts_publish_due() == []


def test_a_schedule_in_the_past_is_refused_with_a_reason(clock, publisher_only, drafted):
    response = schedule(publisher_only, drafted, "2025-06-01T09:00")
    assert response.status_code == 302
    form = publisher_only.get(response["Location"]).content.decode()
    assert "Choose a moment in the future, or publish the changes now." in form
    assert ComparisonDraft.objects.get().publish_at is None
    response = schedule(publisher_only, drafted, "tomorrow morning")
    form = publisher_only.get(response["Location"]).content.decode()
    assert "Enter the date and time as 2025-06-03 09:00." in form
    assert ComparisonDraft.objects.get().publish_at is None


def test_only_publishers_schedule_and_an_editors_new_change_waits_for_a_new_schedule(
    clock, editor_only, publisher_only, drafted
):
    assert schedule(editor_only, drafted, "2025-06-03T09:00").status_code == 403
    assert ComparisonDraft.objects.get().publish_at is None
    schedule(publisher_only, drafted, "2025-06-03T09:00")
    assert ComparisonDraft.objects.get().publish_at is not None

    address = f"{CHANGELIST}{drafted.pk}/change/"
    data = change_form_data(editor_only.get(address))
    data["key_difference"] = "Changed after the publisher looked."
    assert editor_only.post(address, data).status_code == 302
    assert ComparisonDraft.objects.get().publish_at is None


def test_a_publisher_cancels_a_schedule(clock, publisher_only, client, drafted):
    schedule(publisher_only, drafted, "2025-06-03T09:00")
    response = publisher_only.post(
        f"{CHANGELIST}{drafted.pk}/draft/schedule/", {"_cancel": "1"}
    )
    assert response.status_code == 302
    assert ComparisonDraft.objects.get().publish_at is None
    clock.move(days=2)
    assert NEW_VALUE not in client.get("/difference-between-bpo-and-kpo/").content.decode()
    assert ComparisonDraft.objects.exists()


def test_the_history_shows_the_editors_draft_and_the_publish_as_steps(publisher_only, drafted):
    publisher_only.post(f"{CHANGELIST}{drafted.pk}/draft/publish/")
    response = publisher_only.get(f"{CHANGELIST}{drafted.pk}/history/")
    assert response.status_code == 200
    steps = [
        (step.user.username, step.get_change_message())
        for step in response.context["admin_steps"]
    ]
    assert steps[0] == ("only-pub", "Published the unpublished changes.")
    assert steps[1][0] == "only-ed"
    assert steps[1][1].startswith("Saved unpublished changes: Changed Slug")
    html = response.content.decode()
    assert "Every step in the admin, newest first" in html
    assert "Saved unpublished changes: Changed Slug" in html


def test_an_editors_import_of_a_live_page_is_kept_as_its_unpublished_changes(
    editor_only, publisher_only, client, bpo_kpo
):
    import io
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    from comparisons.transfer import export_records, write_json

    row = bpo_kpo.rows.get(aspect="Stands for")
    report = RowReport.objects.create(comparison=bpo_kpo, row=row, note="Say who does it")
    stream = io.StringIO()
    write_json(export_records(Comparison.objects.all()), stream)
    records = json.loads(stream.getvalue())
    for record_row in records[0]["rows"]:
        if record_row["aspect"] == "Stands for":
            record_row["second_value"] = NEW_VALUE
    upload = {"file": SimpleUploadedFile("edited.json", json.dumps(records).encode()), "dry_run": "on"}
    dry_run = editor_only.post(f"{CHANGELIST}import/", upload)
    html = dry_run.content.decode()
    assert "0 to create, 1 to change, 0 left alone." in html
    assert "3 row(s) updated in place (1 open report(s) kept)" in html
    assert "(as unpublished changes: readers see the live page until a publisher publishes them)" in html
    response = editor_only.post(f"{CHANGELIST}import/", {"checked": dry_run.context["checked"]})
    assert response.status_code == 302

    assert NEW_VALUE not in client.get(bpo_kpo.get_absolute_url()).content.decode()
    assert [found.slug for found in search("specialists").comparisons] == []
    assert ComparisonDraft.objects.get().saved_by.username == "only-ed"

    assert publisher_only.post(f"{CHANGELIST}{bpo_kpo.pk}/draft/publish/").status_code == 302
    assert NEW_VALUE in client.get(bpo_kpo.get_absolute_url()).content.decode()
    assert [found.slug for found in search("specialists").comparisons] == [bpo_kpo.slug]
    report.refresh_from_db()
    assert (report.row_id, report.status) == (row.pk, RowReport.Status.OPEN)
    assert report.row.second_value == NEW_VALUE


def test_new_rows_and_credits_of_unpublished_changes_are_kept_until_they_go_live(
    editor_only, publisher_only, publisher_client, client, bpo_kpo
):
    address = f"{CHANGELIST}{bpo_kpo.pk}/change/"
    data = change_form_data(editor_only.get(address))
    credits = next(key for key in data if key.endswith("TOTAL_FORMS") and "credit" in key)
    add_inline_form(data, credits.removesuffix("-TOTAL_FORMS"), order="1", text="Photo: Ana")
    blank = next(key for key, value in data.items() if key.endswith("-aspect") and not value)
    data[blank.removesuffix("aspect") + "first_value"] = "Large"
    data[blank.removesuffix("aspect") + "second_value"] = "Small"
    data[blank] = "Team size"
    assert editor_only.post(address, data).status_code == 302

    def draft_parts():
        content = ComparisonDraft.objects.get().content
        return (
            [row["aspect"] for row in content["rows"]],
            [credit["text"] for credit in content["credits"]],
        )

    assert draft_parts() == (["Stands for", "Skills required", "Level of service", "Team size"], ["Photo: Ana"])
    data = change_form_data(editor_only.get(address))  # the next save changes something else
    data["meta_description"] = "Outsourcing compared."
    assert editor_only.post(address, data).status_code == 302
    assert draft_parts() == (["Stands for", "Skills required", "Level of service", "Team size"], ["Photo: Ana"])

    data = change_form_data(publisher_only.get(address))
    preview = publisher_only.post(f"{CHANGELIST}{bpo_kpo.pk}/preview/", data).content.decode()
    assert "Team size" in preview and "Photo: Ana" in preview

    data = change_form_data(publisher_client.get(address))  # saved unchanged: it goes live
    response = publisher_client.post(address, data, follow=True)
    assert "Published the changes only-ed saved on " in response.content.decode()
    latest = Version.objects.get_for_object(bpo_kpo).order_by("-pk").first().revision
    assert latest.get_comment().startswith("Published the changes only-ed saved on ")
    assert not ComparisonDraft.objects.exists()
    live = client.get(bpo_kpo.get_absolute_url()).content.decode()
    assert "Team size" in live and "Photo: Ana" in live


def test_a_save_that_changes_nothing_leaves_no_unpublished_changes(editor_only, bpo_kpo):
    RowReport.objects.create(
        comparison=bpo_kpo, row=bpo_kpo.rows.get(aspect="Stands for"), note="Say who does it"
    )
    address = f"{CHANGELIST}{bpo_kpo.pk}/change/"
    data = change_form_data(editor_only.get(address))
    report = next(key for key in data if key.endswith("-status") and key != "status")
    data[report] = RowReport.Status.RESOLVED  # a report handled, the content as it is
    response = editor_only.post(address, data, follow=True)
    assert "Nothing to publish: the comparison is the same as the live page" in (
        response.content.decode()
    )
    assert not ComparisonDraft.objects.exists()
    assert RowReport.objects.get().status == RowReport.Status.RESOLVED


def test_undoing_every_change_drops_the_unpublished_changes(editor_only, drafted):
    address = f"{CHANGELIST}{drafted.pk}/change/"
    data = change_form_data(editor_only.get(address))
    data[row_field(data, "Stands for") + "second_value"] = "Knowledge Process Outsourcing"
    data["slug"] = "bpo-and-kpo"
    assert editor_only.post(address, data).status_code == 302
    assert not ComparisonDraft.objects.exists()


def test_saving_the_waiting_changes_as_they_are_keeps_their_schedule(
    clock, editor_only, publisher_only, drafted
):
    schedule(publisher_only, drafted, "2025-06-03T09:00")
    address = f"{CHANGELIST}{drafted.pk}/change/"
    response = editor_only.post(address, change_form_data(editor_only.get(address)), follow=True)
    assert "nothing new to save, and their schedule, if any, stands" in response.content.decode()
    assert ComparisonDraft.objects.get().publish_at.isoformat() == "2025-06-03T09:00:00+00:00"


def test_a_schedule_without_a_date_is_refused_and_cancelling_is_a_button(
    clock, publisher_only, drafted
):
    schedule(publisher_only, drafted, "2025-06-03T09:00")
    response = publisher_only.post(
        f"{CHANGELIST}{drafted.pk}/draft/schedule/", {"publish_at": ""}, follow=True
    )
    assert "Choose the date and time the changes go live." in response.content.decode()
    assert ComparisonDraft.objects.get().publish_at is not None
    publisher_only.post(f"{CHANGELIST}{drafted.pk}/draft/schedule/", {"_cancel": "1"})
    assert ComparisonDraft.objects.get().publish_at is None


def test_a_publisher_who_may_only_view_rows_sees_the_new_ones_read_only_and_publishes_them(
    editor_only, publisher_only, client, bpo_kpo
):
    address = f"{CHANGELIST}{bpo_kpo.pk}/change/"
    data = change_form_data(editor_only.get(address))
    blank = next(key for key, value in data.items() if key.endswith("-aspect") and not value)
    data.update({blank: "Team size", blank.removesuffix("aspect") + "first_value": "Large"})
    data[blank.removesuffix("aspect") + "second_value"] = "Small"
    assert editor_only.post(address, data).status_code == 302

    response = publisher_only.get(address)
    rows = next(i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == "rows")
    assert rows.extra_forms == []  # nothing to type into, no blank row
    assert [form.instance.aspect for form in rows.initial_forms][-1] == "Team size"
    html = response.content.decode()
    assert "Team size" in html and 'value="Team size"' not in html  # shown, not editable

    assert publisher_only.post(address, change_form_data(response)).status_code == 302
    assert not ComparisonDraft.objects.exists()
    live = client.get(bpo_kpo.get_absolute_url()).content.decode()
    assert "Team size" in live


def test_an_order_typed_on_a_new_row_puts_it_before_the_row_that_held_the_number(editor_only):
    from tests.factories import make_comparison

    comparison = make_comparison(
        "Tea", "Coffee", rows=[("Type", "1", "2"), ("Light", "3", "4"), ("Phone", "5", "6")],
        status=Comparison.Status.DRAFT,
    )
    address = f"{CHANGELIST}{comparison.pk}/change/"
    data = change_form_data(editor_only.get(address))
    add_inline_form(data, "rows", order="1", aspect="First new", first_value="a", second_value="b")
    add_inline_form(data, "rows", order="2", aspect="Second new", first_value="c", second_value="d")
    assert editor_only.post(address, data).status_code == 302
    assert [row.aspect for row in comparison.rows.all()] == [
        "First new", "Type", "Second new", "Light", "Phone"
    ]


def test_the_diff_of_unpublished_changes_shows_their_image_credits(editor_only, bpo_kpo):
    bpo_kpo.credits.create(order=1, text="Photo: Ana", url="")
    address = f"{CHANGELIST}{bpo_kpo.pk}/change/"
    data = change_form_data(editor_only.get(address))
    credit = next(key for key, value in data.items() if value == "Photo: Ana")
    data[credit] = "Photo: Ana Lee"
    add_inline_form(data, "credits", order="2", text="Chart: Bo", url="https://example.com/")
    assert editor_only.post(address, data).status_code == 302
    response = editor_only.get(address)
    (credits,) = [c for c in response.context["draft_fields"] if c.label == "Image credits"]
    assert (credits.old, credits.new) == ("Photo: Ana", "Photo: Ana Lee\nChart: Bo (https://example.com/)")
    assert "<th scope=\"row\">Image credits</th>" in response.content.decode()
