from django import template
from django.urls import reverse

from ..display import PAGE_PARAMETER, requested_threads
from ..forms import target_label
from ..models import accepts_new_comments

register = template.Library()


def _threads(request, target):
    """The comments page ?comment_page= names, read once per target and request."""
    return requested_threads(request, target)


@register.inclusion_tag("comments/_count_link.html", takes_context=True)
def comments_count_link(context, target):
    """Render "N comments", linking to the comments section (published comments only).

    Costs no query of its own: the comments section reads the count with its threads.
    """
    _nodes, page = _threads(context["request"], target)
    return {"count": page.published_count}


@register.inclusion_tag("comments/_section.html", takes_context=True)
def comments_section(context, target):
    """Render `target`'s published comments (the page ?comment_page= names) and the
    "Add new comment" link. Nothing in it depends on the visitor, so it can be cached."""
    request = context["request"]
    nodes, page = _threads(request, target)
    form_url = reverse(
        "comments:form", kwargs={"target_label": target_label(target), "object_id": target.pk}
    )
    return {
        "request": request,
        "target": target,
        "nodes": nodes,
        "page_obj": page,
        "count": page.published_count,
        "page_parameter": PAGE_PARAMETER,
        "open": accepts_new_comments(target),
        "form_url": form_url,
    }


@register.simple_tag
def described_widget(field):
    """Render `field`'s widget pointing aria-describedby at its error and help texts."""
    ids = []
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    if field.help_text:
        ids.append(f"{field.auto_id}-help")
    attrs = {"aria-describedby": " ".join(ids)} if ids else {}
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def comment_page_url(context, number):
    """The current address with the comments page set to `number` (omitted for page 1)."""
    params = context["request"].GET.copy()
    params.pop(PAGE_PARAMETER, None)
    if number > 1:
        params[PAGE_PARAMETER] = number
    query = params.urlencode()
    path = context["request"].path
    return f"{path}?{query}#comments" if query else f"{path}#comments"


@register.filter
def isolated_title(text):
    """Return plain `text` between Unicode isolate marks (what <bdi> does in HTML), for the page
    title: direction marks in a commented object's name stay inside it."""
    return f"\u2068{text}\u2069"
