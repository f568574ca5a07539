#!/usr/bin/env python3
"""Run Lighthouse 12 on the home, a category and a comparison page; print the four scores.

    .venv/bin/python scripts/lighthouse.py                 # serve the demo as production would
    .venv/bin/python scripts/lighthouse.py --desktop       # desktop profile instead of mobile
    .venv/bin/python scripts/lighthouse.py --base-url https://staging.example.com

Without --base-url it builds what production serves (DJANGO_DEBUG=0, collectstatic, whitenoise,
gunicorn) on the demo content of `make run` (db.sqlite3, or DATABASE_URL if set), runs
Lighthouse against it and stops the server. Needs Node 20 with npx (Lighthouse is fetched
from npm on first use) and Chromium (CHROME_PATH, default /usr/bin/chromium).
Exits 1 when a score is under its target.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = "lighthouse@12.2.3"
CATEGORIES = {
    "performance": ("Performance", 95),
    "accessibility": ("Accessibility", 100),
    "best-practices": ("Best practices", 100),
    "seo": ("SEO", 100),
}
PAGES = [
    ("home", "/"),
    ("category", "/category/business/"),
    ("comparison", "/difference-between-bpo-and-kpo/"),
]
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"


def production_environment(port):
    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or "local-lighthouse-run-only",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_COOKIES="0",
    )
    return env


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def start_production_server(port):
    """Prepare the demo site and serve it with gunicorn as production would; return the process."""
    env = production_environment(port)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base_url = f"http://127.0.0.1:{port}"
    for _ in range(60):
        try:
            urllib.request.urlopen(base_url + "/", timeout=2)
            return server, base_url
        except OSError:
            if server.poll() is not None:
                sys.exit("gunicorn stopped before serving a page")
            time.sleep(0.5)
    server.terminate()
    sys.exit("gunicorn did not answer within 30 seconds")


def run_lighthouse(url, output, desktop):
    command = [
        "npx",
        "--yes",
        LIGHTHOUSE,
        url,
        "--output=json",
        f"--output-path={output}",
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=" + ",".join(CATEGORIES),
    ]
    if desktop:
        command.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    subprocess.run(command, env=env, check=True)
    report = json.loads(Path(output).read_text())
    scores = {key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES}
    failed_audits = [
        f"{report['categories'][key]['title']}: {audit['title']}"
        for key in CATEGORIES
        if key != "performance"
        for ref in report["categories"][key]["auditRefs"]
        if ref["weight"] > 0
        for audit in [report["audits"][ref["id"]]]
        if audit["score"] is not None and audit["score"] < 1
    ]
    return scores, failed_audits


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", help="audit this running site instead of a local one")
    parser.add_argument("--port", type=int, default=8765, help="port of the local server")
    parser.add_argument("--desktop", action="store_true", help="desktop profile (default mobile)")
    options = parser.parse_args()

    server = None
    base_url = options.base_url
    if not base_url:
        server, base_url = start_production_server(options.port)
    below_target = []
    try:
        profile = "desktop" if options.desktop else "mobile"
        print(f"Lighthouse {LIGHTHOUSE.split('@')[1]}, {profile} profile, {base_url}")
        header = f"{'page':<12}" + "".join(f"{title:>16}" for title, _ in CATEGORIES.values())
        lines = [header]
        with tempfile.TemporaryDirectory() as reports:
            for name, path in PAGES:
                scores, failed_audits = run_lighthouse(
                    base_url.rstrip("/") + path, Path(reports) / f"{name}.json", options.desktop
                )
                lines.append(f"{name:<12}" + "".join(f"{scores[key]:>16}" for key in CATEGORIES))
                below_target += [
                    f"{name}: {CATEGORIES[key][0]} {score} < {CATEGORIES[key][1]}"
                    for key, score in scores.items()
                    if score < CATEGORIES[key][1]
                ]
                below_target += [f"{name}: failed audit {audit}" for audit in failed_audits]
        print("\n".join(lines))
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)
    if below_target:
        print("\nBelow target:\n  " + "\n  ".join(below_target))
        return 1
    print("\nAll scores on target (performance >= 95, the others 100).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
