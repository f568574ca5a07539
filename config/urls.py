from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.http import require_safe

from comparisons.sitemaps import SITEMAPS
from comparisons.views import robots_txt
from config.media import media_urlpatterns

admin.site.site_header = f"{settings.SITE_NAME} editors"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Content"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("captcha/", include("comments.captcha_urls")),
    path("comments/", include("comments.urls")),
    path("robots.txt", robots_txt, name="robots"),
    path(
        "sitemap.xml",
        require_safe(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        require_safe(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    *media_urlpatterns(),
    path("", include("comparisons.urls")),
]

handler500 = "config.middleware.server_error"
