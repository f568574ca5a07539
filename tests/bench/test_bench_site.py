"""bench_site reads wrk's report: the per-client limit's 429s are answers, not errors."""

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
