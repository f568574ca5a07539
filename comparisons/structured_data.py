
"""Structured data (JSON-LD) describing a comparison page for search engines."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone


def absolute(request, path):
    return request.build_absolute_uri(path)


def subject_thing(subject):
    """Return a subject as a schema.org Thing, with its aliases as alternate names."""
    thing = {"@type": "Thing", "name": subject.name}
    if subject.alias_list:
        thing["alternateName"] = subject.alias_list
    return thing


def comparison_structured_data(request, comparison, main_category, rows):
    """Return the page's JSON-LD graph: Article, BreadcrumbList and the table as an ItemList."""
    url = absolute(request, comparison.get_absolute_url())
    first, second = comparison.first_subject.name, comparison.second_subject.name
    article = {
        "@type": "Article",
        "@id": f"{url}#article",
        "headline": comparison.title[:110],
        "description": comparison.description,
        "datePublished": (comparison.publish_at or timezone.now()).isoformat(),
        "dateModified": (comparison.updated_at or timezone.now()).isoformat(),
        "mainEntityOfPage": url,
        "about": [
            subject_thing(comparison.first_subject),
            subject_thing(comparison.second_subject),
        ],
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": absolute(request, reverse("comparisons:home")),
        },
    }
    if comparison.author:
        article["author"] = {
            "@type": "Person",
            "name": comparison.author.get_full_name() or comparison.author.get_username(),
        }
    else:
        article["author"] = {"@type": "Organization", "name": settings.SITE_NAME}
    if comparison.lead_image:
        article["image"] = absolute(request, comparison.lead_image.url)
    crumbs = [("Home", reverse("comparisons:home"))]
    if main_category:
        crumbs.append((main_category.name, main_category.get_absolute_url()))
    crumbs.append((comparison.title, comparison.get_absolute_url()))
    breadcrumbs = {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": absolute(request, path),
            }
            for position, (name, path) in enumerate(crumbs, start=1)
        ],
    }
    graph = [article, breadcrumbs]
    if rows:
        graph.append(
            {
                "@type": "ItemList",
                "name": f"{first} vs {second}: the differences",
                "numberOfItems": len(rows),
                "itemListElement": [
                    {
                        "@type": "ListItem",
                        "position": position,
                        "name": row.aspect,
                        "description": f"{first}: {row.first_value} | {second}: {row.second_value}",
                    }
                    for position, row in enumerate(rows, start=1)
                ],
            }
        )
        graph.append({"@type": "Table", "about": f"Comparison of {first} and {second}"})
    return {"@context": "https://schema.org", "@graph": graph}
