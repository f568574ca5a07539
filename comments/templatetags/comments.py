from django import template
from django.urls import reverse

from ..display import PAGE_PARAMETER, parse_page_number, requested_threads
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


@register.simple_tag(takes_context=True)
def comments_section(context, target):
    """Render `target`'s published comments (the page ?comment_page= names) and the
    "Add new comment" link. Nothing in it depends on the visitor, so it can be kept: with a
    `keep_section` (see display.keep_threads_with) it is rendered once per change of the
    comments, of whether they are open, and of the comments page."""
    request = context["request"]
    open_ = accepts_new_comments(target)

    def render():
        nodes, page = _threads(request, target)
        form_url = reverse(
            "comments:form",
            kwargs={"target_label": target_label(target), "object_id": target.pk},
        )
        section = context.template.engine.get_template("comments/_section.html")
        return section.render(
            context.new(
                {
                    "request": request,
                    "target": target,
                    "nodes": nodes,
                    "page_obj": page,
                    "count": page.published_count,
                    "page_parameter": PAGE_PARAMETER,
                    "open": open_,
                    "form_url": form_url,
                }
            )
        )

    keep = request.__dict__.get("_comment_section_keep")
    if keep is None or not set(request.GET) <= {PAGE_PARAMETER}:
        return render()
    _threads(request, target)  # a page past the last one is refused, kept or not
    variant = (request.path, parse_page_number(request.GET.get(PAGE_PARAMETER)), open_)
    return keep(target, variant, render)


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
