"""What editors act on, for the admin index: each panel is a count, a link and a few items."""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from comments.api import Comment

from ..interest import most_read, unanswered_searches
from ..models import Comparison, DifferenceRow, RowReport, Subject
from ..text import fold_text

ITEMS_PER_PANEL = 5


@dataclass
class Panel:
    title: str
    count: int
    link: str = ""
    items: list = field(default_factory=list)  # (text, link) pairs


def _admin_url(name, query=""):
    try:
        return reverse(f"admin:{name}") + query
    except NoReverseMatch:
        return ""


def _change_url(comparison):
    return reverse("admin:comparisons_comparison_change", args=[comparison.pk])


def review_panel():
    waiting = Comparison.objects.waiting_for_review().order_by("updated_at", "pk")
    return Panel(
        "Waiting for review",
        waiting.count(),
        _admin_url("comparisons_comparison_changelist", "?status__exact=review"),
        [(c.title, _change_url(c)) for c in waiting.only("pk", "title")[:ITEMS_PER_PANEL]],
    )


def scheduled_panel():
    scheduled = Comparison.objects.scheduled().order_by("publish_at", "pk")
    items = [
        (f"{c.title}: {timezone.localtime(c.publish_at):%Y-%m-%d %H:%M}", _change_url(c))
        for c in scheduled.only("pk", "title", "publish_at")[:ITEMS_PER_PANEL]
    ]
    return Panel(
        "Scheduled",
        scheduled.count(),
        _admin_url("comparisons_comparison_changelist", "?state=scheduled"),
        items,
    )


def reported_row_link(report):
    """The comparison's change form, scrolled to the reported row (the admin's rows-<n> id)."""
    return f"{_change_url(report.comparison)}#rows-{report.row_position}"


def with_row_positions(reports):
    """Annotate each report with its row's place in the table (0 first), in the same query."""
    rows_before = (
        DifferenceRow.objects.filter(comparison=OuterRef("comparison_id"))
        .filter(
            Q(order__lt=OuterRef("row__order"))
            | Q(order=OuterRef("row__order"), pk__lt=OuterRef("row_id"))
        )
        .order_by()
        .values("comparison")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return reports.annotate(row_position=Coalesce(Subquery(rows_before), 0))


def reports_panel():
    reports = with_row_positions(RowReport.objects.open().select_related("comparison", "row"))
    return Panel(
        "Reported rows",
        reports.count(),
        _admin_url("comparisons_rowreport_changelist", "?status__exact=open"),
        [
            (f"{report.comparison.title}: {report.row.aspect}", reported_row_link(report))
            for report in reports[:ITEMS_PER_PANEL]
        ],
    )


def comment_queue():
    """Return the comments waiting for moderation."""
    return Comment.objects.awaiting_moderation()


def comments_panel():
    queue = comment_queue()
    return Panel(
        "Comments waiting for moderation",
        queue.count(),
        _admin_url("comments_comment_changelist", "?status__exact=pending"),
    )


def most_read_panel():
    """The most read comparisons of the last 7 days."""
    comparisons = list(most_read(days=7, limit=ITEMS_PER_PANEL))
    return Panel(
        "Most read this week",
        len(comparisons),
        items=[(f"{c.title} ({c.recent_views:,} views)", _change_url(c)) for c in comparisons],
    )


def add_comparison_link(query):
    """The "Add comparison" form with the subjects `query` names ("bpo vs kpo") filled in."""
    sides = re.split(r"\s+(?:vs\.?|versus|and|or)\s+|\s*,\s*", query.strip(), maxsplit=1)
    found = {
        subject.search_name: subject.pk
        for subject in Subject.objects.filter(search_name__in=[fold_text(s) for s in sides])
    }
    initial = {
        key: found[fold_text(side)]
        for key, side in zip(("first_subject", "second_subject"), sides, strict=False)
        if fold_text(side) in found
    }
    link = _admin_url("comparisons_comparison_add")
    return f"{link}?{urlencode(initial)}" if link and initial else link


def unanswered_searches_panel():
    """The most asked searches without results, asked in the last 7 days."""
    searches = list(unanswered_searches(days=7, limit=ITEMS_PER_PANEL))
    return Panel(
        "Searches with no results this week",
        len(searches),
        items=[(f"{query} ({count})", add_comparison_link(query)) for query, count in searches],
    )


# (permission needed, panel function)
PANELS = [
    ("comparisons.view_comparison", review_panel),
    ("comparisons.view_comparison", scheduled_panel),
    ("comparisons.view_rowreport", reports_panel),
    ("comments.view_comment", comments_panel),
    ("comparisons.view_comparison", most_read_panel),
    # Each entry links to "Add comparison": shown to those who may add one.
    ("comparisons.add_comparison", unanswered_searches_panel),
]


def dashboard_panels(user):
    """Return the panels `user` may see."""
    return [make_panel() for permission, make_panel in PANELS if user.has_perm(permission)]
