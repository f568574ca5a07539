"""Each staff role alone: what its members see and may do, and every admin screen they open."""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from comparisons.markup import render_markdown
from comparisons.models import Comparison, ComparisonAddress, RowReport
from comparisons.roles import EDITORS, MODERATORS, PUBLISHERS
from comparisons.services import comparison_draft_save, comparison_draft_schedule, comparison_save
from tests.comments.conftest import add_comment
from tests.comparisons.conftest import role_user
from tests.factories import make_category, make_comparison, make_subject
from tests.helpers.admin_forms import change_form_data, comparison_form

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comparisons/comparison/"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def publisher_only(django_user_model):
    return client_for(role_user(django_user_model, "only-pub", PUBLISHERS))


@pytest.fixture
def editor_only(django_user_model):
    return client_for(role_user(django_user_model, "only-ed", EDITORS))


def test_a_publisher_previews_without_a_500_and_sees_the_rows(publisher_only, bpo_kpo):
    address = f"{CHANGELIST}{bpo_kpo.pk}/change/"
    data = change_form_data(publisher_only.get(address))
    response = publisher_only.post(f"{CHANGELIST}{bpo_kpo.pk}/preview/", data)
    assert response.status_code == 200
    assert [row.aspect for row in response.context["rows"]] == [
        "Stands for",
        "Skills required",
        "Level of service",
    ]


def test_a_publisher_sees_rows_credits_and_subjects_read_only(publisher_only, bpo_kpo):
    response = publisher_only.get(f"{CHANGELIST}{bpo_kpo.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Business Process Outsourcing" in html and "Level of service" in html
    formsets = {inline.formset.prefix: inline for inline in response.context["inline_admin_formsets"]}
    assert set(formsets) >= {"rows", "credits"}
    assert not formsets["rows"].has_change_permission
    assert publisher_only.get("/admin/comparisons/subject/").status_code == 200


def test_a_publisher_saves_and_publishes_without_touching_the_rows(publisher_only, bpo_kpo):
    bpo_kpo.status = Comparison.Status.REVIEW
    comparison_save(bpo_kpo)
    address = f"{CHANGELIST}{bpo_kpo.pk}/change/"
    data = change_form_data(publisher_only.get(address))
    data["_publish"] = "Publish"
    response = publisher_only.post(address, data)
    assert response.status_code == 302
    bpo_kpo.refresh_from_db()
    assert bpo_kpo.status == "published"
    assert bpo_kpo.rows.count() == 3


def test_restoring_a_revision_never_changes_the_status(publisher_client, bpo_kpo):
    first = Version.objects.get_for_object(bpo_kpo).order_by("pk").first()
    bpo_kpo.status = Comparison.Status.UNPUBLISHED
    bpo_kpo.key_difference = "Changed since."
    comparison_save(bpo_kpo)
    address = f"{CHANGELIST}{bpo_kpo.pk}/history/{first.pk}/"
    response = publisher_client.post(address, change_form_data(publisher_client.get(address)))
    assert response.status_code == 302
    bpo_kpo.refresh_from_db()
    assert bpo_kpo.key_difference == "BPO outsources processes; KPO outsources knowledge work."
    assert bpo_kpo.status == Comparison.Status.UNPUBLISHED


def test_restoring_keeps_a_live_page_live(publisher_client, client, bpo_kpo):
    bpo_kpo.status = Comparison.Status.DRAFT
    comparison_save(bpo_kpo)
    draft = Version.objects.get_for_object(bpo_kpo).order_by("pk").last()
    bpo_kpo.status = Comparison.Status.PUBLISHED
    comparison_save(bpo_kpo)
    address = f"{CHANGELIST}{bpo_kpo.pk}/history/{draft.pk}/"
    publisher_client.post(address, change_form_data(publisher_client.get(address)))
    assert client.get(bpo_kpo.get_absolute_url()).status_code == 200


def test_an_editor_cannot_delete_a_live_comparison(editor_only, bpo_kpo):
    assert editor_only.get(f"{CHANGELIST}{bpo_kpo.pk}/delete/").status_code == 403
    assert editor_only.post(f"{CHANGELIST}{bpo_kpo.pk}/delete/", {"post": "yes"}).status_code == 403
    response = editor_only.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [bpo_kpo.pk], "post": "yes"}
    )
    assert response.status_code in (200, 403)
    assert Comparison.objects.filter(pk=bpo_kpo.pk).exists()


