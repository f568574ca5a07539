"""The comment form (never cached), the POST handler, the "queued" page and permalinks."""

import logging
import math
from urllib.parse import parse_qsl, urlencode

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db.utils import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import csrf
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from . import conf, moderation, notifications
from .forms import CommentForm, target_label
from .models import Comment, accepts_new_comments, is_commentable
from .registry import commentable
from .remember import (
    REMEMBER_COOKIE,
    remember_cookie_path,
    remember_poster,
    remembered_poster,
)

MAX_OBJECT_ID = 2**63 - 1
# What a comment refused for a database outage sends again (the captcha is new each time).
KEPT_FIELDS = (
    "target", "object_id", "parent", "timestamp", "security_hash", "name", "email", "homepage",
    "subject", "remember", "notify",
)

DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError)

logger = logging.getLogger(__name__)


class BadRequest(Exception):
    """A malformed post: answered 400 with `message`."""


def find_target(label, object_id, public_only=True):
    """Return the commentable object `label` ("app.model") and `object_id` name, or raise 404;
    without `public_only`, also one the public may no longer see (taken down while a visitor
    typed: their text comes back with the form, see _post_comment).

    A malformed label or id raises BadRequest.
    """
    app_label, dot, model = (label or "").partition(".")
    if not dot or not app_label or not model or "\x00" in label:
        raise BadRequest("The form does not say what it comments on.")
    object_id = str(object_id or "")
    if not object_id.isascii() or not object_id.isdigit() or not 0 < int(object_id) <= MAX_OBJECT_ID:
        raise BadRequest("The form does not say what it comments on.")
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        raise Http404("Nothing to comment on here.") from None
    model_class = content_type.model_class()
    if model_class is None:
        raise Http404("Nothing to comment on here.")
    target = model_class._default_manager.filter(pk=int(object_id)).first()
    if target is None or commentable(target) is None:
        raise Http404("Nothing to comment on here.")
    if public_only and not is_commentable(target):
        raise Http404("Nothing to comment on here.")
    return target


def find_parent(target, value):
    """Return the published comment of `target` a reply answers, None for no reply.

    Raise BadRequest for a comment of another target, an unpublished one, or junk.
    """
    if value in (None, ""):
        return None
    value = str(value)
    if not value.isascii() or not value.isdigit() or int(value) > MAX_OBJECT_ID:
        raise BadRequest("The comment you reply to is not on this page.")
    parent = Comment.objects.for_object(target).visible().filter(pk=int(value)).first()
    if parent is None:
        raise BadRequest("The comment you reply to is not on this page.")
    return parent


def comment_url(comment):
    """The address of `comment` on its target's page: the right page, then its anchor."""
    url = comment.target.get_absolute_url()
    page = comment.page_number()
    if page > 1:
        url += f"?comment_page={page}"
    return f"{url}#{comment.anchor}"


