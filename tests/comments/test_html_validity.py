"""The Nu Html Checker finds no error in any state of the comment form (refusals included)."""

import pytest
from django.test import Client

from comments.models import Comment
from tests.comments.conftest import add_comment, form_data
from tests.helpers.vnu import BROKEN_PAGE, describe, run_vnu

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(comparison):
    """Comments on a comparison: these tests cover how the site shows and moderates them."""
    return comparison

POST_URL = "/comments/post/"


def test_every_state_of_the_comment_form_is_valid_html(staff_client, article, tmp_path, settings):
    visitor = Client()
    parent = add_comment(article, "A published comment to reply to")
    form = f"/comments/new/comparisons.comparison/{article.pk}/"
    pages = {
        "form": visitor.get(form),
        "reply form": visitor.get(f"{form}?parent={parent.pk}"),
        "staff form": staff_client.get(form),
        "refused form": visitor.post(POST_URL, form_data(article, name="", captcha_1="x")),
        "too fast": visitor.post(POST_URL, form_data(article, age=0)),
        "bad target": visitor.post(POST_URL, form_data(article, target="garbage")),
        "csrf refused": Client(enforce_csrf_checks=True).post(POST_URL, form_data(article)),
    }
    pages["preview"] = visitor.post(POST_URL, form_data(article, preview="1"))
    posted = visitor.post(POST_URL, form_data(article, remember="on"))
    assert posted.status_code == 302
    pages["posted, awaiting moderation"] = visitor.get(posted["Location"])
    pages["remembered form"] = visitor.get(form)
    pages["rate limited"] = visitor.post(POST_URL, form_data(article, text="Again"))
    settings.COMMENTS_FORM_PAGE_LIMIT = (1, 60)
    flooder = Client(REMOTE_ADDR="198.51.100.1")
    flooder.get(form)
    pages["form page limit"] = flooder.get(form)
    settings.COMMENTS_FORM_PAGE_LIMIT = (0, 0)
    Comment.objects.update(status=Comment.Status.PUBLISHED)
    pages["comparison with comments"] = visitor.get(article.get_absolute_url())
    article.comments_open = False
    article.save()
    pages["closed"] = visitor.post(POST_URL, form_data(article))
    fragment = visitor.get(f"{form}?fragment=1").content.decode()

    expected = {
        "refused form": 400,
        "too fast": 400,
        "bad target": 400,
        "csrf refused": 403,
        "rate limited": 429,
        "form page limit": 429,
        "closed": 403,
    }
    files = {}
    for name, response in pages.items():
        assert response.status_code == expected.get(name, 200), name
        path = tmp_path / f"{name.replace(' ', '-')}.html"
        path.write_bytes(response.content)
        files[path] = name
    wrapped = tmp_path / "fragment.html"
    wrapped.write_text(
        f'<!DOCTYPE html><html lang="en"><title>Fragment</title><main>{fragment}</main></html>'
    )
    files[wrapped] = "form fragment"
    broken = tmp_path / "broken.html"  # proves the checker really checks
    broken.write_text(BROKEN_PAGE)
    files[broken] = "known broken page"

    report = {}
    for message in run_vnu(files):
        name = files.get(tmp_path / message.get("url", "").rsplit("/", 1)[-1], "vnu")
        report.setdefault(name, []).append(describe(message))
    assert report.pop("known broken page")
    assert report == {}, "The Nu Html Checker found errors:\n" + "\n".join(
        f"{name}:\n" + "\n".join(lines) for name, lines in report.items()
    )
