"""Addresses under hostile input, and who may see drafts on a public address."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from comparisons.models import Comparison, split_pair_slug
from comparisons.roles import MODERATORS
from tests.comparisons.conftest import role_user
from tests.factories import make_comparison, make_subject

pytestmark = pytest.mark.django_db

# The longest SQL statement any address may cost: a 4 KB address once cost two of 5.4 MB.
MAX_STATEMENT_CHARACTERS = 16_000


def assert_cheap_404(client, path, django_assert_max_num_queries, queries):
    with django_assert_max_num_queries(queries) as captured:
        response = client.get(path)
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()
    longest = max((len(query["sql"]) for query in captured.captured_queries), default=0)
    assert longest <= MAX_STATEMENT_CHARACTERS


@pytest.mark.parametrize(
    "path",
    [
        "/" + "a-vs-b" * 669 + "/",
        "/" + "a-vs-" * 800 + "b/",
        "/difference-between-" + "a-and-b" * 570 + "/",
        "/difference-between-" + "a-and-" * 800 + "b/",
    ],
)
def test_an_address_longer_than_any_slug_is_404_without_looking_for_it(
    client, bpo_kpo, path, django_assert_max_num_queries
):
    # The one query is the 404 page's category menu.
    assert_cheap_404(client, path, django_assert_max_num_queries, queries=1)


@pytest.mark.parametrize(
    "path",
    [
        "/" + "a-vs-" * 24 + "a/",  # 121 characters: every separator is a candidate split
        "/" + "a-vs-" * 48 + "a/",  # the longest pair two subject slugs can make
        "/difference-between-" + "a-and-" * 20 + "a/",
        "/difference-between-" + "ab-and-" * 35 + "b/",
    ],
)
def test_the_worst_pair_addresses_cost_a_few_short_queries(
    client, bpo_kpo, path, django_assert_max_num_queries
):
    # The menu, the address itself, a pair of subjects, an earlier address.
    assert_cheap_404(client, path, django_assert_max_num_queries, queries=4)


def test_candidate_splits_are_bounded_by_the_subject_slug_length():
    assert len(list(split_pair_slug("a-vs-" * 24 + "a", "-vs-"))) == 24
    assert list(split_pair_slug("a" * 120 + "-vs-" + "b" * 120, "-vs-")) == [
        ("a" * 120, "b" * 120)
    ]
    assert list(split_pair_slug("a" * 121 + "-vs-" + "b", "-vs-")) == []
    assert list(split_pair_slug("a" * 120 + "-vs-" + "b" * 121, "-vs-")) == []


def test_long_subject_slugs_still_redirect(client):
    first, second = make_subject("x" * 120), make_subject("y" * 120)
    comparison = make_comparison(first, second, title="Long names")
    response = client.get(f"/{'y' * 120}-vs-{'x' * 120}/")
    assert response.status_code == 301
    assert response["Location"] == comparison.get_absolute_url()


# Drafts -------------------------------------------------------------------------------------


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def draft(db):
    return make_comparison(
        make_subject("BPO", slug="bpo"),
        make_subject("KPO", slug="kpo"),
        status=Comparison.Status.DRAFT,
    )


def test_a_moderator_gets_404_for_a_draft_like_a_reader(draft, django_user_model):
    moderator = logged_in(role_user(django_user_model, "mod", MODERATORS))
    assert moderator.get(draft.get_absolute_url()).status_code == 404
    assert moderator.get("/kpo-vs-bpo/").status_code == 404
    assert moderator.get(f"{draft.get_absolute_url()}report/").status_code == 404


def test_staff_without_a_group_get_404_for_a_draft(draft, staff_client):
    assert staff_client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("codename", ["view_comparison", "change_comparison"])
def test_staff_who_may_view_or_change_comparisons_see_the_draft(
    draft, django_user_model, codename
):
    group = Group.objects.create(name=codename)
    group.permissions.add(Permission.objects.get(codename=codename))
    user = django_user_model.objects.create_user("viewer", is_staff=True)
    user.groups.add(group)
    response = logged_in(user).get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Draft - not published" in response.content.decode()
