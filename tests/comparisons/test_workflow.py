"""Draft -> in review -> published / unpublished, scheduling and expiry."""

from datetime import timedelta

import pytest

from comparisons.models import Comparison
from comparisons.search import search
from tests.factories import make_category, make_comparison, make_subject
from tests.helpers.admin_forms import change_form_data, comparison_form, inline_management

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comparisons/comparison/"


def new_comparison_form(**overrides):
    return comparison_form(make_subject("BPO"), make_subject("KPO"), make_category(), **overrides)


def test_an_editor_can_draft_and_submit_for_review(editor_client):
    response = editor_client.post(CHANGELIST + "add/", new_comparison_form(status="review"))
    assert response.status_code == 302
    assert Comparison.objects.get().status == Comparison.Status.REVIEW


def test_an_editor_cannot_publish_through_the_form(editor_client):
    response = editor_client.post(CHANGELIST + "add/", new_comparison_form(status="published"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["status"] == [
        "Select a valid choice. published is not one of the available choices."
    ]
    assert not Comparison.objects.exists()


def test_an_editor_is_offered_only_draft_and_review(editor_client):
    form = editor_client.get(CHANGELIST + "add/").context["adminform"].form
    assert [value for value, _ in form.fields["status"].choices] == ["draft", "review"]


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
    data = new_comparison_form(status="published", publish_at_0="2025-06-02", publish_at_1="12:01")
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


def test_workflow_buttons_follow_the_users_rights(editor_client, publisher_client):
    draft = make_comparison("Tea", "Coffee", status=Comparison.Status.DRAFT)
    address = f"{CHANGELIST}{draft.pk}/change/"
    assert [name for name, _ in editor_client.get(address).context["workflow_buttons"]] == [
        "_submit_review"
    ]
    assert [name for name, _ in publisher_client.get(address).context["workflow_buttons"]] == [
        "_submit_review",
        "_publish",
    ]
    data = change_form_data(editor_client.get(address))
    data["_publish"] = "Save and publish"  # not this editor's button: ignored
    editor_client.post(address, data)
    draft.refresh_from_db()
    assert draft.status == Comparison.Status.DRAFT
    data["_submit_review"] = "Save and submit for review"
    del data["_publish"]
    editor_client.post(address, data)
    draft.refresh_from_db()
    assert draft.status == Comparison.Status.REVIEW
    data = change_form_data(publisher_client.get(address))
    data["_publish"] = "Save and publish"
    publisher_client.post(address, data)
    draft.refresh_from_db()
    assert draft.status == Comparison.Status.PUBLISHED
    assert [name for name, _ in publisher_client.get(address).context["workflow_buttons"]] == [
        "_unpublish"
    ]
    data = change_form_data(publisher_client.get(address))
    data["_unpublish"] = "Save and unpublish"
    publisher_client.post(address, data)
    draft.refresh_from_db()
    assert draft.status == Comparison.Status.UNPUBLISHED
