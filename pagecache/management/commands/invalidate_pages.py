from django.core.management.base import BaseCommand, CommandError

from pagecache import recovery
from pagecache.tags import SITE_TAG, invalidate


class Command(BaseCommand):
    help = (
        "Drop cached pages: all of them (after a deploy that changed templates), or those "
        "showing the given tags, e.g. comparisons.comparison:12 home."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "tags", nargs="*", help=f"Tags to drop; default {SITE_TAG!r} (every page)."
        )

    def handle(self, *args, tags, **options):
        tags = tags or [SITE_TAG]
        invalidate(*tags)
        shown = ", ".join(tags)
        if recovery.is_behind():
            raise CommandError(
                f"The page cache refused the change for now: it is recorded, and every app "
                f"server drops the pages showing {shown} as soon as the cache takes it (and "
                "serves none from the cache meanwhile)."
            )
        self.stdout.write(f"Dropped the cached pages showing: {shown}")
