"""Every public page, checked by axe-core and by hand-written keyboard, layout and print checks.

The pages come from tests/public_pages.py: add a page there to put it under every check.
A check that covers every page visits them all in one browser context, so a page is loaded
once per width. The tests on the demo content share its loads (tests/demo_content.py).
"""

import pytest

from tests.factories import make_category, make_comparison
from tests.helpers.axe import axe_violations, describe_violations
from tests.public_pages import public_pages

PHONE, DESKTOP, SMALL_PHONE = 390, 1280, 360

# What a keyboard user meets first on the BPO vs KPO page, in order.
COMPARISON_TAB_ORDER_START = [
    "Skip to content",
    "Differences",
    "Search comparisons",
    "Search",
    "Business",
    "Society and Culture",
    "Health",
    "Environment",
    "Entertainment and Music",
    "Technology",
    "Language",
    "Home",
    "Business",
    "Difference between BPO and KPO",
    "BPO",
    "KPO",
]

# The name a keyboard user hears for an element (close enough for our own markup).
NAME_OF_JS = """el => (el.getAttribute('aria-label')
  || (el.labels && el.labels.length ? el.labels[0].textContent : '')
  || el.innerText || el.value || '').replace(/\\s+/g, ' ').trim()"""

# The focused element: its name, whether it is drawn, and its focus outline.
FOCUSED_ELEMENT_JS = (
    """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return {
    name: ("""
    + NAME_OF_JS
    + """)(el),
    id: el.id,
    middle: box.top + window.scrollY + box.height / 2,
    left: box.left + window.scrollX,
    visible: box.width > 0 && box.height > 0,
    inViewport: box.top >= 0 && box.bottom <= window.innerHeight,
    outline: style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth),
  };
}"""
)

# The names of every element the Tab key should stop at, in document order.
TABBABLE_NAMES_JS = (
    """() => [...document.querySelectorAll(
    'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), '
    + 'select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])')]
  .filter(el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
  .map("""
    + NAME_OF_JS
    + ")"
)


