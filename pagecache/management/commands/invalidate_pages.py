from django.core.management.base import BaseCommand

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
        self.stdout.write(f"Dropped the cached pages showing: {', '.join(tags)}")
