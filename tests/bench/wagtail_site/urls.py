from django.http import HttpResponse
from django.urls import include, path
from wagtail import urls as wagtail_urls


def ping(request):
    """A cheap answer, for telling when the server is idle."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("ping/", ping),
    path("", include(wagtail_urls)),  # Wagtail's page serving, as in `wagtail start`
]
