"""A NUL character in an address gets a plain 400 on every page, the admin included:
PostgreSQL refuses it in any query built from the address (a 500 otherwise)."""

import pytest

pytestmark = pytest.mark.django_db

MESSAGE = "This address holds a NUL character (%00), which no page of this site has."


@pytest.mark.parametrize(
    "path",
    [
        "/search/?q=a%00b",
        "/comments/notices/confirm/a%00b/",
        "/comments/notices/unsubscribe/%00/",
        "/comments/forget-me/?next=/%00",
        "/difference-between-bpo-and-kpo/?x%00=1",
    ],
)
def test_public_addresses_with_a_nul_answer_400(client, bpo_kpo, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response.content.decode() == MESSAGE


@pytest.mark.parametrize(
    "path",
    [
        "/admin/comparisons/comparison/?status=%00",
        "/admin/comments/comment/?status__exact=%00",
        "/admin/autocomplete/?term=%00&app_label=comparisons&model_name=comparison"
        "&field_name=first_subject",
    ],
)
def test_admin_addresses_with_a_nul_answer_400(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 400
    assert response.content.decode() == MESSAGE


def test_addresses_without_a_nul_are_untouched(client, bpo_kpo):
    assert client.get("/search/?q=bpo").status_code == 200
