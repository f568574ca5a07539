"""What other apps may use of the comments app; everything else in it is internal.

from comments import api as comments

comments.register(Article)               # in AppConfig.ready(): Article takes comments
comments.Comment.objects.awaiting_moderation()
comments.comments_changed.connect(...)   # a page's comments changed: refresh its caches
comments.keep_threads_with(request, keep, keep_section)  # serve threads, sections from a cache
comments.client_ip(request)              # the address rate limits count
comments.captcha_field()                 # the captcha field (image, audio), for other public forms
comments.RateLimit(name, Rule(...))      # the one rate-limit mechanism, for other public forms
"""

from .captcha import CaptchaInput, captcha_field
from .display import PAGE_PARAMETER, keep_threads_with
from .limits import Limited, LimitUnavailable, RateLimit, Rule, client_key, request_key
from .models import Comment, comment_count
from .moderation import client_ip, moderate, post_comment
from .registry import register, unregister
from .signals import comments_changed
from .text import render_plain_text

__all__ = [
    "PAGE_PARAMETER",
    "CaptchaInput",
    "Comment",
    "LimitUnavailable",
    "Limited",
    "RateLimit",
    "Rule",
    "captcha_field",
    "client_key",
    "client_ip",
    "comment_count",
    "comments_changed",
    "keep_threads_with",
    "moderate",
    "post_comment",
    "register",
    "render_plain_text",
    "request_key",
    "unregister",
]
