"""The demo content, loaded once and shared by the tests that start from it.

Loading the demo (`load_demo`, as `make run` does) takes seconds; many tests only read what
one load leaves. The test database holds at most one load at a time, and a test that takes
the `demo_site` fixture (tests/conftest.py) gets the database exactly as a load into an
empty database leaves it: the load is reused while nothing changed it, and done again when
something did. Whether something did is not trusted to the tests: the content of every table
is compared with what the load left.

- Tables the load leaves empty (captchas, sessions, reader interest, ...) are emptied again
  after each test, so a test that only shows a comment form or counts a view still shares.
- Any other change (a comment posted, a password set, a flush by a transactional test) makes
  the next test that takes the demo load it again.
- A test that does not take the demo starts from an empty database, as ever: the database is
  emptied before it (`empty_before`).

The first load in a process is a real `load_demo`; what it left (every table, and the media
folder) is kept as a snapshot, and later loads restore that snapshot: the same rows, in a
fraction of the time (`DatabaseSnapshot`).
"""

import hashlib
import io
import itertools
import shutil
import sqlite3

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, transaction


def table_contents():
    """Return {table: digest of its rows, in any order} for every table of the database."""
    digests = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {quote(table)}")
            rows = sorted(repr(tuple(_plain(value) for value in row)) for row in cursor.fetchall())
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest() if rows else ""
    return digests


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def empty_database():
    """Empty every table as a transactional test's teardown does (post_migrate data stays)."""
    call_command(
        "flush",
        verbosity=0,
        interactive=False,
        database=DEFAULT_DB_ALIAS,
        reset_sequences=False,
        allow_cascade=False,
        inhibit_post_migrate=False,
    )


class DatabaseSnapshot:
    """Every table of the test database as it is now, to be put back later.

    SQLite copies the whole database (FTS index included) with its backup API. PostgreSQL
    copies each table into a schema of its own and puts the rows back in one transaction;
    sequences are left where they are, so ids handed out later never collide.
    """

    _numbers = itertools.count(1)

    def __init__(self):
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            self.copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.copy)
            return
        quote = connection.ops.quote_name
        self.schema = f"table_snapshot_{next(self._numbers)}"
        with connection.cursor() as cursor:
            self.tables = [
                table
                for table in connection.introspection.table_names(cursor)
                if table != "django_migrations"
            ]
            cursor.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {self.schema}")
            for table in self.tables:
                cursor.execute(
                    f"CREATE TABLE {self.schema}.{quote(table)} AS SELECT * FROM {quote(table)}"
                )

    def restore(self):
        """Put every table back as it was when the snapshot was taken.

        Content types come back with the ids they had then (a flush since gave them new ones),
        so this process forgets the ids it keeps of them.
        """
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            self.copy.backup(connection.connection)
        else:
            quote = connection.ops.quote_name
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {', '.join(map(quote, self.tables))}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                for table in self.tables:
                    cursor.execute(
                        f"INSERT INTO {quote(table)} SELECT * FROM {self.schema}.{quote(table)}"
                    )
        ContentType.objects.clear_cache()


class DemoDatabase:
    """What the test database holds: one demo load (`loaded`) or anything else.

    One per test process (each pytest-xdist worker has a database of its own). Its first load
    runs `load_demo` into the empty database; later ones restore what that load left.
    """

    def __init__(self, media_parent, blocker):
        self.media_parent = media_parent  # a TempPathFactory: each load gets a media folder
        self.blocker = blocker  # pytest-django's database blocker
        self.contents = None  # table_contents() right after the load; None: not loaded
        self.media_root = None
        self.output = ""
        self.dirty = False  # whether the database may hold more than an empty one
        self.snapshot = None  # after the first load: its DatabaseSnapshot,
        self.snapshot_media = None  # a copy of its media folder
        self.snapshot_contents = None  # and its table_contents()

    @property
    def loaded(self):
        return self.contents is not None

    def ensure_loaded(self, settings):
        """Leave the database as a load into an empty database leaves it; return whether it
        had to be loaded or restored."""
        if self.loaded and table_contents() == self.contents:
            return False
        if self.snapshot is None:
            self.load(settings)
        else:
            self.restore(settings)
        self.dirty = True
        return True

    def load(self, settings):
        """Run `load_demo` into the empty database (renditions keep their plain names in a new
        media folder) and keep what it left as the snapshot."""
        self.media_root = settings.MEDIA_ROOT = self.media_parent.mktemp("demo-media")
        output = io.StringIO()
        call_command("load_demo", stdout=output)
        self.output = output.getvalue()
        self.contents = self.snapshot_contents = table_contents()
        self.snapshot = DatabaseSnapshot()
        self.snapshot_media = self.media_parent.mktemp("demo-media-snapshot")
        shutil.copytree(self.media_root, self.snapshot_media, dirs_exist_ok=True)

    def restore(self, settings):
        """Leave the database and a fresh media folder as the first load left them."""
        self.snapshot.restore()
        self.media_root = settings.MEDIA_ROOT = self.media_parent.mktemp("demo-media")
        shutil.copytree(self.snapshot_media, self.media_root, dirs_exist_ok=True)
        if table_contents() != self.snapshot_contents:
            raise AssertionError("Restoring the demo snapshot did not give the load's tables.")
        self.contents = self.snapshot_contents

    def restore_after_test(self):
        """Empty again the tables the load left empty; forget the load if anything else changed."""
        now = table_contents()
        changed = {table for table, digest in now.items() if self.contents.get(table) != digest}
        if changed - {table for table, digest in self.contents.items() if not digest}:
            self.contents = None
            return
        quote = connection.ops.quote_name
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for table in sorted(changed):
                    cursor.execute(f"DELETE FROM {quote(table)}")
        except Exception:  # whatever failed, the next test loads afresh
            self.contents = None

    def empty_before(self):
        """Empty the database for a test that does not start from the demo."""
        if self.dirty:
            empty_database()
            self.contents = None
            self.dirty = False
