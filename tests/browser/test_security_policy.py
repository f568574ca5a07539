"""The strict Content-Security-Policy breaks neither the public pages nor the admin."""

from django.contrib.auth import get_user_model


def collect_csp_violations(page):
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text)
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
        else None,
    )
    return violations


def test_public_pages_run_without_csp_violations(live_server, demo_site, page):
    violations = collect_csp_violations(page)
    for path in ("/", "/difference-between-bpo-and-kpo/", "/category/business/"):
        response = page.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
    assert violations == []


def test_admin_scripts_work_under_the_policy(live_server, demo_site, page):
    get_user_model().objects.create_superuser("admin", "admin@example.com", "password")
    violations = collect_csp_violations(page)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/admin/comparisons/comparison/add/")
    # filter_horizontal is built by the admin's SelectFilter2.js: it only exists if scripts run.
    page.wait_for_selector("#id_categories_filter")
    assert page.locator("#id_categories_add_all").count() == 1
    # The inlines' "Add another" link comes from inlines.js.
    assert page.get_by_text("Add another Difference row").count() == 1
    page.goto(live_server.url + "/admin/comparisons/comparison/")
    page.locator("#action-toggle").check()  # actions.js selects every row
    assert page.locator("tr.selected").count() >= 1
    assert violations == []
