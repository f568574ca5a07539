"""Bulk import and export: formats, dry run, per-line errors, all-or-nothing, round trip."""

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from reversion.models import Revision

from comparisons.models import Category, Comparison, DifferenceRow, ImageCredit, Subject
from comparisons.transfer import (
    CSV_COLUMNS,
    apply_plan,
    export_records,
    plan_import,
    write_csv,
    write_json,
)
from tests.factories import make_category, make_comparison, make_subject

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "comparisons" / "fixtures" / "example-import.csv"
CHANGELIST = "/admin/comparisons/comparison/"


@pytest.fixture
def categories(db):
    return {
        slug: make_category(slug.title(), slug=slug)
        for slug in ("business", "technology", "health", "environment", "society-and-culture")
    }


@pytest.fixture
def rich(categories, django_user_model):
    """Comparisons using every field the formats carry, with awkward text."""
    author = django_user_model.objects.create_user("writer")
    one = make_comparison(
        make_subject("BPO", aliases="Business Process Outsourcing\nB.P.O."),
        make_subject("KPO"),
        categories=[categories["business"], categories["technology"]],
        title='BPO, KPO and "quotes"',
        body="## Heading\n\nLine one, with a comma.\nLine two; ünïcode ✓",
        status=Comparison.Status.PUBLISHED,
        publish_at=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
        expire_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        meta_description="Meta, with comma",
        author=author,
        rows=[("Stands for", "Business\nProcess", "Knowledge, Process")],
    )
    DifferenceRow.objects.create(
        comparison=one,
        order=5,
        section="Work",
        aspect="Pay",
        first_value="Lower",
        second_value="Higher",
        source="Survey | 2024",
        source_url="https://example.com/survey",
        checked_on=date(2025, 3, 4),
    )
    ImageCredit.objects.create(comparison=one, order=1, text="Photo desk", url="https://ex.com/p")
    ImageCredit.objects.create(comparison=one, order=2, text="Plain credit", url="")
    make_comparison(
        "Film",
        "Movie",
        categories=[categories["health"]],
        status=Comparison.Status.REVIEW,
        publish_at=datetime(2025, 5, 1, tzinfo=UTC),
    )
    return Comparison.objects.all()


def export_text(file_format):
    stream = io.StringIO()
    (write_csv if file_format == "csv" else write_json)(
        export_records(Comparison.objects.all()), stream
    )
    return stream.getvalue()


def records_without_ids():
    return export_records(Comparison.objects.all())


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_export_then_import_is_lossless(rich, file_format):
    before = records_without_ids()
    text = export_text(file_format)
    Comparison.objects.all().delete()
    Subject.objects.all().delete()
    plan = plan_import(text, file_format)
    assert plan.errors == []
    assert plan.counts == {"create": 2, "change": 0, "unchanged": 0}
    apply_plan(plan)
    assert records_without_ids() == before
    assert export_text(file_format) == text
    comparison = Comparison.objects.get(slug="bpo-and-kpo")
    assert comparison.body_html.startswith("<h2>Heading</h2>")


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_importing_what_is_there_leaves_everything_alone(rich, file_format):
    plan = plan_import(export_text(file_format), file_format)
    assert plan.counts == {"create": 0, "change": 0, "unchanged": 2}


def test_csv_has_one_line_per_row_and_the_documented_columns(rich):
    lines = export_text("csv").splitlines()
    assert lines[0] == ",".join(CSV_COLUMNS)
    parsed = list(__import__("csv").DictReader(io.StringIO(export_text("csv"))))
    assert [(line["slug"], line["aspect"]) for line in parsed] == [
        ("bpo-and-kpo", "Stands for"),
        ("bpo-and-kpo", "Pay"),
        ("film-and-movie", ""),
    ]
    assert parsed[0]["image_credits"] == "Photo desk | https://ex.com/p\nPlain credit"
    assert parsed[0]["categories"] == "business;technology"


