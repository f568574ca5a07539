"""The staff groups and exactly the permissions each one holds."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

EDITORS = "Editors"
PUBLISHERS = "Publishers"
MODERATORS = "Moderators"

EDITOR_MODELS = (
    "category",
    "subject",
    "comparison",
    "differencerow",
    "imagecredit",
    "pinnedcomparison",
    "comparisonaddress",
)
# Editors read these reports but never change them.
EDITOR_READ_ONLY_MODELS = ("searchquery",)
# Reports come from readers: editors read, resolve, dismiss and delete them.
REPORT_PERMISSIONS = ("view_rowreport", "change_rowreport", "delete_rowreport")
# Publishers decide what readers see: they can open and save a comparison, and publish it,
# and they see everything they publish (rows, credits, subjects, categories), read-only.
PUBLISHER_PERMISSIONS = (
    "view_comparison",
    "change_comparison",
    "publish_comparison",
    "view_differencerow",
    "view_imagecredit",
    "view_subject",
    "view_category",
)
# Editors also keep the comments blocklist; moderators review comments (approve, unpublish,
# spam, soft delete: all "change") but neither add comments in the admin nor erase rows.
EDITOR_COMMENT_MODELS = ("blockedword",)
MODERATOR_PERMISSIONS = ("view_comment", "change_comment")


def role_permissions():
    """Return {group name: permission queryset} for every staff role."""
    return {
        EDITORS: Permission.objects.filter(
            Q(content_type__app_label="comparisons", content_type__model__in=EDITOR_MODELS)
            | Q(
                content_type__app_label="comparisons",
                content_type__model__in=EDITOR_READ_ONLY_MODELS,
                codename__startswith="view_",
            )
            | Q(content_type__app_label="comparisons", codename__in=REPORT_PERMISSIONS)
            | Q(content_type__app_label="comments", content_type__model__in=EDITOR_COMMENT_MODELS)
        ).exclude(codename="publish_comparison"),
        PUBLISHERS: Permission.objects.filter(
            content_type__app_label="comparisons", codename__in=PUBLISHER_PERMISSIONS
        ),
        MODERATORS: Permission.objects.filter(
            content_type__app_label="comments", codename__in=MODERATOR_PERMISSIONS
        ),
    }


def setup_roles():
    """Create or update the staff groups so each holds exactly its permissions.

    Return the groups by name.
    """
    groups = {}
    for name, permissions in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
        groups[name] = group
    return groups
