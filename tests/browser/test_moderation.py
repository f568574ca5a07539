"""Browser: the moderation queue fits a 1280 px screen."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from comments.models import Comment
from tests.factories import make_comparison

pytestmark = pytest.mark.django_db(transaction=True)

LONG_TEXT = (
    "Knowledge process outsourcing is not simply business process outsourcing with more "
    "qualified people: the work itself needs judgement, and the contracts say so. "
) * 3


def test_the_moderation_list_shows_status_reason_and_date_without_scrolling_sideways(
    live_server, page, django_user_model
):
    comparison = make_comparison(
        "Business Process Outsourcing", "Knowledge Process Outsourcing"
    )
    django_user_model.objects.create_superuser("mod", "mod@example.com", "pw-for-browser-tests")
    Comment.objects.create(
        content_type=ContentType.objects.get_for_model(comparison),
        object_id=comparison.pk,
        name="A reader with a rather long name indeed",
        email="a-very-long-address-for-a-reader@mail.example.com",
        homepage="https://www.example.com/a/rather/long/path/to/a/home/page/",
        subject="Contracts of knowledge process outsourcing",
        text=LONG_TEXT,
        html=f"<p>{LONG_TEXT}</p>",
        status=Comment.Status.PENDING,
        held_reason="Contains a link and a word from the blocklist",
        ip_address="2001:db8:85a3:0000:0000:8a2e:0370:7334",
        created_at=timezone.now(),
    )
    page.goto(live_server.url + "/admin/login/?next=/admin/comments/comment/")
    page.get_by_label("Username").fill("mod")
    page.get_by_label("Password").fill("pw-for-browser-tests")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/admin/comments/comment/")

    assert page.viewport_size["width"] == 1280
    overflow = page.evaluate(
        """() => [document.documentElement, document.querySelector('#changelist .results')]
            .map(element => element.scrollWidth - element.clientWidth)"""
    )
    assert overflow == [0, 0]
    right_edge = 1280
    for column in ("status", "held_reason", "posted"):
        cell = page.locator(f"#result_list td.field-{column}").first
        box = cell.bounding_box()
        assert box["x"] + box["width"] <= right_edge, column
    assert page.locator("#result_list td.field-held_reason").first.inner_text() == (
        "Contains a link and a word from the blocklist"
    )
