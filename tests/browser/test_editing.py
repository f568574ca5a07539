"""Browser: an editor drags a row to a new place in the admin; readers see the new order."""

import pytest

from comparisons.roles import EDITORS, PUBLISHERS, setup_roles
from tests.factories import make_comparison

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def logged_in_editor(live_server, page, django_user_model):
    from django.contrib.auth.models import Group

    setup_roles()
    editor = django_user_model.objects.create_user(
        "ed", password="pw-for-browser-tests", is_staff=True
    )
    # A publishing editor: an editor alone changes a live page as unpublished changes.
    editor.groups.add(*Group.objects.filter(name__in=[EDITORS, PUBLISHERS]))
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill("pw-for-browser-tests")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/admin/")
    return page


def aspects_on_page(page, url):
    page.goto(url)
    return page.locator("table.difference-table tbody th[scope=row]").all_inner_texts()


def test_dragging_a_row_changes_the_order_on_the_page(live_server, logged_in_editor):
    page = logged_in_editor
    comparison = make_comparison(
        "BPO",
        "KPO",
        rows=[("Stands for", "a", "b"), ("Skills", "c", "d"), ("Service level", "e", "f")],
    )
    public_url = live_server.url + comparison.get_absolute_url()
    assert aspects_on_page(page, public_url) == ["Stands for", "Skills", "Service level"]

    page.goto(f"{live_server.url}/admin/comparisons/comparison/{comparison.pk}/change/")
    handles = page.locator("#rows-group tr.has_original td.original p")
    handles.nth(2).drag_to(handles.nth(0))
    orders = page.locator("#rows-group tr.has_original input._reorder_")
    assert [orders.nth(i).input_value() for i in range(3)] == ["1", "2", "3"]
    aspects = page.locator("#rows-group tr.has_original td.field-aspect input")
    assert [aspects.nth(i).input_value() for i in range(3)] == [
        "Service level",
        "Stands for",
        "Skills",
    ]
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"{live_server.url}/admin/comparisons/comparison/")

    assert aspects_on_page(page, public_url) == ["Service level", "Stands for", "Skills"]


def test_typing_an_order_number_reorders_without_dragging(live_server, logged_in_editor):
    page = logged_in_editor
    comparison = make_comparison("BPO", "KPO", rows=[("First", "a", "b"), ("Second", "c", "d")])
    page.goto(f"{live_server.url}/admin/comparisons/comparison/{comparison.pk}/change/")
    page.locator("input[name=rows-0-order]").fill("9")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"{live_server.url}/admin/comparisons/comparison/")
    assert aspects_on_page(page, live_server.url + comparison.get_absolute_url()) == [
        "Second",
        "First",
    ]


def test_the_body_has_a_live_preview_beside_it(live_server, logged_in_editor):
    page = logged_in_editor
    comparison = make_comparison("BPO", "KPO", body="Old text.")
    page.goto(f"{live_server.url}/admin/comparisons/comparison/{comparison.pk}/change/")
    preview = page.locator(".markdown-preview")
    preview.locator("p", has_text="Old text.").wait_for()
    page.locator("#id_body").fill("## Why\n\nBPO moves *processes*. <b>tag</b>")
    preview.locator("h2", has_text="Why").wait_for()
    assert preview.locator("em").inner_text() == "processes"
    assert preview.locator("b").count() == 0
    body_box = page.locator("#id_body").bounding_box()
    preview_box = preview.bounding_box()
    assert preview_box["x"] > body_box["x"]  # beside the text area, not under it


def test_the_change_form_fits_1280_pixels_with_sources_folded(live_server, logged_in_editor):
    page = logged_in_editor
    comparison = make_comparison(
        "Business Process Outsourcing",
        "Knowledge Process Outsourcing",
        rows=[("Stands for", "Business Process Outsourcing", "Knowledge Process Outsourcing")],
    )
    page.goto(f"{live_server.url}/admin/comparisons/comparison/{comparison.pk}/change/")
    assert page.viewport_size["width"] == 1280
    overflow = page.evaluate(
        """() => [document.documentElement, document.querySelector('#rows-group .tabular')]
            .map(element => element.scrollWidth - element.clientWidth)"""
    )
    assert overflow == [0, 0]
    row = page.locator("#rows-0")
    row.get_by_text("Add a source").click()
    row.get_by_label("Source", exact=True).fill("OECD Employment Outlook 2024")
    row.get_by_label("Source link").fill("https://www.oecd.org/")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"{live_server.url}/admin/comparisons/comparison/")
    assert comparison.rows.get().source == "OECD Employment Outlook 2024"
