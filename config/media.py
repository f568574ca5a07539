"""Uploaded media: served by the app itself when no object store holds them, and the settings
of such a store (see docs/production.md, "Media").

A stored file is never overwritten nor deleted, and a new file never takes the name of an
existing one, so a file's address always means the same bytes: browsers and CDNs may keep it
for a year without asking again.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404
from django.urls import re_path
from django.views.decorators.http import require_safe
from django.views.static import serve

IMMUTABLE = "public, max-age=31536000, immutable"


@require_safe
def serve_media(request, path):
    """Answer GET and HEAD for the file at `path` under MEDIA_ROOT: its content type, a year's
    immutable caching, 304 to If-Modified-Since; 404 for directories, missing files and
    anything outside MEDIA_ROOT. (X-Content-Type-Options: nosniff comes with every response.)"""
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT, show_indexes=False)
    except SuspiciousFileOperation:
        # A path leading outside MEDIA_ROOT is answered like a missing file, without a
        # security log entry for each probe.
        raise Http404("No such file.") from None
    response["Cache-Control"] = IMMUTABLE
    return response


def media_urlpatterns():
    """The address of uploaded media, when the app serves them itself (no object store)."""
    if settings.MEDIA_SERVED_BY_APP:
        prefix = settings.MEDIA_URL.lstrip("/")
        return [re_path(rf"^{prefix}(?P<path>.+)$", serve_media, name="media")]
    return []


def media_store_settings(environ):
    """Return the settings for the store that `environ` names: django-storages' AWS_* ones,
    and MEDIA_ORIGIN, the origin readers' browsers fetch media from.

    AWS_STORAGE_BUCKET_NAME names the bucket; AWS_S3_ENDPOINT_URL the store when it is not
    AWS (its objects are then addressed as <endpoint>/<bucket>/<name>); AWS_S3_REGION_NAME the
    region; AWS_S3_CUSTOM_DOMAIN the host (and path) readers fetch objects from, such as a CDN
    in front of the bucket. Credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
    (or any other source boto3 knows). Objects are addressed without signatures: the bucket
    must let anyone read its objects.
    """
    bucket = environ["AWS_STORAGE_BUCKET_NAME"]
    endpoint = environ.get("AWS_S3_ENDPOINT_URL") or None
    region = environ.get("AWS_S3_REGION_NAME") or None
    domain = environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    protocol = "https:"
    if domain is None and endpoint:
        parts = urlsplit(endpoint)
        domain = f"{parts.netloc}{parts.path.rstrip('/')}/{bucket}"
        protocol = f"{parts.scheme}:"
    elif domain is None:
        domain = f"{bucket}.s3.{region or 'us-east-1'}.amazonaws.com"
    return {
        "MEDIA_ORIGIN": f"{protocol}//{domain.split('/')[0]}",
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": region,
        "AWS_S3_CUSTOM_DOMAIN": domain,
        "AWS_S3_URL_PROTOCOL": protocol,
        "AWS_S3_ADDRESSING_STYLE": "path" if endpoint else None,
        "AWS_S3_SIGNATURE_VERSION": "s3v4",
        "AWS_QUERYSTRING_AUTH": False,
        "AWS_DEFAULT_ACL": environ.get("AWS_DEFAULT_ACL") or None,
        "AWS_S3_OBJECT_PARAMETERS": {"CacheControl": IMMUTABLE},
        # A new upload named like a stored file gets a name of its own (the default replaces it).
        "AWS_S3_FILE_OVERWRITE": False,
    }
