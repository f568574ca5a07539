"""The admin index shows what editors act on."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.moderation import post_comment
from comparisons import interest
from comparisons.admin import dashboard
from comparisons.models import Comparison, DailyInterest, RowReport, SearchQuery
from comparisons.roles import EDITORS, MODERATORS, PUBLISHERS
from tests.comparisons.conftest import role_user
from tests.factories import make_comparison, make_subject

pytestmark = pytest.mark.django_db


def panels_by_title(response):
    return {panel.title: panel for panel in response.context["panels"]}


@pytest.fixture
def work(clock):
    waiting = make_subject("Waiting")
    make_comparison(waiting, "One", status=Comparison.Status.REVIEW)
    make_comparison(waiting, "Two", status=Comparison.Status.REVIEW)
    make_comparison("Soon", "Here", publish_at=clock.now + timedelta(hours=3))
    make_comparison("Live", "Now")
    make_comparison("Gone", "Away", expire_at=clock.now - timedelta(hours=1))
    reported = make_comparison("Reported", "Rows", rows=[("A", "1", "2")])
    row = reported.rows.get()
    RowReport.objects.create(comparison=reported, row=row, note="Wrong value")
    RowReport.objects.create(
        comparison=reported, row=row, note="Done", status=RowReport.Status.RESOLVED
    )


def test_index_shows_counts_and_links(publisher_client, work):
    response = publisher_client.get("/admin/")
    assert response.status_code == 200
    panels = panels_by_title(response)
    assert {title: panel.count for title, panel in panels.items()} == {
        "Waiting for review": 2,
        "Scheduled": 1,
        "Reported rows": 1,
        "Most read this week": 0,
        "Searches with no results this week": 0,
    }
    assert [text for text, _ in panels["Waiting for review"].items] == [
        "Difference between Waiting and One",
        "Difference between Waiting and Two",
    ]
    assert panels["Scheduled"].items[0][0] == "Difference between Soon and Here: 2025-06-02 15:00"
    html = response.content.decode()
    assert '<a href="/admin/comparisons/comparison/?status__exact=review">Waiting for review</a>' in html
    assert '<a href="/admin/comparisons/rowreport/?status__exact=open">Reported rows</a>' in html
    reported = Comparison.objects.get(slug="reported-and-rows")
    assert panels["Reported rows"].items == [
        ("Difference between Reported and Rows: A", f"/admin/comparisons/comparison/{reported.pk}/change/#rows-0")
    ]


def test_scheduled_link_filters_the_list(publisher_client, work):
    response = publisher_client.get("/admin/comparisons/comparison/?state=scheduled")
    assert [c.title for c in response.context["cl"].result_list] == [
        "Difference between Soon and Here"
    ]
    expired = publisher_client.get("/admin/comparisons/comparison/?state=expired")
    assert [c.title for c in expired.context["cl"].result_list] == [
        "Difference between Gone and Away"
    ]


def test_staff_without_permissions_see_no_panels(staff_client, work):
    assert staff_client.get("/admin/").context["panels"] == []


def test_moderators_see_the_comments_waiting(client, django_user_model, bpo_kpo):
    from comments.models import Comment
    from comparisons.roles import MODERATORS
    from tests.comments.conftest import add_comment
    from tests.comparisons.conftest import role_user

    add_comment(bpo_kpo, "Waiting one", status=Comment.Status.PENDING)
    add_comment(bpo_kpo, "Waiting two", status=Comment.Status.PENDING)
    add_comment(bpo_kpo, "Shown", status=Comment.Status.PUBLISHED)
    client.force_login(role_user(django_user_model, "mod", MODERATORS))
    response = client.get("/admin/")
    assert [(p.title, p.count) for p in response.context["panels"]] == [
        ("Comments waiting for moderation", 2)
    ]
    assert (
        '<a href="/admin/comments/comment/?status__exact=pending">Comments waiting for '
        "moderation</a>" in response.content.decode()
    )


def test_comment_and_popularity_panels_show_what_waits_and_what_readers_want(django_user_model):
    everyone = role_user(django_user_model, "all", EDITORS, PUBLISHERS, MODERATORS)
    read = make_subject("Read")
    popular = make_comparison("Most", read)
    quieter = make_comparison("Less", read)
    day = interest.today()
    DailyInterest.objects.create(comparison=popular, day=day, views=9)
    DailyInterest.objects.create(comparison=quieter, day=day, views=2)
    DailyInterest.objects.create(comparison=quieter, day=day - timedelta(days=20), views=50)
    SearchQuery.objects.create(query="lpo vs kpo", count=12, result_count=0)
    SearchQuery.objects.create(query="bpo vs kpo", count=40, result_count=3)
    SearchQuery.objects.create(
        query="old question", count=99, result_count=0,
        last_asked=timezone.now() - timedelta(days=30),
    )
    post_comment(popular, text="Waiting.", name="Ann", email="ann@example.com")
    panels = {panel.title: panel for panel in dashboard.dashboard_panels(everyone)}
    assert panels["Comments waiting for moderation"].count == 1
    assert panels["Most read this week"].items == [
        (
            "Difference between Most and Read (9 views)",
            f"/admin/comparisons/comparison/{popular.pk}/change/",
        ),
        (
            "Difference between Less and Read (2 views)",
            f"/admin/comparisons/comparison/{quieter.pk}/change/",
        ),
    ]
    kpo = make_subject("KPO")
    panels = {panel.title: panel for panel in dashboard.dashboard_panels(everyone)}
    assert panels["Searches with no results this week"].items == [
        ("lpo vs kpo (12)", f"/admin/comparisons/comparison/add/?second_subject={kpo.pk}")
    ]


def test_dashboard_queries_do_not_grow_with_the_work(
    publisher_client, work, clock, django_assert_max_num_queries
):
    publisher_client.get("/admin/")
    for _ in range(10):
        make_comparison(status=Comparison.Status.REVIEW)
        make_comparison(publish_at=clock.now + timedelta(days=1))
    with django_assert_max_num_queries(12):
        response = publisher_client.get("/admin/")
    assert panels_by_title(response)["Waiting for review"].count == 12
    assert len(panels_by_title(response)["Waiting for review"].items) == 5


def test_the_searches_to_answer_panel_is_for_those_who_may_add_comparisons(
    django_user_model, work
):
    from django.test import Client

    from comparisons.roles import PUBLISHERS
    from tests.comparisons.conftest import role_user

    publisher_only = Client()
    publisher_only.force_login(role_user(django_user_model, "only-pub", PUBLISHERS))
    titles = panels_by_title(publisher_only.get("/admin/"))
    assert "Searches with no results this week" not in titles  # its links add comparisons
    assert "Waiting for review" in titles
