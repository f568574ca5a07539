"""Edge caches (Varnish with the xkey vmod, or any cache purged by surrogate key) in front of
the app servers, purged by the same tags as the page cache.

Cacheable pages carry their tags in `xkey` (Varnish) and `Surrogate-Key` headers. Each bump
is also sent to every URL in EDGE_PURGE_URLS as `PURGE` with an `xkey-purge: <tags>` header
(pagecache/varnish/default.vcl answers it); pagecache.recovery records and retries purges like
bumps, and sends them only once the shared cache has taken the bump, so that what an edge
fetches again is never the old page.
"""

import logging
import urllib.error
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)

TAG_HEADERS = ("xkey", "Surrogate-Key")
PURGE_HEADER = "xkey-purge"
_MAX_HEADER = 4000  # characters of tags per purge request (Varnish's default limit is 8 KB)


class PurgeFailed(Exception):
    """An edge did not confirm a purge."""


def edges():
    return list(settings.EDGE_PURGE_URLS)


def tag_headers(tags):
    """The headers naming `tags` to edge caches."""
    value = " ".join(sorted(tags))
    return [(name, value) for name in TAG_HEADERS]


def purge(edge, tags):
    """Purge every page tagged with one of `tags` at `edge`, or raise PurgeFailed."""
    for batch in _batches(sorted(tags)):
        request = urllib.request.Request(
            edge, method="PURGE", headers={PURGE_HEADER: " ".join(batch)}
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.EDGE_PURGE_TIMEOUT) as answer:
                status = answer.status
        except urllib.error.HTTPError as error:
            status = error.code
        except (OSError, ValueError) as error:
            raise PurgeFailed(f"{edge}: {error}") from error
        if status != 200:
            raise PurgeFailed(f"{edge} answered {status}")


def _batches(tags):
    batch, size = [], 0
    for tag in tags:
        if batch and size + len(tag) + 1 > _MAX_HEADER:
            yield batch
            batch, size = [], 0
        batch.append(tag)
        size += len(tag) + 1
    if batch:
        yield batch
