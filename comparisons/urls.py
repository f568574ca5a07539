from django.urls import path
from django.views.decorators.http import require_safe

from . import feeds, views

app_name = "comparisons"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("category/<slug:slug>/", views.CategoryDetailView.as_view(), name="category"),
    path("category/<slug:slug>/feed.rss", require_safe(feeds.CategoryFeed()), name="category-rss"),
    path("category/<slug:slug>/feed.atom", require_safe(feeds.CategoryAtomFeed()), name="category-atom"),
    path("subject/<slug:slug>/", views.SubjectDetailView.as_view(), name="subject"),
    path("difference-between-<slug:slug>/", views.ComparisonDetailView.as_view(), name="detail"),
    path("difference-between-<slug:slug>/report/", views.report_row, name="report-row"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("interest/", views.interest_beacon, name="interest"),
    path("feeds/comparisons.rss", require_safe(feeds.LatestComparisonsFeed()), name="rss"),
    path("feeds/comparisons.atom", require_safe(feeds.LatestComparisonsAtomFeed()), name="atom"),
    path("<slug:pair>/", views.vs_redirect, name="vs-redirect"),
]
