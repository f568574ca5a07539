"""A comparison's revisions and drafts in the admin: restore, recover and compare revisions,
and publish or discard a live comparison's unpublished changes."""

import reversion
from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from reversion.models import Revision, Version

from ..models import Comparison, ComparisonDraft
from ..revisions import (
    credits_change,
    diff_revisions,
    diff_snapshots,
    draft_snapshot,
    live_snapshot,
)
from ..services import (
    comparison_draft_discard,
    comparison_draft_publish,
    comparison_draft_schedule,
    comparison_states,
    is_live,
)
from ..text import parse_id
from ..workflow import PUBLISHER_STATUSES, can_publish
from .comparison_form import PUBLISHING_FIELDS, DraftScheduleForm

STEPS_IN_HISTORY = 100
NOTHING_CHANGED = "No fields changed."


class ComparisonHistoryMixin:
    """The history, revision and draft views of `ComparisonAdmin` (a reversion VersionAdmin),
    and what each admin step leaves in the history."""

    def _with_editor_comment(self, request, entry):
        comment = getattr(request, "revision_comment", "")
        if comment and reversion.is_active():
            reversion.set_comment(f"{comment} ({entry.get_change_message()})")
        return entry

    def log_addition(self, request, obj, message):
        return self._with_editor_comment(request, super().log_addition(request, obj, message))

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        step = getattr(request, "workflow_step", None)
        if getattr(request, "saved_as_draft", False):
            step = "Saved unpublished changes:"
        if step:
            said = entry.get_change_message()
            entry.change_message = step if said == NOTHING_CHANGED else f"{step} {said}"
            entry.save(update_fields=["change_message"])
            if reversion.is_active():
                reversion.set_comment(entry.change_message)
        return self._with_editor_comment(request, entry)

    def history_view(self, request, object_id, extra_context=None):
        """The revisions, then every step taken in the admin (unpublished changes saved,
        published, scheduled or discarded, which keep no revision of their own)."""
        steps = []
        if parse_id(unquote(object_id)) is not None:
            steps = (
                LogEntry.objects.filter(
                    content_type=ContentType.objects.get_for_model(self.model),
                    object_id=str(unquote(object_id)),
                )
                .select_related("user")
                .order_by("-action_time", "-pk")[:STEPS_IN_HISTORY]
            )
        extra_context = {**(extra_context or {}), "admin_steps": steps}
        return super().history_view(request, object_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Restoring brings back content; what readers see stays the publishers' call.
        # Restoring replaces a live page at once, so on a live page it is theirs too.
        pk = parse_id(unquote(object_id))
        request.comparison_before = comparison_states([pk] if pk is not None else []).get(pk)
        keep_as_draft = not can_publish(request.user) or getattr(request, "save_as_draft", False)
        if is_live(request.comparison_before) and keep_as_draft:
            raise PermissionDenied(
                "Restoring a revision of a live comparison needs the publish permission."
            )
        current = Comparison.objects.filter(pk=pk).values(*PUBLISHING_FIELDS)
        request.publishing_before = current.first()
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        request.recovering = True
        return super().recover_view(request, version_id, extra_context)

    def keep_publishing_fields(self, request, obj):
        """Stop a restore from changing what readers see: restoring brings back content, and
        the status and dates change only when someone publishes or unpublishes. A recovery by
        a non-publisher brings a published or unpublished comparison back as a draft."""
        before = getattr(request, "publishing_before", None)
        if before:
            for name, value in before.items():
                setattr(obj, name, value)
        elif (
            getattr(request, "recovering", False)
            and obj.status in PUBLISHER_STATUSES
            and not can_publish(request.user)
        ):
            obj.status = Comparison.Status.DRAFT

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), **self.draft_context(request, object_id)}
        return super().change_view(request, object_id, form_url, extra_context)

    def draft_context(self, request, object_id):
        """What the change form shows of unpublished changes: who saved them when, the diff
        against the live comparison, and whether this user may publish or discard them."""
        draft = (
            ComparisonDraft.objects.filter(comparison_id=unquote(object_id))
            .select_related("saved_by", "scheduled_by", "comparison")
            .first()
            if parse_id(unquote(object_id)) is not None
            else None
        )
        if draft is None:
            return {}
        live = draft.comparison
        fields, rows = diff_snapshots(live_snapshot(live), draft_snapshot(live, draft.content))
        fields.append(credits_change(live.credits.all(), draft.content["credits"]))
        return {
            "draft": draft,
            "draft_fields": [field for field in fields if field.changed],
            "draft_rows": [row for row in rows if row.kind != "same"],
            "may_publish_draft": can_publish(request.user),
        }

    def draft_action_view(self, request, object_id, action):
        """Publish or discard a comparison's unpublished changes (POST, publishers only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        comparison = get_object_or_404(Comparison, pk=unquote(object_id))
        if not can_publish(request.user):
            raise PermissionDenied
        if not ComparisonDraft.objects.filter(comparison=comparison).exists():
            self.message_user(request, "There are no unpublished changes.", messages.WARNING)
        elif action == "publish":
            comparison_draft_publish(comparison, user=request.user)
            self.log_change(request, comparison, "Published the unpublished changes.")
            self.message_user(request, "The changes are live.", messages.SUCCESS)
        elif action == "schedule":
            return self.schedule_draft(request, comparison)
        else:
            comparison_draft_discard(comparison)
            self.log_change(request, comparison, "Discarded the unpublished changes.")
            self.message_user(request, "The unpublished changes were discarded.", messages.SUCCESS)
        return redirect("admin:comparisons_comparison_change", comparison.pk)

    def schedule_draft(self, request, comparison):
        """Schedule the unpublished changes for the moment posted (or cancel the schedule)."""
        form = DraftScheduleForm(request.POST)
        change_url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
        if not form.is_valid():
            for error in form.errors.get("publish_at", []):
                self.message_user(request, error, messages.ERROR)
            return redirect(f"{change_url}#unpublished-changes")
        when = form.cleaned_data["publish_at"]
        if "_cancel" in request.POST:
            when = None
        elif when is None:
            self.message_user(
                request, "Choose the date and time the changes go live.", messages.ERROR
            )
            return redirect(f"{change_url}#unpublished-changes")
        comparison_draft_schedule(comparison, when, user=request.user)
        if when is None:
            message = "The changes are no longer scheduled."
        else:
            message = f"The changes go live at {timezone.localtime(when):%Y-%m-%d %H:%M}."
        self.log_change(request, comparison, message)
        self.message_user(request, message, messages.SUCCESS)
        return redirect(change_url)

    def compare_view(self, request, object_id):
        """Show two revisions of a comparison side by side: fields, then table rows."""
        comparison = self.get_object(request, unquote(object_id))
        if comparison is None:
            raise Http404("No such comparison.")
        if not self.has_view_or_change_permission(request, comparison):
            raise PermissionDenied
        revisions = Revision.objects.filter(
            pk__in=Version.objects.get_for_object(comparison).values("revision_id")
        )
        try:
            chosen = [int(request.GET[key]) for key in ("from", "to")]
        except (KeyError, ValueError):
            raise Http404("Choose two revisions to compare.") from None
        old, new = (get_object_or_404(revisions, pk=pk) for pk in sorted(chosen))
        fields, rows = diff_revisions(old, new, comparison.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": comparison,
            "title": f"Compare revisions of {comparison}",
            "old": old,
            "new": new,
            "fields": fields,
            "rows": rows,
            "unchanged_rows": [row.aspect for row in rows if row.kind == "same"],
        }
        return TemplateResponse(
            request, "admin/comparisons/comparison/compare_revisions.html", context
        )
