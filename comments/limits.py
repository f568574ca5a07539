"""Who the client is, and how often it may do something: the one rate-limit mechanism.

Part of the comments app's public API: the project's other limits (row reports, the
reader-interest "once a day" key) use it too, so every limit reads the client's address
the same way and counts the same way.

A rule allows `allowed` uses per `seconds` for each key, as a sliding window: each use
takes one of `allowed` slots in a cache with an atomic `cache.add` that expires after
`seconds`. Two requests at the same moment cannot both take the last slot, on one server
or on several sharing Redis, and a use that did not happen (the post failed to store) is
given back.
"""

import ipaddress
import math
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import caches

from . import conf


def client_ip(request):
    """Return the client's IP address as text, or None.

    REMOTE_ADDR, unless COMMENTS_CLIENT_IP_HEADER names a header a trusted proxy sets; of a
    list (X-Forwarded-For) the last address is the one that proxy saw. An IPv4-mapped IPv6
    address (::ffff:203.0.113.5, as a server bound to [::] sees IPv4 clients) is the IPv4
    address it carries.
    """
    header = conf.get("COMMENTS_CLIENT_IP_HEADER")
    candidates = []
    if header:
        candidates.append(request.META.get(header, "").split(",")[-1].strip())
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        address = parse_ip(candidate)
        if address is not None:
            return address
    return None


def without_port(text):
    """`text` without a port and brackets: "[2001:db8::1]:443" or "203.0.113.5:4711"."""
    if text.startswith("["):
        return text[1:].partition("]")[0]
    if text.count(":") == 1:
        return text.partition(":")[0]
    return text


def parse_ip(text):
    """Return `text` as a normalised IP address (IPv4-mapped IPv6 as IPv4, without a zone
    such as "%eth0", which databases refuse), or None. A port some proxies add
    ("203.0.113.5:4711", "[2001:db8::1]:443") is dropped, as are the brackets."""
    text = without_port(text.strip())
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.scope_id is not None:
        address = ipaddress.IPv6Address(text.split("%", 1)[0])
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address)


# IPv6 networks whose addresses carry one IPv4 client in their last 32 bits (IPv4-compatible,
# IPv4-translated, NAT64): one client each, not a subscriber's /64.
IPV4_CARRYING_NETWORKS = tuple(
    ipaddress.ip_network(network) for network in ("::/96", "::ffff:0:0:0/96", "64:ff9b::/96")
)


def client_key(ip):
    """Return the identity limits count for `ip`: the IPv4 address (also the one an IPv6
    address carries: mapped, compatible, NAT64, Teredo), or the IPv6 /64 network (one
    subscriber's usual allocation); "unknown" without an address."""
    text = parse_ip(ip or "")
    if text is None:
        return "unknown"
    address = ipaddress.ip_address(text)
    if address.version == 4:
        return text
    if address.teredo is not None:
        return str(address.teredo[1])
    if any(address in network for network in IPV4_CARRYING_NETWORKS):
        return str(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)


def request_key(request):
    """The identity limits count for the client of `request` (see client_key)."""
    return client_key(client_ip(request))


class Limited(Exception):
    """A limit is used up; `wait` is the number of seconds until a use is free again."""

    def __init__(self, wait):
        super().__init__(f"Limit reached; free again in {wait} s.")
        self.wait = wait


class LimitUnavailable(Exception):
    """The cache that keeps the counts cannot be asked (e.g. Redis is down)."""


@dataclass(frozen=True)
class Rule:
    """At most `allowed` uses in any `seconds`."""

    allowed: int
    seconds: float


