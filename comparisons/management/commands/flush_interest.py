from django.core.management.base import BaseCommand, CommandError
from redis.exceptions import RedisError

from comparisons.interest import flush_interest, refresh_most_searched, refresh_popularity


class Command(BaseCommand):
    help = (
        "Move the view, search and query counts buffered in Redis to the database, then "
        'recompute popularity and the "Most searched" blocks. Run it every minute from cron; '
        "two runs at once are safe."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--full",
            action="store_true",
            help="Recompute the scores of every comparison ever counted (e.g. after an import).",
        )
        parser.add_argument(
            "--no-refresh",
            action="store_true",
            help="Only move the counts; do not recompute popularity and the blocks.",
        )

    def handle(self, *args, **options):
        try:
            moved = flush_interest()
        except RedisError as error:
            raise CommandError(
                f"Redis cannot be reached ({error}); the counts stay buffered there and move "
                "at the next run."
            ) from None
        message = f"Moved {moved} count(s) to the database."
        if not options["no_refresh"]:
            scored = refresh_popularity(full=options["full"])
            blocks = refresh_most_searched()
            message += f' Scored {scored} comparison(s); {len(blocks)} "Most searched" block(s).'
        self.stdout.write(message)
