"""Writing subjects: their slug, search name and aliases, and the pages that show them."""

from django.db import transaction

from pagecache.tags import invalidate, members_tag, object_tag

from ..interest import refresh_most_searched
from ..invalidation import SEARCH
from ..models import Comparison, Subject, subject_slug, update_alias_names
from ..search import update_search_index
from ..text import fold_text


def subject_prepare(subject):
    """Set what a subject derives from its name: its slug when blank, its search name (its
    text without control characters first)."""
    subject.strip_control_characters()
    subject.slug = subject.slug or subject_slug(subject.name)
    subject.search_name = fold_text(subject.name)[:120]
    return subject


def subject_save(subject):
    """Create or change `subject`; re-index and drop the pages of its comparisons."""
    with transaction.atomic():
        before = (
            Subject.objects.filter(pk=subject.pk).values_list("name", "slug").first()
            if subject.pk
            else None
        )
        subject_prepare(subject).save()
        update_alias_names([subject])
        involving = list(Comparison.objects.involving(subject).values_list("pk", flat=True))
        renamed = before is not None and before[0] != subject.name
        if renamed:
            update_search_index(involving)
        invalidate(
            object_tag(subject),
            members_tag(subject),
            *(object_tag(Comparison, pk) for pk in involving),
            *([SEARCH] if involving else []),
        )
        if renamed and involving:
            refresh_most_searched()  # they name the comparisons by their subjects
    return subject


def subject_get_or_create(name, description=""):
    """Return the subject called `name`, creating it (through `subject_save`) if needed."""
    subject = Subject.objects.filter(name=name).first()
    if subject is None:
        subject = subject_save(Subject(name=name, description=description))
    return subject
