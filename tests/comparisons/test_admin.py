import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group

from comparisons.models import Comparison, Subject
from comparisons.roles import EDITORS, MODERATORS, PUBLISHERS, setup_roles
from tests.factories import make_category, make_comparison, make_subject
from tests.helpers.admin_forms import change_form_data, comparison_form, inline_management

pytestmark = pytest.mark.django_db


def test_editor_creates_a_comparison_with_rows(editor_client):
    bpo, kpo = make_subject("BPO"), make_subject("KPO")
    category = make_category("Business")
    response = editor_client.post(
        "/admin/comparisons/comparison/add/", comparison_form(bpo, kpo, category)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    comparison = Comparison.objects.get()
    assert (comparison.title, comparison.slug) == ("Difference between BPO and KPO", "bpo-and-kpo")
    assert [r.aspect for r in comparison.rows.all()] == ["Stands for", "Workforce"]
    assert comparison.status == "draft"


def test_editor_reorders_rows(editor_client):
    comparison = make_comparison(
        "BPO", "KPO", rows=[("A", "1", "2"), ("B", "3", "4")], status=Comparison.Status.REVIEW
    )
    first_row, second_row = comparison.rows.all()
    data = comparison_form(
        comparison.first_subject,
        comparison.second_subject,
        comparison.categories.get(),
        slug=comparison.slug,
        status="review",
        **inline_management("rows", 2, initial=2),
    )
    data.update(
        {
            "rows-0-id": first_row.pk,
            "rows-0-comparison": comparison.pk,
            "rows-0-order": "2",
            "rows-0-aspect": "A",
            "rows-0-first_value": "1",
            "rows-0-second_value": "2",
            "rows-1-id": second_row.pk,
            "rows-1-comparison": comparison.pk,
            "rows-1-order": "1",
            "rows-1-aspect": "B",
            "rows-1-first_value": "3",
            "rows-1-second_value": "4",
        }
    )
    response = editor_client.post(f"/admin/comparisons/comparison/{comparison.pk}/change/", data)
    assert response.status_code == 302
    assert [r.aspect for r in comparison.rows.all()] == ["B", "A"]


def test_the_change_form_lists_rows_in_their_order(editor_client):
    comparison = make_comparison(
        "BPO",
        "KPO",
        rows=[("A", "1", "2"), ("B", "3", "4"), ("C", "5", "6")],
        status=Comparison.Status.REVIEW,
    )
    comparison.rows.filter(aspect="C").update(order=0)  # ids and orders now disagree
    response = editor_client.get(f"/admin/comparisons/comparison/{comparison.pk}/change/")
    rows = response.context["inline_admin_formsets"][0].formset.initial_forms
    assert [form.instance.aspect for form in rows] == ["C", "A", "B"]


def test_adding_a_reversed_duplicate_pair_shows_an_error_not_a_crash(editor_client):
    existing = make_comparison("BPO", "KPO")
    response = editor_client.post(
        "/admin/comparisons/comparison/add/",
        comparison_form(existing.second_subject, existing.first_subject, make_category()),
    )
    assert response.status_code == 200
    assert "These two subjects are already compared." in response.content.decode()
    assert Comparison.objects.count() == 1


def test_publish_and_unpublish_actions(publisher_client):
    draft = make_comparison(status=Comparison.Status.REVIEW)
    changelist = "/admin/comparisons/comparison/"
    publisher_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Comparison.Status.PUBLISHED
    publisher_client.post(changelist, {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Comparison.Status.UNPUBLISHED
    assert list(
        LogEntry.objects.filter(object_id=str(draft.pk))
        .order_by("id")
        .values_list("change_message", flat=True)
    ) == ["Published.", "Unpublished."]


def test_changelist_shows_columns_and_searches_by_subject(editor_client):
    make_comparison("BPO", "KPO", categories=[make_category("Business")])
    make_comparison("Film", "Movie")
    response = editor_client.get("/admin/comparisons/comparison/?q=kpo")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Difference between BPO and KPO" in html and "Film" not in html
    assert "Business" in html
    for column in ("Title", "Categories", "Status", "Publish date", "Updated at"):
        assert column in html


def test_view_on_site_link_points_to_the_page(editor_client):
    comparison = make_comparison("BPO", "KPO")
    html = editor_client.get(f"/admin/comparisons/comparison/{comparison.pk}/change/").content
    assert b"View on site" in html


def test_non_staff_users_are_sent_to_login(client, django_user_model):
    reader = django_user_model.objects.create_user("reader", password="pw-for-tests-1")
    client.force_login(reader)
    response = client.get("/admin/comparisons/comparison/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get("/admin/comparisons/comparison/add/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_roles_hold_exactly_their_permissions():
    groups = setup_roles()
    def held(group):
        return set(
            groups[group].permissions.values_list("content_type__app_label", "codename")
        )

    models = {
        "comparisons": (
            "category",
            "subject",
            "comparison",
            "differencerow",
            "imagecredit",
            "pinnedcomparison",
            "comparisonaddress",
        ),
        "comments": ("blockedword",),
    }
    assert held(EDITORS) == {
        (app, f"{action}_{model}")
        for app, app_models in models.items()
        for model in app_models
        for action in ("add", "change", "delete", "view")
    } | {("comparisons", "view_searchquery")} | {
        ("comparisons", f"{action}_rowreport") for action in ("view", "change", "delete")
    }
    assert held(PUBLISHERS) == {
        ("comparisons", "view_comparison"),
        ("comparisons", "change_comparison"),
        ("comparisons", "publish_comparison"),
        # What they publish, read-only.
        ("comparisons", "view_differencerow"),
        ("comparisons", "view_imagecredit"),
        ("comparisons", "view_subject"),
        ("comparisons", "view_category"),
    }
    assert held(MODERATORS) == {("comments", "view_comment"), ("comments", "change_comment")}
    setup_roles()
    assert Group.objects.filter(name__in=[EDITORS, PUBLISHERS, MODERATORS]).count() == 3


def test_a_browsers_line_breaks_change_nothing(admin_client, bpo_kpo):
    bpo_kpo.body = "First paragraph.\n\nSecond paragraph."
    bpo_kpo.save(update_fields=["body"])
    address = f"/admin/comparisons/comparison/{bpo_kpo.pk}/change/"
    data = change_form_data(admin_client.get(address))
    data["body"] = "First paragraph.\r\n\r\nSecond paragraph."  # as a browser sends it
    data["_continue"] = "Save and continue editing"
    assert admin_client.post(address, data).status_code == 302
    assert Comparison.objects.get().body == "First paragraph.\n\nSecond paragraph."
    entry = LogEntry.objects.filter(object_id=str(bpo_kpo.pk)).latest("pk")
    assert "Body" not in entry.get_change_message()


@pytest.mark.parametrize(
    "existing, new, refused",
    [("BPO", "bpo", True), ("Café", "CAFE", True), ("C++", "C#", False), ("Go", "Go lang", False)],
)
def test_a_subject_named_like_another_is_refused(editor_client, existing, new, refused):
    make_subject(existing)
    response = editor_client.post(
        "/admin/comparisons/subject/add/",
        {"name": new, "slug": f"new-{len(new)}", "description": "", "aliases": ""},
    )
    message = f"“{existing}” already exists, and differs from this name only in capitals or accents"
    if refused:
        assert response.status_code == 200
        assert message in response.content.decode()
        assert Subject.objects.count() == 1
    else:
        assert response.status_code == 302
        assert Subject.objects.count() == 2


def test_a_category_named_like_another_is_refused_and_renaming_itself_is_not(editor_client):
    business = make_category("Business", slug="business")
    data = change_form_data(editor_client.get("/admin/comparisons/category/add/"))
    data.update(name="BUSINESS", slug="business-2")
    response = editor_client.post("/admin/comparisons/category/add/", data)
    assert "“Business” already exists" in response.content.decode()
    address = f"/admin/comparisons/category/{business.pk}/change/"
    data = change_form_data(editor_client.get(address))
    data["name"] = "business"
    response = editor_client.post(address, data)
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.name == "business"
