"""Checking import records: each field, each row, each comparison, before anything is written.

The rules a comparison itself must follow live in `Comparison.clean()`, which the admin's form
runs too; this module adds what only a file can get wrong (types, unknown names, references).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from ..models import (
    Category,
    Comparison,
    DifferenceRow,
    ImageCredit,
    Subject,
    SubjectAlias,
    subject_slug,
)
from .formats import ALIAS_COLUMNS, COMPARISON_COLUMNS, Source

BATCH = 2000

_url = URLValidator()

# ---------------------------------------------------------------------------- checking


class RecordError(Exception):
    pass


def _text(record, name, max_length=None, required=False):
    value = record.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise RecordError(f"{name} must be text")
    if required and not value.strip():
        raise RecordError(f"{name} is required")
    if max_length and len(value) > max_length:
        raise RecordError(f"{name} is longer than {max_length} characters")
    return value


def _datetime(record, name, required=False):
    value = _text(record, name).strip()
    if not value:
        if required:
            raise RecordError(f"{name} is required (e.g. 2025-06-02T12:00:00Z)")
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(
            f"{name} {value!r} is not a date and time like 2025-06-02T12:00:00Z"
        ) from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _url_value(value, name):
    if value:
        try:
            _url(value)
        except ValidationError:
            raise RecordError(f"{name} {value!r} is not a web address (https://...)") from None
    return value


# The largest order a row may have: what every database stores in a PositiveIntegerField.
MAX_ORDER = 2_147_483_647


def whole_number(value):
    """Return `value` (a JSON number or CSV text) as a whole number of 0 or more, else None:
    1.5, true, "1e3" and "-2" are not."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


def _length(model, name):
    return model._meta.get_field(name).max_length


def clean_row(row, position):
    if not isinstance(row, dict):
        raise RecordError("is not an object")
    unknown = set(row) - set(DifferenceRow.EDITABLE_FIELDS)
    if unknown:
        raise RecordError("unknown fields: " + ", ".join(sorted(map(str, unknown))))
    order = row.get("order", "")
    order = position if order in ("", None) else whole_number(order)
    if order is None or order > MAX_ORDER:
        raise RecordError(
            f"order {row.get('order')!r} is not a whole number from 0 to {MAX_ORDER:,}"
        )
    checked = _text(row, "checked_on").strip()
    try:
        checked = date.fromisoformat(checked) if checked else None
    except ValueError:
        raise RecordError(f"checked_on {checked!r} is not a date like 2025-06-02") from None
    return DifferenceRow(
        order=order,
        section=_text(row, "section", _length(DifferenceRow, "section")).strip(),
        aspect=_text(row, "aspect", _length(DifferenceRow, "aspect"), required=True),
        first_value=_text(row, "first_value", required=True),
        second_value=_text(row, "second_value", required=True),
        source=_text(row, "source", _length(DifferenceRow, "source")),
        source_url=_url_value(_text(row, "source_url", 200).strip(), "source_url"),
        checked_on=checked,
    )


@dataclass
class Item:
    """One checked comparison of the file, ready to write."""

    source: Source
    record: dict
    comparison: Comparison
    first_name: str
    second_name: str
    categories: list
    rows: list
    credits: list
    action: str = "create"  # or "change" or "unchanged"
    row_changes: object = None  # a services.RowMatch for a changed comparison
    aliases: tuple = (None, None)  # the subjects' aliases, None where the file leaves them
    # An editor's change to a live comparison: kept as its unpublished changes, as a save is.
    as_draft: bool = False


@dataclass
class Plan:
    items: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def of(self, action):
        return [item for item in self.items if item.action == action]

    @property
    def counts(self):
        return {action: len(self.of(action)) for action in ("create", "change", "unchanged")}


class Lookups:
    """What records refer to, loaded once per file."""

    def __init__(self, records):
        self.categories = {c.slug: c for c in Category.objects.all()}
        self.subjects = {}
        names = {
            (record.get(key) or "").strip()
            for record, _ in records
            if isinstance(record, dict)
            for key in ("first_subject", "second_subject")
            if isinstance(record.get(key), str)
        }
        names.discard("")
        name_list = sorted(names)
        for start in range(0, len(name_list), BATCH):
            for subject in Subject.objects.filter(name__in=name_list[start : start + BATCH]):
                self.subjects[subject.name] = subject
        self.subject_slugs = set(Subject.objects.values_list("slug", flat=True))
        self.existing = {}  # slug -> pk
        self.statuses = {}  # slug -> status
        self.pairs = {}  # frozenset of subject ids -> slug
        for pk, slug, first, second, status in Comparison.objects.values_list(
            "pk", "slug", "first_subject_id", "second_subject_id", "status"
        ).iterator(chunk_size=BATCH):
            self.existing[slug] = pk
            self.statuses[slug] = status
            self.pairs[frozenset((first, second))] = slug
        self.users = {}
        usernames = {
            record.get("author")
            for record, _ in records
            if isinstance(record, dict) and isinstance(record.get("author"), str)
        }
        if usernames:
            model = get_user_model()
            self.users = {
                user.get_username(): user
                for user in model.objects.filter(**{f"{model.USERNAME_FIELD}__in": usernames})
            }

    def subject(self, name):
        """Return the subject called `name`, or a new unsaved one."""
        subject = self.subjects.get(name)
        if subject is None:
            slug = subject_slug(name)
            if not slug:
                raise RecordError(f"subject {name!r} needs letters or digits")
            if slug in self.subject_slugs:
                raise RecordError(
                    f"a new subject {name!r} would take the address /subject/{slug}/, which "
                    "another subject already has"
                )
            subject = Subject(name=name, slug=slug)
            self.subjects[name] = subject
            self.subject_slugs.add(slug)
        return subject


