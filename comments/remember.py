"""Remember me: the poster's name, e-mail and homepage in a signed, HttpOnly cookie.

Its path is the comments app's own prefix, so only the never-cached form pages receive it;
the cached pages are the same for everyone, with or without it.
"""

import json

from django.core import signing
from django.urls import reverse

REMEMBER_COOKIE = "comments_poster"
REMEMBER_SALT = "comments.poster"
REMEMBER_SECONDS = 365 * 24 * 60 * 60
REMEMBERED_FIELDS = ("name", "email", "homepage")


def remember_cookie_path():
    """Only the comments' own pages receive the cookie: cached pages never see it."""
    return reverse("comments:post").rstrip("/").rsplit("/", 1)[0] + "/"


def remembered_poster(request):
    """The name, e-mail and homepage "Remember me" saved, or {} (unsigned or damaged: {})."""
    try:
        value = request.get_signed_cookie(REMEMBER_COOKIE, salt=REMEMBER_SALT)
        saved = json.loads(value)
    except (KeyError, signing.BadSignature, ValueError):
        return {}
    if not isinstance(saved, dict):
        return {}
    return {key: str(saved[key]) for key in REMEMBERED_FIELDS if isinstance(saved.get(key), str)}


def remember_poster(request, response, form):
    """Save the poster's details in a signed HttpOnly cookie if they asked; else forget them."""
    if "remember" not in form.fields:
        return
    if form.wants_remembering():
        value = json.dumps({key: form.cleaned_data[key] for key in REMEMBERED_FIELDS})
        response.set_signed_cookie(
            REMEMBER_COOKIE, value, salt=REMEMBER_SALT, max_age=REMEMBER_SECONDS,
            path=remember_cookie_path(), secure=request.is_secure(), httponly=True,
            samesite="Lax",
        )
    elif REMEMBER_COOKIE in request.COOKIES:
        response.delete_cookie(REMEMBER_COOKIE, path=remember_cookie_path(), samesite="Lax")
