"""Replace the comparison page with the one described by the JSON on standard input
({title, slug, first_subject, second_subject, key_difference, rows: [[aspect, first, second]]})
under the default site's home page; print its address."""

import json
import sys

from django.core.management.base import BaseCommand
from wagtail.models import Site

from reference.models import ComparisonPage, DifferenceRow


class Command(BaseCommand):
    def handle(self, *args, **options):
        table = json.load(sys.stdin)
        for page in ComparisonPage.objects.all():
            page.delete()
        site = Site.objects.get(is_default_site=True)
        page = ComparisonPage(
            title=table["title"],
            slug=table["slug"],
            first_subject=table["first_subject"],
            second_subject=table["second_subject"],
            key_difference=table["key_difference"],
            rows=[
                DifferenceRow(aspect=aspect, first_value=first, second_value=second)
                for aspect, first, second in table["rows"]
            ],
        )
        site.root_page.add_child(instance=page)
        self.stdout.write(page.get_url_parts()[2])
