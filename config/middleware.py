"""Site-wide middleware: security headers Django lacks, and surviving a database outage."""

import logging
import re
import sys

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.db.utils import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseBadRequest
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError)


# What Django's session engines issue: lowercase letters and digits (VALID_KEY_CHARS).
_SESSION_KEY = re.compile(r"[a-z0-9]{8,64}")


class MalformedSessionCookieMiddleware:
    """Treat a session cookie that no session engine could have issued (a NUL byte, which
    PostgreSQL refuses in a query; any other character; an absurd length) as no cookie, so
    that reading the session can never fail; the visitor is anonymous."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = settings.SESSION_COOKIE_NAME
        key = request.COOKIES.get(name)
        if key is not None and not _SESSION_KEY.fullmatch(key):
            del request.COOKIES[name]
        return self.get_response(request)


class NulCharacterMiddleware:
    """Answer 400 to an address whose path or query holds a NUL character: no page has one,
    and PostgreSQL refuses it in any query a view or the admin would build from it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                "This address holds a NUL character (%00), which no page of this site has.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Send settings.PERMISSIONS_POLICY: switch off browser features the site does not use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


_PER_RESPONSE_CSP = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)
_built_policies = {}


@receiver(setting_changed)
def _forget_built_policies(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _built_policies.clear()


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, building the site-wide policy once per process instead of on
    every response (it is the same string unless a view customises it or a nonce is used)."""

    def process_response(self, request, response):
        customised = any(hasattr(response, name) for name in _PER_RESPONSE_CSP)
        if customised or getattr(request, "_csp_nonce", None) is not None:
            return super().process_response(request, response)
        if not _built_policies:
            _built_policies[HEADER] = build_policy()
            _built_policies[HEADER_REPORT_ONLY] = build_policy(report_only=True)
        for header, setting in (
            (HEADER, "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            policy = _built_policies[header]
            excluded = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if (
                policy
                and header not in response
                and not request.path_info.startswith(tuple(excluded))
            ):
                response[header] = policy
        return response


def database_unavailable_response():
    """A 503 page that needs no database: no context processors, no template tags doing SQL."""
    seconds = settings.DATABASE_RETRY_AFTER_SECONDS
    content = loader.render_to_string("503.html", {"retry_after": seconds})
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After, not a traceback, when the database cannot be reached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN_ERRORS):
            logger.error("Database unavailable for %s: %s", request.path, exception)
            return database_unavailable_response()
        return None


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: a database outage outside a view (e.g. in another middleware) is a 503 too."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_DOWN_ERRORS):
        return database_unavailable_response()
    return defaults.server_error(request, template_name)
