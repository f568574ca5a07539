"""The two file formats of comparisons: CSV (one line per table row) and JSON (one object per
comparison). Both carry the same record, so export then import is lossless.

CSV cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) are written with a leading apostrophe, which spreadsheets show as text; reading a CSV
file removes one leading apostrophe before those characters again (see `neutralise_formula`).
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..models import Comparison, DifferenceRow

# A cell may hold a whole body (and more, so that an over-long one gets the body's own message).
csv.field_size_limit(max(csv.field_size_limit(), 2 * Comparison.BODY_MAX_CHARACTERS))

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
# The subjects' other names: a list in JSON, one name a line in a CSV cell. A file without
# them leaves the subjects' aliases as they are.
ALIAS_COLUMNS = {
    "first_subject": "first_subject_aliases",
    "second_subject": "second_subject_aliases",
}
ROW_KEYS = list(DifferenceRow.EDITABLE_FIELDS)
ROW_COLUMNS = ["row_order", *ROW_KEYS[1:]]  # "order" alone would be ambiguous in a CSV line
CSV_COLUMNS = COMPARISON_COLUMNS + ROW_COLUMNS
REQUIRED_CSV_COLUMNS = {"first_subject", "second_subject", "key_difference", "categories"}


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


# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")


def neutralise_formula(value):
    """Return `value` as a CSV cell a spreadsheet shows as text: an apostrophe goes before a
    cell that starts (after any apostrophes) with = + - @, a tab or a carriage return.
    `restore_formula` undoes it exactly."""
    value = str(value)
    return f"'{value}" if FORMULA_START.match(value) else value


def restore_formula(cell):
    """Return the value `neutralise_formula` turned into `cell`."""
    return cell[1:] if cell.startswith("'") and FORMULA_START.match(cell[1:]) else cell


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
            head.append(neutralise_formula(value))
        for row in record["rows"] or [None]:
            tail = (
                [""] * len(ROW_COLUMNS)
                if row is None
                else [neutralise_formula(row[key]) for key in ROW_KEYS]
            )
            writer.writerow(head + tail)


# ---------------------------------------------------------------------------- reading


@dataclass
class Source:
    """Where a record came from, for error messages: "line 4" or "comparison 2"."""

    label: str
    row_labels: list = field(default_factory=list)


class FileError(Exception):
    """The file as a whole cannot be read."""


UNSTORABLE = (
    "holds a character no text can be stored with (a NUL character or half of a surrogate "
    "pair); remove it"
)


def holds_unstorable_text(value):
    """Whether any text in `value` (nested lists and dicts, keys too) holds a NUL character or
    a lone surrogate, which the database refuses."""
    pending = [value]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str):
            if "\x00" in value:
                return True
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


def read_json(text):
    """Return [(record, Source)] from JSON text: a list of comparison objects."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileError(
            f"The file is not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}."
        ) from None
    except RecursionError:
        raise FileError(
            "The JSON file nests lists or objects too deeply to be comparisons: a comparison "
            "is an object whose rows and image_credits are lists of objects."
        ) from None
    except ValueError:  # the only other: a number longer than Python reads (4,300 digits)
        raise FileError(
            "The JSON file holds a number thousands of digits long, which no field takes."
        ) from None
    if not isinstance(data, list):
        raise FileError("The JSON file must hold a list of comparison objects: [{...}, {...}].")
    records = []
    for number, item in enumerate(data, start=1):
        label = f"Comparison {number}"
        if not isinstance(item, dict):
            records.append(({"_error": "is not an object"}, Source(label)))
            continue
        if holds_unstorable_text(item):
            records.append(({"_error": UNSTORABLE}, Source(label)))
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
    """Return [(record, Source)] from CSV text: lines of the same comparison are joined.

    Raise FileError, naming the line, when the text is not CSV (a quote left open, say)."""
    reader = csv.DictReader(io.StringIO(text), strict=True)
    try:
        return _read_csv_lines(reader)
    except csv.Error as error:
        reason = str(error)
        if "field larger than field limit" in reason:
            reason = f"a cell is longer than {csv.field_size_limit():,} characters"
        elif "unexpected end of data" in reason:
            reason = "a quoted cell is not closed: a quote (\") is missing"
        raise FileError(
            f"The CSV file cannot be read from line {reader.line_num + 1}: {reason}."
        ) from None


def _read_csv_lines(reader):
    columns = set(reader.fieldnames or [])
    missing = sorted(REQUIRED_CSV_COLUMNS - columns)
    if missing:
        raise FileError(
            "The CSV file's first line must name its columns; missing: " + ", ".join(missing) + "."
        )
    unknown = sorted(columns - set(CSV_COLUMNS))
    if unknown:
        raise FileError("Unknown columns in the CSV file: " + ", ".join(unknown) + ".")
    repeated = sorted({name for name in reader.fieldnames if reader.fieldnames.count(name) > 1})
    if repeated:
        raise FileError("The CSV file names a column twice: " + ", ".join(repeated) + ".")
    records, by_key = [], {}
    end_of_previous = reader.line_num
    for line in reader:
        line = {
            name: restore_formula(cell) if isinstance(cell, str) else cell
            for name, cell in line.items()
        }
        # A record may span several lines (a cell with line breaks): name its first line.
        number, end_of_previous = end_of_previous + 1, reader.line_num
        if None in line:
            records.append(({"_error": "has more cells than the header"}, Source(f"Line {number}")))
            continue
        if holds_unstorable_text(line):
            records.append(({"_error": UNSTORABLE}, Source(f"Line {number}")))
            continue
        head = {name: (line.get(name) or "") for name in COMPARISON_COLUMNS}
        for name in ALIAS_COLUMNS.values():
            if name in columns:
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


