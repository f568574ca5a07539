"""Who may move a comparison between draft, in review, published and unpublished."""

from .models import Comparison

PUBLISH_PERMISSION = "comparisons.publish_comparison"

Status = Comparison.Status
# Statuses that decide what readers see: only publishers set or leave them.
PUBLISHER_STATUSES = frozenset({Status.PUBLISHED, Status.UNPUBLISHED})


def can_publish(user):
    """Return whether `user` may publish, schedule and take down comparisons."""
    return user.has_perm(PUBLISH_PERMISSION)


def locks_publishing_fields(user, comparison):
    """Return whether `user` must not change the status and dates of `comparison`.

    Once a comparison is published or taken down, what readers see is the
    publishers' call: an editor may still correct its content.
    """
    return (
        comparison is not None
        and comparison.pk is not None
        and comparison.status in PUBLISHER_STATUSES
        and not can_publish(user)
    )
