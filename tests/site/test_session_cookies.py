"""A malformed or forged session cookie is no session: never a 500 (nor a 503), on any page.

PostgreSQL refuses a NUL byte in a query, so a session key holding one failed every page that
read the session (the page cache does, before deciding whether to serve a cached page).
"""

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore
from django.test import Client
from django.urls import reverse

from comments.forms import target_label

pytestmark = pytest.mark.django_db

FORGED = [
    "\x00\x00aaaaaaaaaaaaaa",
    "aaaaaaaa\x00",
    "\x7f\x01\x02\x03\x04\x05\x06\x07\x08",
    "é" * 40,
    "a" * 5000,
    "ABCDEFGH%27--",
    "' OR '1'='1",
    "",
    "short",
]


def client_with_session_cookie(value):
    client = Client()
    client.cookies["sessionid"] = value
    return client


@pytest.mark.parametrize("value", FORGED)
@pytest.mark.parametrize("path", ["home", "comparison", "admin-login", "comment-form"])
def test_a_forged_session_cookie_is_treated_as_no_session(bpo_kpo, value, path):
    paths = {
        "home": "/",
        "comparison": bpo_kpo.get_absolute_url(),
        "admin-login": "/admin/login/",
        "comment-form": reverse(
            "comments:form", args=[target_label(bpo_kpo), bpo_kpo.pk]
        ),
    }
    client = client_with_session_cookie(value)
    first = client.get(paths[path])
    second = client.get(paths[path])
    assert first.status_code == second.status_code == 200


def test_a_forged_cookie_is_served_what_anonymous_readers_get(bpo_kpo):
    path = bpo_kpo.get_absolute_url()
    Client().get(path)
    response = client_with_session_cookie(FORGED[0]).get(path)
    assert response.status_code == 200 and response["X-Page-Cache"] == "hit"


def test_a_real_session_still_counts(bpo_kpo, admin_user):
    client = Client()
    client.force_login(admin_user)
    key = client.cookies["sessionid"].value
    assert SessionStore(key).get("_auth_user_id") == str(admin_user.pk)
    response = client.get("/admin/")
    assert response.status_code == 200 and "X-Page-Cache" not in response