def stored_file_exists(storage, name):
    """Whether `name` is a file in `storage`; False for a name outside it ("../x", "/x")."""
    try:
        return storage.exists(name)
    except SuspiciousFileOperation:
        return False


def check_record(record, lookups, storage):
    """Return (Comparison, first name, second name, categories, credits) or raise RecordError."""
    if "_error" in record:
        raise RecordError(record["_error"])
    unknown = set(record) - set(COMPARISON_COLUMNS) - {"rows"}
    if unknown:
        raise RecordError("unknown fields: " + ", ".join(sorted(unknown)))
    first = _text(record, "first_subject", _length(Subject, "name"), required=True).strip()
    second = _text(record, "second_subject", _length(Subject, "name"), required=True).strip()
    if first == second:
        raise RecordError("a subject cannot be compared with itself")
    status = _text(record, "status").strip() or Comparison.Status.DRAFT
    if status not in Comparison.Status.values:
        raise RecordError(
            f"status {status!r} is not one of: " + ", ".join(Comparison.Status.values)
        )
    slugs = record.get("categories", [])
    if not isinstance(slugs, list) or not slugs:
        raise RecordError("categories needs at least one category slug")
    if not all(isinstance(slug, str) for slug in slugs):
        raise RecordError("categories must be a list of category slugs (text)")
    missing = [slug for slug in slugs if slug not in lookups.categories]
    if missing:
        raise RecordError("unknown categories: " + ", ".join(map(str, missing)))
    credits = record.get("image_credits", [])
    if not isinstance(credits, list):
        raise RecordError("image_credits must be a list")
    credit_objects = []
    for index, credit in enumerate(credits, start=1):
        if not isinstance(credit, dict):
            raise RecordError(f"image credit {index} is not an object")
        unknown = set(credit) - {"text", "url"}
        if unknown:
            raise RecordError(
                f"image credit {index}: unknown fields: " + ", ".join(sorted(map(str, unknown)))
            )
        credit_objects.append(
            ImageCredit(
                order=index,
                text=_text(credit, "text", _length(ImageCredit, "text"), required=True),
                url=_url_value(_text(credit, "url", 200).strip(), f"image credit {index} url"),
            )
        )
    author_name = _text(record, "author").strip()
    author = None
    if author_name:
        author = lookups.users.get(author_name)
        if author is None:
            raise RecordError(f"author {author_name!r} is not a user")
    lead_image = _text(record, "lead_image", 100).strip()
    if lead_image and not stored_file_exists(storage, lead_image):
        raise RecordError(f"lead_image {lead_image!r} is not a file in the media storage")
    comparison = Comparison(
        title=_text(record, "title", _length(Comparison, "title")).strip(),
        slug=_text(record, "slug", _length(Comparison, "slug")).strip(),
        key_difference=_text(record, "key_difference", required=True),
        body=_text(record, "body"),
        status=status,
        publish_at=_datetime(record, "publish_at") or timezone.now(),
        expire_at=_datetime(record, "expire_at"),
        meta_description=_text(record, "meta_description", _length(Comparison, "meta_description")),
        lead_image=lead_image,
        lead_image_alt=_text(record, "lead_image_alt", _length(Comparison, "lead_image_alt")),
        author=author,
    )
    if comparison.slug:
        try:
            Comparison._meta.get_field("slug").run_validators(comparison.slug)
        except ValidationError:
            raise RecordError(
                f"slug {comparison.slug!r} is not an address: use only letters a-z, digits, "
                "hyphens and underscores"
            ) from None
    try:
        comparison.clean()
    except ValidationError as error:
        raise RecordError(
            "; ".join(
                f"{name}: {message.rstrip('.')}"
                for name, messages in error.message_dict.items()
                for message in messages
            )
        ) from None
    categories = [lookups.categories[slug] for slug in slugs]
    return comparison, first, second, categories, credit_objects


def record_aliases(record):
    """Return the (first, second) subjects' aliases a record gives, None for those it omits."""
    found = []
    for name in ALIAS_COLUMNS.values():
        aliases = record.get(name)
        if aliases is None:
            found.append(None)
            continue
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise RecordError(f"{name} must be a list of names")
        aliases = list(dict.fromkeys(alias.strip() for alias in aliases if alias.strip()))
        limit = _length(SubjectAlias, "search_name")
        if any(len(alias) > limit for alias in aliases):
            raise RecordError(f"{name}: each alias may have at most {limit} characters")
        found.append(aliases)
    return tuple(found)
