"""Creating, changing, publishing and deleting comparisons with their rows and credits."""

import reversion
from django.db import transaction

from ..interest import refresh_most_searched
from ..markup import render_markdown
from ..models import Comparison, DifferenceRow, ImageCredit
from .changed import comparisons_changed, drop_pages
from .states import comparison_states

Status = Comparison.Status


def comparison_prepare(comparison):
    """Set what a comparison derives from its content: title and slug when blank, body HTML
    (its text without control characters first)."""
    comparison.strip_control_characters()
    comparison.title = comparison.title or comparison.default_title()
    comparison.slug = comparison.slug or comparison.default_slug()
    comparison.body_html = render_markdown(comparison.body)
    return comparison


def renumber(parts):
    """Return `parts` (rows or credits) in their shown order, with distinct order numbers.

    A part whose number was just typed goes before the part that held that number, and the
    parts after it move down one; a part with no number (or 0) goes last. Distinct numbers
    are kept as they are (1, 5, 9 stays so).
    """

    def position(item):
        index, part = item
        typed = getattr(part, "_order_typed", False)
        return (part.order or float("inf"), 0 if typed else 1, index)

    ordered = [part for _, part in sorted(enumerate(parts), key=position)]
    previous = 0
    for part in ordered:
        part.order = max(part.order or 0, previous + 1)
        previous = part.order
    return ordered


def _sync_parts(comparison, model, parts):
    """Make `parts` the comparison's rows (or credits): update those that exist in place,
    create the new ones and delete the ones left out."""
    parts = renumber(list(parts))
    kept = [part.pk for part in parts if part.pk]
    model.objects.filter(comparison=comparison).exclude(pk__in=kept).delete()
    for part in parts:
        part.comparison = comparison
        part.strip_control_characters()
        part.save()
    return parts


def comparison_save(
    comparison,
    *,
    categories=None,
    rows=None,
    credits=None,
    user=None,
    comment="",
    before=None,
):
    """Create or change `comparison`, with its categories, rows and credits when given.

    `rows` and `credits` are the full lists wanted afterwards: parts with a pk are updated in
    place (so reader reports on a row stay attached), the others are created, and the ones left
    out are deleted; their order numbers are made distinct (see `renumber`). `before` is the
    ComparisonState read before the change (read here when not given). Keeps a revision with
    `user` and `comment`.
    """
    with transaction.atomic(), reversion.create_revision():
        if before is None and comparison.pk:
            before = comparison_states([comparison.pk]).get(comparison.pk)
        comparison_prepare(comparison).save()
        if categories is not None:
            comparison.categories.set(categories)
        if rows is not None:
            _sync_parts(comparison, DifferenceRow, rows)
        if credits is not None:
            _sync_parts(comparison, ImageCredit, credits)
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        if comment:
            reversion.set_comment(comment)
        comparisons_changed({comparison.pk: before})
    return comparison


def comparison_publish(comparison, user=None, comment="Published."):
    """Make `comparison` public (from its publish date on)."""
    comparison.status = Status.PUBLISHED
    return comparison_save(comparison, user=user, comment=comment)


def comparison_unpublish(comparison, user=None, comment="Unpublished."):
    """Take `comparison` down: readers get a 404 until it is published again."""
    comparison.status = Status.UNPUBLISHED
    return comparison_save(comparison, user=user, comment=comment)


def comparison_submit(comparison, user=None, comment="Submitted for review."):
    """Put a draft in the publishers' queue."""
    comparison.status = Status.REVIEW
    return comparison_save(comparison, user=user, comment=comment)


def comparison_delete(comparison):
    """Delete `comparison` with its rows and credits (its revisions stay, to recover it)."""
    with transaction.atomic():
        state = comparison_states([comparison.pk]).get(comparison.pk)
        pk = comparison.pk
        comparison.delete()
        drop_pages({pk: state}, {})
        refresh_most_searched()
