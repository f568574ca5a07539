"""Reusable apps stand alone: they import nothing from the site's content app or config."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Each reusable package and the packages it must never import.
STANDALONE = {
    "comments": ("comparisons", "config"),
    "pagecache": ("comparisons", "comments", "config"),
}


def imported_modules(path):
    """Every module `path` imports, as dotted names (relative imports are the package's own)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def forbidden_imports(package, forbidden):
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for module in imported_modules(path):
            if module.split(".")[0] in forbidden:
                found.append(f"{path.relative_to(ROOT)} imports {module}")
    return found


@pytest.mark.parametrize("package", STANDALONE)
def test_reusable_packages_import_nothing_from_the_site(package):
    assert forbidden_imports(package, STANDALONE[package]) == []


def test_the_site_uses_only_the_public_api_of_comments():
    internal = [
        found
        for package in ("comparisons", "config")
        for found in forbidden_imports(package, ("comments",))
        if not found.endswith((" imports comments.api", " imports comments"))
    ]
    assert internal == []


def test_comments_templates_name_no_url_of_the_site():
    templates = [
        *(ROOT / "comments").rglob("*.html"),
        *(ROOT / "templates/comments").glob("*.html"),
    ]
    offending = [
        str(path.relative_to(ROOT))
        for path in templates
        if "comparisons:" in path.read_text() or "admin:comparisons" in path.read_text()
    ]
    assert offending == []


def test_the_check_finds_a_forbidden_import(tmp_path, monkeypatch):
    package = tmp_path / "standalone"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "views.py").write_text(
        "from . import models\nimport os\nfrom config.middleware import x\n"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert forbidden_imports("standalone", ("config",)) == [
        "standalone/views.py imports config.middleware"
    ]
