"""The only way comparisons, their rows and credits, and subjects are written.

The admin, the importer, the demo loader, the benchmarks and the tests all call these
functions. Each change ends in one `comparisons_changed()` step that keeps everything derived
from the content in step: earlier addresses, image renditions, the search index, the revision,
the page-cache tags and the "Most searched" blocks. Nothing else (no `save()` override, no
signal receiver) does any of that work.

Derived rows (addresses, renditions, index, revision) are written in the same transaction as
the change, so a change is never stored without them; the caches are dropped at once and
again when the transaction commits (see `pagecache.tags.invalidate`).

The functions live in one module per kind of write: `subjects`, `writing` (comparisons, their
rows and credits), `drafts` (drafts of live comparisons), `importing` (import plans), and
`changed` (the step every write ends with); `states` reads what a comparison was before a
change. Import them from here.
"""

from .changed import comparisons_changed
from .drafts import (
    DRAFT_FIELDS,
    DRAFT_PART_FIELDS,
    DraftSaved,
    comparison_draft_discard,
    comparison_draft_publish,
    comparison_draft_save,
    comparison_draft_schedule,
    comparison_drafts_publish_due,
    draft_applied,
    is_live,
    published_changes_comment,
)
from .importing import IMPORTED_FIELDS, RowMatch, comparisons_import, match_rows
from .states import ComparisonState, Status, comparison_states
from .subjects import subject_get_or_create, subject_prepare, subject_save
from .writing import (
    comparison_delete,
    comparison_prepare,
    comparison_publish,
    comparison_save,
    comparison_submit,
    comparison_unpublish,
    renumber,
)

__all__ = [
    "ComparisonState",
    "DRAFT_FIELDS",
    "DRAFT_PART_FIELDS",
    "DraftSaved",
    "IMPORTED_FIELDS",
    "RowMatch",
    "Status",
    "comparison_delete",
    "comparison_draft_discard",
    "comparison_draft_publish",
    "comparison_draft_save",
    "comparison_draft_schedule",
    "comparison_drafts_publish_due",
    "comparison_prepare",
    "comparison_publish",
    "comparison_save",
    "comparison_states",
    "comparison_submit",
    "comparison_unpublish",
    "comparisons_changed",
    "comparisons_import",
    "draft_applied",
    "is_live",
    "published_changes_comment",
    "match_rows",
    "renumber",
    "subject_get_or_create",
    "subject_prepare",
    "subject_save",
]
