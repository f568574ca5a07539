"""bench_site's reference row: a minimal Wagtail page with the same difference table as the
demo's BPO vs KPO comparison, served beside the site through the same gunicorn settings.

Wagtail is not one of the project's dependencies: on first use this builds a virtualenv of its
own in .bench/wagtail/ (git ignores it) with `wagtail` and `gunicorn` from the package index,
and copies the project in tests/bench/wagtail_site/ next to it (`wagtail start`'s apps and
middleware, DEBUG off, SQLite, one page model). Later runs reuse the virtualenv.
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / ".bench" / "wagtail"
VENV = HOME / "venv"
SITE = HOME / "site"
SOURCE = Path(__file__).resolve().parent / "wagtail_site"
PACKAGES = ("wagtail", "gunicorn")
DEMO_SLUG = "bpo-and-kpo"
INSTALL_TIMEOUT = 900


class Unavailable(Exception):
    """The Wagtail page cannot be served here; the message says why (for the table)."""


def demo_table(slug=DEMO_SLUG):
    """The demo comparison `slug` as the Wagtail page's setup command reads it: what the
    comparison page shows of it in its title, key difference and table of differences."""
    from comparisons.demo import read_demo

    records, _site = read_demo()
    record = next(record for record in records if record["slug"] == slug)
    first, second = record["first_subject"], record["second_subject"]
    return {
        "title": record.get("title") or f"Difference between {first} and {second}",
        "slug": slug,
        "first_subject": first,
        "second_subject": second,
        "key_difference": record["key_difference"],
        "rows": [[r["aspect"], r["first_value"], r["second_value"]] for r in record["rows"]],
    }


def failure_reason(output):
    """The line of a failed command's output that says why: pip's last ERROR line, else the
    last line (pip also prints warnings that say nothing about the failure)."""
    lines = [line.strip() for line in (output or "").splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR:")]
    reason = (errors or lines or ["no output"])[-1]
    return reason.removeprefix("ERROR:").strip()


def run(command, what, **kwargs):
    """Run `command`; raise Unavailable("could not <what>: <reason>") when it fails."""
    try:
        return subprocess.run(
            [str(part) for part in command],
            check=True,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
            **kwargs,
        )
    except subprocess.CalledProcessError as error:
        raise Unavailable(f"could not {what}: {failure_reason(error.stderr)}") from None
    except (OSError, subprocess.TimeoutExpired) as error:
        raise Unavailable(f"could not {what}: {error}") from None


def venv_python():
    """The Wagtail virtualenv's Python, built once (a marker file says it is complete)."""
    python, done = VENV / "bin" / "python", VENV / ".complete"
    if done.exists():
        return python
    shutil.rmtree(VENV, ignore_errors=True)
    try:
        run([sys.executable, "-m", "venv", VENV], "install wagtail")
        run([python, "-m", "pip", "install", "--quiet", *PACKAGES], "install wagtail")
    except Unavailable:
        shutil.rmtree(VENV, ignore_errors=True)  # the next run tries again
        raise
    done.write_text(" ".join(PACKAGES) + "\n")
    return python


def site_env(**extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        **extra,
    }
    env.pop("PYTHONPATH", None)
    return env


def set_up_site(python, table):
    """Copy the project next to the virtualenv, migrate it and (re)create the page; return
    the page's path."""
    shutil.copytree(
        SOURCE, SITE, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__")
    )
    env, what = site_env(), "set up the Wagtail page"
    django = [python, "-m", "django"]
    run([*django, "makemigrations", "reference", "-v", "0"], what, cwd=SITE, env=env)
    run([*django, "migrate", "-v", "0"], what, cwd=SITE, env=env)
    done = run(
        [*django, "setup_comparison_page"], what, cwd=SITE, env=env, input=json.dumps(table)
    )
    return done.stdout.strip().splitlines()[-1]


def versions(python):
    """'Wagtail 8.0.1, Django 5.2.19', for the report."""
    code = "import django, wagtail; print(wagtail.__version__, django.__version__)"
    wagtail, django = run([python, "-c", code], "read Wagtail's version").stdout.split()
    return f"Wagtail {wagtail}, Django {django}"


@contextmanager
def wagtail_server(table, env=None):
    """The page described by `table` served by gunicorn with the project's gunicorn.conf.py
    (the same workers, worker class and threads as the site) on a free port; yields
    {url: the page, idle_url: a cheap page for telling when the server is idle, versions}.
    Raises Unavailable when Wagtail cannot be installed or set up here."""
    from tests.bench.management.commands.bench_site import free_port, wait_for_port

    python = venv_python()
    path = set_up_site(python, table)
    work = Path(tempfile.mkdtemp(prefix="bench-wagtail-"))
    port = free_port()
    process = subprocess.Popen(
        [python, "-m", "gunicorn", "wsgi", "-c", ROOT / "gunicorn.conf.py"],
        cwd=SITE,
        env=site_env(
            **(env or {}),
            GUNICORN_BIND=f"127.0.0.1:{port}",
            GUNICORN_ACCESS_LOG=str(work / "access.log"),
            GUNICORN_ERROR_LOG=str(work / "error.log"),
        ),
    )
    try:
        try:
            wait_for_port(port, process)
        except CommandError:
            reason = failure_reason(read(work / "error.log"))
            raise Unavailable(f"could not start the Wagtail page's server: {reason}") from None
        origin = f"http://127.0.0.1:{port}"
        yield {"url": origin + path, "idle_url": origin + "/ping/", "versions": versions(python)}
    finally:
        process.terminate()
        process.wait(timeout=30)
        errors = read(work / "error.log")
        if "Traceback" in errors:
            sys.stderr.write(errors[-3000:])
        shutil.rmtree(work, ignore_errors=True)


def read(path):
    return path.read_text() if path.exists() else ""
