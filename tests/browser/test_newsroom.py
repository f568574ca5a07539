"""Browser: an editor's change to a live page waits for a publisher, who reviews and publishes it."""

import pytest

from comparisons.roles import EDITORS, PUBLISHERS
from tests.comparisons.conftest import role_user

pytestmark = pytest.mark.django_db(transaction=True)

NEW_VALUE = "Specialist analysts doing judgement-heavy work"


def log_in(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-for-tests-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/admin/")
    return page


def test_an_editors_row_and_slug_change_is_reviewed_previewed_and_published(
    browser, live_server, page, django_user_model, bpo_kpo
):
    role_user(django_user_model, "only-ed", EDITORS)
    role_user(django_user_model, "only-pub", PUBLISHERS)
    change = f"{live_server.url}/admin/comparisons/comparison/{bpo_kpo.pk}/change/"
    old_address = live_server.url + "/difference-between-bpo-and-kpo/"
    new_address = live_server.url + "/difference-between-bpo-versus-kpo/"

    editor = log_in(browser, live_server, "only-ed")
    editor.goto(change)
    editor.locator("#rows-0 td.field-second_value textarea").fill(NEW_VALUE)
    editor.locator("#id_slug").fill("bpo-versus-kpo")
    editor.get_by_role("button", name="Save", exact=True).click()
    editor.wait_for_url(f"{live_server.url}/admin/comparisons/comparison/")
    assert "Saved as unpublished changes" in editor.locator("ul.messagelist").inner_text()

    assert page.goto(old_address).status == 200
    assert NEW_VALUE not in page.content()
    assert page.goto(new_address).status == 404

    publisher = log_in(browser, live_server, "only-pub")
    publisher.goto(change)
    banner = publisher.locator("#unpublished-changes")
    assert banner.locator("h2").inner_text() == "Live, with unpublished changes"
    assert NEW_VALUE in banner.inner_text() and "bpo-versus-kpo" in banner.inner_text()
    with publisher.context.expect_page() as opened:
        publisher.get_by_role("button", name="Preview unsaved changes").click()
    preview = opened.value
    preview.wait_for_load_state()
    assert NEW_VALUE in preview.content()
    preview.close()
    publisher.get_by_role("button", name="Publish the changes").click()
    publisher.wait_for_url(change)
    assert "The changes are live." in publisher.locator("ul.messagelist").inner_text()

    moved = page.request.get(old_address, max_redirects=0)
    assert (moved.status, moved.headers["location"]) == (301, "/difference-between-bpo-versus-kpo/")
    page.goto(live_server.url + "/search/?q=judgement-heavy+analysts")
    assert page.locator("main a[href='/difference-between-bpo-versus-kpo/']").count() >= 1
    publisher.goto(change.replace("/change/", "/history/"))
    steps = publisher.locator("#admin-steps tbody tr").all_inner_texts()
    assert "only-pub" in steps[0] and "Published the unpublished changes." in steps[0]
    assert "only-ed" in steps[1] and "Saved unpublished changes: Changed Slug." in steps[1]
