from django.db import models


class PendingBump(models.Model):
    """A tag whose cached pages must be dropped, recorded with the change that requires it:
    in the shared cache (`edge` blank) or at one edge cache (`edge` is its purge URL).

    Deleted once the cache has taken the bump or the purge; while a row exists, some cached
    page may still show what the change replaced (see pagecache.recovery).
    """

    tag = models.TextField()
    edge = models.TextField(blank=True, default="")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.tag
