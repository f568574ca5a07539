"""Bulk import and export of comparisons: CSV (one line per table row) and JSON (one object per
comparison). Both formats carry the same record, so export then import is lossless.

Import is all or nothing: `plan_import` parses and checks the whole file and returns either
errors that name the line (CSV) or object (JSON) and the problem, or a plan of what will be
created, changed and left alone; `apply_plan` writes a plan with bulk queries in one transaction.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from .markup import render_markdown
from .models import (
    Category,
    Comparison,
    DifferenceRow,
    ImageCredit,
    Subject,
    SubjectAlias,
    subject_slug,
    update_alias_names,
)
from .workflow import PUBLISHER_STATUSES, can_publish

COMPARISON_COLUMNS = [
    "slug",
    "first_subject",
    "second_subject",
    "first_subject_aliases",
    "second_subject_aliases",
    "title",
    "key_difference",
    "body",
    "categories",
    "status",
    "publish_at",
    "expire_at",
    "meta_description",
    "lead_image",
    "lead_image_alt",
    "image_credits",
    "author",
]
ROW_COLUMNS = [
    "row_order",
    "section",
    "aspect",
    "first_value",
    "second_value",
    "source",
    "source_url",
    "checked_on",
]
CSV_COLUMNS = COMPARISON_COLUMNS + ROW_COLUMNS
ROW_KEYS = ["order", *ROW_COLUMNS[1:]]
REQUIRED_CSV_COLUMNS = {"first_subject", "second_subject", "key_difference", "categories"}
BATCH = 2000
ALIAS_COLUMNS = {
    "first_subject": "first_subject_aliases",
    "second_subject": "second_subject_aliases",
}

_url = URLValidator()


# ---------------------------------------------------------------------------- export


def _iso(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def export_records(queryset):
    """Return one record (a plain dict, as in the JSON format) per comparison of `queryset`."""
    queryset = queryset.select_related(
        "first_subject", "second_subject", "author"
    ).prefetch_related("categories", "rows", "credits")
    return [comparison_record(comparison) for comparison in queryset.order_by("pk")]


def _record(comparison, first_name, second_name, categories, credits, rows, aliases=((), ())):
    """The export record of `comparison` with these subjects' names, categories, credits,
    rows and (first, second) subjects' aliases."""
    return {
        "slug": comparison.slug,
        "first_subject": first_name,
        "second_subject": second_name,
        "first_subject_aliases": list(aliases[0]),
        "second_subject_aliases": list(aliases[1]),
        "title": comparison.title,
        "key_difference": comparison.key_difference,
        "body": comparison.body,
        "categories": sorted(category.slug for category in categories),
        "status": comparison.status,
        "publish_at": _iso(comparison.publish_at),
        "expire_at": _iso(comparison.expire_at),
        "meta_description": comparison.meta_description,
        "lead_image": comparison.lead_image.name or "",
        "lead_image_alt": comparison.lead_image_alt,
        "image_credits": [{"text": c.text, "url": c.url} for c in credits],
        "author": comparison.author.get_username() if comparison.author else "",
        "rows": [
            {
                "order": row.order,
                "section": row.section,
                "aspect": row.aspect,
                "first_value": row.first_value,
                "second_value": row.second_value,
                "source": row.source,
                "source_url": row.source_url,
                "checked_on": _iso(row.checked_on),
            }
            for row in sorted(rows, key=lambda row: row.order)
        ],
    }


def comparison_record(comparison):
    return _record(
        comparison,
        comparison.first_subject.name,
        comparison.second_subject.name,
        comparison.categories.all(),
        comparison.credits.all(),
        comparison.rows.all(),
        (comparison.first_subject.alias_list, comparison.second_subject.alias_list),
    )


def credits_cell(credits):
    """Credits in one CSV cell: one per line, "text" or "text | link"."""
    return "\n".join(f"{c['text']} | {c['url']}" if c["url"] else c["text"] for c in credits)