@pytest.fixture
def open_context(browser):
    """Return a function that opens a browser context; close them all afterwards."""
    contexts = []

    def open_context(width, height=900, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_axe_finds_no_violations_in_light_or_dark_mode(live_server, demo_site, open_context, width):
    # Without motion, colours switch at once when the colour scheme does (no transition).
    page = open_context(width, reduced_motion="reduce").new_page()
    report = []
    for name, path in public_pages():
        page.goto(live_server.url + path)
        page.keyboard.press("Tab")  # shows the skip link, so that its colours are checked too
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            violations = axe_violations(page)
            if violations:
                report.append(f"{name} ({path}) at {width}px, {scheme}:")
                report.append(describe_violations(violations))
    assert not report, "axe-core found violations:\n" + "\n".join(report)


def test_no_page_is_wider_than_a_small_phone(live_server, demo_site, open_context, tmp_path):
    page = open_context(SMALL_PHONE, 740).new_page()
    too_wide = {}
    for name, path in public_pages():
        page.goto(live_server.url + path)
        shot = tmp_path / "page.png"
        full_page_screenshot(page, shot)
        widths = {
            "document": page.evaluate("document.documentElement.scrollWidth"),
            "screenshot": png_width(shot),
        }
        if max(widths.values()) > SMALL_PHONE:
            too_wide[name] = widths
    assert too_wide == {}


def full_page_screenshot(page, path, attempts=3):
    """Save a screenshot of the whole page. Chromium sometimes refuses one of a tall page
    while the machine is busy ("Unable to capture screenshot"): ask again."""
    from playwright.sync_api import Error

    for attempt in range(attempts):
        try:
            return page.screenshot(path=path, full_page=True)
        except Error as error:
            if "Unable to capture screenshot" not in str(error) or attempt == attempts - 1:
                raise
            page.wait_for_timeout(250)


def png_width(path):
    """Return the width of a PNG file, read from its IHDR header."""
    with open(path, "rb") as png:
        header = png.read(24)
    return int.from_bytes(header[16:20], "big")


def focused(page):
    return page.evaluate(FOCUSED_ELEMENT_JS)


def tab_to(page, name, max_presses=160, occurrence=1):
    """Press Tab until the element named `name` has focus; return every element passed on the way.

    Fails, listing what was reached, if `name` never gets focus or a focused element has no
    visible focus outline. Extend keyboard journeys with it, e.g. for the comment form:
    tab_to(page, "Add new comment"); Enter; tab_to(page, "Get a new image"); Enter;
    tab_to(page, "Post comment"). With `occurrence`, stop at that one of several elements so named.
    """
    passed = []
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        element = focused(page)
        assert element is not None, f"focus left the page after {[e['name'] for e in passed]}"
        assert element["visible"], f"{element['name']!r} has focus but is not drawn"
        assert element["outline"] >= 2, f"{element['name']!r} has no visible focus outline"
        passed.append(element)
        if element["name"] == name:
            occurrence -= 1
            if not occurrence:
                return passed
    raise AssertionError(f"Tab never reached {name!r}; it went {[e['name'] for e in passed]}")


def test_keyboard_walks_a_comparison_page_in_reading_order(live_server, demo_site, open_context):
    page = open_context(DESKTOP).new_page()
    page.goto(live_server.url + "/difference-between-bpo-and-kpo/")
    tabbable = page.evaluate(TABBABLE_NAMES_JS)
    assert tabbable[: len(COMPARISON_TAB_ORDER_START)] == COMPARISON_TAB_ORDER_START

    walk = tab_to(page, tabbable[-1], occurrence=tabbable.count(tabbable[-1]))

    assert [element["name"] for element in walk] == tabbable
    skip_link = walk[0]
    assert skip_link["name"] == "Skip to content" and skip_link["inViewport"]
    # Reading order: down the page, or up only to start the next column to the right.
    jumps = [
        (before["name"], after["name"])
        for before, after in zip(walk[1:], walk[2:], strict=False)
        if after["middle"] < before["middle"] and after["left"] <= before["left"]
    ]
    assert jumps == [], f"Tab order jumps up the page between {jumps}"


def test_skip_link_moves_focus_to_the_main_content(live_server, demo_site, open_context):
    page = open_context(PHONE).new_page()
    page.goto(live_server.url + "/difference-between-bpo-and-kpo/")
    assert tab_to(page, "Skip to content")[-1]["inViewport"]
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "content"
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "Home"


def test_keyboard_searches_and_opens_a_result(live_server, demo_site, open_context):
    page = open_context(PHONE).new_page()
    page.goto(live_server.url + "/")
    tab_to(page, "Search comparisons")
    page.keyboard.type("bpo vs kpo")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=bpo+vs+kpo")
    tab_to(page, "BPO vs KPO")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/difference-between-bpo-and-kpo/")
    assert page.get_by_role("heading", level=1).inner_text() == "Difference between BPO and KPO"


def accessibility_tree(page):
    """Return Chromium's own accessibility tree as [(role, name)], as screen readers get it."""
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    cdp.detach()
    return [
        (node.get("role", {}).get("value"), node.get("name", {}).get("value", ""))
        for node in nodes
        if not node.get("ignored")
    ]


def test_comparison_table_keeps_aspect_and_both_values_labelled_on_a_phone(
    live_server, demo_site, open_context
):
    page = open_context(PHONE).new_page()
    page.goto(live_server.url + "/difference-between-bpo-and-kpo/")
    tree = accessibility_tree(page)
    assert [name for role, name in tree if role == "columnheader"] == ["Aspect", "BPO", "KPO"]
    assert ("rowheader", "Stands for") in tree
    cells = [name for role, name in tree if role == "cell"]
    assert cells[2:4] == ["Business Process Outsourcing", "Knowledge Process Outsourcing"]

    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Stands for"))
    aspect = row.get_by_role("rowheader").bounding_box()
    first, second = (cell.bounding_box() for cell in row.get_by_role("cell").all())
    assert aspect["y"] < first["y"] < second["y"], "the row is not stacked on a phone"
    assert all(box["x"] + box["width"] <= PHONE for box in (aspect, first, second))
    # Each value shows its subject's name above it, silent for screen readers (see above).
    labels = row.get_by_role("cell").evaluate_all(
        "cells => cells.map(cell => getComputedStyle(cell, '::before').content)"
    )
    assert labels == ['"BPO" / ""', '"KPO" / ""']
    # axe cannot see generated text, so measure the labels' contrast here, in both schemes.
    page = open_context(PHONE, reduced_motion="reduce").new_page()
    page.goto(live_server.url + "/difference-between-bpo-and-kpo/")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for foreground, background in page.locator(".difference-table td").evaluate_all(
            LABEL_COLOURS_JS
        ):
            assert contrast_ratio(foreground, background) >= 4.5, (scheme, foreground, background)


# The colour of each cell's generated label, and the first opaque background behind it.
LABEL_COLOURS_JS = """cells => cells.map(cell => {
  let behind = cell;
  while (behind && getComputedStyle(behind).backgroundColor === 'rgba(0, 0, 0, 0)') {
    behind = behind.parentElement;
  }
  return [getComputedStyle(cell, '::before').color,
          behind ? getComputedStyle(behind).backgroundColor : 'rgb(255, 255, 255)'];
})"""


def contrast_ratio(foreground, background):
    """Return the WCAG contrast ratio of two opaque CSS colours written as rgb(r, g, b)."""

    def luminance(colour):
        channels = [int(part) / 255 for part in colour[colour.index("(") + 1 : -1].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_print_keeps_the_article_and_drops_navigation_forms_and_comments(
    live_server, demo_site, open_context
):
    page = open_context(DESKTOP).new_page()
    page.goto(live_server.url + "/difference-between-bpo-and-kpo/")
    page.emulate_media(media="print")
    printed = {
        selector: page.locator(selector).first.is_visible()
        for selector in [
            "h1",
            ".key-difference",
            ".comparison__body",
            ".difference-table",
            ".lead-image figcaption",
            ".comparison__meta",
            ".site-header",
            ".site-search",
            ".breadcrumbs",
            ".related",
            ".sidebar",
            "#comments",
            ".site-footer",
        ]
    }
    assert printed == {
        "h1": True,
        ".key-difference": True,
        ".comparison__body": True,
        ".difference-table": True,
        ".lead-image figcaption": True,
        ".comparison__meta": True,
        ".site-header": False,
        ".site-search": False,
        ".breadcrumbs": False,
        ".related": False,
        ".sidebar": False,
        "#comments": False,
        ".site-footer": False,
    }
    article = page.locator("article.comparison")
    assert article.get_attribute("data-url") == live_server.url + "/difference-between-bpo-and-kpo/"
    assert article.evaluate("el => getComputedStyle(el, '::after').content") == (
        f'"Source: {live_server.url}/difference-between-bpo-and-kpo/"'
    )


MOVING_ELEMENTS_JS = """() => [...document.querySelectorAll('*')].filter(el => {
  const style = getComputedStyle(el);
  const moves = value => value.split(',').some(part => parseFloat(part) > 0);
  return moves(style.transitionDuration) || style.animationName !== 'none';
}).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))"""


def test_motion_stops_when_the_reader_asks_for_less(live_server, demo_site, open_context):
    page = open_context(PHONE).new_page()
    page.goto(live_server.url + "/difference-between-bpo-and-kpo/")
    page.emulate_media(reduced_motion="no-preference")
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "smooth"
    assert page.evaluate(MOVING_ELEMENTS_JS) != []

    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    assert page.evaluate(MOVING_ELEMENTS_JS) == []


def test_keyboard_pages_through_a_long_category(live_server, open_context):
    business = make_category("Business", slug="business")
    for number in range(21):
        make_comparison(f"Alpha {number}", f"Beta {number}", categories=[business])
    page = open_context(PHONE, reduced_motion="reduce").new_page()
    page.goto(live_server.url + "/category/business/")
    tab_to(page, "Next page")
    page.keyboard.press("Enter")
    page.wait_for_url("**/category/business/?page=2")
    assert page.get_by_role("heading", level=1).inner_text() == "Business"
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
    tab_to(page, "Previous page")
    page.keyboard.press("Enter")
    page.wait_for_url("**/category/business/?page=1")


def test_keyboard_opens_the_comment_form_renews_the_captcha_and_reaches_submit(
    live_server, demo_site, open_context
):
    page = open_context(DESKTOP, reduced_motion="reduce").new_page()
    page.goto(live_server.url + "/difference-between-bpo-and-kpo/")

    tab_to(page, "Add new comment")
    page.keyboard.press("Enter")
    # The form is fetched from its own URL into the page, and focus moves into it.
    form = page.locator("[data-comment-form-slot] form.comment-form__form")
    form.wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-comment-form-slot]').contains(document.activeElement)"
    )
    assert page.url == live_server.url + "/difference-between-bpo-and-kpo/"
    first_field = focused(page)
    assert first_field["outline"] >= 2, f"{first_field['name']!r} has no visible focus outline"

    image = form.locator("img.captcha__image")
    old_src = image.get_attribute("src")
    tab_to(page, "New image")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "src => document.querySelector('[data-comment-form-slot] img.captcha__image')"
        ".getAttribute('src') !== src",
        arg=old_src,
    )
    assert image.get_attribute("alt")
    # Focus goes to the answer box, ready for the new code.
    answer = form.get_by_label("What code is in the image?")
    assert answer.evaluate("el => el === document.activeElement")

    walk = tab_to(page, "Post comment")
    assert walk[-1]["name"] == "Post comment"
    submit = form.get_by_role("button", name="Post comment")
    assert submit.evaluate("el => el === document.activeElement")
