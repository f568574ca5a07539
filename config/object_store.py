"""Uploaded media in an S3-compatible object store (AWS S3, MinIO, Ceph, R2, ...), through
django-storages; its settings come from `config.media.media_store_settings`."""

from storages.backends.s3 import S3Storage

from config.media import NeverReusedNamesMixin


class ObjectStoreMediaStorage(NeverReusedNamesMixin, S3Storage):
    """Uploads in the bucket, each under a name of its own, served from the store's public
    address with a year's immutable caching."""