def test_an_editor_deletes_a_draft(editor_only):
    draft = make_comparison("Tea", "Coffee", status=Comparison.Status.DRAFT)
    response = editor_only.post(f"{CHANGELIST}{draft.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Comparison.objects.filter(pk=draft.pk).exists()


def test_a_publisher_with_delete_rights_deletes_a_live_comparison(publisher_client, bpo_kpo):
    response = publisher_client.post(f"{CHANGELIST}{bpo_kpo.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Comparison.objects.exists()


def test_an_editor_cannot_unpublish(editor_only, bpo_kpo):
    response = editor_only.post(
        CHANGELIST, {"action": "unpublish", "_selected_action": [bpo_kpo.pk]}
    )
    assert response.status_code in (200, 302)
    bpo_kpo.refresh_from_db()
    assert bpo_kpo.status == Comparison.Status.PUBLISHED


def test_earlier_addresses_show_as_code_not_as_escaped_tags(editor_only, bpo_kpo):
    bpo_kpo.slug = "bpo-versus-kpo"
    comparison_save(bpo_kpo)
    assert ComparisonAddress.objects.count() == 1
    html = editor_only.get(f"{CHANGELIST}{bpo_kpo.pk}/change/").content.decode()
    assert "<code>/difference-between-bpo-and-kpo/</code> (they redirect here with a 301)" in html
    assert "&lt;code&gt;" not in html


def test_typing_an_order_moves_the_other_rows(publisher_client, bpo_kpo):
    address = f"{CHANGELIST}{bpo_kpo.pk}/change/"
    data = change_form_data(publisher_client.get(address))
    data["rows-2-order"] = "1"  # Level of service to the top
    response = publisher_client.post(address, data)
    assert response.status_code == 302
    assert list(bpo_kpo.rows.values_list("order", "aspect")) == [
        (1, "Level of service"),
        (2, "Stands for"),
        (3, "Skills required"),
    ]


def test_a_new_row_is_numbered_after_the_last(editor_only, bpo_kpo):
    response = editor_only.get(f"{CHANGELIST}{bpo_kpo.pk}/change/")
    rows = next(i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == "rows")
    assert [form["order"].value() for form in rows.extra_forms] == [4]


def test_a_body_too_long_gets_a_form_error_and_keeps_the_text(editor_only):
    bpo, kpo = make_subject("BPO"), make_subject("KPO")
    body = "words" * 600_000  # 3 MB
    data = comparison_form(bpo, kpo, make_category("Business"), body=body)
    response = editor_only.post(f"{CHANGELIST}add/", data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["body"] == [
        "The body is 3,000,000 characters long; an article can have up to 2,000,000. Shorten "
        "it or split it in two: your text is kept below."
    ]
    assert form["body"].value() == body
    assert not Comparison.objects.exists()


def test_a_long_article_is_accepted(editor_only):
    bpo, kpo = make_subject("BPO"), make_subject("KPO")
    # 962,400 characters of three bytes each: a request larger than Django's default limit
    # of 2.5 MB, which the site raises for long articles in any script.
    body = ("這是一篇很長的文章中的一個句子。" * 50 + "\n\n") * 1200
    data = comparison_form(bpo, kpo, make_category("Business"), body=body)
    assert editor_only.post(f"{CHANGELIST}add/", data).status_code == 302
    assert Comparison.objects.get().body == body.strip()


# -- every admin screen, as a member of exactly one group ------------------------------------


def admin_addresses(comparison, report, comment, version):
    """GET addresses of every admin screen, with an object of each model where there is one."""
    objects = {
        Comparison: comparison,
        RowReport: report,
        type(comment): comment,
        type(comparison.first_subject): comparison.first_subject,
        type(comparison.categories.get()): comparison.categories.get(),
    }
    addresses = ["/admin/", f"{CHANGELIST}recover/", f"{CHANGELIST}import/"]
    addresses.append(f"{CHANGELIST}{comparison.pk}/history/")
    addresses.append(f"{CHANGELIST}{comparison.pk}/history/{version.pk}/")
    addresses.append(f"{CHANGELIST}recover/{version.pk}/")
    addresses.append("/admin/comparisons/searchquery/report/")
    for model in admin.site._registry:
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        addresses += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        addresses.append(reverse("admin:app_list", args=[opts.app_label]))
        obj = objects.get(model) or model._default_manager.first()
        if obj is not None:
            for view in ("change", "history", "delete"):
                addresses.append(reverse(f"{name}_{view}", args=[obj.pk]))
    return sorted(set(addresses))


@pytest.mark.parametrize("group", [EDITORS, PUBLISHERS, MODERATORS])
def test_every_admin_screen_answers_200_or_403_to_each_single_role(
    django_user_model, bpo_kpo, group
):
    report = RowReport.objects.create(comparison=bpo_kpo, row=bpo_kpo.rows.first(), note="Wrong")
    comment = add_comment(bpo_kpo, "A comment")
    bpo_kpo.key_difference = "A second revision."
    comparison_save(bpo_kpo)
    version, previous = Version.objects.get_for_object(bpo_kpo).order_by("-pk")[:2]
    # Live, with unpublished changes that are scheduled: the change form shows them.
    bpo_kpo.key_difference = "Unpublished changes."
    comparison_draft_save(bpo_kpo)
    bpo_kpo.refresh_from_db()
    comparison_draft_schedule(bpo_kpo, timezone.now() + timedelta(days=1))
    client = client_for(role_user(django_user_model, f"only-{group.lower()}", group))
    answers = {}
    for address in admin_addresses(bpo_kpo, report, comment, version):
        answers[address] = client.get(address).status_code
    revisions = f"from={previous.revision_id}&to={version.revision_id}"
    compare = f"{CHANGELIST}{bpo_kpo.pk}/history/compare/?{revisions}"
    answers[compare] = client.get(compare).status_code
    data = change_form_data_or_empty(client, bpo_kpo)
    for address in (f"{CHANGELIST}{bpo_kpo.pk}/preview/", f"{CHANGELIST}add/preview/"):
        answers[f"POST {address}"] = client.post(address, data).status_code
    schedule = f"{CHANGELIST}{bpo_kpo.pk}/draft/schedule/"
    for posted in ({"publish_at": "not a date"}, {"publish_at": "2000-01-01T09:00"}):
        status = client.post(schedule, posted).status_code
        answers[f"POST {schedule} {posted}"] = 200 if status == 302 else status
    wrong = {address: status for address, status in answers.items() if status not in (200, 403)}
    # An app index a role sees nothing of answers 404 in Django: not an error page of ours.
    wrong = {a: s for a, s in wrong.items() if not (s == 404 and re.fullmatch(r"/admin/\w+/", a))}
    assert wrong == {}


def change_form_data_or_empty(client, comparison):
    response = client.get(f"{CHANGELIST}{comparison.pk}/change/")
    return change_form_data(response) if response.status_code == 200 else {}


def test_moderation_actions_are_logged(django_user_model, bpo_kpo):
    client = client_for(role_user(django_user_model, "only-mod", MODERATORS))
    comment = add_comment(bpo_kpo, "Spam, spam", status="pending")
    client.post("/admin/comments/comment/", {"action": "mark_spam", "_selected_action": [comment.pk]})
    entry = LogEntry.objects.get()
    assert (entry.object_id, entry.get_change_message()) == (str(comment.pk), "Marked as spam.")


def test_title_and_slug_help_name_the_real_subjects(editor_only, bpo_kpo):
    html = editor_only.get(f"{CHANGELIST}{bpo_kpo.pk}/change/").content.decode()
    assert "Leave blank for “Difference between” the two subjects: “Difference between BPO and KPO”." in html
    assert "The page lives at /difference-between-bpo-and-kpo/." in html
    add = editor_only.get(f"{CHANGELIST}add/").content.decode()
    assert "“Difference between BPO and KPO”" in add
    assert "Difference between  and" not in add


def test_the_body_preview_is_rendered_by_the_page_code(editor_only, bpo_kpo):
    address = f"{CHANGELIST}markdown-preview/"
    response = editor_only.post(address, {"body": "## Why\n\n*BPO* <script>x</script>"})
    assert response.status_code == 200
    assert response.content.decode() == render_markdown("## Why\n\n*BPO* <script>x</script>")
    assert "no-store" in response["Cache-Control"]
    assert editor_only.get(address).status_code == 405
    page = editor_only.get(f"{CHANGELIST}{bpo_kpo.pk}/change/").content.decode()
    assert f'data-preview-url="{address}"' in page
    assert "comparisons/admin/markdown_preview.js" in page


def test_only_editors_and_publishers_preview_bodies(django_user_model):
    client = client_for(role_user(django_user_model, "only-mod", MODERATORS))
    assert client.post(f"{CHANGELIST}markdown-preview/", {"body": "x"}).status_code == 403


def test_open_reports_show_beside_their_row(publisher_client, bpo_kpo):
    row = bpo_kpo.rows.get(aspect="Skills required")
    RowReport.objects.create(comparison=bpo_kpo, row=row, note="Outdated")
    RowReport.objects.create(comparison=bpo_kpo, row=row, note="Fixed", status="resolved")
    html = publisher_client.get(f"{CHANGELIST}{bpo_kpo.pk}/change/").content.decode()
    link = f"/admin/comparisons/rowreport/?row__id__exact={row.pk}&amp;status__exact=open"
    assert html.count('class="row-reports"') == 1
    assert f'<a class="row-reports" href="{link}">1 open report</a>' in html
    listed = publisher_client.get(link.replace("&amp;", "&"))
    assert [report.note for report in listed.context["cl"].result_list] == ["Outdated"]


def test_a_publisher_without_the_reports_queue_sees_the_count_only(publisher_only, bpo_kpo):
    row = bpo_kpo.rows.get(aspect="Skills required")
    RowReport.objects.create(comparison=bpo_kpo, row=row, note="Outdated")
    html = publisher_only.get(f"{CHANGELIST}{bpo_kpo.pk}/change/").content.decode()
    assert '<span class="row-reports">1 open report</span>' in html
