import time

from django.core.management.base import BaseCommand, CommandError

from comparisons.transfer import apply_plan, guess_format, plan_import


class ProgressBar:
    """A one-line progress bar on a terminal stream, redrawn at each whole percent and at least
    every second, but at most ten times a second."""

    def __init__(self, stream, label, width=30):
        """`stream` is a command's OutputWrapper (self.stdout)."""
        self.stream, self.label, self.width = stream, label, width
        self.started = time.monotonic()
        self.drawn_at, self.drawn_percent = 0.0, -1

    def __call__(self, done, total):
        now = time.monotonic()
        percent = 100 * done // max(total, 1)
        due = percent != self.drawn_percent or now - self.drawn_at >= 1
        if done < total and (not due or now - self.drawn_at < 0.1):
            return
        self.drawn_at, self.drawn_percent = now, percent
        filled = self.width * done // max(total, 1)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(
            f"\r{self.label} [{bar}] {percent:3d}% {done:,}/{total:,} comparisons "
            f"({now - self.started:.1f} s)",
            ending="\n" if done >= total else "",
        )
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import comparisons from a CSV file (one line per table row) or a JSON file (one object "
        "per comparison). Nothing is written unless the whole file is valid. Progress and the "
        "result go to stdout, problems to stderr."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the .csv or .json file, UTF-8.")
        parser.add_argument(
            "--format", choices=["csv", "json"], help="Default: from the file's extension."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        path = options["file"]
        try:
            with open(path, encoding="utf-8-sig") as file:
                text = file.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        plan = plan_import(
            text,
            options["format"] or guess_format(path),
            progress=ProgressBar(self.stdout, "Checking"),
        )
        if plan.errors:
            for error in plan.errors[:100]:
                self.stderr.write(error)
            more = len(plan.errors) - 100
            if more > 0:
                self.stderr.write(f"... and {more} more.")
            raise CommandError(f"Nothing was written: {len(plan.errors)} problem(s) in {path}.")
        counts = plan.counts
        summary = (
            f"{counts['create']} to create, {counts['change']} to change, "
            f"{counts['unchanged']} left alone"
        )
        if options["dry_run"]:
            self.stdout.write(f"Dry run, nothing written: {summary}.")
            return
        progress = ProgressBar(self.stdout, "Writing ")
        apply_plan(plan, progress=progress)
        done = (
            f"{counts['create']} created, {counts['change']} changed, "
            f"{counts['unchanged']} left alone"
        )
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Imported {path}: {done} in {elapsed:.1f} s."))