def test_json_has_one_object_per_comparison(rich):
    data = json.loads(export_text("json"))
    assert [item["slug"] for item in data] == ["bpo-and-kpo", "film-and-movie"]
    assert data[0]["rows"][1] == {
        "order": 5,
        "section": "Work",
        "aspect": "Pay",
        "first_value": "Lower",
        "second_value": "Higher",
        "source": "Survey | 2024",
        "source_url": "https://example.com/survey",
        "checked_on": "2025-03-04",
    }
    assert data[0]["publish_at"] == "2025-01-02T03:04:05Z"


def test_a_changed_file_plans_changes_and_applies_them(rich):
    data = json.loads(export_text("json"))
    data[0]["rows"][0]["second_value"] = "Knowledge work"
    data.append(
        {**data[1], "slug": "", "title": "", "first_subject": "Tea", "second_subject": "Coffee"}
    )
    plan = plan_import(json.dumps(data), "json")
    assert plan.counts == {"create": 1, "change": 1, "unchanged": 1}
    apply_plan(plan)
    bpo = Comparison.objects.get(slug="bpo-and-kpo")
    assert [row.second_value for row in bpo.rows.all()] == ["Knowledge work", "Higher"]
    assert Comparison.objects.get(slug="tea-and-coffee").title == "Difference between Tea and Coffee"
    assert Comparison.objects.count() == 3


BAD_CSV = """first_subject,second_subject,key_difference,categories,status,publish_at,aspect,first_value,second_value,source_url
A,B,Fine,business,draft,,Row,1,2,
C,D,Bad status,business,live,,Row,1,2,
E,F,Bad date,business,draft,yesterday,Row,1,2,
G,H,No aspect,business,draft,,,1,2,
G,H,No aspect,business,draft,,Second,,2,
I,J,Unknown category,nowhere,draft,,Row,1,2,
K,L,Bad link,business,draft,,Row,1,2,not a link
M,M,Same,business,draft,,Row,1,2,
"""


def test_csv_errors_name_each_line_and_nothing_is_written(categories):
    plan = plan_import(BAD_CSV, "csv")
    assert plan.errors == [
        "Line 3: status 'live' is not one of: draft, review, published, unpublished.",
        "Line 4: publish_at 'yesterday' is not a date and time like 2025-06-02T12:00:00Z.",
        "Line 5: aspect is required.",
        "Line 6: first_value is required.",
        "Line 7: unknown categories: nowhere.",
        "Line 8: source_url 'not a link' is not a web address (https://...).",
        "Line 9: a subject cannot be compared with itself.",
    ]
    assert plan.items == []
    with pytest.raises(AssertionError):
        apply_plan(plan)
    assert not Comparison.objects.exists() and not Subject.objects.exists()


def test_csv_lines_of_one_comparison_must_agree(categories):
    text = (
        "first_subject,second_subject,key_difference,categories,aspect,first_value,second_value\n"
        "A,B,One summary,business,R1,1,2\n"
        "A,B,Another summary,business,R2,1,2\n"
    )
    assert plan_import(text, "csv").errors == [
        "Line 3: repeats the comparison of line 2 with a different key_difference."
    ]


def test_json_errors_name_the_object_and_row(categories):
    data = [
        {"first_subject": "A", "second_subject": "B", "key_difference": "x", "categories": ["business"]},
        {"first_subject": "C", "second_subject": "D", "key_difference": "", "categories": ["business"]},
        {
            "first_subject": "E",
            "second_subject": "F",
            "key_difference": "x",
            "categories": ["business"],
            "rows": [{"aspect": "ok", "first_value": "1", "second_value": "2"}, {"aspect": "x"}],
        },
        {"first_subject": "B", "second_subject": "A", "key_difference": "x", "categories": ["business"]},
        "oops",
    ]
    assert plan_import(json.dumps(data), "json").errors == [
        "Comparison 2: key_difference is required.",
        "Comparison 3, row 2: first_value is required.",
        "Comparison 4: B and A are already compared by comparison 1 of this file.",
        "Comparison 5: is not an object.",
    ]


def test_unreadable_files_get_one_clear_error(categories):
    assert plan_import("[{", "json").errors == [
        "The file is not valid JSON: line 1, column 3: Expecting property name enclosed in "
        "double quotes."
    ]
    assert plan_import("a,b\n1,2\n", "csv").errors == [
        "The CSV file's first line must name its columns; missing: categories, first_subject, "
        "key_difference, second_subject."
    ]


