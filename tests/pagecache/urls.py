"""Small views exercising the page cache's rules on responses it must never keep."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.cache import cache_control

from pagecache.tags import invalidate, page_query, tag_page

calls = {"count": 0}


def counted(request, body):
    calls["count"] += 1
    tag_page(request, "thing:1")
    return HttpResponse(f"{body} {calls['count']}")


def plain(request):
    """A page that reads ?page= as a number (and no other parameter)."""
    page = request.GET.get("page", "1")
    page_query(request, page=int(page) if page.isdigit() else 1)
    return counted(request, "plain")


def sets_cookie(request):
    response = counted(request, "cookie")
    response.set_cookie("seen", "1")
    return response


@cache_control(private=True)
def private(request):
    return counted(request, "private")


def changes_during_render(request):
    response = counted(request, "racy")
    invalidate("thing:1")  # an editor saved while this page was being rendered
    return response


urlpatterns = [
    path("plain/", plain),
    path("cookie/", sets_cookie),
    path("private/", private),
    path("racy/", changes_during_render),
    path("", include("config.urls")),
]
