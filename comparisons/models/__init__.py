"""The content: categories, subjects, comparisons and their rows of differences.

One module per part: `taxonomy` (categories, subjects and their aliases), `comparison` (the
comparison, who sees it, its queries), `parts` (rows and image credits), `addresses` (pair
slugs and earlier addresses), `drafts`, `interest` (what readers read and search) and
`reports` (readers' reports on rows). Import them from here.
"""

# Django registers the models in the order these modules are imported: the order they had
# when they were one module.
# isort: off
from .taxonomy import (
    CATEGORY_NAV_CACHE_KEY,
    SUBJECT_SLUG_LENGTH,
    Category,
    CategoryQuerySet,
    Subject,
    SubjectAlias,
    subject_slug,
    update_alias_names,
)
from .comparison import (
    COMPARISON_SLUG_LENGTH,
    Comparison,
    ComparisonQuerySet,
    may_see_drafts,
    published_q,
)
from .parts import DifferenceRow, ImageCredit, RowGroup, group_rows
from .drafts import ComparisonDraft
from .addresses import (
    ComparisonAddress,
    find_comparison_by_old_address,
    find_comparison_by_pair_slug,
    split_pair_slug,
)
from .interest import (
    ComparisonPopularity,
    DailyInterest,
    InterestBatch,
    PinnedComparison,
    SearchQuery,
)
from .reports import RowReport, RowReportQuerySet
# isort: on

__all__ = [
    "CATEGORY_NAV_CACHE_KEY",
    "COMPARISON_SLUG_LENGTH",
    "Category",
    "CategoryQuerySet",
    "Comparison",
    "ComparisonAddress",
    "ComparisonDraft",
    "ComparisonPopularity",
    "ComparisonQuerySet",
    "DailyInterest",
    "DifferenceRow",
    "ImageCredit",
    "InterestBatch",
    "PinnedComparison",
    "RowGroup",
    "RowReport",
    "RowReportQuerySet",
    "SUBJECT_SLUG_LENGTH",
    "SearchQuery",
    "Subject",
    "SubjectAlias",
    "find_comparison_by_old_address",
    "find_comparison_by_pair_slug",
    "group_rows",
    "may_see_drafts",
    "published_q",
    "split_pair_slug",
    "subject_slug",
    "update_alias_names",
]