def has_invalid_utf8(request):
    if request.content_type != "application/x-www-form-urlencoded":
        return False
    try:
        parse_qsl(request.body.decode("utf-8"), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return True
    return False


def error_page(request, message, status):
    return render(
        request,
        "comments/error.html",
        {"message": message, "status": status, "home_url": conf.get("COMMENTS_HOME_URL")},
        status=status,
    )


def render_form(request, form, *, status=200, parent=None, fragment=False, preview=None):
    """The form on its own page, or (`fragment`) alone, for the page's script to show.

    `preview` is the unsaved comment a Preview shows above the form.
    """
    template = "comments/_form.html" if fragment else "comments/comment_form.html"
    context = {
        "form": form,
        "target": form.target,
        "parent": parent,
        "closed": not accepts_new_comments(form.target),
        "gone": not is_commentable(form.target),
        "target_label": target_label(form.target),
        "fragment": fragment,
        "preview": preview,
        "remembered": REMEMBER_COOKIE in request.COOKIES,
        "form_url": reverse(
            "comments:form",
            kwargs={"target_label": target_label(form.target), "object_id": form.target.pk},
        ),
    }
    return render(request, template, context, status=status)


POSTED_SALT = "comments.posted"
POSTED_SECONDS = 24 * 60 * 60


def posted_url(target, comment, *, fragment=False):
    """Where the poster sees their `comment` on `target`: an address only they were sent."""
    url = reverse(
        "comments:posted", kwargs={"target_label": target_label(target), "object_id": target.pk}
    )
    query = {"comment": signing.dumps(comment.pk, salt=POSTED_SALT)}
    if fragment:
        query["fragment"] = "1"
    return f"{url}?{urlencode(query)}"


def quietly(response):
    """Keep Django from logging `response` (a 429 of a flood would write a line per request)."""
    response._has_been_logged = True
    return response


FORM_PAGE_LIMIT_MESSAGE = "You opened the comment form too often; please wait a minute."


@never_cache
@require_safe
def comment_form(request, target_label, object_id):
    """The form for a new comment (or a reply with ?parent=<id>); ?fragment=1 for JS.

    Each client may open it COMMENTS_FORM_PAGE_LIMIT times a window; more get a 429 at once,
    before any database work. HEAD answers as GET does but stores no captcha.
    """
    if not moderation.allow_form_page(moderation.client_ip(request)):
        # A page of its own, without the site's layout: nothing to compute for a flood.
        response = render(
            request, "comments/form_limit.html", {"message": FORM_PAGE_LIMIT_MESSAGE}, status=429
        )
        response["Retry-After"] = str(conf.get("COMMENTS_FORM_PAGE_LIMIT")[1])
        return quietly(response)
    try:
        target = find_target(target_label, object_id)
        parent = find_parent(target, request.GET.get("parent"))
    except BadRequest as error:
        return error_page(request, str(error), 400)
    form = CommentForm(
        target, user=request.user, parent=parent, initial=initial_poster(request)
    )
    if request.method == "HEAD" and "captcha" in form.fields:
        form.fields["captcha"].widget.stores_challenge = False
    return render_form(
        request, form, parent=parent, fragment=request.GET.get("fragment") == "1"
    )


def initial_poster(request):
    saved = remembered_poster(request)
    return {**saved, "remember": True} if saved else {}


@never_cache
@require_safe
def forget_poster(request):
    """Delete the "Remember me" cookie, then go back to the form (or the home page)."""
    back = request.GET.get("next", "")
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, {request.get_host()}, request.is_secure()
    ):
        back = "/"
    response = HttpResponseRedirect(back)
    response.delete_cookie(REMEMBER_COOKIE, path=remember_cookie_path(), samesite="Lax")
    return response


def kept_comment(request):
    """A posted comment as the 503 page shows it again: the text and hidden fields to resend.

    Needs no database (the CSRF token comes from the cookie). Sent again, the form lacks a
    captcha (captchas live in the database), so it comes back once more, text kept, with a
    fresh one to solve.
    """
    return {
        "action": reverse("comments:post"),
        "csrf_token": get_token(request),
        "hidden": [(name, request.POST[name]) for name in KEPT_FIELDS if request.POST.get(name)],
        "text": request.POST.get("text", ""),
    }


def unavailable_response(request):
    """A 503 that needs no database, showing the posted comment in a form to send again."""
    seconds = conf.get("COMMENTS_RETRY_AFTER_SECONDS")
    content = loader.render_to_string(
        "comments/unavailable.html",
        {
            "retry_after": seconds,
            "kept_comment": kept_comment(request),
            "home_url": conf.get("COMMENTS_HOME_URL"),
        },
    )
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response


@never_cache
@require_POST
def post_comment(request):
    """Check and store a posted comment, then redirect (Post/Redirect/Get).

    If the database goes away, nothing is half-written (storing is one transaction) and the
    visitor gets the 503 page with their text in a form to send again.
    """
    try:
        return _post_comment(request)
    except DATABASE_DOWN_ERRORS as error:
        logger.error("Database unavailable for %s: %s", request.path, error)
        return unavailable_response(request)


