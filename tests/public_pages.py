"""The public pages that the third-party checkers (axe-core, the Nu Html Checker) audit.

To put a new page under every check (axe at two widths and in dark mode, vnu, the 360 px
overflow test), add one line to `public_pages()`. It runs after the demo content is loaded,
so an address may be looked up from the database.
"""

from django.urls import reverse

from comments.models import Comment
from comparisons.models import Category, Comparison, Subject


def public_pages():
    """Return [(name, path)] of every public page, on the demo content."""
    comparison = Comparison.objects.published().get(slug="bpo-and-kpo")
    comment_form = reverse(
        "comments:form",
        kwargs={"target_label": "comparisons.comparison", "object_id": comparison.pk},
    )
    first_comment = Comment.objects.for_object(comparison).visible().first()
    return [
        ("home", reverse("comparisons:home")),
        ("category", Category.objects.get(slug="business").get_absolute_url()),
        ("subject", Subject.objects.get(slug="bpo").get_absolute_url()),
        ("comparison", comparison.get_absolute_url()),
        ("search form", reverse("comparisons:search")),
        ("search results", reverse("comparisons:search") + "?q=bpo+vs+kpo"),
        ("search without results", reverse("comparisons:search") + "?q=zebra+vs+quartz"),
        ("not found", "/difference-between-nothing-and-nowhere/"),
        ("row report form", reverse("comparisons:report-row", kwargs={"slug": comparison.slug})),
        ("comment form", comment_form),
        ("reply form", f"{comment_form}?parent={first_comment.pk}"),
        (
            "comment queued",
            reverse(
                "comments:posted",
                kwargs={"target_label": "comparisons.comparison", "object_id": comparison.pk},
            ),
        ),
    ]
