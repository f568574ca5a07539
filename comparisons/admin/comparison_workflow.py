"""The workflow of the comparison change form: the buttons beside Save that move a comparison
from draft to review to published, offered by rights, and what each step is called in the
messages and the history."""

from django.utils import timezone

from ..models import Comparison
from ..services import DraftSaved
from ..workflow import can_publish


def workflow_step(comparison):
    """What the history and the message say of a workflow button that moved `comparison` to
    its status."""
    Status = Comparison.Status
    if comparison.status == Status.PUBLISHED and comparison.publish_at > timezone.now():
        return f"Scheduled: it goes live at {timezone.localtime(comparison.publish_at):%Y-%m-%d %H:%M}."
    return {
        Status.DRAFT: "Taken back to draft.",
        Status.REVIEW: "Submitted for review: a publisher publishes it.",
        Status.PUBLISHED: "Published: readers see it now.",
        Status.UNPUBLISHED: "Unpublished: readers no longer see it.",
    }[comparison.status]


DRAFT_MESSAGES = {
    DraftSaved.SAVED: "Saved as unpublished changes: readers still see the live page until a "
    "publisher publishes them.",
    DraftSaved.UNCHANGED: "The unpublished changes were already saved as they are: nothing "
    "new to save, and their schedule, if any, stands.",
    DraftSaved.DROPPED: "Nothing to publish: the comparison is the same as the live page, so "
    "no unpublished changes are kept.",
}


class ComparisonWorkflowMixin:
    """The workflow buttons of `ComparisonAdmin`'s change form."""

    def workflow_buttons(self, request, obj):
        """The (name, label) of the buttons beside Save that this user may press for `obj`:
        the workflow as buttons, according to the user's rights. Save keeps the status (an
        editor's save of a live comparison keeps it as unpublished changes)."""
        status = obj.status if obj else Comparison.Status.DRAFT
        publisher = can_publish(request.user)
        buttons = []
        if status == Comparison.Status.REVIEW or (status == Comparison.Status.PUBLISHED and publisher):
            buttons.append(("_save_draft", "Save draft"))
        if status == Comparison.Status.DRAFT:
            buttons.append(("_submit_review", "Submit for review"))
        if publisher:
            if status != Comparison.Status.PUBLISHED:
                later = obj is not None and obj.publish_at and obj.publish_at > timezone.now()
                buttons.append(("_publish", "Schedule" if later else "Publish"))
            elif obj is not None:
                buttons.append(("_unpublish", "Unpublish"))
        return buttons

    def apply_workflow_button(self, request, obj):
        """Set the status the pressed workflow button stands for, if this user may press it.

        "Save draft" takes a comparison in review back to draft, and keeps a publisher's
        change to a live comparison as its unpublished changes."""
        current = Comparison.objects.filter(pk=obj.pk).first() if obj.pk else None
        statuses = {
            "_save_draft": (
                Comparison.Status.DRAFT
                if current is None or current.status != Comparison.Status.PUBLISHED
                else current.status
            ),
            "_submit_review": Comparison.Status.REVIEW,
            "_publish": Comparison.Status.PUBLISHED,
            "_unpublish": Comparison.Status.UNPUBLISHED,
        }
        for name, _ in self.workflow_buttons(request, current):
            if name in request.POST:
                obj.status = statuses[name]
                request.save_as_draft = name == "_save_draft"
                if current is not None and current.status != obj.status:
                    request.workflow_step = workflow_step(obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["workflow_buttons"] = self.workflow_buttons(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
