"""Text fields without the control characters that text pasted from elsewhere may carry."""

from django.db import models

from ..text import without_control_characters


class PlainTextFields:
    """A model mixin: its text fields lose their control characters (which XML cannot hold
    and HTML forbids) when the model is validated (the admin's forms, the importer) and when
    the services save it. A word processor's line break becomes a space in a one-line field
    and a line break in a text field."""

    def strip_control_characters(self):
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            value = getattr(self, field.attname)
            if not isinstance(value, str):
                continue
            one_line = not isinstance(field, models.TextField)
            cleaned = without_control_characters(value, " " if one_line else "\n")
            if cleaned != value:
                setattr(self, field.attname, cleaned.strip() if one_line else cleaned)

    def clean_fields(self, exclude=None):
        self.strip_control_characters()
        super().clean_fields(exclude=exclude)
