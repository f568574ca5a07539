"""Cached pages are dropped exactly when what they show changes, by every path editors use."""

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType

from comments.signals import comments_changed
from comparisons.models import Comparison, DifferenceRow
from comparisons.services import comparison_save, subject_save
from tests.factories import make_category, make_comparison, make_subject

pytestmark = pytest.mark.django_db


def cached(client, path):
    """Whether `path` is served from the page cache now (it is fetched either way)."""
    return client.get(path).get("X-Page-Cache") == "hit"


@pytest.fixture
def site(bpo_kpo):
    """Two comparisons in two categories, every page warmed in the cache."""
    other = make_comparison(
        "Film", "Movie", categories=[make_category("Language", slug="language")]
    )
    pages = {
        "bpo_kpo": bpo_kpo.get_absolute_url(),
        "other": other.get_absolute_url(),
        "home": "/",
        "business": "/category/business/",
        "language": "/category/language/",
        "bpo": "/subject/bpo/",
        "film": "/subject/film/",
    }
    return bpo_kpo, other, pages


@pytest.fixture
def warm(client, site):
    _, _, pages = site
    for path in pages.values():
        assert client.get(path).status_code == 200
    assert all(cached(client, path) for path in pages.values())
    return site


def still_cached(client, pages):
    return {name for name, path in pages.items() if cached(client, path)}


def test_comparison_page_from_the_cache_costs_no_query(client, bpo_kpo, django_assert_num_queries):
    first = client.get(bpo_kpo.get_absolute_url())
    with django_assert_num_queries(0):
        second = client.get(bpo_kpo.get_absolute_url())
    assert second["X-Page-Cache"] == "hit" and second.content == first.content


def test_editing_the_text_drops_the_pages_showing_it_and_no_other(client, warm):
    bpo_kpo, _, pages = warm
    bpo_kpo.key_difference = "Edited summary."
    comparison_save(bpo_kpo)
    assert "Edited summary." in client.get(pages["bpo_kpo"]).content.decode()
    assert "Edited summary." in client.get("/").content.decode()  # the newest list shows it
    # The others list it by its subjects' names only, which did not change.
    assert still_cached(client, pages) >= {"other", "language", "film"}


def test_editing_rows_drops_the_pages_showing_it_and_no_other(client, warm):
    bpo_kpo, _, pages = warm
    rows = list(bpo_kpo.rows.all())
    rows[0].first_value = "Outsourcing of processes"
    comparison_save(bpo_kpo, rows=rows)
    assert still_cached(client, pages) >= {"other", "language", "film"}
    assert "Outsourcing of processes" in client.get(pages["bpo_kpo"]).content.decode()
    rows.append(DifferenceRow(aspect="Cost", first_value="low", second_value="high"))
    comparison_save(bpo_kpo, rows=rows)
    assert '<th scope="row">Cost</th>' in client.get(pages["bpo_kpo"]).content.decode()


