import time

import pytest

from comparisons.models import DailyInterest, SearchQuery

CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Safari/537.36"
)


@pytest.fixture
def demo_site(demo_site, settings):
    settings.INTEREST_REDIS_URL = ""  # count straight into the database
    return demo_site


def is_beacon(kind):
    def matches(request):
        return (
            request.method == "POST"
            and request.url.endswith("/interest/")
            and f"kind={kind}" in (request.post_data or "")
        )

    return matches


def wait_for(condition, seconds=5):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_reader_searches_from_the_header_and_the_view_is_reported(live_server, demo_site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, user_agent=CHROME)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/")
    box = page.get_by_role("searchbox", name="Search comparisons")
    box.fill("kpo vs bpo")
    box.press("Enter")
    page.wait_for_url("**/search/?q=kpo+vs+bpo")
    assert page.get_by_role("searchbox", name="Search comparisons").input_value() == "kpo vs bpo"
    first = page.locator(".search-results a.comparison-card__title").first
    assert first.inner_text() == "BPO vs KPO"
    assert first.locator("mark").all_inner_texts() == ["BPO", "KPO"]
    # The results page (cached whole) logs its search with a beacon once it has loaded.
    assert wait_for(
        lambda: list(SearchQuery.objects.values_list("query", "count")) == [("kpo vs bpo", 1)]
    )
    with page.expect_request(is_beacon("search")), page.expect_request(is_beacon("view")) as view:
        first.click()
        page.wait_for_url(live_server.url + "/difference-between-bpo-and-kpo/")
    assert f"comparison={page.locator('article.comparison').get_attribute('data-interest-id')}" in (
        view.value.post_data
    )
    assert page.get_by_role("heading", level=1).inner_text() == "Difference between BPO and KPO"
    assert wait_for(
        lambda: list(DailyInterest.objects.values_list("comparison__slug", "views", "searches"))
        == [("bpo-and-kpo", 1, 1)]
    )
    context.close()
