"""Draft -> in review -> published / unpublished, scheduling and expiry."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from reversion.models import Version

from comparisons.models import Comparison, ComparisonDraft
from comparisons.search import search
from tests.factories import make_category, make_comparison, make_subject
from tests.helpers.admin_forms import change_form_data, comparison_form, inline_management

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comparisons/comparison/"


def new_comparison_form(**overrides):
    return comparison_form(make_subject("BPO"), make_subject("KPO"), make_category(), **overrides)


def test_an_editor_can_draft_and_submit_for_review(editor_client):
    data = new_comparison_form(_submit_review="Submit for review")
    response = editor_client.post(CHANGELIST + "add/", data)
    assert response.status_code == 302
    assert Comparison.objects.get().status == Comparison.Status.REVIEW


def test_an_editor_cannot_publish_through_the_form(editor_client):
    data = new_comparison_form(status="published", _publish="Publish")
    response = editor_client.post(CHANGELIST + "add/", data)
    assert response.status_code == 302
    assert Comparison.objects.get().status == Comparison.Status.DRAFT


def test_the_status_is_no_dropdown_but_buttons(editor_client, publisher_client):
    for client in (editor_client, publisher_client):
        response = client.get(CHANGELIST + "add/")
        assert "status" not in response.context["adminform"].form.fields
        assert 'name="status"' not in response.content.decode()
    html = editor_client.get(CHANGELIST + "add/").content.decode()
    assert '<input type="submit" value="Save" class="default" name="_save">' in html
    assert '<input type="submit" class="button" name="_submit_review" value="Submit for review">' in html
    assert 'name="_publish"' not in html


def test_an_editor_has_no_publish_action_and_cannot_post_it(editor_client):
    draft = make_comparison(status=Comparison.Status.REVIEW)
    response = editor_client.get(CHANGELIST)
    actions = [value for value, _ in response.context["action_form"].fields["action"].choices]
    assert actions == ["", "delete_selected", "submit_for_review", "export_csv", "export_json"]
    editor_client.post(CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Comparison.Status.REVIEW


def test_the_submit_for_review_action(editor_client):
    draft = make_comparison(status=Comparison.Status.DRAFT)
    editor_client.post(CHANGELIST, {"action": "submit_for_review", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Comparison.Status.REVIEW


def test_a_publisher_can_publish_and_schedule_through_the_form(publisher_client, clock):
    data = new_comparison_form(_publish="Publish", publish_at_0="2025-06-02", publish_at_1="12:01")
    response = publisher_client.post(CHANGELIST + "add/", data)
    assert response.status_code == 302
    comparison = Comparison.objects.get()
    assert comparison.publication_state() == "scheduled"
    clock.move(minutes=1)
    assert comparison.publication_state() == "published"


def test_an_editors_correction_of_a_published_comparison_waits_and_cannot_take_it_down(
    editor_client,
):
    live = make_comparison("BPO", "KPO", rows=[("A", "1", "2")])
    form = editor_client.get(f"{CHANGELIST}{live.pk}/change/").context["adminform"].form
    assert {"status", "publish_at", "expire_at"}.isdisjoint(form.fields)
    row = live.rows.get()
    data = comparison_form(
        live.first_subject,
        live.second_subject,
        live.categories.get(),
        slug=live.slug,
        key_difference="Corrected.",
        status="draft",
        **inline_management("rows", 1, initial=1),
        **{
            "rows-0-id": row.pk,
            "rows-0-comparison": live.pk,
            "rows-0-order": "1",
            "rows-0-aspect": "A",
            "rows-0-first_value": "1",
            "rows-0-second_value": "2",
        },
    )
    del data["publish_at_0"], data["publish_at_1"]
    response = editor_client.post(f"{CHANGELIST}{live.pk}/change/", data)
    assert response.status_code == 302
    live.refresh_from_db()
    assert (live.key_difference, live.status) == ("BPO is not KPO.", Comparison.Status.PUBLISHED)
    assert live.draft.content["fields"]["key_difference"] == "Corrected."


def test_expiry_must_follow_the_publish_date(publisher_client):
    data = new_comparison_form(
        status="published", expire_at_0="2024-01-01", expire_at_1="09:00:00"
    )
    response = publisher_client.post(CHANGELIST + "add/", data)
    assert response.context["adminform"].form.errors["expire_at"] == [
        "The expiry date must come after the publish date."
    ]


def test_changelist_shows_what_waits_for_review(publisher_client, clock):
    make_comparison("Waiting", "One", status=Comparison.Status.REVIEW)
    make_comparison("Later", "Two", publish_at=clock.now + timedelta(days=1))
    html = publisher_client.get(CHANGELIST).content.decode()
    assert ">In review<" in html
    assert ">Scheduled for 2025-06-03 12:00<" in html
    filtered = publisher_client.get(CHANGELIST + "?status__exact=review").content.decode()
    assert "Waiting" in filtered and "Later" not in filtered


def public_addresses(comparison):
    category = comparison.categories.get()
    return {
        "page": comparison.get_absolute_url(),
        "home": "/",
        "category": category.get_absolute_url(),
        "subject": comparison.first_subject.get_absolute_url(),
        "search": "/search/?q=Rooibos",
    }


def seen_by_readers(client, comparison):
    """Return where an anonymous reader finds `comparison` now."""
    found = set()
    for name, address in public_addresses(comparison).items():
        response = client.get(address)
        html = response.content.decode() if response.status_code == 200 else ""
        if f'href="{comparison.get_absolute_url()}"' in html:
            found.add(name)
    return found


EVERYWHERE = {"page", "home", "category", "subject", "search"}


def test_a_scheduled_comparison_appears_by_itself_at_its_moment(client, clock):
    scheduled = make_comparison("Rooibos", "Tea", publish_at=clock.now + timedelta(minutes=1))
    assert seen_by_readers(client, scheduled) == set()
    assert not Comparison.objects.published().exists()
    assert list(Comparison.objects.scheduled()) == [scheduled]
    clock.move(seconds=59)
    assert seen_by_readers(client, scheduled) == set()
    clock.move(seconds=1)
    assert seen_by_readers(client, scheduled) == EVERYWHERE
    assert list(search("rooibos").comparisons) == [scheduled]


def test_an_expired_comparison_disappears_by_itself(client, clock):
    expiring = make_comparison("Rooibos", "Tea", expire_at=clock.now + timedelta(hours=2))
    assert seen_by_readers(client, expiring) == EVERYWHERE
    clock.move(hours=2)
    assert seen_by_readers(client, expiring) == set()
    assert client.get(expiring.get_absolute_url()).status_code == 404
    assert list(Comparison.objects.published(at=clock.now - timedelta(seconds=1))) == [expiring]


@pytest.mark.parametrize(
    "fields, banner",
    [
        ({"status": "draft"}, "Draft - not published."),
        ({"status": "review"}, "In review - not published until a publisher publishes it."),
        ({"publish_at_days": 1}, "Scheduled - not published until"),
        ({"expire_at_days": -1}, "Expired - taken down on"),
        ({"status": "unpublished"}, "Unpublished - taken down by a publisher."),
    ],
)
def test_staff_banner_names_the_state(editor_client, clock, fields, banner):
    fields = dict(fields)
    if "publish_at_days" in fields:
        fields["publish_at"] = clock.now + timedelta(days=fields.pop("publish_at_days"))
    if "expire_at_days" in fields:
        fields["publish_at"] = clock.now - timedelta(days=5)
        fields["expire_at"] = clock.now + timedelta(days=fields.pop("expire_at_days"))
    comparison = make_comparison("BPO", "KPO", **fields)
    html = editor_client.get(comparison.get_absolute_url()).content.decode()
    assert f'<p class="draft-banner" role="status"><strong>{banner}' in html
    assert "Only staff can see this page." in html


def test_workflow_buttons_follow_the_users_rights(editor_client, publisher_client, clock):
    draft = make_comparison("Tea", "Coffee", status=Comparison.Status.DRAFT)
    address = f"{CHANGELIST}{draft.pk}/change/"

    def buttons(client):
        return client.get(address).context["workflow_buttons"]

    assert buttons(editor_client) == [("_submit_review", "Submit for review")]
    assert buttons(publisher_client) == [
        ("_submit_review", "Submit for review"),
        ("_publish", "Publish"),
    ]
    data = change_form_data(editor_client.get(address))
    data["_publish"] = "Publish"  # not this editor's button: ignored
    editor_client.post(address, data)
    draft.refresh_from_db()
    assert draft.status == Comparison.Status.DRAFT
    data["_submit_review"] = "Submit for review"
    del data["_publish"]
    editor_client.post(address, data)
    draft.refresh_from_db()
    assert draft.status == Comparison.Status.REVIEW
    assert buttons(editor_client) == [("_save_draft", "Save draft")]
    data = change_form_data(editor_client.get(address))
    data["_save_draft"] = "Save draft"
    editor_client.post(address, data)
    draft.refresh_from_db()
    assert draft.status == Comparison.Status.DRAFT

    Comparison.objects.filter(pk=draft.pk).update(publish_at=clock.now + timedelta(days=1))
    assert buttons(publisher_client)[-1] == ("_publish", "Schedule")
    Comparison.objects.filter(pk=draft.pk).update(publish_at=clock.now)
    data = change_form_data(publisher_client.get(address))
    data["_publish"] = "Publish"
    publisher_client.post(address, data)
    draft.refresh_from_db()
    assert draft.status == Comparison.Status.PUBLISHED
    assert buttons(publisher_client) == [("_save_draft", "Save draft"), ("_unpublish", "Unpublish")]
    assert buttons(editor_client) == []
    data = change_form_data(publisher_client.get(address))
    data["_unpublish"] = "Unpublish"
    response = publisher_client.post(address, data, follow=True)
    assert "Unpublished: readers no longer see it." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Comparison.Status.UNPUBLISHED
    steps = LogEntry.objects.filter(object_id=str(draft.pk)).order_by("pk")
    said = [entry.get_change_message() for entry in steps][1:]  # after the refused _publish
    assert [message.split(":")[0].split(".")[0] for message in said] == [
        "Submitted for review",
        "Taken back to draft",
        "Published",
        "Unpublished",
    ]
    comments = [v.revision.get_comment() for v in Version.objects.get_for_object(draft)]
    assert "Unpublished: readers no longer see it." in comments


def test_a_publishers_save_draft_keeps_a_live_change_unpublished(publisher_client, client):
    live = make_comparison("Tea", "Coffee", key_difference="Leaves against beans.")
    address = f"{CHANGELIST}{live.pk}/change/"
    data = change_form_data(publisher_client.get(address))
    data["key_difference"] = "Not yet for readers."
    data["_save_draft"] = "Save draft"
    assert publisher_client.post(address, data).status_code == 302
    live.refresh_from_db()
    assert (live.status, live.key_difference) == (Comparison.Status.PUBLISHED, "Leaves against beans.")
    assert ComparisonDraft.objects.get().content["fields"]["key_difference"] == "Not yet for readers."
    assert "Not yet for readers." not in client.get(live.get_absolute_url()).content.decode()
