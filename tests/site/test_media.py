"""Uploaded media in production: the app serves them itself (gunicorn, DEBUG off), at addresses
that always mean the same bytes."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.factories import make_comparison
from tests.helpers.images import upload_lead_image
from tests.site.servers import app_server, fetch, production_env, shared_database_url

pytestmark = pytest.mark.django_db(transaction=True)

YEAR_IMMUTABLE = "public, max-age=31536000, immutable"


def test_a_file_named_like_a_stored_one_gets_an_address_of_its_own(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first = default_storage.save("comparisons/photo.jpg", ContentFile(b"first"))
    second = default_storage.save("comparisons/photo.jpg", ContentFile(b"second"))
    assert first == "comparisons/photo.jpg"
    assert re.fullmatch(r"comparisons/photo_\w{7}\.jpg", second)
    assert (tmp_path / first).read_bytes() == b"first"


def test_with_debug_off_the_app_serves_uploaded_images(
    static_root, admin_client, tmp_path, settings
):
    settings.MEDIA_ROOT = media = tmp_path / "media"
    comparison = upload_lead_image(admin_client, make_comparison("BPO", "KPO"))
    env = production_env(
        static_root,
        DATABASE_URL=shared_database_url(),
        REDIS_URL="",
        DJANGO_CACHE_DIR=str(tmp_path / "cache"),
        DJANGO_MEDIA_ROOT=str(media),
    )
    with app_server(env) as url:
        _, _, page = fetch(url + comparison.get_absolute_url())
        src = re.search(r'<img src="([^"]+)"', page.decode()).group(1)
        largest = comparison.lead_image_renditions[-1]
        assert src == f"/media/{largest['jpeg']}"
        image = fetch(url + src)
        webp = fetch(url + f"/media/{largest['webp']}")
        original = fetch(url + comparison.lead_image.url)
        head = fetch(url + src, method="HEAD")
        folder = fetch(url + "/media/comparisons/")
        root = fetch(url + "/media/")
        missing = fetch(url + "/media/comparisons/nothing-here.jpg")
        outside = fetch(url + "/media/%2e%2e/%2e%2e/manage.py")
        options = fetch(url + src, method="OPTIONS")

    status, headers, body = image
    assert status == 200
    assert headers["Content-Type"] == "image/jpeg"
    assert headers["Cache-Control"] == YEAR_IMMUTABLE
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert body == (media / largest["jpeg"]).read_bytes()
    assert (webp[0], webp[1]["Content-Type"]) == (200, "image/webp")
    assert webp[2] == (media / largest["webp"]).read_bytes()
    assert (original[0], original[1]["Content-Type"]) == (200, "image/png")
    assert (head[0], head[2]) == (200, b"")
    assert head[1]["Content-Length"] == str(len(body))
    assert head[1]["Cache-Control"] == YEAR_IMMUTABLE
    assert [answer[0] for answer in (folder, root, missing)] == [404, 404, 404]
    stored_names = [
        name.rsplit("/", 1)[1].encode() for name in (largest["jpeg"], comparison.lead_image.name)
    ]
    assert not any(name in folder[2] or name in root[2] for name in stored_names)  # no listing
    assert outside[0] == 404 and b"DJANGO_SETTINGS_MODULE" not in outside[2]
    assert (options[0], options[1]["Allow"]) == (405, "GET, HEAD")
