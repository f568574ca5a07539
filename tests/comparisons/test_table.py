"""The table of differences: sections as header rows, per-row sources, the order field."""

import re
from datetime import date

import pytest

from comparisons.models import DifferenceRow, group_rows
from tests.factories import make_comparison

pytestmark = pytest.mark.django_db


def add_row(comparison, order, aspect, **fields):
    return DifferenceRow.objects.create(
        comparison=comparison,
        order=order,
        aspect=aspect,
        first_value=fields.pop("first_value", "one"),
        second_value=fields.pop("second_value", "two"),
        **fields,
    )


@pytest.fixture
def sectioned(db):
    comparison = make_comparison("BPO", "KPO")
    add_row(comparison, 1, "Stands for")
    add_row(comparison, 2, "Founded", section="Overview")
    add_row(comparison, 3, "Scope", section="Overview")
    add_row(comparison, 4, "Salary", section="Careers")
    return comparison


def table_of(client, comparison):
    html = client.get(comparison.get_absolute_url()).content.decode()
    return html[html.index("<table") : html.index("</table>")]


def test_rows_group_under_consecutive_section_headings():
    rows = [DifferenceRow(aspect=a, section=s) for a, s in [("a", ""), ("b", "X"), ("c", "X ")]]
    assert [(g.heading, [r.aspect for r in g.rows]) for g in group_rows(rows)] == [
        ("", ["a"]),
        ("X", ["b", "c"]),
    ]


def test_sections_render_as_header_rows_of_their_own_tbody(client, sectioned):
    table = table_of(client, sectioned)
    bodies = re.findall(r"<tbody[^>]*>(.*?)</tbody>", table, re.S)
    assert len(bodies) == 3
    assert "colgroup" not in bodies[0]
    headings = [re.findall(r'<th colspan="3" scope="colgroup">(.*?)</th>', body) for body in bodies]
    assert headings == [[], ["Overview"], ["Careers"]]
    aspects = [re.findall(r'<th scope="row">(.*?)</th>', body) for body in bodies]
    assert aspects == [["Stands for"], ["Founded", "Scope"], ["Salary"]]


def test_section_headings_are_escaped(client):
    comparison = make_comparison("BPO", "KPO")
    add_row(comparison, 1, "A", section="<i>Work</i>")
    assert "<th colspan=\"3\" scope=\"colgroup\">&lt;i&gt;Work&lt;/i&gt;</th>" in table_of(
        client, comparison
    )


def test_row_sources_and_check_dates_show_discreetly(client):
    comparison = make_comparison("BPO", "KPO")
    add_row(
        comparison,
        1,
        "Market size",
        source="Industry report",
        source_url="https://example.com/report",
        checked_on=date(2025, 3, 4),
    )
    add_row(comparison, 2, "Founded", source="Company history")
    add_row(comparison, 3, "Plain")
    table = table_of(client, comparison)
    assert (
        '<th scope="row">Market size<small class="row-source">Source: '
        '<a href="https://example.com/report" rel="nofollow noopener">Industry report</a>; '
        'checked <time datetime="2025-03-04">4 Mar 2025</time></small></th>'
    ) in table
    assert '<th scope="row">Founded<small class="row-source">Source: Company history</small></th>' in (
        table
    )
    assert '<th scope="row">Plain</th>' in table


def test_page_queries_do_not_grow_with_sections_and_sources(
    client, sectioned, django_assert_max_num_queries
):
    client.get(sectioned.get_absolute_url())
    for order in range(5, 25):
        add_row(sectioned, order, f"Row {order}", section=f"S{order % 3}", source="x")
    with django_assert_max_num_queries(7):
        assert client.get(sectioned.get_absolute_url()).status_code == 200


def test_admin_row_order_is_a_visible_number_field(editor_client):
    comparison = make_comparison("BPO", "KPO", rows=[("A", "1", "2")])
    html = editor_client.get(f"/admin/comparisons/comparison/{comparison.pk}/change/").content
    assert re.search(
        rb'<input type="number" name="rows-0-order" value="1" class="_reorder_ vSmallField" '
        rb'min="0" aria-label="Order"',
        html,
    )
    assert b"adminsortable2/js/adminsortable2" in html
