"""bench_site reads wrk's report: the per-client limit's 429s are answers, not errors."""

import pytest

from tests.bench.management.commands.bench_site import COUNT_429, MANY_CLIENTS, parse_wrk

WRK_REPORT = """Running 10s test @ http://127.0.0.1:8000/comments/new/comparisons.comparison/7/
  2 threads and 64 connections
  Latency Distribution
     50%    3.10ms
     99%   40.20ms
  5000 requests in 10.00s, 3.00MB read
  Socket errors: connect 0, read 0, write 0, timeout 2
  Non-2xx or 3xx responses: 4970
Requests/sec:    500.00
Transfer/sec:    300.00KB
Status 429: 4960
"""


def test_429s_are_counted_apart_from_errors():
    result = parse_wrk(WRK_REPORT)
    assert result["requests"] == 5000
    assert result["limited"] == 4960
    assert result["timeouts"] == 2
    # 10 other non-2xx answers and 2 time-outs are errors; the limit's 429s are not.
    assert result["errors"] == 12
    assert (result["rps"], result["p50"], result["p99"]) == (500.0, 3.1, 40.2)


def test_without_the_script_nothing_is_counted_as_limited():
    report = WRK_REPORT.replace("Status 429: 4960\n", "")
    assert parse_wrk(report)["limited"] is None


def test_the_scripts_print_the_429_count_on_one_line():
    for script in (COUNT_429, MANY_CLIENTS):
        assert 'io.write(string.format("Status 429: %d\\n", total))' in script
    assert 'wrk.format(nil, nil, {["X-Forwarded-For"] = address})' in MANY_CLIENTS


def test_the_in_process_row_times_a_miss_and_counts_its_queries(bpo_kpo):
    from tests.bench.management.commands.bench_site import in_process_miss
    from tests.factories import page_and_parts_cache_miss, page_cache_miss

    median, queries = in_process_miss(bpo_kpo.get_absolute_url(), page_cache_miss, runs=3)
    assert median > 0 and queries == 0  # the comparison and its parts are kept
    _median, queries = in_process_miss(
        bpo_kpo.get_absolute_url(), page_and_parts_cache_miss, runs=3
    )
    assert queries == 6


def test_rows_with_a_target_say_whether_it_holds():
    from tests.bench.management.commands.bench_site import row_target

    fast = {"rps": 650.0, "p99": 240.0, "errors": 0}
    assert row_target("search, cached", fast, 0.2) == (">= 600 req/s, p99 < 250 ms", "yes")
    assert row_target("search, cached", {**fast, "p99": 250.0}, 0.2)[1] == "NO"
    assert row_target("search, cached", {**fast, "errors": 3}, 0.2)[1] == "NO"
    assert row_target("comparison, cached", fast, 0.9) == (">= 0.9x static", "yes")
    assert row_target("comparison, cached", fast, 0.89)[1] == "NO"
    assert row_target("home, cached", fast, 1.0) == ("", "")


def test_the_uncached_page_is_held_to_three_times_the_wagtail_page():
    from tests.bench.management.commands.bench_site import row_target

    result = {"rps": 300.0, "p99": 400.0, "errors": 0, "vs_wagtail": 3.2}
    assert row_target("comparison, uncached", result, 0.1) == (
        ">= 3x minimal Wagtail",
        "yes (3.20x)",
    )
    assert row_target("comparison, uncached", {**result, "vs_wagtail": 2.9}, 0.1)[1] == (
        "NO (2.90x)"
    )
    without = {key: value for key, value in result.items() if key != "vs_wagtail"}
    assert row_target("comparison, uncached", without, 0.1) == (">= 3x minimal Wagtail", "n/a")


def test_the_wagtail_row_comes_with_the_uncached_page_unless_skipped():
    from tests.bench.management.commands.bench_site import wagtail_measured

    labels = ["static file, same size", "comparison, uncached"]
    assert wagtail_measured({"only": "comparison, uncached", "no_wagtail": False}, labels)
    assert not wagtail_measured({"only": None, "no_wagtail": True}, labels)
    assert not wagtail_measured({"only": "home", "no_wagtail": False}, labels[:1])
    assert wagtail_measured({"only": "Wagtail", "no_wagtail": False}, labels[:1])