def test_a_pair_already_on_the_site_under_another_address_is_an_error(categories):
    make_comparison(make_subject("A"), make_subject("B"), slug="a-versus-b")
    text = "first_subject,second_subject,key_difference,categories\nB,A,x,business\n"
    assert plan_import(text, "csv").errors == [
        "Line 2: B and A are already compared on the site, at /difference-between-a-versus-b/."
    ]


def test_the_example_file_imports(categories):
    plan = plan_import(EXAMPLE.read_text(encoding="utf-8"), "csv")
    assert plan.errors == []
    apply_plan(plan)
    laptop = Comparison.objects.get(slug="laptop-and-tablet")
    assert [(r.section, r.aspect) for r in laptop.rows.all()] == [
        ("Overview", "Input"),
        ("Overview", "Weight"),
        ("Use", "Best for"),
    ]
    assert Comparison.objects.get(slug="sleet-and-hail").title == "Sleet or hail?"
    assert Comparison.objects.count() == 3


def upload_to_admin(client, text, name="comparisons.csv", dry_run=True):
    data = {"file": SimpleUploadedFile(name, text.encode())}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(f"{CHANGELIST}import/", data)


def test_admin_dry_run_shows_the_plan_and_writes_nothing(publisher_client, categories):
    response = upload_to_admin(publisher_client, EXAMPLE.read_text(encoding="utf-8"))
    html = response.content.decode()
    assert "Dry run: nothing was written.</strong> 3 to create, 0 to change, 0 left alone." in html
    assert "Line 2: Difference between Laptop and Tablet (/difference-between-laptop-and-tablet/)" in (
        html
    )
    assert not Comparison.objects.exists()


def test_admin_import_writes_and_logs(publisher_client, categories):
    response = upload_to_admin(publisher_client, EXAMPLE.read_text(encoding="utf-8"), dry_run=False)
    assert response.status_code == 302
    assert Comparison.objects.count() == 3
    assert LogEntry.objects.filter(change_message="Imported.").count() == 3


def test_admin_import_lists_errors_and_writes_nothing(editor_client, categories):
    response = upload_to_admin(editor_client, BAD_CSV, dry_run=False)
    html = response.content.decode()
    assert "Nothing was written: the file has 7 problems." in html
    assert "<li>Line 3: status &#x27;live&#x27; is not one of" in html
    assert not Comparison.objects.exists()


def test_admin_import_refuses_non_utf8(editor_client):
    response = editor_client.post(
        f"{CHANGELIST}import/", {"file": SimpleUploadedFile("x.csv", "é".encode("latin-1"))}
    )
    assert response.context["form"].errors["file"] == ["The file must be UTF-8 text."]


def test_changelist_links_to_import(editor_client):
    assert b'href="/admin/comparisons/comparison/import/"' in editor_client.get(CHANGELIST).content


@pytest.mark.parametrize("action, kind", [("export_csv", "text/csv"), ("export_json", "application/json")])
def test_admin_exports_a_selection(editor_client, rich, action, kind):
    chosen = rich.get(slug="film-and-movie")
    response = editor_client.post(CHANGELIST, {"action": action, "_selected_action": [chosen.pk]})
    assert response["Content-Type"] == f"{kind}; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="comparisons-')
    body = response.content.decode()
    assert "film-and-movie" in body and "bpo-and-kpo" not in body


def test_command_imports_with_a_progress_bar(categories, tmp_path):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_comparisons", str(EXAMPLE), stdout=stdout, stderr=stderr)
    out = stdout.getvalue()
    assert "Checking [##############################] 100% 3/3 comparisons" in out
    assert "Writing  [##############################] 100% 3/3 comparisons" in out
    assert out.splitlines()[-1].startswith(
        f"Imported {EXAMPLE}: 3 created, 0 changed, 0 left alone"
    )
    assert stderr.getvalue() == ""
    assert Comparison.objects.count() == 3


