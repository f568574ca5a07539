"""The production server (gunicorn, DEBUG off, collected static files) as readers meet it."""

import json

import pytest

from tests.site.servers import app_server, get, production_env, shared_database_url

pytestmark = pytest.mark.django_db(transaction=True)


def test_hashed_static_files_are_cached_for_a_year(static_root):
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/site.css"]
    assert hashed != "css/site.css"
    with app_server(production_env(static_root, REDIS_URL="", DJANGO_CACHE_DIR="")) as url:
        status, headers, _ = get(f"{url}/static/{hashed}")
    assert status == 200
    assert "immutable" in headers["Cache-Control"]
    max_age = int(headers["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age >= 365 * 24 * 3600


def test_pages_carry_hashed_static_urls_and_the_security_headers(static_root, bpo_kpo, tmp_path):
    env = production_env(
        static_root,
        DATABASE_URL=shared_database_url(),
        REDIS_URL="",
        DJANGO_CACHE_DIR=str(tmp_path),
    )
    with app_server(env) as url:
        first = get(url + bpo_kpo.get_absolute_url())
        second = get(url + bpo_kpo.get_absolute_url())
    for status, headers, body in (first, second):
        assert status == 200
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert "public" in headers["Cache-Control"]
        assert 'href="/static/css/site.' in body and 'site.css"' not in body
    assert (first[1]["X-Page-Cache"], second[1]["X-Page-Cache"]) == ("miss", "hit")