def test_the_wagtail_row_gives_the_ratio_or_says_why_it_is_missing():
    from tests.bench.management.commands.bench_site import with_wagtail_row

    static, uncached = {"rps": 2000.0}, {"rps": 150.0}
    measured = [
        ("static file, same size", "/static", static),
        ("comparison, uncached", "/c?u", uncached),
        ("minimal Wagtail page, same table", "http://w/p/", {"rps": 50.0}),
    ]
    results = with_wagtail_row(measured, {"url": "http://w/p/", "versions": "Wagtail 8"})
    assert uncached["vs_wagtail"] == 3.0
    assert results[2][2]["about"] == "Wagtail 8"

    reason = "could not install wagtail: No matching distribution found for wagtail"
    results = with_wagtail_row(measured[:2], {"unavailable": reason})
    assert [label for label, *_ in results] == [
        "static file, same size",
        "comparison, uncached",
        "minimal Wagtail page, same table",
    ]
    assert results[2][2] == {"unavailable": reason}


def test_a_missing_wagtail_row_is_printed_as_not_available(db):
    from io import StringIO

    from tests.bench.management.commands.bench_site import Command

    wrk = {"rps": 100.0, "p50": 5.0, "p99": 9.0, "errors": 0}
    reason = "could not install wagtail: No matching distribution found for wagtail"
    results = [
        ("static file, same size", "/static", {**wrk, "rps": 1000.0}),
        ("comparison, uncached", "/c?u", wrk),
        ("minimal Wagtail page, same table", None, {"unavailable": reason}),
    ]
    out = StringIO()
    Command(stdout=out).print_table(
        {"rows": 10, "threads": 2, "connections": 64, "duration": 2, "repeat": 1},
        results,
        [70.0],
        None,
    )
    table = out.getvalue()
    assert f"| minimal Wagtail page, same table | n/a ({reason}) |" in table
    assert "| comparison, uncached | 100 | 5.0 ms | 9.0 ms | 0 | 10% | >= 3x minimal Wagtail | n/a |" in table


def test_the_wagtail_page_shows_the_demo_table_and_a_failed_install_says_why():
    from tests.bench.wagtail import demo_table, failure_reason

    table = demo_table()
    assert table["title"] == "Difference between BPO and KPO"
    assert (table["first_subject"], table["second_subject"]) == ("BPO", "KPO")
    assert ["Stands for", "Business Process Outsourcing", "Knowledge Process Outsourcing"] in (
        table["rows"]
    )
    pip_output = (
        "WARNING: Location 'file:///x/simple/wagtail/' is ignored\n"
        "ERROR: Could not find a version that satisfies the requirement wagtail\n"
        "ERROR: No matching distribution found for wagtail\n"
    )
    assert failure_reason(pip_output) == "No matching distribution found for wagtail"
    assert failure_reason("Traceback...\nOSError: disk full\n") == "OSError: disk full"
    assert failure_reason("") == "no output"


@pytest.mark.django_db(transaction=True)  # the WSGI handler closes the connection after each
def test_the_bench_server_misses_the_page_cache_only_when_asked(bpo_kpo):
    from wsgiref.util import setup_testing_defaults

    from tests.bench.wsgi import application

    def page_cache_answer(**headers):
        environ = {"PATH_INFO": bpo_kpo.get_absolute_url(), "HTTP_HOST": "localhost", **headers}
        setup_testing_defaults(environ)
        started = {}
        body = b"".join(application(environ, lambda status, h: started.update(dict(h))))
        assert b"Difference between BPO and KPO" in body
        return started["X-Page-Cache"]

    assert page_cache_answer() == "miss"
    assert page_cache_answer() == "hit"
    assert page_cache_answer(HTTP_X_BENCH_MISS="1") == "miss"
    assert page_cache_answer(HTTP_X_BENCH_MISS="1") == "miss"
    assert page_cache_answer() == "hit"
