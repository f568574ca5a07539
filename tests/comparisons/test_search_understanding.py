"""Search that understands how readers write names, the same on SQLite and PostgreSQL:
spelling variants, dotted acronyms, stop words and numbers, several sides, and aliases."""

import json
import re

import pytest

from comparisons.models import Comparison, Subject, SubjectAlias
from comparisons.search import TIER_KEY, TIER_PAIR, TIER_SUBJECT, parse_query, search
from comparisons.services import subject_save
from tests.factories import make_comparison, make_subject

pytestmark = pytest.mark.django_db


def titles(results):
    return [comparison.short_title for comparison in results.comparisons]


@pytest.fixture
def outsourcing(bpo_kpo):
    """BPO vs KPO, KPO vs LPO, BPO vs Call Centre, and bodies full of numbers and "or"."""
    kpo = bpo_kpo.second_subject
    return {
        "bpo_kpo": bpo_kpo,
        "kpo_lpo": make_comparison(kpo, "LPO", key_difference="Legal work is knowledge work."),
        "bpo_call": make_comparison(
            bpo_kpo.first_subject, "Call Centre", key_difference="Calls or processes."
        ),
        "numbers": make_comparison(
            "RAM", "ROM", key_difference="1 or 2 chips.", body="Rule 1 or rule 11 or 1=1."
        ),
        "other": make_comparison("Recycling", "Upcycling", body="Step 1 or step 2, or both."),
    }


def test_a_spelling_variant_of_a_subjects_name_finds_it(outsourcing):
    results = search("call center")
    assert [subject.name for subject in results.subjects] == ["Call Centre"]
    assert titles(results) == ["BPO vs Call Centre"]
    assert titles(search("BPO vs call center")) == ["BPO vs Call Centre", "BPO vs KPO"]


def test_dotted_acronyms_are_the_acronym(outsourcing):
    dotted = search("B.P.O. vs K.P.O.")
    assert titles(dotted) == titles(search("bpo vs kpo"))
    assert titles(dotted)[0] == "BPO vs KPO"
    assert list(dotted.comparisons)[0].search_tier == TIER_PAIR
    assert parse_query("B.P.O vs K.P.O").words == ["bpo", "vs", "kpo"]


@pytest.mark.parametrize("query", ["' OR 1=1 --", "1", "or 1", "that or this", "1 vs 2"])
def test_stop_words_and_bare_numbers_match_nothing(client, outsourcing, query):
    assert titles(search(query)) == []
    html = client.get("/search/", {"q": query}).content.decode()
    assert "has none we can look up." in html
    assert 'class="comparison-card"' not in html


def test_a_number_beside_a_word_must_match_whole(outsourcing, db):
    make_comparison("iPhone 15", "iPhone 14", key_difference="Phones of 2023 and 2022.")
    assert titles(search("chips 1")) == ["RAM vs ROM"]
    assert titles(search("iphone 15 vs iphone 14")) == ["iPhone 15 vs iPhone 14"]
    assert titles(search("phones 2023")) == ["iPhone 15 vs iPhone 14"]
    assert titles(search("phones 202")) == []


def test_short_words_match_whole_words_only(db):
    make_comparison("Gamma", "Delta", key_difference="An ox pulls.")
    make_comparison("Theta", "Iota", key_difference="Oxygen burns.")
    assert titles(search("ox")) == ["Gamma vs Delta"]


@pytest.mark.parametrize("letter", ["b", "c", "d"])
def test_a_single_letter_matches_only_the_comparisons_holding_it(db, letter):
    make_comparison("Gamma", "Delta", key_difference=f"Plan {letter.upper()} comes first.")
    make_comparison("Theta", "Iota", title="Big cats", key_difference="Dogs bark.", body="Cd.")
    results = search(letter)
    assert titles(results) == ["Gamma vs Delta"]
    assert [c.search_tier for c in results.comparisons] == [TIER_KEY]


