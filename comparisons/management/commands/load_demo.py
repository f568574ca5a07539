from django.core.management.base import BaseCommand

from comparisons.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo comparisons and (re)create the demo editor account. Safe to run again."

    def handle(self, *args, **options):
        count, editor, password = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {count} demo comparisons (existing ones were left as they are)."
            )
        )
        self.stdout.write(
            f"Editor account for /admin/: user name {editor.username!r}, password {password!r}"
        )
