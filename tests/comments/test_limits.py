"""The one rate-limit mechanism and the one way to read the client's address."""

import threading

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from comments.limits import (
    Limited,
    LimitUnavailable,
    RateLimit,
    Rule,
    client_ip,
    client_key,
    request_key,
)

NOW = 1_800_000_000.0


def request_from(address, **headers):
    return RequestFactory().get("/", REMOTE_ADDR=address, **headers)


@pytest.mark.parametrize(
    "address, ip, key",
    [
        ("203.0.113.5", "203.0.113.5", "203.0.113.5"),
        ("::ffff:203.0.113.5", "203.0.113.5", "203.0.113.5"),
        ("::FFFF:cb00:7105", "203.0.113.5", "203.0.113.5"),
        ("2001:db8:1:2:ffff::9", "2001:db8:1:2:ffff::9", "2001:db8:1:2::"),
        ("not-an-address", None, "unknown"),
    ],
)
def test_ipv4_mapped_addresses_are_the_ipv4_address_they_carry(address, ip, key):
    assert client_ip(request_from(address)) == ip
    assert request_key(request_from(address)) == key


def test_ipv4_clients_on_a_dual_stack_bind_are_not_one_client():
    keys = {client_key(f"::ffff:203.0.113.{n}") for n in range(1, 6)}
    assert keys == {f"203.0.113.{n}" for n in range(1, 6)}


@pytest.mark.parametrize(
    "address, ip, key",
    [
        ("fe80::1%eth0", "fe80::1", "fe80::"),
        ("::ffff:203.0.113.5%2", "203.0.113.5", "203.0.113.5"),
        ("::203.0.113.5", "::cb00:7105", "203.0.113.5"),
        ("::ffff:0:203.0.113.5", "::ffff:0:cb00:7105", "203.0.113.5"),
        ("64:ff9b::203.0.113.5", "64:ff9b::cb00:7105", "203.0.113.5"),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "192.0.2.45"),
        ("::1", "::1", "0.0.0.1"),
    ],
)
def test_ipv6_forms_carrying_one_client_are_that_client(address, ip, key):
    assert client_ip(request_from(address)) == ip
    assert request_key(request_from(address)) == key


def test_ipv4_clients_behind_ipv6_translation_are_not_one_client():
    for prefix in ("::", "::ffff:0:", "64:ff9b::"):
        keys = {client_key(f"{prefix}203.0.113.{n}") for n in range(1, 6)}
        assert keys == {f"203.0.113.{n}" for n in range(1, 6)}


def test_the_trusted_proxy_header_is_read_the_same_way(settings):
    settings.COMMENTS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    request = request_from("::ffff:10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, ::ffff:198.51.100.9")
    assert client_ip(request) == "198.51.100.9"


@pytest.mark.parametrize(
    "forwarded, ip",
    [
        ("203.0.113.5:4711", "203.0.113.5"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("[::ffff:203.0.113.5]:80", "203.0.113.5"),
        (" 198.51.100.9 ", "198.51.100.9"),
    ],
)
def test_a_proxy_that_adds_the_port_does_not_make_every_client_the_proxy(settings, forwarded, ip):
    settings.COMMENTS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    request = request_from("10.0.0.1", HTTP_X_FORWARDED_FOR=f"6.6.6.6, {forwarded}")
    assert client_ip(request) == ip


def test_a_rule_is_a_sliding_window():
    limit = RateLimit("test", [Rule(2, 60)])
    limit.take("a", now=NOW)
    limit.take("a", now=NOW + 30)
    with pytest.raises(Limited) as limited:
        limit.take("a", now=NOW + 59)
    assert limited.value.wait == 1
    assert limit.wait("a", now=NOW + 59) == 1
    limit.take("a", now=NOW + 61)  # the first use has left the window
    with pytest.raises(Limited) as limited:
        limit.take("a", now=NOW + 62)
    assert limited.value.wait == 28
    limit.take("b", now=NOW + 62)


def test_a_use_that_did_not_happen_is_given_back():
    limit = RateLimit("test", [Rule(1, 60)])
    with pytest.raises(RuntimeError), limit.use("a", now=NOW):
        raise RuntimeError("the post failed to store")
    assert limit.wait("a", now=NOW) == 0
    with limit.use("a", now=NOW):
        pass
    assert limit.wait("a", now=NOW) == 60


def test_a_rule_that_refuses_takes_nothing_from_the_others():
    limit = RateLimit("test", [Rule(5, 600), Rule(1, 15)])
    limit.take("a", now=NOW)
    with pytest.raises(Limited):
        limit.take("a", now=NOW + 1)
    for second in (16, 32, 48, 64):
        limit.take("a", now=NOW + second)
    with pytest.raises(Limited) as limited:
        limit.take("a", now=NOW + 80)
    assert limited.value.wait == 520


def test_many_threads_at_once_take_exactly_the_allowance():
    limit = RateLimit("test", [Rule(3, 60)])
    outcomes = []
    start = threading.Barrier(12)

    def attempt():
        start.wait()
        try:
            limit.take("a")
            outcomes.append("taken")
        except Limited:
            outcomes.append("limited")

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["limited"] * 9 + ["taken"] * 3


def test_a_cache_that_swallows_its_errors_is_unavailable_not_empty(settings):
    settings.CACHES = {
        **settings.CACHES,
        "down": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there: "Redis is down"
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
        },
    }
    limit = RateLimit("test", [Rule(1, 60)], cache_alias="down")
    with pytest.raises(LimitUnavailable):
        limit.take("a")
    caches["down"].close()
