"""The pages behind the links in comment e-mails, and the moderators' digest switch."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import notifications

UNKNOWN_LINK = "This link is not valid: it may be older than a week, or mistyped."


def subscription_page(request, subscription, state, status=200):
    return render(
        request,
        "comments/subscription.html",
        {
            "subscription": subscription,
            "state": state,
            "target": subscription.comment.target if subscription else None,
            "unknown_message": UNKNOWN_LINK,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """The page the link in the confirmation mail opens; its button (a POST) confirms the
    address. Opening the link changes nothing, so a mail scanner that follows every link
    cannot sign anyone up."""
    if request.method == "POST":
        subscription = notifications.confirm(token)
    else:
        subscription = notifications.subscription_of(token)
    if subscription is None:
        return subscription_page(request, None, "unknown", status=404)
    if subscription.unsubscribed_at:
        state = "unsubscribed"
    elif subscription.confirmed_at is None:
        state = "to-confirm"
    else:
        state = "confirmed"
    return subscription_page(request, subscription, state)


@never_cache
@csrf_exempt  # RFC 8058: mail programs POST "List-Unsubscribe=One-Click" without a token.
@require_http_methods(["GET", "POST"])  # not HEAD: link checkers must not unsubscribe anyone
def unsubscribe(request, token):
    """Stop a subscription's notices: no login, no captcha, one click."""
    subscription = notifications.unsubscribe(token)
    if subscription is None:
        return subscription_page(request, None, "unknown", status=404)
    return subscription_page(request, subscription, "unsubscribed")


@never_cache
@require_POST
def resubscribe(request, token):
    """Undo an unsubscription from the page that confirmed it."""
    subscription = notifications.resubscribe(token)
    if subscription is None:
        return subscription_page(request, None, "unknown", status=404)
    return subscription_page(request, subscription, "resubscribed")


@never_cache
@staff_member_required
@require_http_methods(["GET", "HEAD", "POST"])
def digest(request):
    """Let a moderator start or stop the daily digest of comments waiting for moderation."""
    if not request.user.has_perm(notifications.DIGEST_PERMISSION):
        raise PermissionDenied("Only moderators get the digest.")
    if request.method == "POST":
        notifications.set_digest(request.user, request.POST.get("digest") == "on")
        return redirect("comments:digest")
    return render(
        request,
        "comments/digest.html",
        {"wanted": notifications.wants_digest(request.user), "email": request.user.email},
    )