def test_command_dry_run_and_errors(categories, tmp_path):
    stdout = io.StringIO()
    call_command("import_comparisons", str(EXAMPLE), "--dry-run", stdout=stdout, stderr=io.StringIO())
    assert stdout.getvalue().splitlines()[-1] == (
        "Dry run, nothing written: 3 to create, 0 to change, 0 left alone."
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    stderr = io.StringIO()
    with pytest.raises(CommandError, match=r"Nothing was written: 7 problem\(s\)"):
        call_command("import_comparisons", str(bad), stdout=io.StringIO(), stderr=stderr)
    assert "Line 3: status 'live'" in stderr.getvalue()
    assert not Comparison.objects.exists()


def test_only_publishers_import_what_readers_see(editor_client, publisher_client, categories):
    make_comparison(make_subject("Live"), make_subject("Page"), categories=[categories["business"]])
    text = (
        "first_subject,second_subject,key_difference,categories,status\n"
        "New,Draft,x,business,draft\n"
        "New,Live,x,business,published\n"
        "Live,Page,changed,business,draft\n"
    )
    html = upload_to_admin(editor_client, text).content.decode()
    assert "Nothing was written: the file has 2 problems." in html
    assert (
        "Line 3: only publishers may import published or unpublished comparisons, or change "
        "those that are (&#x27;new-and-live&#x27; would be published)." in html
    )
    assert "(&#x27;live-and-page&#x27; would be draft, and is published now)." in html
    response = upload_to_admin(publisher_client, text)
    assert "2 to create, 1 to change, 0 left alone." in response.content.decode()


def test_subjects_aliases_travel_with_their_comparisons(rich):
    data = json.loads(export_text("json"))
    assert data[0]["first_subject_aliases"] == ["Business Process Outsourcing", "B.P.O."]
    assert data[0]["second_subject_aliases"] == []
    parsed = list(__import__("csv").DictReader(io.StringIO(export_text("csv"))))
    assert parsed[0]["first_subject_aliases"] == "Business Process Outsourcing\nB.P.O."


def test_an_import_sets_the_aliases_it_names_and_keeps_those_it_omits(rich):
    from comparisons.search import search, update_search_index

    data = json.loads(export_text("json"))
    data[0]["second_subject_aliases"] = ["Knowledge Process Outsourcing", " ", "KPO firm"]
    del data[0]["first_subject_aliases"]
    data.append(
        {
            **data[1],
            "slug": "",
            "title": "",
            "first_subject": "Tea",
            "second_subject": "Coffee",
            "first_subject_aliases": ["Chai"],
        }
    )
    plan = plan_import(json.dumps(data), "json")
    assert plan.errors == []
    assert plan.counts == {"create": 1, "change": 1, "unchanged": 1}
    apply_plan(plan)
    aliases = dict(Subject.objects.values_list("name", "aliases"))
    assert aliases["KPO"] == "Knowledge Process Outsourcing\nKPO firm"
    assert aliases["BPO"] == "Business Process Outsourcing\nB.P.O."
    assert aliases["Tea"] == "Chai"
    Comparison.objects.filter(slug="tea-and-coffee").update(status=Comparison.Status.PUBLISHED)
    update_search_index()
    assert [s.name for s in search("chai").subjects] == ["Tea"]
    kpo = Subject.objects.get(name="KPO")
    assert sorted(kpo.alias_names.values_list("search_name", flat=True)) == [
        "knowledge process outsourcing",
        "kpo firm",
    ]


def test_a_csv_without_alias_columns_leaves_aliases_alone(rich):
    text = "first_subject,second_subject,key_difference,categories\nBPO,Tea,x,business\n"
    apply_plan(plan_import(text, "csv"))
    assert Subject.objects.get(name="BPO").alias_list == ["Business Process Outsourcing", "B.P.O."]
    text = (
        "first_subject,second_subject,first_subject_aliases,key_difference,categories\n"
        'BPO,Coffee,"Outsourcing of processes\nBPO firm",x,business\n'
    )
    apply_plan(plan_import(text, "csv"))
    assert Subject.objects.get(name="BPO").alias_list == ["Outsourcing of processes", "BPO firm"]


def test_aliases_that_disagree_or_are_not_a_list_are_errors(categories):
    base = {"key_difference": "x", "categories": ["business"]}
    data = [
        {**base, "first_subject": "A", "second_subject": "B", "first_subject_aliases": ["Ay"]},
        {**base, "first_subject": "A", "second_subject": "C", "first_subject_aliases": ["Aa"]},
        {**base, "first_subject": "D", "second_subject": "E", "second_subject_aliases": "Ee"},
        {**base, "first_subject": "F", "second_subject": "G", "first_subject_aliases": ["F" * 121]},
    ]
    assert plan_import(json.dumps(data), "json").errors == [
        "Comparison 2: the aliases of A differ from those in comparison 1.",
        "Comparison 3: second_subject_aliases must be a list of names.",
        "Comparison 4: first_subject_aliases: each alias may have at most 120 characters.",
    ]


def test_deeply_nested_json_gets_a_clear_message(categories):
    nested = "[" * 100_000 + "]" * 100_000
    assert plan_import(nested, "json").errors == [
        "The JSON file nests lists or objects too deeply to be comparisons: a comparison is an "
        "object whose rows and image_credits are lists of objects."
    ]


def test_admin_answers_deeply_nested_json_with_the_message(editor_client, categories):
    nested = "[" * 100_000 + "]" * 100_000
    response = upload_to_admin(editor_client, nested, name="deep.json")
    assert response.status_code == 200
    assert "nests lists or objects too deeply" in response.content.decode()


FORMULAS = ["=HYPERLINK(\"https://evil.example\",\"x\")", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3"]


def test_csv_export_neutralises_formulas_and_the_round_trip_is_lossless(categories):
    tricky = ["'=already quoted", "''@twice", "'plain apostrophe", "\tTab first", *FORMULAS]
    make_comparison(
        "Cells",
        "Formulas",
        categories=[categories["business"]],
        key_difference=FORMULAS[0],
        meta_description=FORMULAS[1],
        rows=[(f"Aspect {n}", value, "-") for n, value in enumerate(tricky)],
    )
    before = records_without_ids()
    text = export_text("csv")
    cells = [cell for line in csv.reader(io.StringIO(text)) for cell in line]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t")]
    assert "'=HYPERLINK(\"https://evil.example\",\"x\")" in cells
    assert "''=already quoted" in cells and "'''@twice" in cells
    assert "'plain apostrophe" in cells  # nothing a spreadsheet would run: kept as it is
    Comparison.objects.all().delete()
    plan = plan_import(text, "csv")
    assert plan.errors == []
    apply_plan(plan)
    assert records_without_ids() == before


def test_an_edited_export_shows_what_happens_to_rows_and_reports(publisher_client, rich):
    one = rich.get(slug="bpo-and-kpo")
    from comparisons.models import RowReport

    RowReport.objects.create(comparison=one, row=one.rows.get(aspect="Pay"), note="Old figures")
    records = json.loads(export_text("json"))
    records[0]["rows"][1]["second_value"] = "Much higher"
    records[0]["rows"].pop(0)
    response = upload_to_admin(publisher_client, json.dumps(records), name="edited.json")
    assert (
        "Comparison 1: BPO, KPO and &quot;quotes&quot; (/difference-between-bpo-and-kpo/): "
        "1 row(s) updated in place (1 open report(s) kept), 1 removed"
    ) in response.content.decode()


def test_import_now_writes_the_file_of_a_clean_dry_run(publisher_client, categories):
    response = upload_to_admin(publisher_client, EXAMPLE.read_text(encoding="utf-8"))
    token = response.context["checked"]
    assert 'value="Import now"' in response.content.decode()
    assert not Comparison.objects.exists()
    response = publisher_client.post(f"{CHANGELIST}import/", {"checked": token})
    assert response.status_code == 302
    assert Comparison.objects.count() == 3
    revisions = Revision.objects.count()
    for used_or_forged in (token, "forged"):  # pressed twice (a double click, the back button)
        again = publisher_client.post(
            f"{CHANGELIST}import/", {"checked": used_or_forged}, follow=True
        )
        assert "That file was imported already, or its check is over an hour old" in (
            again.content.decode()
        )
    assert Revision.objects.count() == revisions  # nothing written again


def test_import_now_after_the_site_changed_shows_why_it_cannot(publisher_client, categories):
    token = upload_to_admin(publisher_client, EXAMPLE.read_text(encoding="utf-8")).context[
        "checked"
    ]
    Category.objects.all().delete()
    response = publisher_client.post(f"{CHANGELIST}import/", {"checked": token})
    assert response.status_code == 200
    assert "unknown categories: " in response.content.decode()
    assert not Comparison.objects.exists()


def test_a_blank_publish_date_keeps_the_stored_one(rich):
    stored = {c.slug: c.publish_at for c in Comparison.objects.all()}
    records = json.loads(export_text("json"))
    for record in records:
        if not record["expire_at"]:  # an expiry is checked against the date given
            record["publish_at"] = ""
    assert any(record["publish_at"] == "" for record in records)
    plan = plan_import(json.dumps(records), "json")
    assert plan.errors == []
    assert plan.counts == {"create": 0, "change": 0, "unchanged": len(records)}
    records[0]["key_difference"] = "Changed."
    apply_plan(plan_import(json.dumps(records), "json"))
    assert {c.slug: c.publish_at for c in Comparison.objects.all()} == stored


def test_a_dry_run_with_errors_offers_no_import_now(editor_client, categories):
    response = upload_to_admin(editor_client, BAD_CSV)
    assert response.context["checked"] is None
    assert "Import now" not in response.content.decode()


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_templates_download_and_import_cleanly(editor_client, categories, file_format):
    response = editor_client.get(f"{CHANGELIST}import/template.{file_format}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="comparisons-template.{file_format}"'
    )
    plan = plan_import(response.content.decode(), file_format)
    assert (plan.errors, plan.counts["create"]) == ([], 3)
    page = editor_client.get(f"{CHANGELIST}import/").content.decode()
    assert f'href="{CHANGELIST}import/template.{file_format}"' in page


def test_formulas_in_every_exported_column_are_neutralised_and_travel_back(
    categories, django_user_model
):
    author = django_user_model.objects.create_user("@author", is_staff=True)
    first, second = make_subject("=First"), make_subject("+Second")
    first.aliases = "-alias"
    first.save()
    comparison = make_comparison(
        first,
        second,
        categories=[categories["business"]],
        title="=Title",
        key_difference="@Key",
        body="-Body",
        meta_description="\tMeta",
        lead_image_alt="=Alt",
        author=author,
    )
    comparison.rows.create(
        order=1, section="=Section", aspect="+Aspect", first_value="-1", second_value="@2",
        source="=Source", source_url="https://example.com/=x",
    )
    comparison.credits.create(order=1, text="=Credit", url="")
    before = records_without_ids()
    text = export_text("csv")
    lines = list(csv.reader(io.StringIO(text)))
    cells = [cell for line in lines[1:] for cell in line]
    assert [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")] == []
    assert sum(cell.startswith("'") for cell in cells) == 15  # each column set above
    Comparison.objects.all().delete()
    plan = plan_import(text, "csv")
    assert plan.errors == []
    apply_plan(plan)
    assert records_without_ids() == before


BASE = {"first_subject": "A", "second_subject": "B", "key_difference": "k", "categories": ["business"]}


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"categories": [["business"]]}, "categories must be a list of category slugs (text)"),
        ({"categories": [{"slug": "business"}]}, "categories must be a list of category slugs (text)"),
        ({"author": ["editor"]}, "author must be text"),
        ({"author": {"name": "editor"}}, "author must be text"),
        ({"lead_image": "../../etc/passwd"}, "lead_image '../../etc/passwd' is not a file in the media storage"),
        ({"lead_image": "/etc/passwd"}, "lead_image '/etc/passwd' is not a file in the media storage"),
        ({"first_subject": "A\x00"}, "holds a character no text can be stored with (a NUL character or half of a surrogate pair); remove it"),
        ({"body": "x\x00y"}, "holds a character no text can be stored with (a NUL character or half of a surrogate pair); remove it"),
        ({"rows": [{"aspect": "\x00"}]}, "holds a character no text can be stored with (a NUL character or half of a surrogate pair); remove it"),
    ],
)
def test_malformed_json_values_get_a_clear_message(categories, changes, error):
    assert plan_import(json.dumps([{**BASE, **changes}]), "json").errors == [f"Comparison 1: {error}."]


