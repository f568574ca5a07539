"""One page of a target's comment threads, fetched in a single query."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Subquery
from django.http import Http404

from . import conf
from .models import Comment

PAGE_PARAMETER = "comment_page"


@dataclass
class Node:
    comment: Comment
    children: list = field(default_factory=list)

    @property
    def removed(self):
        """Shown only as "This comment has been removed": not published, but has replies."""
        return not self.comment.is_published


def parse_page_number(value):
    """Return the page number `value` names; raise Http404 for anything else."""
    if value in (None, ""):
        return 1
    if not str(value).isascii() or not str(value).isdigit() or not 0 < int(value) < 10**9:
        raise Http404("No such page of comments.")
    return int(value)


def keep_threads_with(request, keep, keep_section=None):
    """Have `keep` (see requested_threads) serve the pages of threads `request` shows, and
    `keep_section(target, variant, render)` the comments sections it shows.

    `keep_section` may return what `render()` returned earlier for the same `target` and
    `variant` (a hashable value), from a cache of the caller's own that it drops whenever
    `comments_changed` names `target`. The section is handed to it only when nothing else
    in the request shapes it.
    """
    request._comment_threads_keep = keep
    request._comment_section_keep = keep_section


def requested_threads(request, target, keep=None):
    """Return thread_page(target, number) for the page ?comment_page= names, read once per
    target and request.

    `keep(target, number, read)` may return a value `read()` returned earlier, from a cache of
    the caller's own that it drops whenever `comments_changed` names `target`.
    """
    keep = keep or request.__dict__.get("_comment_threads_keep")
    number = parse_page_number(request.GET.get(PAGE_PARAMETER))
    pages = request.__dict__.setdefault("_comment_thread_pages", {})
    key = (target._meta.label_lower, target.pk, number)
    if key not in pages:
        read = lambda: thread_page(target, number)  # noqa: E731
        pages[key] = read() if keep is None else keep(target, number, read)
    return pages[key]


def thread_page(target, number=1):
    """Return (nodes of the page's threads, Page) for `target`'s comments.

    One query whatever the number of comments: the page's threads with the total number of
    threads and of published comments alongside (`page.published_count`). A page past the
    last one raises Http404.
    """
    per_page = conf.get("COMMENTS_PER_PAGE")
    threads = Comment.objects.for_object(target).visible_threads()
    total = threads.order_by().values("content_type").annotate(total=Count("pk")).values("total")
    published = (
        Comment.objects.for_object(target)
        .visible()
        .order_by()
        .values("content_type")
        .annotate(total=Count("pk"))
        .values("total")
    )
    offset = (number - 1) * per_page
    rows = list(
        # The target filter lets the database read only this target's comments by index;
        # without it PostgreSQL walks every comment by date (350 ms at 1,000,000 comments).
        Comment.objects.for_object(target)
        .in_threads(threads[offset : offset + per_page])
        .for_display()
        .annotate(thread_total=Subquery(total[:1]), published_total=Subquery(published[:1]))
    )
    if not rows and number > 1:
        raise Http404("No such page of comments.")
    count = rows[0].thread_total if rows else 0
    page = Paginator(range(count), per_page).page(number)
    # No visible thread means no published comment.
    page.published_count = (rows[0].published_total or 0) if rows else 0
    return build_tree(rows), page


def build_tree(comments):
    """Arrange `comments` (oldest first) into threads, dropping unpublished ones without
    published replies."""
    children = defaultdict(list)
    for comment in comments:
        children[comment.parent_id].append(comment)

    def grow(comment):
        node = Node(comment, [grown for child in children[comment.pk] if (grown := grow(child))])
        return node if comment.is_published or node.children else None

    return [node for root in children[None] if (node := grow(root))]
