"""What a comparison was before a change: what decides its lists, address and image."""

from dataclasses import dataclass

from ..models import Comparison

Status = Comparison.Status


@dataclass(frozen=True)
class ComparisonState:
    """What a comparison was before a change: what decides its lists, address and image."""

    status: str
    publish_at: object
    expire_at: object
    first_subject_id: int
    second_subject_id: int
    slug: str
    first_subject_slug: str
    second_subject_slug: str
    lead_image: str
    category_ids: frozenset

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    def membership(self):
        """What moves the comparison in or out of lists, or changes its place in them."""
        return (
            self.status,
            self.publish_at,
            self.expire_at,
            self.first_subject_id,
            self.second_subject_id,
            self.category_ids,
        )

    def address(self):
        return (self.slug, self.first_subject_slug, self.second_subject_slug)


def comparison_states(pks):
    """Return {pk: ComparisonState} of the stored comparisons `pks` (two queries)."""
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return {}
    categories = {}
    for comparison_id, category_id in Comparison.categories.through.objects.filter(
        comparison_id__in=pks
    ).values_list("comparison_id", "category_id"):
        categories.setdefault(comparison_id, set()).add(category_id)
    return {
        row[0]: ComparisonState(*row[1:], frozenset(categories.get(row[0], ())))
        for row in Comparison.objects.filter(pk__in=pks).values_list(
            "pk",
            "status",
            "publish_at",
            "expire_at",
            "first_subject_id",
            "second_subject_id",
            "slug",
            "first_subject__slug",
            "second_subject__slug",
            "lead_image",
        )
    }
