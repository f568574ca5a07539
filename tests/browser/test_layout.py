"""The reading layout, measured in Chromium on the demo site: a sidebar beside the reading
column on wide screens and after it on phones, header navigation without JS, link blocks that
never repeat a comparison."""

import re

import pytest

from comparisons.models import Category

PAGES = {
    "comparison": "/difference-between-bpo-and-kpo/",
    "category": "/category/business/",
    "subject": "/subject/bpo/",
    "search": "/search/?q=outsourcing",
    "home": "/",
}
SIDEBAR_PAGES = ["comparison", "category", "subject", "search"]

# The widest horizontal band of the page in which no visible element of the page's content
# starts, ends or lies: what a reader sees as an empty column.
EMPTY_COLUMN = """() => {
  const width = document.documentElement.clientWidth;
  const used = new Array(width).fill(false);
  const scope = document.querySelectorAll(
    'main *, .site-header *');
  for (const element of scope) {
    if (element.children.length && !['A', 'P', 'LI', 'H1', 'H2', 'H3', 'TD', 'TH',
        'IMG', 'FIGCAPTION', 'BUTTON', 'INPUT', 'SUMMARY'].includes(element.tagName)) continue;
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    for (let x = Math.max(0, Math.floor(box.left)); x < Math.min(width, Math.ceil(box.right)); x++)
      used[x] = true;
  }
  let widest = 0, run = 0;
  for (const taken of used) { run = taken ? 0 : run + 1; widest = Math.max(widest, run); }
  return {widest, width};
}"""


@pytest.fixture
def open_page(browser, live_server):
    contexts = []

    def open_page(path, width, **options):
        context = browser.new_context(viewport={"width": width, "height": 900}, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(live_server.url + path)
        return page

    yield open_page
    for context in contexts:
        context.close()


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_wide_screen_puts_the_sidebar_beside_the_reading_column(demo_site, open_page):
    for name in SIDEBAR_PAGES:
        page = open_page(PAGES[name], 1280)
        main, sidebar = box(page, ".main-column"), box(page, ".sidebar")
        assert sidebar["x"] >= main["x"] + main["width"], name  # to the right ...
        assert sidebar["y"] < main["y"] + 200, name  # ... starting level with the content
        assert 600 <= main["width"] <= 46 * 16, name  # a comfortable measure: at most 46rem
        empty = page.evaluate(EMPTY_COLUMN)
        assert empty["widest"] <= 0.10 * empty["width"], (name, empty)


def test_phone_puts_the_sidebar_after_the_content_and_never_scrolls_sideways(demo_site, open_page):
    for name in [*SIDEBAR_PAGES, "home"]:
        page = open_page(PAGES[name], 390)
        main, sidebar = box(page, ".main-column"), box(page, ".sidebar")
        assert sidebar["y"] >= main["y"] + main["height"], name
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name


def test_phone_home_leads_with_search_and_the_newest_then_most_searched(demo_site, open_page):
    page = open_page("/", 390)
    search = box(page, "#site-search-q")
    newest = box(page, "#newest-heading")
    most_searched = box(page, ".most-searched")
    categories = box(page, "#categories-heading")
    assert search["y"] < newest["y"] < most_searched["y"] < categories["y"]
    assert newest["y"] < 900  # the newest comparisons start on the first screen
    assert box(page, ".category-chips")["height"] < 400  # categories stay compact


def test_phone_breadcrumb_lines_start_with_an_item_never_a_separator(demo_site, open_page):
    page = open_page("/difference-between-kpo-and-lpo/", 320)
    lines = page.evaluate(
        """() => {
      const starts = {};
      for (const item of document.querySelectorAll('.breadcrumbs li')) {
        const rects = item.getClientRects();
        const top = Math.round(rects[0].top);
        if (!(top in starts)) starts[top] = item.innerText.trim();
      }
      return Object.values(starts);
    }"""
    )
    assert len(lines) >= 1
    assert not any(line.startswith("\u203a") for line in lines), lines
    text = page.locator(".breadcrumbs").inner_text()
    assert not re.search(r"(^|\n)\s*\u203a", text), text


def test_header_lists_every_category_without_javascript(demo_site, open_page):
    names = list(Category.objects.values_list("name", flat=True))
    for width in (1280, 390):
        page = open_page("/", width, java_script_enabled=False)
        if width == 390:
            page.locator(".site-nav__menu summary").click()
        nav = page.get_by_role("navigation", name="Main")
        assert nav.get_by_role("link").all_inner_texts() == names, width
        nav.get_by_role("link", name="Health").click()
        assert page.url.endswith("/category/health/"), width


def test_keyboard_reaches_the_header_categories(demo_site, open_page):
    for width in (1280, 390):
        page = open_page("/", width)
        focused = []
        for _ in range(8):
            page.keyboard.press("Tab")
            focused.append(page.evaluate("document.activeElement.innerText.trim()"))
            if focused[-1] == "Categories":  # the phone menu: open it from the keyboard
                page.keyboard.press("Enter")
            if focused[-1] == "Business":
                break
        assert focused[-1] == "Business", (width, focused)
        page.keyboard.press("Enter")
        page.wait_for_url("**/category/business/")


def test_no_comparison_is_linked_twice_and_blocks_hold_at_most_five(demo_site, open_page):
    for name, path in PAGES.items():
        page = open_page(path, 1280)
        hrefs = page.locator("main a[href^='/difference-between-']").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        )
        own = path if name == "comparison" else None
        listed = [href for href in hrefs if href != own]
        assert listed and len(listed) == len(set(listed)), (name, sorted(listed))
        sizes = page.locator(".sidebar ol, .sidebar ul.link-list").evaluate_all(
            "lists => lists.filter(list => !list.closest('.toc')).map(list => list.children.length)"
        )
        assert sizes and all(1 <= size <= 5 for size in sizes), (name, sizes)


