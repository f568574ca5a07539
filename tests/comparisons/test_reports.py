"""Readers report wrong rows: own page with captcha, rate limit, admin queue, resolve/dismiss."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.db import OperationalError

from comparisons import views
from comparisons.models import Comparison, RowReport
from comparisons.reports import REPORTS_PER_HOUR
from tests.factories import make_comparison

pytestmark = pytest.mark.django_db

NOTE = "KPO is Knowledge Process Outsourcing, see the OECD glossary."


@pytest.fixture(autouse=True)
def captcha_test_mode(monkeypatch):
    # django-simple-captcha reads its settings once, at import: patch its module.
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    cache.clear()
    yield
    cache.clear()


def report_url(comparison):
    return f"{comparison.get_absolute_url()}report/"


def send(client, comparison, row, note=NOTE, captcha="PASSED", address="203.0.113.9"):
    return client.post(
        report_url(comparison),
        {"row": row.pk, "note": note, "captcha_0": "hash", "captcha_1": captcha},
        REMOTE_ADDR=address,
    )


def test_comparison_page_links_to_the_report_page_and_holds_no_form(client, bpo_kpo):
    html = client.get(bpo_kpo.get_absolute_url()).content.decode()
    assert (
        '<a href="/difference-between-bpo-and-kpo/report/" rel="nofollow">Is a row wrong? Tell us</a>'
        in html
    )
    for per_visitor in ("csrfmiddlewaretoken", "captcha", "<form method=\"post\""):
        assert per_visitor not in html


def test_report_page_offers_the_rows_a_captcha_and_is_never_cached(client, bpo_kpo):
    row = bpo_kpo.rows.get(aspect="Skills required")
    response = client.get(report_url(bpo_kpo), {"row": row.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert [label for _, label in response.context["form"].fields["row"].choices] == [
        "Stands for",
        "Skills required",
        "Level of service",
    ]
    checked = re.findall(r'<input type="radio" name="row" value="(\d+)"[^>]* checked>', html)
    assert checked == [str(row.pk)]
    assert 'name="captcha_1"' in html and "csrfmiddlewaretoken" in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.parametrize("row", ["abc", "\u00b2", "\u0661", "9" * 40])
def test_report_page_ignores_a_row_that_is_no_id(client, bpo_kpo, row):
    response = client.get(report_url(bpo_kpo), {"row": row})
    assert response.status_code == 200
    assert ' checked>' not in response.content.decode()


def test_a_report_is_filed_as_typed(client, bpo_kpo):
    row = bpo_kpo.rows.get(aspect="Stands for")
    response = send(client, bpo_kpo, row, note="<b>Wrong</b> & out of date")
    assert response.status_code == 200
    assert "Your report has reached the editors" in response.content.decode()
    report = RowReport.objects.get()
    assert (report.comparison, report.row, report.note, report.status) == (
        bpo_kpo,
        row,
        "<b>Wrong</b> & out of date",
        RowReport.Status.OPEN,
    )


def test_a_wrong_captcha_files_nothing_and_keeps_the_note(client, bpo_kpo):
    response = send(client, bpo_kpo, bpo_kpo.rows.first(), captcha="nope")
    assert response.status_code == 200
    assert response.context["form"].errors["captcha"] == [
        "The answer you entered for the CAPTCHA was not correct; type the code from the new image."
    ]
    assert NOTE in response.content.decode()
    assert not RowReport.objects.exists()


def test_a_row_of_another_comparison_is_refused(client, bpo_kpo):
    other = make_comparison("Tea", "Coffee", rows=[("Made from", "Leaves", "Beans")])
    response = send(client, bpo_kpo, other.rows.get())
    assert "row" in response.context["form"].errors
    assert not RowReport.objects.exists()


def test_reports_are_rate_limited_per_address(client, bpo_kpo):
    row = bpo_kpo.rows.first()
    for _ in range(REPORTS_PER_HOUR):
        assert send(client, bpo_kpo, row).status_code == 200
    response = send(client, bpo_kpo, row)
    assert response.status_code == 429
    assert "You have sent several reports in a short time." in response.content.decode()
    assert NOTE in response.content.decode()
    assert send(client, bpo_kpo, row, address="198.51.100.7").status_code == 200
    assert RowReport.objects.count() == REPORTS_PER_HOUR + 1


def test_drafts_cannot_be_reported_by_readers(client):
    draft = make_comparison("BPO", "KPO", rows=[("A", "1", "2")], status=Comparison.Status.DRAFT)
    assert client.get(report_url(draft)).status_code == 404


@pytest.fixture
def reports(bpo_kpo):
    rows = list(bpo_kpo.rows.all())
    old = RowReport.objects.create(comparison=bpo_kpo, row=rows[0], note="Old and handled")
    old.handle(RowReport.Status.DISMISSED, None)
    old.save()
    return [old] + [
        RowReport.objects.create(comparison=bpo_kpo, row=row, note=f"About {row.aspect}")
        for row in rows[1:]
    ]


def test_the_queue_shows_open_reports_first(editor_client, reports):
    response = editor_client.get("/admin/comparisons/rowreport/")
    assert response.status_code == 200
    notes = [report.note for report in response.context["cl"].result_list]
    assert notes == ["About Level of service", "About Skills required", "Old and handled"]


@pytest.mark.parametrize(
    "action, status, message",
    [("resolve", "resolved", "Resolved."), ("dismiss", "dismissed", "Dismissed.")],
)
def test_editors_resolve_or_dismiss_from_the_queue(
    editor_client, editor, reports, action, status, message
):
    chosen = reports[1]
    editor_client.post(
        "/admin/comparisons/rowreport/", {"action": action, "_selected_action": [chosen.pk]}
    )
    chosen.refresh_from_db()
    assert (chosen.status, chosen.handled_by) == (status, editor)
    assert chosen.handled_at is not None
    assert LogEntry.objects.get().change_message == message


def test_reports_show_beside_the_rows_on_the_comparison(editor_client, editor, reports, bpo_kpo):
    from tests.helpers.admin_forms import change_form_data

    address = f"/admin/comparisons/comparison/{bpo_kpo.pk}/change/"
    response = editor_client.get(address)
    html = response.content.decode()
    assert "Reader reports on rows" in html and "About Skills required" in html
    data = change_form_data(response)
    index = next(
        i
        for i in range(3)
        if data.get(f"row_reports-{i}-id") == str(reports[1].pk)
    )
    data[f"row_reports-{index}-status"] = RowReport.Status.RESOLVED
    assert editor_client.post(address, data).status_code == 302
    reports[1].refresh_from_db()
    assert (reports[1].status, reports[1].handled_by) == ("resolved", editor)


def test_comparisons_without_reports_have_no_reports_section(editor_client):
    comparison = make_comparison("BPO", "KPO")
    html = editor_client.get(f"/admin/comparisons/comparison/{comparison.pk}/change/").content
    assert b"Reader reports on rows" not in html


def test_ipv4_readers_seen_as_mapped_ipv6_each_have_their_own_report_limit(client, bpo_kpo):
    row = bpo_kpo.rows.first()
    for _ in range(REPORTS_PER_HOUR):
        assert send(client, bpo_kpo, row, address="::ffff:203.0.113.5").status_code == 200
    assert send(client, bpo_kpo, row, address="203.0.113.5").status_code == 429
    assert send(client, bpo_kpo, row, address="::ffff:203.0.113.6").status_code == 200


def test_a_report_that_fails_to_store_does_not_count(client, bpo_kpo, monkeypatch):
    row = bpo_kpo.rows.first()

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    with monkeypatch.context() as patch:
        patch.setattr(views, "file_report", locked)
        for _ in range(REPORTS_PER_HOUR):
            assert send(client, bpo_kpo, row).status_code == 503
    assert send(client, bpo_kpo, row).status_code == 200
    assert RowReport.objects.count() == 1


def test_an_unreachable_limits_cache_refuses_with_429_and_keeps_the_note(
    client, bpo_kpo, settings
):
    settings.CACHES = {
        **settings.CACHES,
        "unreachable": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there: "Redis is down"
        },
    }
    settings.COMMENTS_RATE_LIMIT_CACHE = "unreachable"
    response = send(client, bpo_kpo, bpo_kpo.rows.first())
    assert response.status_code == 429
    html = response.content.decode()
    assert "Reports cannot be accepted right now; please try again in a minute." in html
    assert NOTE in html
    assert not RowReport.objects.exists()
