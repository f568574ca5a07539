from django.db import models


class Note(models.Model):
    """The smallest thing that takes comments: a title, visible or not, open or closed."""

    title = models.CharField(max_length=100)
    visible = models.BooleanField(default=True)
    accepts_comments = models.BooleanField(default=True)

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"/notes/{self.pk}/"

    def is_visible(self):
        return self.visible


class Unregistered(models.Model):
    """Looks commentable but never opted in, so it takes no comments."""

    title = models.CharField(max_length=100)
    comments_open = True

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"/unregistered/{self.pk}/"

    def is_public(self):
        return True
