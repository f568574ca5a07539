"""Start real app servers (gunicorn, as in production) in subprocesses for tests."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shared_database_url():
    """The address of the database this test session uses (pytest-django's test database)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


def server_env(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(DJANGO_SETTINGS_MODULE="tests.settings", DJANGO_DEBUG="1")
    env.update(overrides)
    return env


def get(url, headers=None):
    """GET `url`; return (status, headers, body) for every status, errors included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def fetch(url, method="GET"):
    """Request `url`; return (status, headers, body bytes) for every status."""
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@contextmanager
def app_server(env, workers=1):
    """Run `gunicorn config.wsgi` with gunicorn.conf.py on a free port; yield its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env={
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_ACCESS_LOG": "/dev/null",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(process.stderr.read().decode()) from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "tests-only-" + "x7Gq2pLm9RtV4bNc8WzK3yHs6DfJ1aQe5UoI0" * 2,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SECURE_COOKIES": "0",  # the test servers speak plain http
}


def collect_static(static_root):
    """Run collectstatic with production settings into `static_root` (hashed, compressed)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=server_env(**PRODUCTION_ENV, DJANGO_STATIC_ROOT=str(static_root)),
        check=True,
        timeout=300,
    )


def production_env(static_root, **overrides):
    return server_env(**PRODUCTION_ENV, DJANGO_STATIC_ROOT=str(static_root), **overrides)


class RedisServer:
    """A private `redis-server` on a free port, which a test may stop and start again."""

    def __init__(self, directory=None, options=()):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        # Where SAVE writes its snapshot, which a restart loads (none: no snapshot at all).
        self.directory = directory
        self.options = list(options)

    def start(self):
        snapshot = ["--dir", str(self.directory)] if self.directory else []
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--loglevel", "warning"]
            + snapshot
            + self.options,
            stdout=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def client(self):
        import redis

        return redis.Redis(port=self.port)

    def commands_from_others(self):
        """How many commands other clients have sent so far (this question and earlier ones
        like it are not counted)."""
        if getattr(self, "_observer", None) is None:
            self._observer, self._questions = self.client(), 0
        total = int(self._observer.info("stats")["total_commands_processed"])
        self._questions += 1
        return total - (self._questions - 1)


VCL = ROOT / "pagecache" / "varnish" / "default.vcl"


class VarnishServer:
    """A private `varnishd` running the shipped VCL in front of the app at `backend_port`."""

    def __init__(self, backend_port, directory):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.backend_port = backend_port
        self.directory = Path(directory)
        self.process = None

    def start(self):
        vcl = self.directory / "default.vcl"
        vcl.write_text(
            VCL.read_text().replace('.port = "8000"', f'.port = "{self.backend_port}"')
        )
        self.process = subprocess.Popen(
            ["varnishd", "-F", "-j", "none", "-n", str(self.directory / "work")]
            + ["-a", f"127.0.0.1:{self.port}", "-f", str(vcl), "-s", "malloc,64m"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("varnishd did not start") from None
                time.sleep(0.1)

    def stop(self):
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGCONT)
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            self.process = None

    def pause(self):
        """Freeze varnishd: it accepts connections but answers nothing (unreachable)."""
        os.killpg(self.process.pid, signal.SIGSTOP)

    def resume(self):
        os.killpg(self.process.pid, signal.SIGCONT)
