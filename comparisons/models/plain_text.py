"""Text fields without the control characters that text pasted from elsewhere may carry."""

import re

from django.db import models

from ..text import without_control_characters

_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")


class PlainTextFields:
    """A model mixin: its text fields lose their control characters (which XML cannot hold
    and HTML forbids) when the model is validated (the admin's forms, the importer) and when
    the services save it. A word processor's line break becomes a line break in a text field;
    in a one-line field (a name, a title, which also head e-mails) every line break becomes a
    space."""

    def strip_control_characters(self):
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            value = getattr(self, field.attname)
            if not isinstance(value, str):
                continue
            one_line = not isinstance(field, models.TextField)
            if one_line:
                cleaned = without_control_characters(_LINE_BREAKS.sub(" ", value), " ")
            else:
                cleaned = without_control_characters(value, "\n")
            if cleaned != value:
                setattr(self, field.attname, cleaned.strip() if one_line else cleaned)

    def clean_fields(self, exclude=None):
        self.strip_control_characters()
        super().clean_fields(exclude=exclude)