def test_a_lone_surrogate_gets_a_clear_message(categories):
    text = '[{"first_subject": "\\ud800", "second_subject": "B", "key_difference": "k", "categories": ["business"]}]'
    assert plan_import(text, "json").errors == [
        "Comparison 1: holds a character no text can be stored with (a NUL character or half "
        "of a surrogate pair); remove it."
    ]


def test_a_number_thousands_of_digits_long_gets_a_clear_message(categories):
    assert plan_import("[" + "9" * 5000 + "]", "json").errors == [
        "The JSON file holds a number thousands of digits long, which no field takes."
    ]


def test_a_nul_character_in_a_csv_line_gets_a_clear_message(categories):
    text = "first_subject,second_subject,key_difference,categories\nA\x00,B,k,business\n"
    assert plan_import(text, "csv").errors == [
        "Line 2: holds a character no text can be stored with (a NUL character or half of a "
        "surrogate pair); remove it."
    ]


@pytest.mark.parametrize("order", [1.5, True, -2, 2**31, 10**20, "1e3", "\uff11"])
def test_a_row_order_that_is_no_storable_whole_number_is_an_error(categories, order):
    row = {"aspect": "a", "first_value": "1", "second_value": "2", "order": order}
    assert plan_import(json.dumps([{**BASE, "rows": [row]}]), "json").errors == [
        f"Comparison 1, row 1: order {order!r} is not a whole number from 0 to 2,147,483,647."
    ]