def write_json(records, stream):
    json.dump(records, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def write_csv(records, stream):
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        head = []
        for name in COMPARISON_COLUMNS:
            value = record[name]
            if name == "categories":
                value = ";".join(value)
            elif name == "image_credits":
                value = credits_cell(value)
            elif name in ALIAS_COLUMNS.values():
                value = "\n".join(value)
            head.append(value)
        for row in record["rows"] or [None]:
            tail = [""] * len(ROW_COLUMNS) if row is None else [row[key] for key in ROW_KEYS]
            writer.writerow(head + tail)


# ---------------------------------------------------------------------------- reading


@dataclass
class Source:
    """Where a record came from, for error messages: "line 4" or "comparison 2"."""

    label: str
    row_labels: list = field(default_factory=list)


class FileError(Exception):
    """The file as a whole cannot be read."""


def read_json(text):
    """Return [(record, Source)] from JSON text: a list of comparison objects."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileError(
            f"The file is not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}."
        ) from None
    if not isinstance(data, list):
        raise FileError("The JSON file must hold a list of comparison objects: [{...}, {...}].")
    records = []
    for number, item in enumerate(data, start=1):
        label = f"Comparison {number}"
        if not isinstance(item, dict):
            records.append(({"_error": "is not an object"}, Source(label)))
            continue
        rows = item.get("rows", [])
        row_labels = (
            [f"{label}, row {index}" for index in range(1, len(rows) + 1)]
            if isinstance(rows, list)
            else []
        )
        records.append((item, Source(label, row_labels)))
    return records


def read_csv(text):
    """Return [(record, Source)] from CSV text: lines of the same comparison are joined."""
    reader = csv.DictReader(io.StringIO(text))
    columns = set(reader.fieldnames or [])
    missing = sorted(REQUIRED_CSV_COLUMNS - columns)
    if missing:
        raise FileError(
            "The CSV file's first line must name its columns; missing: " + ", ".join(missing) + "."
        )
    unknown = sorted(columns - set(CSV_COLUMNS))
    if unknown:
        raise FileError("Unknown columns in the CSV file: " + ", ".join(unknown) + ".")
    records, by_key = [], {}
    end_of_previous = reader.line_num
    for line in reader:
        # A record may span several lines (a cell with line breaks): name its first line.
        number, end_of_previous = end_of_previous + 1, reader.line_num
        if None in line:
            records.append(({"_error": "has more cells than the header"}, Source(f"Line {number}")))
            continue
        head = {name: (line.get(name) or "") for name in COMPARISON_COLUMNS}
        for name in ALIAS_COLUMNS.values():
            if name in columns:  # a file without the column leaves the aliases as they are
                head[name] = [alias.strip() for alias in head[name].splitlines() if alias.strip()]
            else:
                del head[name]
        head["categories"] = [
            slug.strip() for slug in head["categories"].split(";") if slug.strip()
        ]
        head["image_credits"] = parse_credits_cell(head["image_credits"])
        key = head["slug"].strip() or (
            head["first_subject"].strip(),
            head["second_subject"].strip(),
        )
        if key in by_key:
            record, source = by_key[key]
            differing = [name for name in head if record[name] != head[name]]
            if differing:
                records.append(
                    (
                        {
                            "_error": f"repeats the comparison of {source.label.lower()} with a "
                            f"different {differing[0]}"
                        },
                        Source(f"Line {number}"),
                    )
                )
                continue
        else:
            record = {**head, "rows": []}
            source = Source(f"Line {number}")
            by_key[key] = (record, source)
            records.append((record, source))
        cells = {
            key_: (line.get(column) or "")
            for key_, column in zip(ROW_KEYS, ROW_COLUMNS, strict=True)
        }
        if any(value.strip() for value in cells.values()):
            record["rows"].append(cells)
            source.row_labels.append(f"Line {number}")
    return records


def parse_credits_cell(text):
    credits = []
    for line in text.splitlines():
        if not line.strip():
            continue
        text_part, separator, url = line.rpartition(" | ")
        if not separator:
            text_part, url = line, ""
        credits.append({"text": text_part.strip(), "url": url.strip()})
    return credits


def read_file(text, file_format):
    return read_csv(text) if file_format == "csv" else read_json(text)


def guess_format(name):
    return "json" if name.lower().endswith(".json") else "csv"


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


def _length(model, name):
    return model._meta.get_field(name).max_length


def clean_row(row, position):
    if not isinstance(row, dict):
        raise RecordError("is not an object")
    order = row.get("order", "")
    if order in ("", None):
        order = position
    try:
        order = int(order)
        if order < 0:
            raise ValueError
    except (TypeError, ValueError):
        raise RecordError(f"order {order!r} is not a whole number of 0 or more") from None
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
    aliases: tuple = (None, None)  # the subjects' aliases, None where the file leaves them


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
            if isinstance(record, dict) and record.get("author")
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
    if lead_image and not storage.exists(lead_image):
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
    if comparison.expire_at and comparison.expire_at <= comparison.publish_at:
        raise RecordError("expire_at must come after publish_at")
    if lead_image and not comparison.lead_image_alt.strip():
        raise RecordError("lead_image_alt is required when there is a lead_image")
    categories = [lookups.categories[slug] for slug in slugs]
    return comparison, first, second, categories, credit_objects


def plan_import(text, file_format, storage=None, user=None):
    """Parse and check a whole file; return a Plan with its items or its errors.

    With `user` (an admin import), the workflow applies: only publishers may import
    published or unpublished comparisons, or change those that are.
    """
    storage = storage or Comparison._meta.get_field("lead_image").storage
    plan = Plan()
    try:
        records = read_file(text, file_format)
    except FileError as error:
        plan.errors.append(str(error))
        return plan
    except csv.Error as error:
        plan.errors.append(f"The CSV file cannot be read: {error}.")
        return plan
    if not records:
        plan.errors.append("The file holds no comparisons.")
        return plan
    lookups = Lookups(records)
    seen_slugs, seen_pairs, seen_aliases = {}, {}, {}
    for record, source in records:
        try:
            comparison, first, second, categories, credits = check_record(record, lookups, storage)
            first_subject, second_subject = lookups.subject(first), lookups.subject(second)
            aliases = record_aliases(record)
            for name, given in zip((first, second), aliases, strict=True):
                if given is not None and seen_aliases.setdefault(name, (given, source))[0] != given:
                    raise RecordError(
                        f"the aliases of {name} differ from those in "
                        f"{seen_aliases[name][1].label.lower()}"
                    )
        except RecordError as error:
            plan.errors.append(f"{source.label}: {error}.")
            continue
        comparison.first_subject, comparison.second_subject = first_subject, second_subject
        comparison.title = comparison.title or comparison.default_title()
        comparison.slug = comparison.slug or comparison.default_slug()
        rows, row_errors = [], []
        raw_rows = record.get("rows", [])
        if not isinstance(raw_rows, list):
            plan.errors.append(f"{source.label}: rows must be a list.")
            continue
        for position, raw in enumerate(raw_rows, start=1):
            try:
                rows.append(clean_row(raw, position))
            except RecordError as error:
                label = source.row_labels[position - 1] if source.row_labels else source.label
                row_errors.append(f"{label}: {error}.")
        plan.errors.extend(row_errors)
        if comparison.slug in seen_slugs:
            plan.errors.append(
                f"{source.label}: the address {comparison.slug!r} is already used by "
                f"{seen_slugs[comparison.slug].lower()} of this file."
            )
            continue
        pair = frozenset((first, second))
        if pair in seen_pairs:
            plan.errors.append(
                f"{source.label}: {first} and {second} are already compared by "
                f"{seen_pairs[pair].lower()} of this file."
            )
            continue
        seen_slugs[comparison.slug], seen_pairs[pair] = source.label, source.label
        if first_subject.pk and second_subject.pk:
            owner = lookups.pairs.get(frozenset((first_subject.pk, second_subject.pk)))
            if owner is not None and owner != comparison.slug:
                plan.errors.append(
                    f"{source.label}: {first} and {second} are already compared on the site, "
                    f"at /difference-between-{owner}/."
                )
                continue
        if row_errors:
            continue
        comparison.pk = lookups.existing.get(comparison.slug)
        if user is not None and not can_publish(user):
            current = lookups.statuses.get(comparison.slug)
            if comparison.status in PUBLISHER_STATUSES or current in PUBLISHER_STATUSES:
                plan.errors.append(
                    f"{source.label}: only publishers may import published or unpublished "
                    f"comparisons, or change those that are ({comparison.slug!r} would be "
                    f"{comparison.status}{f', and is {current} now' if current else ''})."
                )
                continue
        item = Item(source, record, comparison, first, second, categories, rows, credits)
        item.aliases = aliases
        plan.items.append(item)
    if plan.errors:
        plan.items = []
        return plan
    _mark_unchanged(plan)
    return plan


def _normalised(record):
    record = {key: record.get(key) for key in COMPARISON_COLUMNS + ["rows"]}
    return json.dumps(record, sort_keys=True, default=str)


def _mark_unchanged(plan):
    """Set each item's action by comparing it with what the site holds now."""
    existing = [item for item in plan.items if item.comparison.pk]
    for start in range(0, len(existing), BATCH):
        batch = existing[start : start + BATCH]
        current = {
            comparison.pk: comparison_record(comparison)
            for comparison in Comparison.objects.filter(pk__in=[i.comparison.pk for i in batch])
            .select_related("first_subject", "second_subject", "author")
            .prefetch_related("categories", "rows", "credits")
        }
        for item in batch:
            incoming = comparison_record_of(item)
            same = _normalised(incoming) == _normalised(current[item.comparison.pk])
            item.action = "unchanged" if same else "change"


def comparison_record_of(item):
    """The export record the item will have once written."""
    return _record(
        item.comparison,
        item.first_name,
        item.second_name,
        item.categories,
        item.credits,
        item.rows,
        item_aliases(item),
    )


def item_aliases(item):
    """The (first, second) subjects' aliases once the item is written."""
    subjects = (item.comparison.first_subject, item.comparison.second_subject)
    return tuple(
        subject.alias_list if given is None else given
        for given, subject in zip(item.aliases, subjects, strict=True)
    )


# ---------------------------------------------------------------------------- writing

UPDATED_FIELDS = [
    "first_subject",
    "second_subject",
    "title",
    "key_difference",
    "body",
    "body_html",
    "status",
    "publish_at",
    "expire_at",
    "meta_description",
    "lead_image",
    "lead_image_alt",
    "lead_image_renditions",
    "author",
    "updated_at",
]


def _batches(items, size=BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def apply_plan(plan, user=None, progress=None):
    """Write a checked plan in one transaction with bulk queries; return the counts.

    `progress(done, total)` is called as comparisons are written. With `user`, each created or
    changed comparison is recorded in the admin log.
    """
    assert not plan.errors, "Only a plan without errors can be applied."
    work = plan.of("create") + plan.of("change")
    total, done = len(work), 0
    now = timezone.now()
    with transaction.atomic():
        new_subjects = {
            id(subject): subject
            for item in work
            for subject in (item.comparison.first_subject, item.comparison.second_subject)
            if subject.pk is None
        }
        with_new_aliases = set_aliases(work)
        Subject.objects.bulk_create(new_subjects.values(), batch_size=BATCH)
        update_alias_names([subject for subject in new_subjects.values() if subject.aliases])
        for subject in with_new_aliases:
            if id(subject) not in new_subjects:
                subject.save(update_fields=["aliases"])
        rendered = {}
        for batch in _batches(work):
            for item in batch:
                comparison = item.comparison
                # bulk_create skips save(): set what it derives.
                body = comparison.body
                if body not in rendered:
                    rendered[body] = render_markdown(body)
                comparison.body_html = rendered[body]
                comparison.updated_at = now
                if comparison.pk is None:
                    comparison.created_at = now
            creating = [item.comparison for item in batch if item.action == "create"]
            changing = [item.comparison for item in batch if item.action == "change"]
            Comparison.objects.bulk_create(creating)
            if changing:
                _keep_renditions(changing)
                Comparison.objects.bulk_update(changing, UPDATED_FIELDS)
                ids = [comparison.pk for comparison in changing]
                DifferenceRow.objects.filter(comparison_id__in=ids).delete()
                ImageCredit.objects.filter(comparison_id__in=ids).delete()
                Comparison.categories.through.objects.filter(comparison_id__in=ids).delete()
            rows, credits, links = [], [], []
            through = Comparison.categories.through
            for item in batch:
                for row in item.rows:
                    row.comparison = item.comparison
                    rows.append(row)
                for credit in item.credits:
                    credit.comparison = item.comparison
                    credits.append(credit)
                links.extend(
                    through(comparison_id=item.comparison.pk, category_id=category.pk)
                    for category in item.categories
                )
            DifferenceRow.objects.bulk_create(rows)
            ImageCredit.objects.bulk_create(credits)
            through.objects.bulk_create(links)
            if user is not None:
                _log(user, batch)
            done += len(batch)
            if progress:
                progress(done, total)
    return plan.counts


def set_aliases(items):
    """Give the items' subjects the aliases the file names; return the subjects changed."""
    changed = []
    for item in items:
        subjects = (item.comparison.first_subject, item.comparison.second_subject)
        for given, subject in zip(item.aliases, subjects, strict=True):
            if given is not None and subject.alias_list != given:
                subject.aliases = "\n".join(given)
                changed.append(subject)
    return changed


def _keep_renditions(comparisons):
    """Keep each changed comparison's renditions when its image stays the same."""
    current = dict(
        Comparison.objects.filter(pk__in=[c.pk for c in comparisons]).values_list(
            "pk", "lead_image"
        )
    )
    renditions = dict(
        Comparison.objects.filter(pk__in=[c.pk for c in comparisons]).values_list(
            "pk", "lead_image_renditions"
        )
    )
    for comparison in comparisons:
        same = current.get(comparison.pk) == comparison.lead_image.name
        comparison.lead_image_renditions = renditions.get(comparison.pk) if same else []


def _log(user, items):
    for action, flag, message in (
        ("create", ADDITION, "Imported."),
        ("change", CHANGE, "Changed by an import."),
    ):
        comparisons = [item.comparison for item in items if item.action == action]
        if comparisons:
            LogEntry.objects.log_actions(
                user.pk, comparisons, flag, change_message=message, single_object=False
            )
