"""A Redis connection that gives up at once for a moment after Redis failed to answer.

Each cache call waits up to REDIS_TIMEOUT_SECONDS for an answer, and a page asks the cache
a dozen times or more. A Redis that accepts connections but never answers (paused, swapping,
a network that drops packets) would so cost every uncached page seconds. After one timeout,
calls to that server fail at once for REDIS_PAUSE_SECONDS (a cache miss for the page cache, a
refusal for the rate limits), then the next call tries again.
"""

import threading
import time

from django.conf import settings
from redis.connection import Connection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

_silent_until = {}  # {(host, port): time.monotonic() before which the server is not asked}
_lock = threading.Lock()


def _pause_seconds():
    return getattr(settings, "REDIS_PAUSE_SECONDS", 2.0)


class GiveUpQuicklyConnection(Connection):
    """redis-py's TCP connection, refusing at once while its server is paused (see above)."""

    def _server(self):
        return (self.host, self.port)

    def _refuse_while_paused(self):
        until = _silent_until.get(self._server())
        if until is not None and time.monotonic() < until:
            raise RedisConnectionError(
                f"Redis at {self.host}:{self.port} did not answer a moment ago; "
                "not asked again yet"
            )

    def _pause(self):
        with _lock:
            _silent_until[self._server()] = time.monotonic() + _pause_seconds()

    def connect(self, *args, **kwargs):
        self._refuse_while_paused()
        try:
            return super().connect(*args, **kwargs)
        except RedisTimeoutError:
            self._pause()
            raise

    def send_packed_command(self, *args, **kwargs):
        self._refuse_while_paused()
        return super().send_packed_command(*args, **kwargs)

    def read_response(self, *args, **kwargs):
        try:
            return super().read_response(*args, **kwargs)
        except RedisTimeoutError:
            self._pause()
            raise


def forget_pauses():
    """Ask every server again at the next call (tests)."""
    with _lock:
        _silent_until.clear()