def test_comparison_page_shows_full_blocks_own_category_first(demo_site, open_page):
    page = open_page("/difference-between-film-and-movie/", 1280)
    headings = page.locator(".most-searched__block h3").all_inner_texts()
    assert len(headings) >= 4
    assert headings[0] in ("Most Searched in Entertainment and Music", "Most Searched in Language")
    related = page.locator(".related .link-list li").count()
    assert related == 5


def test_bpo_kpo_reads_in_the_seed_order_with_contents_and_an_honest_lead_image(
    demo_site, open_page
):
    page = open_page(PAGES["comparison"], 1280)
    aspects = page.get_by_role("table").get_by_role("rowheader").all_inner_texts()
    assert aspects[:7] == [
        "Services",
        "Stands for",
        "Skills required",
        "Level of service",
        "Process",
        "Workforce",
        "Expertise in",
    ]
    table = box(page, "table")
    assert box(page, "#section-in-a-nutshell")["y"] > table["y"] + table["height"]

    image = page.locator(".lead-image img")
    assert image.get_attribute("loading") == "eager"
    assert image.get_attribute("fetchpriority") == "high"
    # The 736 px reading column takes the 960 px rendition, not the 1200 px original.
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert image.evaluate("img => img.currentSrc").endswith("/bpo-and-kpo-960.webp")
    assert image.get_attribute("alt") == (
        "Diagram of BPO vs KPO: the rows Services, Stands for and Skills required of the table "
        "below, with BPO's answer on the left and KPO's on the right."
    )
    assert page.locator(".lead-image figcaption").inner_text() == "Illustration: Differences"

    toc = page.get_by_role("navigation", name="On this page")
    assert toc.get_by_role("link").all_inner_texts() == [
        "Key difference",
        "What is BPO?",
        "What is KPO?",
        "BPO vs KPO: the differences",
        "In a nutshell",
    ]
    toc.get_by_role("link", name="In a nutshell").click()
    assert page.url.endswith("#section-in-a-nutshell")
    assert page.locator("#section-in-a-nutshell").is_visible()
