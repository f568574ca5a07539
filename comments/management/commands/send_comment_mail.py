from django.core.management.base import BaseCommand

from comments import notifications


class Command(BaseCommand):
    help = (
        "Send the comment mail that is due: confirmation mails not sent yet, reply notices "
        "(one per thread per hour at most) and the moderators' daily digest. Mail the site "
        "could not send when it tried is sent here. Run it every 10 minutes from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-digest", action="store_true", help="Send everything except the digest."
        )

    def handle(self, *args, no_digest=False, **options):
        confirmations = notifications.send_unsent_confirmations()
        notices = notifications.send_due_notices()
        digests = 0 if no_digest else notifications.send_digests()
        self.stdout.write(
            f"Sent {confirmations} confirmation mail(s), {notices} reply notice(s) "
            f"and {digests} digest(s)."
        )
