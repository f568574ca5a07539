"""Replies announced one by one: a high-water mark of ids skipped a reply approved after a
newer one had been announced."""

from django.db import migrations, models


def carry_over_announced(apps, schema_editor):
    """The replies a subscription's mark covered were announced: keep them so."""
    ReplySubscription = apps.get_model("comments", "ReplySubscription")
    Comment = apps.get_model("comments", "Comment")
    for subscription in ReplySubscription.objects.exclude(notified_up_to=0):
        subscription.announced.add(
            *Comment.objects.filter(
                parent_id=subscription.comment_id, pk__lte=subscription.notified_up_to
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="replysubscription",
            name="announced",
            field=models.ManyToManyField(
                blank=True,
                help_text="The replies already announced (each once, in whatever order published).",
                related_name="+",
                to="comments.comment",
            ),
        ),
        migrations.RunPython(carry_over_announced, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="replysubscription",
            name="notified_up_to",
        ),
    ]