def test_publishing_with_the_admin_action_shows_it_everywhere_at_once(client, warm, admin_client):
    bpo_kpo, _, pages = warm
    draft = make_comparison(
        bpo_kpo.first_subject,
        "Call Centre",
        categories=list(bpo_kpo.categories.all()),
        status=Comparison.Status.DRAFT,
    )
    assert still_cached(client, pages) == set(pages)  # a draft shows nowhere
    response = admin_client.post(
        "/admin/comparisons/comparison/",
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    link = 'href="/difference-between-bpo-and-call-centre/"'
    for name in ("bpo_kpo", "home", "business", "bpo"):
        assert link in client.get(pages[name]).content.decode(), name
    assert link in client.get("/search/?q=bpo").content.decode()
    tile_counts = re.findall(r'category-chips__count">(\d+)<', client.get("/").content.decode())
    assert tile_counts == ["2", "1"]  # Business, Language
    assert client.get(draft.get_absolute_url()).status_code == 200
    # Every page's sidebar shows the Business "Most searched" block, which changed.
    for name in ("language", "other", "film"):
        assert link in client.get(pages[name]).content.decode(), name


def test_unpublishing_with_the_admin_action_removes_it_everywhere(client, warm, admin_client):
    bpo_kpo, _, pages = warm
    admin_client.post(
        "/admin/comparisons/comparison/",
        {"action": "unpublish", "_selected_action": [bpo_kpo.pk]},
    )
    assert client.get(pages["bpo_kpo"]).status_code == 404
    for path in (pages["home"], pages["business"], pages["bpo"], "/search/?q=bpo"):
        assert 'href="/difference-between-bpo-and-kpo/"' not in client.get(path).content.decode()
    # The other pages showed BPO vs KPO in their sidebar's Business "Most searched" block.
    for name in ("other", "language", "film"):
        assert (
            'href="/difference-between-bpo-and-kpo/"'
            not in client.get(pages[name]).content.decode()
        )


def test_taking_it_back_to_draft_drops_the_page(client, warm, admin_client):
    bpo_kpo, _, pages = warm
    assert cached(client, pages["bpo_kpo"])
    bpo_kpo.status = Comparison.Status.DRAFT
    comparison_save(bpo_kpo)
    assert client.get(pages["bpo_kpo"]).status_code == 404


def test_moving_to_another_category_drops_both_category_pages(client, warm):
    bpo_kpo, other, pages = warm
    language = other.categories.get()
    comparison_save(bpo_kpo, categories=[language])
    listed = 'href="/difference-between-bpo-and-kpo/"'
    business_list = client.get(pages["business"]).content.decode().split('<aside class="sidebar"')[0]
    language_list = client.get(pages["language"]).content.decode().split('<aside class="sidebar"')[0]
    assert listed not in business_list
    assert listed in language_list
    # Film vs Movie now shares a category with BPO vs KPO: its related block changed.
    assert "BPO vs KPO" in client.get(pages["other"]).content.decode()


def test_renaming_a_category_drops_every_page_naming_it(client, warm):
    bpo_kpo, _, pages = warm
    business = bpo_kpo.categories.get()
    business.name = "Commerce"
    business.save()
    for name, path in pages.items():  # the footer of every page lists the categories
        assert "Commerce" in client.get(path).content.decode(), name


def test_renaming_a_subject_drops_every_page_naming_it(client, warm):
    bpo_kpo, _, pages = warm
    showing = {
        name for name, path in pages.items() if "BPO vs KPO" in client.get(path).content.decode()
    }
    assert {"bpo_kpo", "home", "business", "other", "film"} <= showing  # the blocks list it
    bpo = bpo_kpo.first_subject
    bpo.name = "Business process outsourcing"
    subject_save(bpo)
    for name in ("bpo_kpo", "home", "business", "bpo"):
        assert "Business process outsourcing" in client.get(pages[name]).content.decode()
    for name, path in pages.items():
        assert "BPO vs KPO" not in client.get(path).content.decode(), name


def test_comment_changes_drop_the_page_of_their_target(client, warm):
    bpo_kpo, other, pages = warm
    comparison_type = ContentType.objects.get_for_model(Comparison)
    comments_changed.send(sender=None, targets={(comparison_type.id, bpo_kpo.pk)})
    assert still_cached(client, pages) == set(pages) - {"bpo_kpo"}


def test_new_comparison_in_a_category_refreshes_the_related_blocks_drawn_from_it(client, warm):
    bpo_kpo, _, pages = warm
    make_comparison("Tea", "Coffee", categories=list(bpo_kpo.categories.all()))
    assert "Tea vs Coffee" in client.get(pages["bpo_kpo"]).content.decode()
    # The Language page's sidebar shows the Business "Most searched" block, which changed.
    assert "Tea vs Coffee" in client.get(pages["language"]).content.decode()


def soon_tile(client):
    html = client.get("/").content.decode()
    return re.search(r'Soon <span class="category-chips__count">(\d+)<', html).group(1)


def test_scheduled_comparison_appears_by_itself_at_its_publish_time(client, clock, bpo_kpo):
    soon = make_category("Soon", slug="soon")
    make_comparison("Soon", "Later", categories=[soon], publish_at=clock.now + timedelta(seconds=2))
    assert "Soon vs Later" not in client.get("/").content.decode()
    assert soon_tile(client) == "0"
    assert "No comparisons yet." in client.get("/category/soon/").content.decode()
    assert cached(client, "/") and cached(client, "/category/soon/")
    clock.move(seconds=2.2)
    assert "Soon vs Later" in client.get("/").content.decode()
    assert "Soon vs Later" in client.get("/category/soon/").content.decode()
    assert soon_tile(client) == "1"


def test_staff_always_see_fresh_pages(staff_client, bpo_kpo, django_assert_max_num_queries):
    staff_client.get(bpo_kpo.get_absolute_url())
    Comparison.objects.filter(pk=bpo_kpo.pk).update(key_difference="Fresh for staff.")
    response = staff_client.get(bpo_kpo.get_absolute_url())
    assert "Fresh for staff." in response.content.decode()
    assert "X-Page-Cache" not in response
    assert "no-store" in response["Cache-Control"]


def test_a_subject_without_comparisons_can_be_made(db):
    # Creating a subject invalidates with no comparison to look up: no error.
    assert make_subject("Lonely").pk


def test_renaming_the_author_drops_the_pages_naming_them(client, warm, staff_user):
    bpo_kpo, _, pages = warm
    bpo_kpo.author = staff_user
    comparison_save(bpo_kpo)
    assert "By staffer." in client.get(pages["bpo_kpo"]).content.decode()
    client.force_login(staff_user)  # saves last_login: drops nothing
    client.logout()
    assert cached(client, pages["bpo_kpo"])
    staff_user.first_name, staff_user.last_name = "Ada", "Lovelace"
    staff_user.save()
    assert "By Ada Lovelace." in client.get(pages["bpo_kpo"]).content.decode()


@pytest.mark.parametrize(
    "kept, not_kept",
    [
        ("/", "/?page=abc"),
        ("/subject/bpo/", "/subject/bpo/?page=7"),
        ("/category/business/?sort=popular", "/category/business/?sort=zzz1"),
        ("/category/business/?page=1", "/category/business/?page=01"),
        ("/search/?q=bpo", "/search/?q=bpo&sort=newest"),
        ("/difference-between-bpo-and-kpo/?comment_page=1", "/difference-between-bpo-and-kpo/?comment_page=001"),
    ],
)
def test_only_a_query_the_page_understands_is_kept(client, bpo_kpo, kept, not_kept):
    """Made-up queries (a parameter the page ignores, an unknown sort, zeros before a page
    number) get the page, but fill no cache with copies of it."""
    client.get(kept)
    assert cached(client, kept)
    first = client.get(not_kept)
    assert first.status_code == 200
    assert not cached(client, not_kept)
