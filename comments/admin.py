"""The moderation queue and the editors' blocklist."""

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from . import notifications
from .models import BlockedWord, Comment, is_commentable
from .moderation import moderate, notify_changed


class TargetFilter(admin.SimpleListFilter):
    """Filter by the page commented on; lists the pages that have comments."""

    title = "target"
    parameter_name = "target"

    def lookups(self, request, model_admin):
        pairs = (
            Comment.objects.order_by()
            .values_list("content_type_id", "object_id")
            .distinct()
        )
        by_type = {}
        for content_type_id, object_id in pairs:
            by_type.setdefault(content_type_id, []).append(object_id)
        choices = []
        for content_type_id, ids in by_type.items():
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            if model is None:
                continue
            for obj in model._default_manager.filter(pk__in=ids):
                choices.append((f"{content_type_id}-{obj.pk}", str(obj)))
        return sorted(choices, key=lambda choice: choice[1].lower())

    def queryset(self, request, queryset):
        content_type_id, _, object_id = (self.value() or "").partition("-")
        if content_type_id.isdigit() and object_id.isdigit():
            return queryset.filter(content_type_id=content_type_id, object_id=object_id)
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    # Who posted (name, e-mail, IP) and where share a cell each, so that the status, the
    # reason held and the date fit a 1280 px screen beside the filters.
    list_display = [
        "subject",
        "excerpt",
        "posted_by",
        "status",
        "held_reason",
        "posted",
    ]
    # The excerpt holds links of its own, so the subject links to the comment.
    list_display_links = ["subject"]

    def view_on_site(self, comment):
        """A published comment's permalink; for one readers do not see (pending, spam,
        deleted), the comments of its page, where it would go; none while the page is not
        public."""
        if comment.status == Comment.Status.PUBLISHED:
            return comment.get_absolute_url()
        target = comment.target
        if target is None or not is_commentable(target):
            return None
        return target.get_absolute_url() + "#comments"
    list_filter = ["status", "created_at", TargetFilter]
    search_fields = ["name", "email", "subject", "text", "ip_address"]
    date_hierarchy = "created_at"
    list_select_related = ["content_type"]
    list_per_page = 50
    actions = ["approve", "unpublish", "mark_spam", "soft_delete"]
    fields = [
        "target_link",
        "status",
        "held_reason",
        "name",
        "email",
        "homepage",
        "subject",
        "rendered_text",
        "text",
        "parent",
        "created_at",
        "ip_address",
        "user",
    ]
    readonly_fields = [name for name in fields if name != "status"]

    def get_queryset(self, request):
        # The queue: comments waiting for review first, newest first within each group.
        queryset = (
            Comment.objects.get_queryset()
            .prefetch_related("target")
            .annotate(
                queue_rank=Case(
                    When(status=Comment.Status.PENDING, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
        )
        return queryset.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        return ["queue_rank", "-created_at"]

    def has_add_permission(self, request):
        return False  # Comments come from the site's form.

    def get_actions(self, request):
        actions = super().get_actions(request)
        # "Delete" keeps the row (soft_delete); superusers may still erase one comment at a
        # time from its own page, e.g. on a privacy request.
        actions.pop("delete_selected", None)
        return actions

    class Media:
        css = {"all": ["comments/admin.css"]}

    @admin.display(description="Comment")
    def excerpt(self, comment):
        # Our sanitizer made comment.html; truncating keeps its tags balanced.
        text = mark_safe(Truncator(comment.html).words(20, html=True) or "(empty)")
        return format_html('{}<div class="comment-meta">On {}</div>', text, self.target_link(comment))

    @admin.display(description="Posted by", ordering="name")
    def posted_by(self, comment):
        return format_html(
            '{}<div class="comment-meta">{}</div><div class="comment-meta">{}</div>',
            comment.name,
            comment.email or "(no e-mail)",
            comment.ip_address or "(no IP address)",
        )

    @admin.display(description="Posted", ordering="created_at")
    def posted(self, comment):
        local = timezone.localtime(comment.created_at)
        return format_html("{}<br>{}", f"{local:%Y-%m-%d}", f"{local:%H:%M}")

    @admin.display(description="Text as readers see it")
    def rendered_text(self, comment):
        return mark_safe(f'<div class="comment-rendered">{comment.html}</div>')

    @admin.display(description="Target")
    def target_link(self, comment):
        target = comment.target
        if target is None:
            return "(missing)"
        url = getattr(target, "get_absolute_url", None)
        return format_html('<a href="{}">{}</a>', url(), target) if url else str(target)

    def _moderate(self, request, queryset, status, verb):
        changing = list(queryset.exclude(status=status))
        count = moderate(queryset, status)
        for comment in changing:
            self.log_change(request, comment, f"{verb}.")
        self.message_user(request, f"{verb} {count} comment(s).", messages.SUCCESS)

    @admin.action(description="Approve (publish) selected comments", permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.PUBLISHED, "Published")

    @admin.action(description="Unpublish selected comments (back to pending)", permissions=["change"])
    def unpublish(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.PENDING, "Unpublished")

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.SPAM, "Marked as spam")

    @admin.action(description="Delete selected comments (kept, hidden)", permissions=["change"])
    def soft_delete(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.DELETED, "Deleted")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        notify_changed({obj.target_key()})
        if obj.is_published and obj.parent_id:
            notifications.replies_published({obj.parent_id})

    def delete_model(self, request, obj):
        target = obj.target_key()
        super().delete_model(request, obj)
        notify_changed({target})

    def delete_queryset(self, request, queryset):
        targets = set(queryset.values_list("content_type_id", "object_id").distinct())
        super().delete_queryset(request, queryset)
        notify_changed(targets)


@admin.register(BlockedWord)
class BlockedWordAdmin(admin.ModelAdmin):
    list_display = ["word", "note", "created_at"]
    search_fields = ["word", "note"]
