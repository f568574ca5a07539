"""Readers report wrong rows: the form, the rate limit, and filing the report."""

from contextlib import contextmanager

from django import forms

from comments.api import Limited, LimitUnavailable, RateLimit, Rule, captcha_field, request_key

from .models import RowReport

REPORTS_PER_HOUR = 5
RATE_WINDOW_SECONDS = 3600
# Kept in the limits' shared cache, so every app server counts the same.
REPORT_LIMIT = RateLimit("row-reports", [Rule(REPORTS_PER_HOUR, RATE_WINDOW_SECONDS)])
TOO_MANY_MESSAGE = (
    "You have sent several reports in a short time. Thank you! Please try again in an hour."
)
UNAVAILABLE_MESSAGE = "Reports cannot be accepted right now; please try again in a minute."


class ReportRefused(Exception):
    """The client may not send a report now; `message` says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


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


@contextmanager
def counted_report(request):
    """Count a report from the client of `request` for the block, given back if the block
    raises (the report was not stored). Raise ReportRefused once the client sent
    REPORTS_PER_HOUR within the hour, or when the limits' cache cannot answer."""
    try:
        with REPORT_LIMIT.use(request_key(request)):
            yield
    except Limited:
        raise ReportRefused(TOO_MANY_MESSAGE) from None
    except LimitUnavailable as error:
        raise ReportRefused(UNAVAILABLE_MESSAGE) from error


def file_report(comparison, row, note):
    """Store a reader's report on `row` of `comparison`, as typed."""
    return RowReport.objects.create(comparison=comparison, row=row, note=note)
