"""The Nu Html Checker (vnu.jar, as used by validator.w3.org/nu), run over files.

vnu.jar comes from the `vnu-jar` npm package (package.json), installed by `make install-test`;
it needs Java. It starts slowly: check many files in one run.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# One short run: the quick (C1) compiler alone starts in half the time; its frames are larger,
# so the schema's deep recursion needs a larger stack.
JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss16m"]


def run_vnu(paths):
    """Check `paths` (.html as HTML, .css as CSS); return vnu's messages that are errors."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        pytest.fail(f"The Nu Html Checker needs Java and {VNU_JAR}: run `make install-test`.")
    completed = subprocess.run(
        [java, *JAVA_OPTIONS, "-jar", str(VNU_JAR), "--format", "json", "--stdout"]
        + ["--also-check-css"]
        + [str(path) for path in paths],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(completed.stdout)["messages"]
    return [message for message in messages if message["type"] != "info"]


def describe(message):
    """Return one of vnu's messages as a readable line: where, what, and the text it is about."""
    where = f"line {message.get('lastLine', '?')}"
    return f"  {where}: {message['message']}\n      {message.get('extract', '').strip()[:160]}"


# A page with a known error, to prove the checker really checks.
BROKEN_PAGE = '<!DOCTYPE html><html lang="en"><title>Broken</title><p><div>x</div></p>'
