from datetime import timedelta

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from comments import notifications
from comments.models import Comment


class Command(BaseCommand):
    help = (
        "Blank the IP addresses stored with comments older than --days (default 90), "
        "delete reply-notice subscriptions left unconfirmed for 7 days, "
        "then delete expired captchas (captcha_clean). Run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90, help="Keep IPs this many days.")

    def handle(self, *args, days, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        cutoff = timezone.now() - timedelta(days=days)
        blanked = (
            Comment.objects.filter(created_at__lt=cutoff, ip_address__isnull=False)
            .update(ip_address=None)
        )
        self.stdout.write(f"Blanked the IP address of {blanked} comment(s) older than {days} days.")
        unconfirmed = notifications.delete_unconfirmed()
        self.stdout.write(
            f"Deleted {unconfirmed} reply-notice subscription(s) unconfirmed after 7 days."
        )
        call_command("captcha_clean", verbosity=0)
        self.stdout.write("Deleted expired captchas.")
