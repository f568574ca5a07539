"""A visitor comments through the real form in Chromium; a moderator approves it."""

import re

import pytest
from captcha.models import CaptchaStore
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import caches
from playwright.sync_api import expect

from comments.moderation import QUEUED_MESSAGE

PAGE = "/difference-between-bpo-and-kpo/"
TEXT = "Compare <b>BPO</b> & KPO at https://example.com/outsourcing\nThanks!"


@pytest.fixture
def demo_site(demo_site, settings):
    # The browser is faster than the 3-second rule allows; the rule has its own tests.
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    caches[settings.COMMENTS_RATE_LIMIT_CACHE].clear()  # the live server posts from 127.0.0.1
    return demo_site


@pytest.fixture
def editor_password(demo_site):
    editor = get_user_model().objects.get(username="editor")
    editor.set_password("browser-test-password")
    editor.save()
    return "browser-test-password"


def captcha_answer(page):
    key = page.locator("input[name=captcha_0]").input_value()
    return CaptchaStore.objects.get(hashkey=key).response


def test_the_form_loads_only_when_the_visitor_asks(live_server, demo_site, page):
    page.goto(live_server.url + PAGE)
    page.locator("#comments").scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    # Reading the comments stores nothing: a captcha is made only for a form shown.
    assert page.locator("#comment-form").count() == 0
    assert CaptchaStore.objects.count() == 0
    page.get_by_role("link", name="Add new comment").click()
    expect(page.locator("#comment-form form")).to_be_visible()
    assert CaptchaStore.objects.count() == 1
    cookies = {cookie["name"] for cookie in page.context.cookies()}
    assert "csrftoken" in cookies
    # One control: the form's heading stands in for the link while the form is shown.
    expect(page.get_by_role("link", name="Add new comment")).to_be_hidden()
    expect(page.locator("#comment-form h3")).to_have_text("Add new comment")


def test_a_reply_form_opens_indented_under_its_comment_and_cancels(live_server, demo_site, page):
    page.goto(live_server.url + PAGE)
    reply = page.get_by_role("link", name=re.compile("^Reply")).first
    reply.click()
    slot = page.locator(".comment-item > [data-comment-form-slot]")
    expect(slot.locator("h3")).to_contain_text("Reply to")
    comment_box = page.locator("article.comment").first.bounding_box()
    assert slot.bounding_box()["x"] > comment_box["x"]
    page.get_by_role("button", name="Cancel").click()
    expect(page.locator("#comment-form")).to_have_count(0)
    assert reply.evaluate("el => el === document.activeElement")


def test_comment_forms_pass_axe_in_every_state(live_server, demo_site, browser):
    from tests.helpers.axe import axe_violations, describe_violations

    context = browser.new_context(viewport={"width": 390, "height": 800}, reduced_motion="reduce")
    page = context.new_page()
    report = []

    def check(state):
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            violations = axe_violations(page)
            if violations:
                report.append(f"{state}, {scheme}:\n{describe_violations(violations)}")

    page.goto(live_server.url + PAGE)
    page.get_by_role("link", name="Add new comment").click()
    expect(page.locator("#comment-form form")).to_be_visible()
    check("comparison page with the form loaded")
    page.get_by_role("link", name=re.compile("^Reply")).first.click()
    expect(page.locator("#comment-form h3")).to_contain_text("Reply to")
    check("comparison page with a reply form")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check("refused form page")
    # The error summary takes focus, so keyboard and screen reader users start there.
    assert page.evaluate("document.activeElement.getAttribute('role')") == "alert"
    context.close()
    assert not report, "axe-core found violations:\n" + "\n".join(report)


def test_new_image_button_works_from_the_keyboard(live_server, demo_site, page):
    from comparisons.models import Comparison

    comparison = Comparison.objects.get(slug="bpo-and-kpo")
    page.goto(f"{live_server.url}/comments/new/comparisons.comparison/{comparison.pk}/")
    answer = page.get_by_label("What code is in the image?")
    answer.fill("abc")
    button = page.get_by_role("button", name="New image")
    for _ in range(5):  # back past the sound player and its link
        page.keyboard.press("Shift+Tab")
        if button.evaluate("el => el === document.activeElement"):
            break
    assert button.evaluate("el => el === document.activeElement")
    assert button.evaluate("el => el.type") == "button"
    assert button.evaluate("el => getComputedStyle(el).outlineStyle") != "none"  # focus shows
    old_key = page.locator("input[name=captcha_0]").input_value()
    old_src = page.locator("img.captcha__image").get_attribute("src")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "key => document.querySelector('input[name=captcha_0]').value !== key", arg=old_key
    )
    new_key = page.locator("input[name=captcha_0]").input_value()
    assert CaptchaStore.objects.filter(hashkey=new_key).exists()
    # The sound is renewed with the image.
    assert page.locator("audio").get_attribute("src") == f"/captcha/audio/{new_key}.wav"
    assert page.locator("[data-captcha-audio-link]").get_attribute("href") == (
        f"/captcha/audio/{new_key}.wav"
    )
    assert page.locator("img.captcha__image").get_attribute("srcset") == (
        f"/captcha/image/{new_key}@2/ 2x"
    )
    assert page.locator("img.captcha__image").get_attribute("src") != old_src
    assert page.locator("img.captcha__image").get_attribute("alt")
    assert answer.input_value() == ""
    assert answer.evaluate("el => el === document.activeElement")


