from django.db import models


class PendingBump(models.Model):
    """A tag whose cached pages must be dropped, recorded with the change that requires it.

    Deleted once the shared cache has taken the bump; while a row exists, some cached page may
    still show what the change replaced (see pagecache.recovery).
    """

    tag = models.TextField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.tag
