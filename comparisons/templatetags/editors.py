from django import template

from ..admin.dashboard import dashboard_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def editor_dashboard(context):
    """Return the dashboard panels for the admin index's user."""
    return dashboard_panels(context["request"].user)
