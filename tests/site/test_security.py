"""Security headers on every response, and Django's deployment checks with production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def csp_directives(response):
    return {
        part.strip().split(" ", 1)[0]: part.strip().split(" ", 1)[1:]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }


@pytest.mark.parametrize("path", ["/", "/difference-between-bpo-and-kpo/", "/admin/login/", "/nope/"])
def test_every_response_carries_the_security_headers(client, bpo_kpo, path):
    for response in (client.get(path), client.get(path)):  # fresh, then from the page cache
        directives = csp_directives(response)
        assert directives["script-src"] == ["'self'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["object-src"] == ["'none'"]
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert "unsafe-eval" not in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]


def test_hsts_is_sent_over_https_when_configured(client, bpo_kpo, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    assert "Strict-Transport-Security" not in client.get("/")  # plain http: never
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_no_page_has_inline_script_or_style(client, bpo_kpo):
    for path in ("/", bpo_kpo.get_absolute_url(), "/category/business/", "/search/?q=bpo"):
        html = client.get(path).content.decode()
        assert "<script>" not in html and " style=" not in html and " onclick=" not in html


PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "ci-only-" + "x7Gq2pLm9RtV4bNc8WzK3yHs6DfJ1aQe5UoI0" * 2,
    "DJANGO_ALLOWED_HOSTS": "example.com",
    "DJANGO_SECURE_SSL_REDIRECT": "1",
    "DJANGO_BEHIND_HTTPS_PROXY": "1",
    "DJANGO_HSTS_SECONDS": "31536000",
    "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "1",
    "DJANGO_HSTS_PRELOAD": "1",
}


def run_deploy_check(**overrides):
    # The site's own settings, as deployed (the suite's settings module differs).
    env = {**os.environ, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "config.settings", **overrides}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_settings():
    result = run_deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_without_hsts():
    result = run_deploy_check(DJANGO_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr
