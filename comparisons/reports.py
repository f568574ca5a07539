"""Readers report wrong rows: the form, the rate limit, and filing the report."""

from django import forms
from django.core.cache import cache

from comments.captcha import captcha_field

from .models import RowReport

REPORTS_PER_HOUR = 5
RATE_WINDOW_SECONDS = 3600


class RowReportForm(forms.Form):
    row = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        label="Which row is wrong?",
        error_messages={"required": "Choose the row that is wrong."},
    )
    note = forms.CharField(
        label="What is wrong, and what is right?",
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60, "aria-describedby": "id_note-help"}),
        min_length=10,
        max_length=1000,
        help_text="Plain text, 10 to 1000 characters. A source helps us check it.",
        error_messages={"min_length": "Please say a little more: at least 10 characters."},
    )
    captcha = captcha_field()

    def __init__(self, *args, comparison, **kwargs):
        super().__init__(*args, **kwargs)
        self.comparison = comparison
        self.fields["row"].queryset = comparison.rows.all()
        self.fields["row"].label_from_instance = lambda row: row.aspect


def rate_limit_key(address):
    return f"row-report-rate:{address}"


def allow_report(address):
    """Count a report from `address`; return False once it sent too many within the hour.

    Kept in the shared cache, so every app server counts the same.
    """
    key = rate_limit_key(address)
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    return count <= REPORTS_PER_HOUR


def file_report(comparison, row, note):
    """Store a reader's report on `row` of `comparison`, as typed."""
    return RowReport.objects.create(comparison=comparison, row=row, note=note)
