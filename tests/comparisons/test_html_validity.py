"""The Nu Html Checker (vnu.jar, as used by validator.w3.org/nu) finds no error on any public page.

vnu.jar comes from the `vnu-jar` npm package (package.json), installed by `make install-test`;
it needs Java. It starts slowly, so it checks every page, and our stylesheets, in one run.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client

from tests.helpers.vnu import BROKEN_PAGE, describe, run_vnu
from tests.public_pages import public_pages

STYLESHEETS = sorted((Path(settings.BASE_DIR) / "static" / "css").glob("*.css"))


def test_every_public_page_and_stylesheet_is_valid(client, demo_site, tmp_path):
    # A page with a known error rides along, to prove the checker really checks.
    broken = tmp_path / "broken.html"
    broken.write_text(BROKEN_PAGE)
    checked = {broken: "known broken page"}
    for number, (name, path) in enumerate(public_pages()):
        response = client.get(path)
        assert response.status_code == (404 if name == "not found" else 200), path
        html_file = tmp_path / f"page-{number}.html"
        html_file.write_bytes(response.content)
        checked[html_file] = f"{name} ({path})"
    server_error = tmp_path / "500.html"
    server_error.write_text(render_to_string("500.html"))
    checked[server_error] = "server error (500.html)"
    refused = Client(enforce_csrf_checks=True).post("/search/")
    assert refused.status_code == 403
    (tmp_path / "403-csrf.html").write_bytes(refused.content)
    checked[tmp_path / "403-csrf.html"] = "form refused (403_csrf.html)"
    for stylesheet in STYLESHEETS:
        checked[stylesheet] = stylesheet.name

    errors = run_vnu(checked)

    report = {}
    for message in errors:
        url = message.get("url", "")
        page = checked.get(Path(url.removeprefix("file:")), url or "vnu")
        report.setdefault(page, []).append(describe(message))
    assert "No “p” element in scope" in "".join(report.pop("known broken page", []))
    assert report == {}, "The Nu Html Checker found errors:\n" + "\n".join(
        f"{page}:\n" + "\n".join(lines) for page, lines in report.items()
    )
