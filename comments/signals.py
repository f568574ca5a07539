"""Signals other apps listen to, so they never need to know how comments are stored."""

from django.dispatch import Signal

# Sent after comments are created, edited or change status (also by bulk moderation).
# Keyword argument: targets, a set of (content_type_id, object_id) pairs whose pages changed.
comments_changed = Signal()
