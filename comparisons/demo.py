"""Load the demo site: idempotent, so it can run on every `make run`."""

import io
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from comments.models import Comment
from comments.moderation import moderate, post_comment

from . import demo_content
from .models import Category, Comparison, DifferenceRow, ImageCredit
from .roles import EDITORS, MODERATORS, PUBLISHERS, setup_roles
from .services import comparison_save, subject_get_or_create

EDITOR_USERNAME = "editor"

DRAFT = {
    "first": "Tea",
    "second": "Coffee",
    "categories": ["health"],
    "key_difference": "Tea is brewed from the leaves of the tea plant; coffee is brewed from "
    "roasted coffee beans and usually holds more caffeine per cup.",
    "body": "An unfinished draft: only staff can see it until an editor publishes it.",
    "rows": [
        ("Made from", "Leaves of Camellia sinensis", "Roasted seeds of the coffee plant"),
        ("Caffeine per cup", "About 20-60 mg", "About 80-140 mg"),
    ],
    "image_alt": "",
    "credits": [],
    "days_ago": 0,
}
DRAFT_SUBJECTS = {
    "Tea": "A drink made by steeping the cured leaves of the tea plant in hot water.",
    "Coffee": "A drink brewed from the roasted and ground seeds of the coffee plant.",
}


def demo_image(first, second):
    """Return PNG bytes of a simple two-panel illustration naming both subjects."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = 1200, 630
    image = Image.new("RGB", (width, height), "#f4f1ea")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width // 2, height], fill="#1d4e89")
    draw.rectangle([width // 2, 0, width, height], fill="#8a2b0e")
    font = ImageFont.load_default(size=72)
    for text, centre in ((first, width // 4), (second, 3 * width // 4)):
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        size = 72
        while right - left > width // 2 - 60 and size > 24:
            size -= 6
            font_small = ImageFont.load_default(size=size)
            left, top, right, bottom = draw.textbbox((0, 0), text, font=font_small)
        draw.text(
            (centre - (right - left) / 2, height / 2 - (bottom - top) / 2),
            text,
            fill="white",
            font=ImageFont.load_default(size=size),
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def load_subjects(descriptions):
    subjects = {}
    for name, description in descriptions.items():
        subjects[name] = subject_get_or_create(name, description)
    return subjects


def load_comparison(data, subjects, categories, author, status):
    """Create the comparison `data` describes, unless its pair already exists.

    An existing one is left as editors may have changed it.
    """
    first, second = subjects[data["first"]], subjects[data["second"]]
    if Comparison.objects.for_pair(first, second).exists():
        return None
    comparison = Comparison(
        first_subject=first,
        second_subject=second,
        key_difference=data["key_difference"],
        body=data["body"].strip(),
        lead_image_alt=data["image_alt"],
        status=status,
        author=author,
        publish_at=timezone.now() - timedelta(days=data["days_ago"]),
    )
    if data["image_alt"]:
        name = f"comparisons/demo-{first.slug}-and-{second.slug}.png"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(demo_image(first.name, second.name)))
        comparison.lead_image.name = name
    return comparison_save(
        comparison,
        categories=[categories[slug] for slug in data["categories"]],
        rows=[
            DifferenceRow(order=order, aspect=aspect, first_value=one, second_value=two)
            for order, (aspect, one, two) in enumerate(data["rows"], start=1)
        ],
        credits=[
            ImageCredit(order=order, text=text, url=url)
            for order, (text, url) in enumerate(data["credits"], start=1)
        ],
        user=author,
        comment="Demo content",
    )


DEMO_COMMENTS = [
    {
        "name": "Priya",
        "email": "priya@example.com",
        "text": "Clear summary, thanks. In my team the BPO side handles billing queries, "
        "while the analysts who build the pricing models are a KPO contract.",
    },
    {
        "name": "Marco",
        "email": "marco@example.com",
        "homepage": "https://example.com/marco",
        "text": "Is legal process outsourcing (LPO) a kind of KPO?\n\n"
        "It seems to need the same specialised knowledge.",
        "replies": [
            {
                "name": "Demo Editor",
                "email": "editor@example.com",
                "text": "Yes: LPO is usually counted as a branch of KPO, because the work "
                "needs trained lawyers. See https://en.wikipedia.org/wiki/Legal_outsourcing",
            }
        ],
    },
]


def load_comments(comparison, comments=DEMO_COMMENTS):
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
    categories = {}
    for name, slug, description, order in demo_content.CATEGORIES:
        categories[slug], _ = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": order}
        )
    subjects = load_subjects({**demo_content.SUBJECTS, **DRAFT_SUBJECTS})
    created = [
        load_comparison(data, subjects, categories, editor, Comparison.Status.PUBLISHED)
        for data in demo_content.COMPARISONS
    ]
    created.append(load_comparison(DRAFT, subjects, categories, editor, Comparison.Status.DRAFT))
    bpo_kpo = Comparison.objects.filter(slug="bpo-and-kpo").first()
    if bpo_kpo is not None:
        load_comments(bpo_kpo)
    return sum(1 for comparison in created if comparison), editor, password