def test_a_new_image_refused_by_the_limit_keeps_the_form_and_says_why(
    live_server, demo_site, page, settings
):
    settings.COMMENTS_FORM_PAGE_LIMIT = (1, 60)  # the form itself uses it up
    page.goto(live_server.url + PAGE)
    page.get_by_role("link", name="Add new comment").click()
    form = page.locator("#comment-form form")
    expect(form).to_be_visible()
    form.locator("#id_text").fill("Typed before the limit")
    old_key = page.locator("input[name=captcha_0]").input_value()
    form.get_by_role("button", name="New image").click()
    expect(form.locator("[data-captcha-status]")).to_have_text(
        "Too many new codes for now: wait a minute, then press New image again. "
        "What you typed stays in the form."
    )
    assert page.url == live_server.url + PAGE
    assert form.locator("#id_text").input_value() == "Typed before the limit"
    assert page.locator("input[name=captcha_0]").input_value() == old_key


@pytest.mark.parametrize("width", [320, 1280])
def test_checkboxes_sit_left_of_their_labels_and_come_before_the_code(
    live_server, demo_site, browser, width
):
    from comparisons.models import Comparison

    comparison = Comparison.objects.get(slug="bpo-and-kpo")
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/comments/new/comparisons.comparison/{comparison.pk}/")
    labels = []
    for name in ("Notify me of replies to my comment", "Save my name"):
        row = page.locator(".field--checkbox").filter(has_text=name)
        box = row.get_by_role("checkbox").bounding_box()
        label = row.locator("label").bounding_box()
        # Beside the box, starting on its line, however the label wraps.
        assert label["x"] >= box["x"] + box["width"], name
        assert label["y"] <= box["y"] + box["height"] and box["y"] <= label["y"] + label["height"]
        labels.append(label)
    answer = page.get_by_label("What code is in the image?").bounding_box()
    assert max(label["y"] for label in labels) < answer["y"]
    context.close()


def test_visitor_posts_a_comment_that_a_moderator_approves(
    live_server, demo_site, editor_password, page
):
    response = page.goto(live_server.url + PAGE)
    # The cached page holds no form until the visitor asks for it.
    assert "csrfmiddlewaretoken" not in response.text()
    page.get_by_role("link", name="Add new comment").click()
    form = page.locator("#comment-form form")
    form.get_by_label("Your name").fill("Visitor Vera")
    form.get_by_role("textbox", name="E-mail (required)").fill("vera@example.com")
    form.get_by_label("Comment (required)").fill(TEXT)

    # "New image" swaps the captcha in place.
    old_key = page.locator("input[name=captcha_0]").input_value()
    page.get_by_role("button", name="New image").click()
    page.wait_for_function(
        "key => document.querySelector('input[name=captcha_0]').value !== key", arg=old_key
    )

    # A wrong answer: refused, everything typed is still there.
    form.get_by_label("What code is in the image?").fill("wrong")
    form.get_by_role("button", name="Post comment").click()
    summary = page.get_by_role("alert")
    assert "The answer you entered for the CAPTCHA was not correct" in summary.inner_text()
    assert page.get_by_label("Comment (required)").input_value() == TEXT
    assert page.get_by_label("Your name").input_value() == "Visitor Vera"
    assert page.get_by_label("What code is in the image?").input_value() == ""

    # The right answer: queued for review.
    page.get_by_label("What code is in the image?").fill(captcha_answer(page))
    page.get_by_role("button", name="Post comment").click()
    assert QUEUED_MESSAGE in page.get_by_role("status").inner_text()
    page.goto(live_server.url + PAGE)
    assert "Visitor Vera" not in page.content()

    # The demo editor (a moderator too) approves it in the admin.
    page.goto(live_server.url + "/admin/comments/comment/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(editor_password)
    page.get_by_role("button", name="Log in").click()
    row = page.get_by_role("row").filter(has_text="Visitor Vera")
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option("approve")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("Published 1 comment(s).")).to_be_visible()

    # Readers now see it, the HTML shown as text, the link made safe. (A new reader: this
    # browser may keep its own copy of the page for the few seconds max-age allows.)
    page.context.clear_cookies()
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")
    page.goto(live_server.url + PAGE)
    comment = page.locator("article.comment").filter(has_text="Visitor Vera")
    assert "Compare <b>BPO</b> & KPO at https://example.com/outsourcing" in comment.inner_text()
    link = comment.get_by_role("link", name="https://example.com/outsourcing")
    assert link.get_attribute("rel") == "nofollow ugc noopener"
    assert comment.locator("b").count() == 0

    # Its permalink lands on it; "Reply" opens the form right under it.
    comment_id = re.search(r"comment-(\d+)", comment.get_attribute("id")).group(1)
    comment.get_by_role("link", name=re.compile("^Reply")).click()
    heading = page.locator(f"#comment-{comment_id} + [data-comment-form-slot] h3")
    assert heading.inner_text().startswith("Reply to")
    assert page.evaluate("document.activeElement.name") == "name"