def _post_comment(request):
    if has_invalid_utf8(request):
        return error_page(request, "The form was not sent as UTF-8 text.", 400)
    try:
        target = find_target(
            request.POST.get("target"), request.POST.get("object_id"), public_only=False
        )
    except BadRequest as error:
        return error_page(request, str(error), 400)
    if not is_commentable(target):
        # Taken down while the visitor typed: the form with their text, as for closed comments.
        form = CommentForm(target, request.POST, user=request.user)
        return render_form(request, form, status=403, fragment=request.POST.get("fragment") == "1")
    try:
        parent = find_parent(target, request.POST.get("parent"))
    except BadRequest as error:
        # E.g. the comment was removed while the visitor typed: keep the text, as a new comment.
        data = request.POST.copy()
        data.pop("parent", None)
        form = CommentForm(target, data, user=request.user)
        form.add_error(None, f"{error} Post it as a new comment instead.")
        return render_form(
            request, form, status=400, fragment=request.POST.get("fragment") == "1"
        )
    fragment = request.POST.get("fragment") == "1"
    preview = "preview" in request.POST
    form = CommentForm(target, request.POST, user=request.user, preview=preview)
    if not accepts_new_comments(target):
        # Shown with the text typed, so it is not lost.
        return render_form(request, form, status=403, parent=parent, fragment=fragment)
    if form.honeypot_filled():
        return redirect("comments:posted", target_label=target_label(target), object_id=target.pk)
    if not form.is_valid():
        return render_form(request, form, status=400, parent=parent, fragment=fragment)
    if preview:
        return render_form(
            request, form, parent=parent, fragment=fragment, preview=form.preview_comment()
        )
    fields = form.comment_fields()
    ip = moderation.client_ip(request)
    try:
        if not form.is_staff:
            moderation.check_rate_limit(ip)
        if moderation.is_duplicate(target, fields["email"], fields["text"]):
            form.add_error(None, moderation.DUPLICATE_MESSAGE)
            return render_form(request, form, status=409, parent=parent, fragment=fragment)
        with moderation.counted_post(ip, exempt=form.is_staff):
            comment = moderation.post_comment(
                target,
                parent=parent,
                user=request.user if form.is_staff else None,
                ip=ip,
                notify_replies=form.wants_reply_notices(),
                **fields,
            )
    except moderation.RateLimited as limited:
        form.add_error(None, limited.message)
        response = render_form(request, form, status=429, parent=parent, fragment=fragment)
        if limited.wait:
            response["Retry-After"] = str(math.ceil(limited.wait))
        return response
    if comment.is_published and not fragment and not form.wants_reply_notices():
        response = redirect(comment_url(comment))
    else:
        response = redirect(posted_url(target, comment, fragment=fragment))
    remember_poster(request, response, form)
    return response


@never_cache
@require_safe
def posted(request, target_label, object_id):
    """Where a visitor lands after posting: their comment as it will appear, marked
    "Awaiting moderation" while it waits. ?comment= is the signed id only the poster was
    sent; without it (or when it is not valid) the page just thanks them.
    ?fragment=1 answers the page's script with the part that replaces the form."""
    try:
        target = find_target(target_label, object_id)
    except BadRequest as error:
        return error_page(request, str(error), 400)
    comment = own_comment(request.GET.get("comment"), target)
    published = comment is not None and comment.is_published
    template = "comments/_posted.html" if request.GET.get("fragment") == "1" else "comments/posted.html"
    return render(
        request,
        template,
        {
            "target": target,
            "comment": comment,
            "permalink": comment_url(comment) if published else "",
            "message": PUBLISHED_MESSAGE if published else moderation.QUEUED_MESSAGE,
            "reply_notices": notifications.reply_notices_state(comment) if comment else "",
        },
    )


PUBLISHED_MESSAGE = "Your comment has been published."


def own_comment(token, target):
    """The comment `token` (from posted_url) names on `target`, if pending or published."""
    if not token:
        return None
    try:
        pk = signing.loads(token, salt=POSTED_SALT, max_age=POSTED_SECONDS)
    except signing.BadSignature:
        return None
    return (
        Comment.objects.for_object(target)
        .filter(pk=pk, status__in=[Comment.Status.PENDING, Comment.Status.PUBLISHED])
        .first()
    )


@require_safe
def permalink(request, comment_id):
    """Redirect to the comment on the right page of its target."""
    comment = get_object_or_404(Comment.objects.visible(), pk=comment_id)
    if not is_commentable(comment.target):
        raise Http404("No such comment.")
    return redirect(comment_url(comment))



CSRF_MESSAGE = (
    "Your comment was not posted: the form's security token had expired or your browser "
    "did not send its cookie. Please post it again."
)


@never_cache
def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a refused comment comes back with its text; other pages get Django's.

    Nothing is stored; the visitor posts again with a fresh token (and captcha).
    """
    if request.method == "POST" and request.path == reverse("comments:post"):
        try:
            target = find_target(request.POST.get("target"), request.POST.get("object_id"))
        except (BadRequest, Http404):
            target = None
        if target is not None and accepts_new_comments(target):
            data = request.POST.copy()
            try:
                parent = find_parent(target, data.get("parent"))
            except BadRequest:
                data.pop("parent", None)
                parent = None
            form = CommentForm(target, data, user=request.user)
            form.add_error(None, CSRF_MESSAGE)
            return render_form(
                request, form, status=403, parent=parent,
                fragment=request.POST.get("fragment") == "1",
            )
    return csrf.csrf_failure(request, reason)
