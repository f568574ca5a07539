from django.core.management.base import BaseCommand

from comparisons.roles import setup_roles


class Command(BaseCommand):
    help = "Create the staff groups (Editors, Publishers, Moderators) with exactly their permissions."

    def handle(self, *args, **options):
        for name, group in setup_roles().items():
            self.stdout.write(f"{name}: {group.permissions.count()} permissions")
