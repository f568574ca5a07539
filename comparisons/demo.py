"""Load the demo site: idempotent, so it can run on every `make run`.

The content is data: `fixtures/demo.json` holds the comparisons in the import format and goes
through the importer like any other file; `fixtures/demo-site.json` holds the categories, the
subjects' descriptions, the demo comments and what each lead illustration shows.
"""

import json
import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction

from comments.api import Comment, moderate, post_comment

from .illustrations import table_illustration
from .interest import refresh_most_searched
from .models import Category, Comparison, Subject
from .roles import EDITORS, MODERATORS, PUBLISHERS, setup_roles
from .services import subject_get_or_create
from .transfer import apply_plan, plan_import

FIXTURES = Path(__file__).resolve().parent / "fixtures"
COMPARISONS_FILE = FIXTURES / "demo.json"
SITE_FILE = FIXTURES / "demo-site.json"
EDITOR_USERNAME = "editor"


def read_demo():
    """Return (comparison records, site data) as stored in the fixtures."""
    records = json.loads(COMPARISONS_FILE.read_text(encoding="utf-8"))
    site = json.loads(SITE_FILE.read_text(encoding="utf-8"))
    return records, site


def load_subjects(descriptions):
    for name, description in descriptions.items():
        subject_get_or_create(name, description)


def draw_illustration(record, declared):
    """Put the lead illustration `declared` for `record` in the media storage, unless there."""
    storage = Comparison._meta.get_field("lead_image").storage
    if storage.exists(record["lead_image"]):
        return
    rows = {row["aspect"]: row for row in record["rows"]}
    shown = [rows[aspect] for aspect in declared["aspects"]]
    illustration = table_illustration(
        record["first_subject"],
        record["second_subject"],
        [(row["aspect"], row["first_value"], row["second_value"]) for row in shown],
    )
    storage.save(record["lead_image"], ContentFile(illustration.png))


def new_records(records):
    """Return the records whose pair of subjects the site does not compare yet.

    Comparisons already there are left as editors may have changed them.
    """
    subjects = dict(Subject.objects.values_list("name", "pk"))
    pairs = {
        frozenset(pair)
        for pair in Comparison.objects.values_list("first_subject_id", "second_subject_id")
    }
    return [
        record
        for record in records
        if frozenset(
            (subjects.get(record["first_subject"]), subjects.get(record["second_subject"]))
        )
        not in pairs
    ]


def import_comparisons(records):
    """Write `records` through the importer; return the slugs it created."""
    plan = plan_import(json.dumps(records), "json")
    if plan.errors:
        raise ValueError("The demo content does not import: " + " ".join(plan.errors))
    apply_plan(plan)
    return [item.comparison.slug for item in plan.of("create")]


def load_comments(comparison, comments):
    """Add the published demo comments (and replies) to `comparison`, unless it has any."""
    if Comment.objects.for_object(comparison).exists():
        return 0
    created = []

    def add(data, parent=None):
        comment = post_comment(
            comparison,
            name=data["name"],
            email=data["email"],
            homepage=data.get("homepage", ""),
            text=data["text"],
            parent=parent,
        )
        created.append(comment.pk)
        for reply in data.get("replies", ()):
            add(reply, parent=comment)

    for data in comments:
        add(data)
    moderate(Comment.objects.filter(pk__in=created), Comment.Status.PUBLISHED)
    return len(created)


def create_editor():
    """Create or reset the demo editor's account; return (user, new password)."""
    groups = setup_roles()
    password = secrets.token_urlsafe(12)
    user, _ = get_user_model().objects.get_or_create(
        username=EDITOR_USERNAME,
        defaults={"first_name": "Demo", "last_name": "Editor", "email": "editor@example.com"},
    )
    user.is_staff = True
    user.set_password(password)
    user.save()
    user.groups.add(groups[EDITORS], groups[PUBLISHERS], groups[MODERATORS])
    return user, password


@transaction.atomic
def load_demo():
    """Create or refresh the demo content and the editor account.

    Existing content is left alone, so editors' changes survive a reload.
    Return (number of comparisons created, editor user, editor password).
    """
    editor, password = create_editor()
    records, site = read_demo()
    for category in site["categories"]:
        Category.objects.get_or_create(
            slug=category["slug"],
            defaults={
                "name": category["name"],
                "description": category["description"],
                "order": category["order"],
            },
        )
    load_subjects(site["subjects"])
    records = new_records(records)
    for record in records:
        if record.get("lead_image"):
            draw_illustration(record, site["illustrations"][record["slug"]])
    created = import_comparisons(records) if records else []
    for slug, comments in site["comments"].items():
        comparison = Comparison.objects.filter(slug=slug).first()
        if comparison is not None:
            load_comments(comparison, comments)
    transaction.on_commit(refresh_most_searched)
    return len(created), editor, password
