from django import template

from ..models import Category

register = template.Library()


@register.inclusion_tag("includes/_category_nav.html")
def category_nav(current=None):
    """Render the list of categories, marking `current` as the page's own."""
    return {"categories": Category.objects.navigation(), "current": current}


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """Return the current query string with `changes` applied, e.g. for pagination links."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return "?" + params.urlencode()