def test_a_query_naming_three_subjects_lists_the_comparisons_among_them(outsourcing):
    results = search("bpo vs kpo vs lpo")
    found = list(results.comparisons)
    assert {c.short_title for c in found[:2]} == {"BPO vs KPO", "KPO vs LPO"}
    assert [c.search_tier for c in found] == [TIER_PAIR, TIER_PAIR, TIER_SUBJECT]
    assert found[2].short_title == "BPO vs Call Centre"
    assert results.subjects == []  # no subject pages above named pairs
    assert titles(search("BPO versus KPO versus LPO"))[:2] == titles(results)[:2]


@pytest.fixture
def film(db):
    film = make_subject("Film", aliases="Motion picture\n  \nmotion picture\nFlick")
    movie = make_subject("Movie")
    make_comparison(film, movie, key_difference="Words for the same thing.")
    return film


def test_aliases_are_kept_as_typed_and_folded_for_search(film):
    assert film.alias_list == ["Motion picture", "motion picture", "Flick"]
    assert sorted(film.alias_names.values_list("search_name", flat=True)) == [
        "flick",
        "motion picture",
    ]
    film.aliases = "Cinema"
    subject_save(film)
    assert list(SubjectAlias.objects.values_list("search_name", flat=True)) == ["cinema"]


def test_an_alias_names_its_subject(film):
    results = search("motion picture")
    assert [subject.name for subject in results.subjects] == ["Film"]
    assert titles(results) == ["Film vs Movie"]


def test_an_alias_is_a_side_of_a_pair(film):
    for query in ("motion picture vs movie", "movie vs Motion-Picture", "flick and movie"):
        results = search(query)
        assert titles(results) == ["Film vs Movie"], query
        assert list(results.comparisons)[0].search_tier == TIER_PAIR


def test_a_misspelt_alias_suggests_its_subject(client, film):
    html = client.get("/search/", {"q": "motion pictre"}).content.decode()
    assert 'Did you mean <a href="/search/?q=Film">Film</a>?' in html


def test_the_subject_page_shows_its_aliases(client, film):
    html = client.get(film.get_absolute_url()).content.decode()
    assert '<p class="subject-aliases">Also known as Motion picture, motion picture, Flick.</p>' in (
        html
    )
    plain = make_subject("Plain subject")
    make_comparison(plain, "Other")
    assert "Also known as" not in client.get(plain.get_absolute_url()).content.decode()


def test_aliases_are_escaped_on_the_subject_page(client, db):
    subject = make_subject("Tag", aliases="<b>bold</b>")
    make_comparison(subject, "Other")
    html = client.get(subject.get_absolute_url()).content.decode()
    assert "Also known as &lt;b&gt;bold&lt;/b&gt;." in html


def test_json_ld_gives_aliases_as_alternate_names(client, film):
    comparison = Comparison.objects.get(first_subject=film)
    html = client.get(comparison.get_absolute_url()).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    article = next(item for item in data["@graph"] if item["@type"] == "Article")
    assert article["about"] == [
        {
            "@type": "Thing",
            "name": "Film",
            "alternateName": ["Motion picture", "motion picture", "Flick"],
        },
        {"@type": "Thing", "name": "Movie"},
    ]


def test_editors_maintain_aliases_in_the_admin(admin_client, film):
    page = admin_client.get(f"/admin/comparisons/subject/{film.pk}/change/").content.decode()
    assert 'name="aliases"' in page and "one per line" in page
    response = admin_client.post(
        f"/admin/comparisons/subject/{film.pk}/change/",
        {"name": "Film", "slug": "film", "aliases": "Picture show\r\nCinema", "description": ""},
    )
    assert response.status_code == 302
    assert Subject.objects.get(pk=film.pk).alias_list == ["Picture show", "Cinema"]
    assert titles(search("picture show vs movie")) == ["Film vs Movie"]
    assert sorted(SubjectAlias.objects.values_list("search_name", flat=True)) == [
        "cinema",
        "picture show",
    ]
    listing = admin_client.get("/admin/comparisons/subject/", {"q": "cinema"}).content.decode()
    assert "Picture show, Cinema" in listing
