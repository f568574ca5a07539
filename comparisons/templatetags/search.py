import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..search import highlight_words

register = template.Library()

# The same escapes as Django's json_script: no "<", ">" or "&" can close the element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def highlight(text, terms):
    """Escape `text`, then wrap the words matching the search `terms` in <mark>."""
    return highlight_words(str(text), terms or [])


@register.filter
def json_ld(data):
    """Render `data` as a <script type="application/ld+json"> element, escaped like json_script."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))
