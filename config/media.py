"""Uploaded media: stored under names never used before, and served by the app itself when no
object store holds them (see docs/production.md, "Media").

A file's address therefore always means the same bytes, so browsers and CDNs may keep it for a
year without asking again.
"""

import posixpath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.urls import re_path
from django.views.decorators.http import require_safe
from django.views.static import serve

IMMUTABLE = "public, max-age=31536000, immutable"


class NeverReusedNamesMixin:
    """Store each file under a name with a random suffix, so that no name is ever reused, even
    after the file that had it was deleted (Django reuses a free name by default)."""

    def get_available_name(self, name, max_length=None):
        directory, file_name = posixpath.split(name)
        root, extension = posixpath.splitext(file_name)
        name = posixpath.join(directory, self.get_alternative_name(root, extension))
        if max_length is not None and len(name) > max_length:
            # Shorten the original part, not the suffix that makes the name new.
            root = root[: max(1, len(root) - (len(name) - max_length))]
            name = posixpath.join(directory, self.get_alternative_name(root, extension))
        return super().get_available_name(name, max_length=max_length)


class MediaStorage(NeverReusedNamesMixin, FileSystemStorage):
    """Uploads in MEDIA_ROOT, each under a name of its own."""


@require_safe
def serve_media(request, path):
    """Answer GET and HEAD for the file at `path` under MEDIA_ROOT: its content type, a year's
    immutable caching, 304 to If-Modified-Since; 404 for directories and for anything outside
    MEDIA_ROOT. (X-Content-Type-Options: nosniff comes with every response.)"""
    response = serve(request, path, document_root=settings.MEDIA_ROOT, show_indexes=False)
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
    }
