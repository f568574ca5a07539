from django.urls import path

from . import views

app_name = "comparisons"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("category/<slug:slug>/", views.CategoryDetailView.as_view(), name="category"),
    path("subject/<slug:slug>/", views.SubjectDetailView.as_view(), name="subject"),
    path("difference-between-<slug:slug>/", views.ComparisonDetailView.as_view(), name="detail"),
    path("difference-between-<slug:slug>/report/", views.report_row, name="report-row"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("<slug:pair>/", views.vs_redirect, name="vs-redirect"),
]
