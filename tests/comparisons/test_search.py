"""Site search: every way readers ask, ranking, drafts, hostile input, highlighting."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comparisons.models import Comparison, DifferenceRow
from comparisons.search import (
    TIER_BODY,
    TIER_KEY,
    TIER_NAMES,
    TIER_PAIR,
    TIER_SUBJECT,
    TIER_TITLE,
    highlight_words,
    parse_query,
    search,
    update_search_index,
)
from comparisons.services import subject_save
from tests.factories import make_category, make_comparison, make_subject

pytestmark = pytest.mark.django_db

ON_POSTGRES = connection.vendor == "postgresql"
BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}


@pytest.fixture
def catalogue(bpo_kpo):
    """BPO vs KPO plus comparisons sharing one of its subjects or words, and a draft."""
    bpo, kpo = bpo_kpo.first_subject, bpo_kpo.second_subject
    return {
        "bpo_kpo": bpo_kpo,
        "bpo_call": make_comparison(bpo, "Call Centre", key_difference="Calls versus processes."),
        "kpo_lpo": make_comparison(
            kpo, "LPO", key_difference="Legal work is a kind of knowledge work."
        ),
        "mentions": make_comparison(
            "Offshoring", "Nearshoring", body="Many KPO and BPO firms work offshore."
        ),
        "draft": make_comparison(
            bpo, "RPO", status=Comparison.Status.DRAFT, key_difference="A draft about BPO."
        ),
        "comma": make_comparison("Comma", "Semicolon"),
        "dance": make_comparison("Bharatanatyam", "Kuchipudi Dance"),
        "service": make_comparison(
            "Insourcing",
            "Contracting",
            key_difference="Who does the work.",
            body="Hiring an outsource service is one way.",
        ),
    }


def titles(results, count=None):
    return [comparison.short_title for comparison in list(results.comparisons)[:count]]


@pytest.mark.parametrize(
    "query",
    [
        "bpo vs kpo",
        "kpo vs bpo",
        "BPO v KPO",
        "BPO versus KPO",
        "difference between bpo and kpo",
        "bpo and kpo difference",
        "bpo kpo",
        "what is the difference between kpo and bpo?",
        "  BPO   VS   KPO!!! ",
        "Difference between BPO & KPO",
    ],
)
def test_every_way_of_asking_finds_the_pair_first(catalogue, query):
    results = search(query)
    assert titles(results)[0] == "BPO vs KPO"
    assert list(results.comparisons)[0].search_tier == TIER_PAIR


def test_the_pair_comes_first_then_each_side_then_text_mentions(catalogue):
    results = search("bpo vs kpo")
    assert titles(results) == [
        "BPO vs KPO",
        "KPO vs LPO",  # newer than BPO vs Call Centre, equally popular
        "BPO vs Call Centre",
        "Offshoring vs Nearshoring",
    ]
    assert [c.search_tier for c in results.comparisons] == [
        TIER_PAIR,
        TIER_SUBJECT,
        TIER_SUBJECT,
        TIER_BODY,
    ]
    assert results.subjects == []  # no subject pages above an exact pair


def test_a_single_subject_lists_its_comparisons_with_its_page_first(client, catalogue):
    results = search("KPO")
    assert [subject.name for subject in results.subjects] == ["KPO"]
    assert titles(results) == ["KPO vs LPO", "BPO vs KPO", "Offshoring vs Nearshoring"]
    assert [c.search_tier for c in results.comparisons] == [TIER_SUBJECT, TIER_SUBJECT, TIER_BODY]
    html = client.get("/search/", {"q": "kpo"}).content.decode()
    subject_link = html.index('href="/subject/kpo/"')
    assert subject_link < html.index('href="/difference-between-bpo-and-kpo/"')
    assert subject_link < html.index('href="/difference-between-kpo-and-lpo/"')


def test_a_word_of_a_subjects_name_names_it(catalogue):
    assert titles(search("kuchipudi")) == ["Bharatanatyam vs Kuchipudi Dance"]
    assert titles(search("bharatanatyam vs kuchipudi")) == ["Bharatanatyam vs Kuchipudi Dance"]


def test_case_accents_and_punctuation_do_not_matter(db):
    make_comparison("Café au lait", "Crème brûlée", key_difference="Drinks and desserts.")
    for query in ("cafe au lait", "CAFÉ AU LAIT", "café-au-lait vs crème brûlée", "creme brulee"):
        assert titles(search(query)) == ["Café au lait vs Crème brûlée"], query


def test_drafts_and_scheduled_comparisons_are_never_found(catalogue):
    scheduled = make_comparison("Tea", "Coffee", publish_at=timezone.now() + timedelta(days=1))
    for query in ("bpo vs rpo", "rpo", "a draft about bpo", "tea", "tea vs coffee"):
        found = list(search(query).comparisons)
        assert catalogue["draft"] not in found and scheduled not in found, query
    assert search("rpo").subjects == []


def test_word_forms_match_on_postgres_only(catalogue):
    # BPO vs KPO's rows say "Outsourcing" and "services", so they match as written.
    assert "Insourcing vs Contracting" in titles(search("outsource service"))
    found = titles(search("outsourcing services"))
    if ON_POSTGRES:
        assert "Insourcing vs Contracting" in found
    else:
        assert "Insourcing vs Contracting" not in found  # no stemming on SQLite
    assert "BPO vs KPO" in found


def test_typos_are_forgiven_on_postgres_and_suggested_everywhere(client, catalogue):
    pair, single = search("comma vs semicolan"), search("bharatnatyam")
    if ON_POSTGRES:
        assert titles(pair) == ["Comma vs Semicolon"]
        assert titles(single) == ["Bharatanatyam vs Kuchipudi Dance"]
        assert pair.suggestion == "Comma vs Semicolon"
    else:
        assert titles(pair) == [] and titles(single) == []
    html = client.get("/search/", {"q": "comma vs semicolan"}).content.decode()
    assert 'Did you mean <a href="/search/?q=Comma+vs+Semicolon">Comma vs Semicolon</a>?' in html


def test_a_misspelt_pair_finds_the_likeliest_pair_first_not_the_most_popular_one(client):
    intended = make_comparison("Comma", "Semicolon")
    popular = make_comparison(intended.first_subject, "Semicolons")
    Comparison.objects.filter(pk=popular.pk).update(popularity_rank=1000)
    update_search_index([intended.pk, popular.pk])
    results = search("comma vs semicolan")
    if ON_POSTGRES:
        assert titles(results, 1) == ["Comma vs Semicolon"]
        assert results.suggestion == "Comma vs Semicolon"
    html = client.get("/search/", {"q": "comma vs semicolan"}).content.decode()
    assert 'Did you mean <a href="/search/?q=Comma+vs+Semicolon">Comma vs Semicolon</a>?' in html


def test_a_misspelt_subject_gets_a_suggestion(client, catalogue):
    html = client.get("/search/", {"q": "semicolin"}).content.decode()
    # PostgreSQL forgives the typo and says what it searched for; SQLite only suggests.
    count = 1 if ON_POSTGRES else 0
    assert f"{count} result{'' if count == 1 else 's'} for <q>semicolin</q>." in html
    assert 'Did you mean <a href="/search/?q=Semicolon">Semicolon</a>?' in html


def test_a_badly_misspelt_subject_still_gets_a_suggestion(client, catalogue):
    # "semikolen" shares a quarter of its trigrams with "semicolon": under the 0.3 that
    # PostgreSQL's % operator asks by default, over the suggestions' own threshold.
    html = client.get("/search/", {"q": "semikolen"}).content.decode()
    assert "0 results for <q>semikolen</q>." in html
    assert 'Did you mean <a href="/search/?q=Semicolon">Semicolon</a>?' in html


def test_no_suggestion_when_nothing_is_close(client, catalogue):
    html = client.get("/search/", {"q": "xylophone"}).content.decode()
    assert "0 results for <q>xylophone</q>." in html and "Did you mean" not in html


@pytest.fixture
def ranked():
    """ "Gamma" in a different field of each comparison; the least relevant the most popular."""
    gamma, delta = make_subject("Gamma"), make_subject("Delta")
    made = {
        "pair": make_comparison(gamma, delta, key_difference="Plain."),
        "subject": make_comparison(gamma, "Epsilon", key_difference="Plain."),
        "title": make_comparison("Zeta", "Eta", title="Gamma delta rays", key_difference="Plain."),
        "key": make_comparison("Theta", "Iota", key_difference="About gamma and delta."),
        "body": make_comparison(
            "Kappa", "Lambda", key_difference="Plain.", body="Gamma and delta again."
        ),
        "row": make_comparison(
            "Mu", "Nu", key_difference="Plain.", body="", rows=[("Kind", "gamma", "delta")]
        ),
    }
    # The first made is the most popular, so popularity and newness disagree.
    for score, comparison in enumerate(reversed(made.values())):
        Comparison.objects.filter(pk=comparison.pk).update(popularity_rank=score)
    return made


def test_ranking_pair_subject_title_key_difference_then_body_and_rows(ranked):
    found = list(search("gamma vs delta").comparisons)
    assert [c.pk for c in found] == [
        ranked[name].pk for name in ("pair", "subject", "title", "key", "body", "row")
    ]
    assert [c.search_tier for c in found] == [
        TIER_PAIR,
        TIER_SUBJECT,
        TIER_TITLE,
        TIER_KEY,
        TIER_BODY,
        TIER_BODY,
    ]


def test_among_equals_the_more_popular_comes_first(ranked):
    # "Plain." is the key difference of five comparisons: popularity decides.
    found = list(search("plain").comparisons)
    assert [c.pk for c in found] == [
        ranked[name].pk for name in ("pair", "subject", "title", "body", "row")
    ]
    assert {c.search_tier for c in found} == {TIER_KEY}


def test_words_in_subject_names_rank_above_the_title(db):
    named = make_comparison("Omega Point", "Sigma", key_difference="Plain.")
    titled = make_comparison("Pi", "Rho", title="Omega point and more", key_difference="Plain.")
    Comparison.objects.filter(pk=titled.pk).update(popularity_rank=99)
    found = list(search("point omega").comparisons)
    assert [c.pk for c in found] == [named.pk, titled.pk]
    assert found[1].search_tier == TIER_TITLE
    assert found[0].search_tier in (TIER_SUBJECT, TIER_NAMES)


def test_every_word_must_match(catalogue):
    assert titles(search("knowledge legal")) == ["KPO vs LPO"]
    assert titles(search("knowledge xylophone")) == []


def test_a_newly_saved_comparison_is_found_once_its_index_is_updated(db):
    comparison = make_comparison("Sonnet", "Haiku")
    assert titles(search("sonnet vs haiku")) == ["Sonnet vs Haiku"]
    DifferenceRow.objects.create(
        comparison=comparison, aspect="Lines", first_value="fourteen", second_value="three"
    )
    assert titles(search("fourteen")) == []  # rows saved, index not yet updated
    update_search_index([comparison.pk])
    assert titles(search("fourteen")) == ["Sonnet vs Haiku"]


def test_reindex_search_rebuilds_everything(catalogue):
    import io

    from django.core.management import call_command

    from comparisons.models import Subject

    Comparison.objects.update(search_text="", search_vector=None, search_head=None)
    Subject.objects.update(search_name="")
    if not ON_POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM comparisons_search_fts")
    assert titles(search("bpo vs kpo")) == []
    out = io.StringIO()
    call_command("reindex_search", stdout=out)
    assert titles(search("bpo vs kpo"))[0] == "BPO vs KPO"
    assert titles(search("legal"))[0] == "KPO vs LPO"
    assert out.getvalue().startswith("Reindexed ")


@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,
        "!!! ??? ... ---",
        "'; DROP TABLE comparisons_comparison; --",
        '<script>alert("x")</script>',
        "%_\\ ' \" :* & | ! ( )",
        "a:* & b:A | !c",
        "\x01\x02 bpo",  # a NUL is refused before any page (tests/site/test_nul_addresses.py)
        "😀 vs 😀",
        "vs",
        "and and and",
    ],
)
def test_hostile_queries_get_a_clear_page(client, catalogue, query):
    response = client.get("/search/", {"q": query}, **BROWSER)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert re.search(r"result|Type some words|Type two things", html)


def test_more_than_1000_results_are_not_counted_further(client, db, settings, monkeypatch):
    from comparisons.search import results

    settings.DEBUG = False
    monkeypatch.setattr(results, "MAX_COUNTED", 3)
    for number in range(5):
        make_comparison(f"Widget {number}", f"Gadget {number}", key_difference="Plain.")
    assert search("plain").comparisons.count() == 4
    html = client.get("/search/", {"q": "plain"}).content.decode()
    assert "More than 3 results for <q>plain</q>." in html


def test_echoed_query_is_escaped_and_kept_in_the_box(client, catalogue):
    html = client.get("/search/", {"q": '<b>bpo</b> "vs" kpo'}).content.decode()
    assert 'value="&lt;b&gt;bpo&lt;/b&gt; &quot;vs&quot; kpo"' in html
    assert "<q>&lt;b&gt;bpo&lt;/b&gt; &quot;vs&quot; kpo</q>" in html
    assert "<b>bpo</b>" not in html


def test_a_long_query_is_cut_with_a_note(client, catalogue):
    html = client.get("/search/", {"q": "bpo vs kpo " + "x" * 10_000}).content.decode()
    assert "only its first 200 characters were used" in html


def test_only_punctuation_gets_a_clear_message(client, db):
    html = client.get("/search/", {"q": "?!?"}).content.decode()
    assert "Type some words to search for: <q>?!?</q> has none we can look up." in html


def test_results_highlight_matched_words_and_link_to_canonical_addresses(client, catalogue):
    html = client.get("/search/", {"q": "kpo vs bpo"}).content.decode()
    first = re.search(r'<a class="comparison-card__title" href="([^"]+)"[^>]*>(.*?)</a>', html)
    assert first.groups() == (
        "/difference-between-bpo-and-kpo/",
        "<mark>BPO</mark> vs <mark>KPO</mark>",
    )
    assert "1 result for" not in html and "results for <q>kpo vs bpo</q>" in html


def test_results_are_paginated_by_20(client, db):
    for number in range(23):
        make_comparison(f"Widget {number}", f"Gadget {number}", key_difference="Plain widgets.")
    first = client.get("/search/", {"q": "widgets"}).content.decode()
    second = client.get("/search/", {"q": "widgets", "page": 2}).content.decode()
    assert first.count('class="comparison-card"') == 20
    assert second.count('class="comparison-card"') == 3
    assert "23 results for <q>widgets</q>." in first
    assert 'href="?q=widgets&amp;page=2"' in first


def test_pages_run_on_from_key_difference_matches_into_body_matches(client, db):
    in_key = [
        make_comparison(f"Key {n}", f"Side {n}", key_difference="About quokkas.", body="")
        for n in range(15)
    ]
    in_body = [
        make_comparison(f"Body {n}", f"Other {n}", key_difference="Plain.", body="Quokkas.")
        for n in range(10)
    ]
    Comparison.objects.filter(pk=in_body[0].pk).update(popularity_rank=5)
    results = search("quokka" if ON_POSTGRES else "quokkas")
    assert results.comparisons.count() == 25
    expected = (
        [c.pk for c in reversed(in_key)] + [in_body[0].pk] + [c.pk for c in reversed(in_body[1:])]
    )
    assert [c.pk for c in results.comparisons[0:20]] + [
        c.pk for c in results.comparisons[20:40]
    ] == expected
    assert [c.pk for c in results.comparisons[14:17]] == expected[14:17]
    second = client.get("/search/", {"q": "quokkas", "page": 2}).content.decode()
    assert second.count('class="comparison-card"') == 5


def test_counted_results_are_read_by_id_and_an_empty_segment_is_not_read(catalogue):
    """A rare word is not looked for by walking the popularity order past every comparison:
    once counted, results are read by the ids the count found, and a part of the results
    that matched nothing (on PostgreSQL, the body-only matches here) costs no query."""
    results = search("semicolon")
    assert results.comparisons.count() == 1
    with CaptureQueriesContext(connection) as queries:
        assert [c.pk for c in results.comparisons[:20]] == [catalogue["comma"].pk]
    assert len(queries) == 1
    by_id = r'"comparisons_comparison"\."id" (IN \(|= ANY\(\')\{?\d'
    assert re.search(by_id, queries[0]["sql"])


def test_highlight_escapes_before_marking():
    html = highlight_words("<b>Outsourcing</b> & services <mark>", ["outsourcing", "b", "amp"])
    assert (
        html
        == "&lt;<mark>b</mark>&gt;<mark>Outsourcing</mark>&lt;/<mark>b</mark>&gt; &amp; services &lt;mark&gt;"
    )
    assert highlight_words("Outsource service", ["outsourcing", "services"]) == (
        "<mark>Outsource</mark> <mark>service</mark>"
    )


def test_query_parsing_finds_both_sides():
    parsed = parse_query("What is the difference between Research and Development vs KPO?")
    assert ("research and development", "kpo") in parsed.pairs
    assert parsed.terms == ["research", "development", "kpo"]
    assert parse_query("bpo kpo").pairs == [("bpo", "kpo")]


def test_search_takes_a_fixed_number_of_queries(client, catalogue, django_assert_max_num_queries):
    kpo_extra = make_subject("KPO extra")
    for extra in range(10):
        make_comparison(f"Extra {extra}", kpo_extra, key_difference="About kpo.")
    with django_assert_max_num_queries(8):
        assert client.get("/search/", {"q": "kpo vs bpo"}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/search/", {"q": "kpo"}).status_code == 200


def test_a_comparison_saved_in_the_admin_is_found_at_once(admin_client, db):
    bpo, kpo = make_subject("Solar"), make_subject("Wind")
    category = make_category("Energy")
    data = {
        "first_subject": bpo.pk,
        "second_subject": kpo.pk,
        "title": "",
        "slug": "",
        "key_difference": "Sunlight against moving air.",
        "body": "Photovoltaic panels.",
        "categories": [category.pk],
        "lead_image_alt": "",
        "_publish": "Publish",
        "publish_at_0": "2024-01-02",
        "publish_at_1": "10:00:00",
        "meta_description": "",
        "rows-TOTAL_FORMS": "1",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
        "rows-0-order": "1",
        "rows-0-aspect": "Source",
        "rows-0-first_value": "Turbines? No: heliostats",
        "rows-0-second_value": "Turbines",
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
        "credits-MIN_NUM_FORMS": "0",
        "credits-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post("/admin/comparisons/comparison/add/", data)
    assert response.status_code == 302
    for query in ("solar vs wind", "photovoltaic", "heliostats", "sunlight"):
        assert titles(search(query)) == ["Solar vs Wind"], query


# Results pages cached whole ------------------------------------------------------------------


def cached_search(client, query):
    """Return the results page for `query` and whether it came from the page cache."""
    response = client.get("/search/", {"q": query}, **BROWSER)
    assert response.status_code == 200
    return response.content.decode(), response.get("X-Page-Cache") == "hit"


def test_a_cached_results_page_costs_no_query(client, catalogue, django_assert_num_queries):
    first, _ = cached_search(client, "bpo vs kpo")
    with django_assert_num_queries(0):
        second, hit = cached_search(client, "bpo vs kpo")
    assert hit and second == first


def test_a_results_page_follows_changes_of_what_it_lists(client, catalogue):
    cached_search(client, "kpo")
    assert cached_search(client, "kpo")[1]
    kpo_lpo = catalogue["kpo_lpo"]
    kpo_lpo.key_difference = "Lawyers do the work."
    kpo_lpo.save()
    update_search_index([kpo_lpo.pk])
    html, hit = cached_search(client, "kpo")
    assert not hit and "Lawyers do the work." in html


def test_a_results_page_shows_a_comparison_that_matches_once_published_or_edited(
    client, catalogue
):
    assert "Ceylon" not in cached_search(client, "ceylon")[0]
    assert cached_search(client, "ceylon")[1]
    make_comparison("Ceylon Tea", "Assam Tea")  # published: a new member of every list
    assert 'href="/difference-between-ceylon-tea-and-assam-tea/"' in cached_search(client, "ceylon")[0]
    cached_search(client, "darjeeling")
    dance = catalogue["dance"]
    dance.body = "Danced in Darjeeling too."
    dance.save()
    update_search_index([dance.pk])
    html, hit = cached_search(client, "darjeeling")
    assert not hit and 'href="/difference-between-bharatanatyam-and-kuchipudi-dance/"' in html


def test_a_results_page_follows_a_subjects_new_alias(client, catalogue):
    assert "Did you mean" not in cached_search(client, "tele services")[0]
    call_centre = catalogue["bpo_call"].second_subject
    call_centre.aliases = "Tele services"
    subject_save(call_centre)
    html, hit = cached_search(client, "tele services")
    assert not hit and "BPO vs <mark>Call</mark> <mark>Centre</mark>" in html


def test_rows_are_indexed_in_the_order_readers_see_them():
    comparison = make_comparison(
        "Tea", "Coffee", rows=[("Aardvark", "Alpha", "Apex"), ("Zebra", "Zulu", "Zenith")]
    )
    # PostgreSQL may store any row anywhere (here: an update writes it after the other row).
    aardvark = comparison.rows.filter(aspect="Aardvark")
    aardvark.update(order=99)
    aardvark.update(order=1)
    update_search_index([comparison.pk])
    comparison.refresh_from_db()
    if ON_POSTGRES:
        positions = {
            word: int(places.split(",")[0].rstrip("ABCD"))
            for word, places in re.findall(r"'(\w+)':([\w,]+)", str(comparison.search_vector))
        }
        assert positions["aardvark"] < positions["zebra"]
    else:
        assert comparison.search_text.index("aardvark") < comparison.search_text.index("zebra")