def test_the_largest_row_order_imports(categories):
    row = {"aspect": "a", "first_value": "1", "second_value": "2", "order": 2**31 - 1}
    apply_plan(plan_import(json.dumps([{**BASE, "rows": [row]}]), "json"))
    assert DifferenceRow.objects.get().aspect == "a"


@pytest.mark.parametrize("slug", ["Bad Slug!", "a/b", "\u65e5\u672c\u8a9e"])
def test_a_slug_that_is_no_address_is_an_error(categories, slug):
    assert plan_import(json.dumps([{**BASE, "slug": slug}]), "json").errors == [
        f"Comparison 1: slug {slug!r} is not an address: use only letters a-z, digits, hyphens "
        "and underscores."
    ]


def test_a_csv_quote_left_open_names_its_line(categories):
    text = (
        "first_subject,second_subject,key_difference,categories\n"
        "A,B,fine,business\n"
        'C,D,"never closed,business\n'
        "E,F,lost,business\n"
    )
    assert plan_import(text, "csv").errors == [
        'The CSV file cannot be read from line 3: a quoted cell is not closed: a quote (") is '
        "missing."
    ]


def test_a_csv_body_longer_than_the_csv_modules_default_limit_travels(categories):
    make_comparison("A", "B", body="word " * 60_000, categories=[categories["business"]])
    text = export_text("csv")
    Comparison.objects.all().delete()
    plan = plan_import(text, "csv")
    assert plan.errors == []
    apply_plan(plan)
    assert len(Comparison.objects.get().body) == 300_000


def test_unknown_keys_of_rows_and_credits_are_errors(categories):
    row = {"aspect": "a", "first_value": "1", "second_value": "2", "sorce": "typo"}
    credit = {"text": "Photo", "link": "https://example.com/"}
    records = [
        {**BASE, "image_credits": [credit]},
        {**BASE, "first_subject": "C", "second_subject": "D", "rows": [row]},
    ]
    assert plan_import(json.dumps(records), "json").errors == [
        "Comparison 1: image credit 1: unknown fields: link.",
        "Comparison 2, row 1: unknown fields: sorce.",
    ]


def test_a_csv_naming_a_column_twice_is_an_error(categories):
    text = "slug,slug,first_subject,second_subject,key_difference,categories\na,b,A,B,k,business\n"
    assert plan_import(text, "csv").errors == ["The CSV file names a column twice: slug."]
