"""The demo content; each test starts from it as one load into an empty database leaves it."""

from django.contrib.auth import authenticate
from django.core.management import call_command

from comparisons import demo
from comparisons.illustrations import describe_table_illustration, illustration_credit
from comparisons.models import Category, Comparison, DifferenceRow, ImageCredit, Subject
from comparisons.transfer import plan_import


def snapshot():
    return {
        "categories": list(Category.objects.values_list("slug", "name", "order")),
        "subjects": list(Subject.objects.order_by("slug").values_list("slug", "name")),
        "comparisons": list(
            Comparison.objects.order_by("slug").values_list("slug", "title", "status", "body_html")
        ),
        "rows": list(
            DifferenceRow.objects.order_by("comparison__slug", "order").values_list(
                "comparison__slug", "order", "aspect", "first_value", "second_value"
            )
        ),
        "credits": list(
            ImageCredit.objects.order_by("comparison__slug", "order").values_list(
                "comparison__slug", "text"
            )
        ),
    }


SEED_ASPECTS = [
    "Services",
    "Stands for",
    "Skills required",
    "Level of service",
    "Process",
    "Workforce",
    "Expertise in",
]


def test_demo_has_the_seed_bpo_kpo_comparison_in_the_seed_order(demo_site, client):
    bpo_kpo = Comparison.objects.get(slug="bpo-and-kpo")
    aspects = [row.aspect for row in bpo_kpo.rows.all()]
    assert aspects[: len(SEED_ASPECTS)] == SEED_ASPECTS
    services = bpo_kpo.rows.get(aspect="Services")
    assert services.first_value.startswith("Customer care, technical support")
    assert services.second_value.startswith("In-depth knowledge, expertise and analysis")
    assert "<ul>" in bpo_kpo.body_html
    html = client.get("/difference-between-bpo-and-kpo/").content.decode()
    table, summary = html.index('id="differences-heading"'), html.index("In a nutshell</h2>")
    assert table < summary < html.index('class="comparison__meta"')
    assert html.index("What is KPO?</h2>") < table


def test_demo_images_are_the_site_s_own_illustrations_described_exactly(demo_site, client):
    """No alt text describes something the image does not show, and no credit is borrowed."""
    records, site = demo.read_demo()
    illustrated = 0
    for record in records:
        comparison = Comparison.objects.get(slug=record["slug"])
        declared = site["illustrations"].get(record["slug"])
        if declared is None:
            assert not comparison.lead_image and not comparison.credits.exists(), record["slug"]
            continue
        illustrated += 1
        row_aspects = [row["aspect"] for row in record["rows"]]
        assert declared["kind"] == "table"
        assert set(declared["aspects"]) <= set(row_aspects)
        assert comparison.lead_image_alt == describe_table_illustration(
            record["first_subject"], record["second_subject"], declared["aspects"]
        )
        assert "photo" not in comparison.lead_image_alt.lower()
        assert [credit.text for credit in comparison.credits.all()] == [illustration_credit()]
        assert [credit.url for credit in comparison.credits.all()] == [""]
        assert (comparison.lead_image.width, comparison.lead_image.height) == (1200, 630)
    assert illustrated == Comparison.objects.published().count()
    html = client.get("/difference-between-bpo-and-kpo/").content.decode()
    assert "<figcaption>Illustration: Differences\n</figcaption>" in html
    assert "tvtworld.com" not in html and "example.org" not in html


def test_demo_file_is_in_the_import_format_and_matches_what_was_loaded(demo_site):
    plan = plan_import(demo.COMPARISONS_FILE.read_text(encoding="utf-8"), "json")
    assert plan.errors == []
    assert {item.action for item in plan.items} == {"unchanged"}


def test_demo_fills_every_category_with_five_comparisons_and_the_most_searched_examples(
    demo_site,
):
    published = Comparison.objects.published()
    for category in Category.objects.all():
        assert published.filter(categories=category).count() >= 5, category
    titles = set(published.values_list("title", flat=True))
    for pair in (
        ("Film", "Movie"),
        ("Comma", "Semicolon"),
        ("Bharatanatyam", "Kuchipudi Dance"),
        ("Lenovo IdeaPad Yoga 11", "Dell Latitude 10 Windows Tablet"),
    ):
        assert f"Difference between {pair[0]} and {pair[1]}" in titles
    assert Category.objects.count() == len(demo.read_demo()[1]["categories"]) == 7
    assert Comparison.objects.filter(status=Comparison.Status.DRAFT).count() == 1


def printed_password(output):
    """Return the editor password that `load_demo` printed in `output`."""
    return output.split("password ")[1].strip().strip("'")


def test_demo_prints_a_working_editor_account(demo_site):
    password = printed_password(demo_site.output)
    user = authenticate(username="editor", password=password)
    assert user is not None and user.is_staff
    assert set(user.groups.values_list("name", flat=True)) == {
        "Editors",
        "Publishers",
        "Moderators",
    }
    assert user.has_perm("comparisons.change_comparison")
    assert user.has_perm("comparisons.publish_comparison")


def test_each_demo_load_prints_a_fresh_password_and_the_old_one_stops_working(demo_site, capsys):
    first = printed_password(demo_site.output)
    call_command("load_demo")
    second = printed_password(capsys.readouterr().out)
    assert second != first
    assert authenticate(username="editor", password=first) is None
    assert authenticate(username="editor", password=second).username == "editor"


def test_demo_adds_published_comments_and_a_reply_to_bpo_vs_kpo_once(demo_site, client, capsys):
    from comments.models import Comment

    call_command("load_demo")  # the second load
    comments = Comment.objects.order_by("pk")
    assert comments.count() == 3
    assert set(comments.values_list("status", flat=True)) == {Comment.Status.PUBLISHED}
    reply = comments.get(depth=1)
    assert reply.parent.name == "Marco"
    html = client.get("/difference-between-bpo-and-kpo/").content.decode()
    assert "Is legal process outsourcing (LPO) a kind of KPO?" in html
    assert '<ol class="comment-replies">' in html


def test_the_demo_gives_subjects_their_aliases_and_keeps_editors_changes(demo_site, capsys):
    from comparisons.search import search

    aliases = dict(Subject.objects.exclude(aliases="").values_list("name", "aliases"))
    assert aliases["BPO"] == "Business Process Outsourcing"
    assert aliases["Call Centre"] == "Call Center"
    assert aliases["Film"] == "Motion picture"
    assert [c.short_title for c in search("call center").comparisons] == ["BPO vs Call Centre"]
    assert [c.short_title for c in search("B.P.O. vs K.P.O.").comparisons][:1] == ["BPO vs KPO"]
    film = Subject.objects.get(name="Film")
    film.aliases = "Picture"
    film.save()
    call_command("load_demo")
    assert Subject.objects.get(name="Film").aliases == "Picture"


def test_load_demo_twice_leaves_the_same_data(demo_site, capsys):
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first
    assert len(first["comparisons"]) >= 12
