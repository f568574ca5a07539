"""The page cache depends on no app of the project: apps depend on its tag API."""

import ast
from pathlib import Path

import pagecache

FORBIDDEN = ("comparisons", "comments", "config", "tests")


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_the_page_cache_imports_nothing_from_the_project():
    root = Path(pagecache.__file__).parent
    offending = {
        f"{path.relative_to(root)}: {module}"
        for path in root.rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in FORBIDDEN
    }
    assert offending == set()


def test_config_holds_settings_urls_servers_and_project_middleware_only():
    """config/ is how the project is served: settings, URLs, WSGI/ASGI, the project-wide
    middleware, the serving of uploaded media and the connection its caches use to Redis; no
    feature lives there."""
    config = Path(pagecache.__file__).parent.parent / "config"
    modules = {path.name for path in config.glob("*.py")}
    served = {"__init__.py", "settings.py", "urls.py", "wsgi.py", "asgi.py", "middleware.py"}
    assert modules <= served | {"media.py", "redis_connection.py"}
