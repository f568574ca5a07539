"""The admin's view of reader interest: figures and a small server-rendered SVG chart."""

from django.utils.html import format_html, format_html_join

from ..interest import interest_summary

CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 300, 60, 2


def interest_chart_svg(series):
    """Return an inline SVG bar chart of (day, views, searches) rows; no style attributes."""
    peak = max([views + searches for _, views, searches in series] + [1])
    bar = CHART_WIDTH / len(series)
    bars = []
    for index, (day, views, searches) in enumerate(series):
        x = round(index * bar, 2)
        width = round(bar - BAR_GAP, 2)
        total_height = round((views + searches) / peak * CHART_HEIGHT, 2)
        search_height = round(searches / peak * CHART_HEIGHT, 2)
        label = f"{day:%d %b}: {views} views, {searches} searches"
        bars.append((x, CHART_HEIGHT - total_height, width, total_height, label))
        bars.append((x, CHART_HEIGHT - search_height, width, search_height, label))
    rects = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" class="interest-chart__bar"><title>{}</title></rect>',
        bars[0::2],
    )
    search_rects = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#c2410c"><title>{}</title></rect>',
        bars[1::2],
    )
    return format_html(
        '<svg class="interest-chart" xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" '
        'viewBox="0 0 {} {}" role="img" aria-label="Views (blue) and searches (orange), last 30 days">'
        '<rect x="0" y="0" width="{}" height="{}" fill="#f5f3ee"></rect>'
        '<g fill="#0b5cad">{}</g>{}</svg>',
        CHART_WIDTH,
        CHART_HEIGHT,
        CHART_WIDTH,
        CHART_HEIGHT,
        CHART_WIDTH,
        CHART_HEIGHT,
        rects,
        search_rects,
    )


def interest_panel(comparison):
    """Return the HTML of the comparison's interest figures and chart."""
    totals, series = interest_summary(comparison.pk)
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
        [
            ("Last 7 days", totals["views_7"], totals["searches_7"]),
            ("Last 30 days", totals["views_30"], totals["searches_30"]),
            ("All time", totals["views_all"], totals["searches_all"]),
        ],
    )
    return format_html(
        '<table class="interest-figures"><thead><tr><th></th><th scope="col">Views</th>'
        '<th scope="col">Searches</th></tr></thead><tbody>{}</tbody></table>'
        "<p>Last 30 days, one bar a day:</p>{}",
        rows,
        interest_chart_svg(series),
    )
