"""Which models take comments: each opts in with `comments.api.register(Model, ...)`."""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Commentable:
    """How the comments app asks a registered model's objects about themselves."""

    is_public: str = "is_public"
    comments_open: str = "comments_open"

    def public(self, target):
        return bool(getattr(target, self.is_public)())

    def open(self, target):
        return bool(getattr(target, self.comments_open))


_registry = {}


def register(model, *, is_public="is_public", comments_open="comments_open"):
    """Let `model`'s objects take comments; return `model` (usable as a class decorator).

    `is_public` names a method answering whether the public may see an object (comments on
    anything else answer 404); `comments_open` names a boolean attribute or property saying
    whether new comments are accepted. The model also needs `get_absolute_url()` (where its
    comments are shown) and an integer primary key.
    """
    if not callable(getattr(model, is_public, None)):
        raise ImproperlyConfigured(f"{model.__name__}.{is_public}() is needed to take comments.")
    if not hasattr(model, "get_absolute_url"):
        raise ImproperlyConfigured(
            f"{model.__name__}.get_absolute_url() is needed to take comments."
        )
    if comments_open not in {f.name for f in model._meta.get_fields()} and not hasattr(
        model, comments_open
    ):
        raise ImproperlyConfigured(f"{model.__name__}.{comments_open} is needed to take comments.")
    _registry[model._meta.concrete_model] = Commentable(is_public, comments_open)
    return model


def unregister(model):
    """Stop `model`'s objects taking comments (mostly for tests)."""
    _registry.pop(model._meta.concrete_model, None)


def commentable(target):
    """The registration of `target`'s model, or None if it does not take comments."""
    meta = getattr(target, "_meta", None)
    if meta is None:
        return None
    return _registry.get(meta.concrete_model)


def is_registered(model):
    return model._meta.concrete_model in _registry
