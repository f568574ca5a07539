"""django-simple-captcha's addresses, with new captchas and sounds under the form page limit.

Include it instead of "captcha.urls": `path("captcha/", include("comments.captcha_urls"))`.
"""

from captcha import urls as library_urls
from captcha import views as library_views
from django.http import HttpResponse
from django.urls import re_path

from . import moderation
from .captcha import captcha_audio
from .views import quietly


def _limited(view):
    """`view`, answering 429 at once when the client used up COMMENTS_FORM_PAGE_LIMIT.

    "New image" stores a captcha and the sound runs flite: both count as a form shown.
    """

    def limited_view(request, *args, **kwargs):
        if not moderation.allow_form_page(moderation.client_ip(request)):
            return quietly(
                HttpResponse(
                    "Too many requests; please wait a minute.",
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
            )
        return view(request, *args, **kwargs)

    return limited_view


urlpatterns = [
    re_path(r"refresh/$", _limited(library_views.captcha_refresh), name="captcha-refresh"),
    re_path(r"audio/(?P<key>\w+).wav$", _limited(captcha_audio), name="captcha-audio"),
    *(p for p in library_urls.urlpatterns if p.name not in ("captcha-refresh", "captcha-audio")),
]
