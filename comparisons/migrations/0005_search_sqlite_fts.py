from django.db import migrations

FTS_TABLE = "comparisons_search_fts"


def create_fts(apps, schema_editor):
    """On SQLite: a full-text (FTS5) copy of search_text, so searches read matching rows only."""
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(search_text)"
    )
    schema_editor.execute(
        f"INSERT INTO {FTS_TABLE} (rowid, search_text) "
        "SELECT id, search_text FROM comparisons_comparison WHERE search_text != ''"
    )


def drop_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):

    dependencies = [
        ("comparisons", "0004_search_head_vector"),
    ]

    operations = [
        migrations.RunPython(create_fts, drop_fts),
    ]
