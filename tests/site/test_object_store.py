"""Uploads in an S3-compatible object store: a real S3 API server (moto's) started by the test,
written to through the admin, read by readers' browsers from the store's own address."""

import json
import re
import urllib.request
from types import SimpleNamespace

import boto3
import pytest

from config.media import IMMUTABLE, media_store_settings
from tests.factories import make_comparison
from tests.helpers.admin_forms import change_form_data
from tests.helpers.images import upload_lead_image
from tests.site.servers import app_server, fetch, free_port, production_env, shared_database_url

pytestmark = pytest.mark.django_db(transaction=True)

BUCKET = "site-media"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}


@pytest.fixture
def object_store(monkeypatch):
    """moto's S3 server on a free port with an empty bucket; the environment naming it."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    # moto keeps its buckets per process: start from none.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))
    env = {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "tests-key",
        "AWS_SECRET_ACCESS_KEY": "tests-secret",
    }
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, env[name])
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    # Readers fetch objects anonymously: the bucket lets anyone read them.
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    yield SimpleNamespace(endpoint=endpoint, env=env, client=client)
    server.stop()


@pytest.fixture
def stored_in(object_store, settings, tmp_path):
    """This process's settings as the environment naming the store makes them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    for name, value in media_store_settings(object_store.env).items():
        setattr(settings, name, value)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    return object_store


def keys(store):
    listing = store.client.list_objects_v2(Bucket=BUCKET)
    return {item["Key"] for item in listing.get("Contents", [])}


def test_uploads_go_to_the_store_and_pages_show_them_from_its_origin(
    stored_in, admin_client, static_root, tmp_path
):
    store = stored_in
    comparison = upload_lead_image(admin_client, make_comparison("BPO", "KPO"))
    renditions = comparison.lead_image_renditions
    stored = {comparison.lead_image.name} | {r[k] for r in renditions for k in ("webp", "jpeg")}
    assert keys(store) == stored and len(stored) == 7
    assert not (tmp_path / "media").exists()
    largest = store.client.head_object(Bucket=BUCKET, Key=renditions[-1]["jpeg"])
    assert (largest["ContentType"], largest["CacheControl"]) == ("image/jpeg", IMMUTABLE)

    env = production_env(
        static_root,
        DATABASE_URL=shared_database_url(),
        REDIS_URL="",
        DJANGO_CACHE_DIR=str(tmp_path / "cache"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        **store.env,
    )
    with app_server(env) as url:
        status, headers, page = fetch(url + comparison.get_absolute_url())
        served_by_app = fetch(f"{url}/media/{renditions[-1]['jpeg']}")
    assert status == 200
    img_src = re.search(r"img-src ([^;]+)", headers["Content-Security-Policy"]).group(1)
    assert img_src == f"'self' data: {store.endpoint}"
    src = re.search(r'<img src="([^"]+)"', page.decode()).group(1)
    assert src == f"{store.endpoint}/{BUCKET}/{renditions[-1]['jpeg']}"
    image = fetch(src)
    assert (image[0], image[1]["Content-Type"], image[1]["Cache-Control"]) == (
        200,
        "image/jpeg",
        IMMUTABLE,
    )
    body = store.client.get_object(Bucket=BUCKET, Key=renditions[-1]["jpeg"])["Body"].read()
    assert image[2] == body
    assert served_by_app[0] == 404  # the app serves no media of its own then


def test_an_upload_named_like_a_stored_one_leaves_that_one_alone(stored_in, admin_client):
    first = upload_lead_image(admin_client, make_comparison("BPO", "KPO"))
    before = stored_in.client.get_object(Bucket=BUCKET, Key=first.lead_image.name)["Body"].read()
    second = upload_lead_image(admin_client, make_comparison("LPO", "RPO"), size=(1000, 400))
    assert second.lead_image.name != first.lead_image.name
    assert second.lead_image_renditions[0]["webp"] != first.lead_image_renditions[0]["webp"]
    after = stored_in.client.get_object(Bucket=BUCKET, Key=first.lead_image.name)["Body"].read()
    assert after == before
    assert len(keys(stored_in)) == 14


def test_clearing_and_deleting_through_the_admin_work_with_the_store(stored_in, admin_client):
    comparison = upload_lead_image(admin_client, make_comparison("BPO", "KPO"))
    uploaded = keys(stored_in)
    address = f"/admin/comparisons/comparison/{comparison.pk}/"
    data = change_form_data(admin_client.get(address + "change/"))
    data["lead_image-clear"] = "on"
    assert admin_client.post(address + "change/", data).status_code == 302
    comparison.refresh_from_db()
    assert (comparison.lead_image.name, comparison.lead_image_renditions) == ("", [])
    assert "<picture" not in admin_client.get(comparison.get_absolute_url()).content.decode()

    response = admin_client.post(address + "delete/", {"post": "yes"})
    assert response.status_code == 302
    assert admin_client.get(comparison.get_absolute_url()).status_code == 404
    # Files stay, so that a restored revision or a recovered comparison shows its image again.
    assert keys(stored_in) == uploaded
