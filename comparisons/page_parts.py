"""The parts of a comparison page, and what of them is kept once per change.

The public page passes `shared_parts`: each part it shows (the comparison's categories, rows
and credits, the related list, the sidebar's lists, the differences table, the comments) is
read or rendered once per change of what it shows, with `pagecache.fragments.fragment`, and
dropped by the page-cache tags of that. The admin's preview passes unsaved parts and keeps
nothing.
"""

from django.template.loader import render_to_string

from pagecache.fragments import fragment
from pagecache.tags import comments_tag, detail_tag, members_tag, object_tag

from . import interest
from .invalidation import listing_tags, most_searched_tags
from .models import Comparison, Subject, group_rows
from .reading import article_of, shows_contents, sidebar_blocks
from .structured_data import comparison_structured_data


def comparison_tags(comparison):
    """The tags that drop what is kept of a comparison itself: its own, and its subjects' (the
    page names them)."""
    return [
        object_tag(comparison),
        detail_tag(comparison),
        *(object_tag(Subject, pk) for pk in subject_pks(comparison)),
    ]


def subject_pks(comparison):
    return (comparison.first_subject_id, comparison.second_subject_id)


def comparison_parts(comparison):
    """(categories, rows, credits) of a saved comparison, read once per change of it or of
    its categories."""

    def read():
        return (
            list(comparison.categories.all()),
            list(comparison.rows.all()),
            list(comparison.credits.all()),
        )

    return fragment(
        f"parts:{comparison.pk}",
        read,
        lambda parts: [
            object_tag(comparison),
            detail_tag(comparison),
            *(object_tag(category) for category in parts[0]),
        ],
    )


def kept_comment_threads(target, number, read):
    """A page of `target`'s comment threads, read once per change of its comments."""
    name = f"comments:{target._meta.label_lower}:{target.pk}:{number}"
    return fragment(name, read, lambda _threads: [comments_tag(target)])


def kept_comments_section(target, variant, render):
    """`target`'s comments section as HTML, rendered once per change of its comments (and
    per `variant`: the address, the comments page, whether comments are open)."""
    name = f"comments-html:{target._meta.label_lower}:{target.pk}:{variant}"
    return fragment(name, render, lambda _html: [comments_tag(target)])


def related_comparisons(comparison, categories, shared_parts=False):
    """The comparisons listed as related to `comparison` in `categories`; with
    `shared_parts`, read once per change of the lists they are drawn from (saved parts only)."""

    def read():
        return list(
            Comparison.objects.published()
            .for_listing()
            .related_to(comparison, categories, limit=interest.BLOCK_SIZE)
        )

    if not shared_parts:
        return read()
    subjects = subject_pks(comparison)
    category_pks = [category.pk for category in categories]
    name = f"related:{comparison.pk}:{subjects}:{category_pks}"
    return fragment(name, read, lambda related: related_tags(comparison, categories, related))


def related_tags(comparison, categories, related):
    """The tags of the lists `related` is drawn from, and of the comparisons it lists."""
    subjects = subject_pks(comparison)
    return [
        *(members_tag(Subject, pk) for pk in subjects),
        *(members_tag(category) for category in categories),
        *listing_tags(related),
    ]


def kept_differences(comparison, rows, row_groups):
    """The table of a saved comparison's differences as HTML, rendered once per change of
    the comparison, its rows or its subjects' names."""

    def render():
        return render_to_string(
            "comparisons/_differences.html",
            {"comparison": comparison, "rows": rows, "row_groups": row_groups},
        )

    return fragment(
        f"differences:{comparison.pk}",
        render,
        lambda _html: comparison_tags(comparison),
    )


def kept_sidebar_lists(comparison, categories, related, blocks):
    """The related list and "Most searched" blocks of a saved comparison's sidebar as HTML,
    rendered once per change of the related list or of the blocks."""

    def render():
        return render_to_string(
            "comparisons/_sidebar_lists.html", {"related": related, "most_searched": blocks()}
        )

    subjects = subject_pks(comparison)
    name = f"sidebar:{comparison.pk}:{subjects}:{[category.pk for category in categories]}"
    return fragment(
        name,
        render,
        lambda _html: [
            *related_tags(comparison, categories, related),
            *most_searched_tags(interest.most_searched_blocks()),
        ],
    )


def comparison_page_context(request, comparison, categories, rows, credits, shared_parts=False):
    """Return what the comparison template needs besides `comparison` itself.

    The parts are passed in so that the admin's preview can show unsaved ones; the public
    page passes `shared_parts` to reuse what stays the same between changes.
    """
    main_category = categories[0] if categories else None
    related = related_comparisons(comparison, categories, shared_parts)

    def blocks():
        return sidebar_blocks(
            shown=[other.pk for other in related],
            category_ids={category.pk for category in categories},
            exclude_id=comparison.pk,
        )

    row_groups = group_rows(rows)
    if shared_parts:
        most_searched = None
        sidebar_lists = kept_sidebar_lists(comparison, categories, related, blocks)
        differences = kept_differences(comparison, rows, row_groups)
    else:
        most_searched, sidebar_lists, differences = blocks(), None, None
    article = article_of(comparison.body_html)
    return {
        "comparison": comparison,
        "categories": categories,
        "main_category": main_category,
        "rows": rows,
        "row_groups": row_groups,
        "differences": differences,
        "credits": credits,
        "related": related,
        "article": article,
        "show_contents": shows_contents(article),
        "is_public": comparison.is_public(),
        "publication_state": comparison.publication_state(),
        "most_searched": most_searched,
        "sidebar_lists": sidebar_lists,
        "structured_data": comparison_structured_data(request, comparison, main_category, rows),
    }