def test_without_javascript_add_new_comment_is_a_form_page(live_server, demo_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + PAGE)
    page.get_by_role("link", name="Add new comment").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Add new comment"
    assert page.get_by_role("button", name="New image").is_hidden()
    page.get_by_label("Your name").fill("No Script")
    page.get_by_role("textbox", name="E-mail (required)").fill("noscript@example.com")
    page.get_by_label("Comment (required)").fill("Works without JavaScript.")
    page.get_by_label("What code is in the image?").fill(captcha_answer(page))
    page.get_by_role("button", name="Post comment").click()
    assert QUEUED_MESSAGE in page.get_by_role("status").inner_text()
    # The posted page shows the comment as it will appear, with the way back.
    own = page.locator("article.comment--own")
    assert "Awaiting moderation" in own.inner_text()
    assert "Works without JavaScript." in own.inner_text()
    page.get_by_role("link", name="Back to Difference between BPO and KPO").click()
    assert page.url == live_server.url + PAGE + "#comments"
    context.close()


def test_keyboard_journey_listen_preview_post_and_see_own_comment(
    live_server, demo_site, browser
):
    from tests.browser.test_accessibility import tab_to

    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(live_server.url + PAGE)
    tab_to(page, "Add new comment")
    page.keyboard.press("Enter")
    # Wait for the form to have loaded and taken focus before typing: no race with Tab.
    page.locator("[data-comment-form-slot] form").wait_for()
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.name === 'name'"
    )
    page.keyboard.type("Keyboard Kim")
    tab_to(page, "E-mail (required)")
    page.keyboard.type("kim@example.com")
    tab_to(page, "Comment (required)")
    page.keyboard.type("Typed with the keyboard.\nSee https://example.com")
    tab_to(page, "Notify me of replies to my comment")
    page.keyboard.press("Space")
    # The sound of the code is a real player, reached with Tab.
    tab_to(page, "Listen to the code")
    assert page.evaluate("document.activeElement.tagName") == "AUDIO"
    assert page.evaluate("document.activeElement.controls") is True
    tab_to(page, "What code is in the image? (required)")
    page.keyboard.type(captcha_answer(page).upper())
    tab_to(page, "Preview")
    page.keyboard.press("Enter")
    preview = page.locator("[data-comment-preview]")
    preview.wait_for()
    assert "Typed with the keyboard." in preview.inner_text()
    assert preview.get_by_role("link", name="https://example.com").count() == 1
    # The preview spent nothing: the same code is still in the box.
    assert page.get_by_label("What code is in the image?").input_value() != ""
    tab_to(page, "Post comment")
    page.keyboard.press("Enter")
    status = page.get_by_role("status")
    expect(status).to_have_text(QUEUED_MESSAGE)
    own = page.locator("[data-comment-posted] article.comment--own")
    expect(own).to_contain_text("Awaiting moderation")
    expect(own).to_contain_text("Typed with the keyboard.")
    assert page.url == live_server.url + PAGE
    # Notices were asked for: the visitor is told to confirm, and the mail is there to do it.
    expect(page.locator("[data-comment-posted]")).to_contain_text(
        "Check your e-mail: we sent you a link to confirm your address."
    )
    [confirmation] = mail.outbox
    assert confirmation.to == ["kim@example.com"]
    confirm_path = re.search(r"https?://[^/\s]+(/comments/notices/confirm/\S+/)", confirmation.body)
    page.goto(live_server.url + confirm_path.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm reply notices")
    page.get_by_role("button", name="Confirm my address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reply notices are on")
    # Only this visitor sees it: a fresh reader gets the cached page without it.
    other = browser.new_context()
    assert "Typed with the keyboard." not in other.new_page().goto(live_server.url + PAGE).text()
    other.close()
    context.close()
