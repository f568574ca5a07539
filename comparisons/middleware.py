"""Requests that the page cache did not answer publish the drafts whose moment has come."""

from .services import comparison_drafts_publish_due


class PublishDueDraftsMiddleware:
    """Publish scheduled drafts of live comparisons when due, before the page is made.

    Cached pages expire before a draft is due (see `invalidation.next_scheduled_draft`), so the
    first request after that moment reaches this middleware and makes the changes live.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        comparison_drafts_publish_due()
        return self.get_response(request)