class RateLimit:
    """Rules that all apply to each key (e.g. a client), counted in the cache `cache_alias`.

    `cache_alias` None means the cache named by COMMENTS_RATE_LIMIT_CACHE. A cache that
    raises or cannot say (one that swallows errors) raises LimitUnavailable: callers choose
    whether that refuses (posting) or lets the request through uncounted (reader interest).
    `now` parameters exist for tests; the cache's own clock expires the slots.
    """

    def __init__(self, name, rules, cache_alias=None):
        self.name = name
        self.rules = tuple(rules)
        self.cache_alias = cache_alias

    @property
    def cache(self):
        return caches[self.cache_alias or conf.get("COMMENTS_RATE_LIMIT_CACHE")]

    def _slots(self, key, number):
        """The cache keys of rule `number`'s slots for `key`."""
        rule = self.rules[number]
        return [f"limits:{self.name}:{key}:{number}:{i}" for i in range(rule.allowed)]

    def _stamps(self, slots):
        try:
            found = self.cache.get_many(slots)
        except Exception as error:
            raise LimitUnavailable(str(error)) from error
        return {slot: stamp for slot, stamp in found.items() if isinstance(stamp, (int, float))}

    def wait(self, key, now=None):
        """Return the seconds until `key` may use this limit (0: it may now). Takes nothing."""
        now = time.time() if now is None else now
        waits = [0]
        for number, rule in enumerate(self.rules):
            recent = [
                stamp
                for stamp in self._stamps(self._slots(key, number)).values()
                if stamp > now - rule.seconds
            ]
            if len(recent) >= rule.allowed:
                waits.append(max(1, math.ceil(min(recent) + rule.seconds - now)))
        return max(waits)

    def take(self, key, now=None):
        """Take one use for `key` under every rule; return what was taken (for give_back).

        Raise Limited if a rule is used up (nothing is taken then).
        """
        now = time.time() if now is None else now
        taken = []
        try:
            for number, rule in enumerate(self.rules):
                taken.append(self._take_slot(self._slots(key, number), rule, now))
        except BaseException:
            self.give_back(taken)
            raise
        return taken

    def _take_slot(self, slots, rule, now):
        timeout = max(1, math.ceil(rule.seconds))
        for _ in range(2):  # a slot may expire between the adds and the read: look again
            try:
                for slot in slots:
                    if self.cache.add(slot, now, timeout=timeout):
                        return (slot, now)
            except Exception as error:
                raise LimitUnavailable(str(error)) from error
            stamps = self._stamps(slots)
            if len(stamps) == len(slots):
                break
        else:  # every add failed, yet slots are empty: the cache swallows its errors
            raise LimitUnavailable(f"The cache {self.cache_alias!r} did not answer.")
        oldest_slot = min(stamps, key=stamps.get)
        if stamps[oldest_slot] <= now - rule.seconds:  # expired by the clock we were given
            try:
                self.cache.set(oldest_slot, now, timeout=timeout)
            except Exception as error:
                raise LimitUnavailable(str(error)) from error
            return (oldest_slot, now)
        raise Limited(max(1, math.ceil(stamps[oldest_slot] + rule.seconds - now)))

    def give_back(self, taken):
        """Free the uses `take` returned, e.g. when what they were for did not happen."""
        for slot, stamp in taken:
            try:
                if self.cache.get(slot) == stamp:
                    self.cache.delete(slot)
            except Exception:  # it expires on its own
                pass

    @contextmanager
    def use(self, key, now=None):
        """Take a use for the block; give it back if the block raises (it did not happen)."""
        taken = self.take(key, now)
        try:
            yield
        except BaseException:
            self.give_back(taken)
            raise


class WindowCount:
    """At most `allowed` uses per fixed window of `seconds` for each key, counted with one
    atomic increment per use: for large, forgiving allowances (form pages served) where a
    slot per use would cost a cache round trip per slot. A cache that cannot answer lets the
    use through (`allows` is for things that harm no one when uncounted)."""

    def __init__(self, name, allowed, seconds, cache_alias=None):
        self.name = name
        self.allowed = allowed
        self.seconds = seconds
        self.cache_alias = cache_alias

    def allows(self, key, now=None):
        """Count one use by `key`; return False once the window's allowance is used up."""
        if not self.allowed:
            return True
        now = time.time() if now is None else now
        cache_key = f"limits:{self.name}:{key}:{int(now // self.seconds)}"
        cache = caches[self.cache_alias or conf.get("COMMENTS_RATE_LIMIT_CACHE")]
        try:
            try:
                count = cache.incr(cache_key)
            except ValueError:  # the window's first use
                added = cache.add(cache_key, 1, timeout=int(self.seconds) + 1)
                count = 1 if added else cache.incr(cache_key)
        except Exception:
            return True
        return count <= self.allowed


def duration(seconds):
    """Return `seconds` as readers read it: "15 seconds", "1 second", "5 minutes"."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = (seconds + 59) // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
