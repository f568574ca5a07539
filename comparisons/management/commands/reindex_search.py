from django.core.management.base import BaseCommand
from django.db import connection

from comparisons.models import Comparison, Subject
from comparisons.search import update_search_index
from comparisons.services import subject_prepare


class Command(BaseCommand):
    help = "Rebuild the search data of every comparison and subject (e.g. after a bulk import)."

    def handle(self, *args, **options):
        subjects = list(Subject.objects.only("name", "slug", "search_name"))
        for subject in subjects:
            subject_prepare(subject)
        Subject.objects.bulk_update(subjects, ["search_name"], batch_size=1000)
        update_search_index()
        with connection.cursor() as cursor:  # fresh planner statistics after a bulk change
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"Reindexed {len(subjects)} subject(s) and {Comparison.objects.count()} comparison(s)."
        )
