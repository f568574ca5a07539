from django.apps import AppConfig


class CommentsAppConfig(AppConfig):
    """A site of notes that take comments: the comments app's own tests run against it."""

    name = "tests.commentsapp"
    label = "commentsapp"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from comments.api import register

        from .models import Note

        register(Note, is_public="is_visible", comments_open="accepts_comments")
