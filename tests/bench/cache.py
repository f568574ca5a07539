"""bench_site's page-cache rows: a cached page against a static file of the same size, through
gunicorn and (when varnishd is installed) through Varnish with the shipped VCL, each row with
its target and whether it holds (issue targets: cached >= 0.9x static at the origin and at the
edge, the edge >= 5x the origin's cached page, an edit visible at the edge within 1 s)."""

import shutil
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import resolve

from comparisons.models import Comparison
from comparisons.services import comparison_save
from tests.bench import site as bench

VCL = Path(settings.BASE_DIR) / "pagecache" / "varnish" / "default.vcl"


def measure_cache_targets(command, options):
    """Measure and print the rows; `command` is bench_site's Command (servers, wrk)."""
    from tests.bench.management.commands.bench_site import fetch, free_port, wait_for_port

    path = bench.sample_pages()["comparison"]
    rows = []
    edge_env = {"PAGE_HTTP_SHARED_MAX_AGE": "3600"}  # as with EDGE_PURGE_URLS set
    with command.production_server(options, extra_env=edge_env) as (url, _master, size):
        static = f"/static/bench/page-{size}.html"
        for target in (static, path):
            fetch(url + target)
        origin = best_of(command, options, {"static": url + static, "cached": url + path})
        rows.append(("static file, through gunicorn", origin["static"], None))
        ratio = origin["cached"]["rps"] / origin["static"]["rps"]
        rows.append(
            ("comparison, cached, through gunicorn", origin["cached"], (ratio, ">= 0.9x static"))
        )
        if shutil.which("varnishd"):
            port = urlsplit(url).port
            with varnish(port, free_port, wait_for_port) as edge:
                for target in (static, path):
                    fetch(edge + target)
                at_edge = best_of(
                    command, options, {"static": edge + static, "cached": edge + path}
                )
                rows.append(("static file, through Varnish", at_edge["static"], None))
                vs_static = at_edge["cached"]["rps"] / at_edge["static"]["rps"]
                vs_origin = at_edge["cached"]["rps"] / origin["cached"]["rps"]
                rows.append(
                    (
                        "comparison, cached, through Varnish",
                        at_edge["cached"],
                        (vs_static, ">= 0.9x static through Varnish"),
                    )
                )
                rows.append(
                    ("  the same against gunicorn's page cache", None, (vs_origin, ">= 5x"))
                )
                rows.append(("edit visible through Varnish", None, edit_latency(edge, path)))
    print_rows(command.stdout.write, rows)


def best_of(command, options, urls):
    """Each url's best wrk run, runs alternating so that load from elsewhere hits all alike."""
    warm_up(command, options, urls.values())
    best = {}
    for _round in range(options["repeat"]):
        for name, target in urls.items():
            result = command.wrk(target, options)
            if name not in best or result["rps"] > best[name]["rps"]:
                best[name] = result
    return best


def warm_up(command, options, urls, scripts=None):
    """A second of load on each url, not counted: every worker renders and keeps its own
    copy (with local memory, each worker has a cache of its own) before the runs measure.
    `scripts` maps a url to the wrk script its runs use."""
    for url in urls:
        command.wrk(url, {**options, "duration": 1}, script=(scripts or {}).get(url))


@contextmanager
def varnish(backend_port, free_port, wait_for_port):
    """varnishd with the shipped VCL in front of the app at `backend_port`; yields its URL."""
    work = Path(tempfile.mkdtemp(prefix="bench-varnish-"))
    vcl = work / "default.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000"', f'.port = "{backend_port}"'))
    port = free_port()
    process = subprocess.Popen(
        ["varnishd", "-F", "-j", "none", "-n", str(work / "n"), "-a", f"127.0.0.1:{port}"]
        + ["-f", str(vcl), "-s", "malloc,256m"],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def edit_latency(edge, path):
    """Seconds from an edit saved through the write path (as the admin saves it) to the edit
    showing through the edge, or None when this process cannot reach the app servers' cache
    (local memory is per process)."""
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        return None
    comparison = Comparison.objects.get(slug=resolve(path).kwargs["slug"])
    original, marker = comparison.key_difference, f"Edited at {time.time_ns()}."
    settings.EDGE_PURGE_URLS = [edge + "/"]
    try:
        started = time.monotonic()
        comparison.key_difference = marker
        comparison_save(comparison)
        while marker not in urllib.request.urlopen(edge + path, timeout=10).read().decode():
            if time.monotonic() - started > 10:
                break
            time.sleep(0.005)
        seconds = time.monotonic() - started
    finally:
        comparison.key_difference = original
        comparison_save(comparison)
    return (seconds, "<= 1 s")


def print_rows(write, rows):
    write("")
    write("Page cache and edge (targets of the whole-page cache):")
    write("")
    write("| what | req/s | median | p99 | errors | measured | target | holds |")
    write("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for label, result, check in rows:
        figures = (
            f"{result['rps']:,.0f} | {result['p50']:.2f} ms | {result['p99']:.2f} ms | "
            f"{result['errors']}"
            if result
            else " | | | "
        )
        if check is None:
            measured = target = holds = ""
            if label.startswith("edit"):
                measured, target, holds = "n/a", "<= 1 s", "needs REDIS_URL"
        else:
            value, target = check
            if target.startswith("<="):
                measured, holds = f"{value:.3f} s", "yes" if value <= 1 else "NO"
            else:
                wanted = float(target.split("x")[0].lstrip(">= "))
                measured, holds = f"{value:.2f}x", "yes" if value >= wanted else "NO"
        write(f"| {label} | {figures} | {measured} | {target} | {holds} |")
