"""The notes site: a note's page shows its comments section, then the project's URLs."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import include, path

from .models import Note

PAGE = engines["django"].from_string(
    "{% load comments %}<!DOCTYPE html><title>{{ note }}</title><h1>{{ note }}</h1>"
    "{% comments_section note %}"
)


def note_page(request, pk):
    note = get_object_or_404(Note, pk=pk, visible=True)
    return HttpResponse(PAGE.render({"note": note}, request))


urlpatterns = [
    path("notes/<int:pk>/", note_page, name="note"),
    path("", include("config.urls")),
]
