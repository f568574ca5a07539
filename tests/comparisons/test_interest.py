"""Reader interest: the beacon, counting rules, Redis buffering, ranking and "Most searched"."""

import io
import os
import re
import threading
import uuid
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from comparisons import interest
from comparisons.models import (
    ComparisonPopularity,
    DailyInterest,
    InterestBatch,
    PinnedComparison,
    SearchQuery,
)
from comparisons.services import comparison_save
from tests.factories import make_category, make_comparison, page_cache_miss

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
ON_POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def direct(settings):
    """Count straight into the database (no Redis)."""
    settings.INTEREST_REDIS_URL = ""


@pytest.fixture
def buffered(settings, monkeypatch):
    """Count into Redis: the real one when REDIS_URL is set, else an in-process fake."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        import fakeredis

        url = "redis://fake-for-tests/0"
        monkeypatch.setitem(interest.counters._redis_clients, url, fakeredis.FakeRedis())
    settings.INTEREST_REDIS_URL = url
    settings.INTEREST_KEY_PREFIX = f"test-{uuid.uuid4().hex}"
    yield interest.redis_client()
    client = interest.redis_client()
    for key in client.scan_iter(match=f"{settings.INTEREST_KEY_PREFIX}:*"):
        client.delete(key)


def reader(ip="203.0.113.7", agent=FIREFOX):
    return Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)


def beacon(client, comparison, kind="view"):
    return client.post("/interest/", {"comparison": comparison.pk, "kind": kind})


def counted(comparison):
    return list(
        DailyInterest.objects.filter(comparison=comparison).values_list("views", "searches")
    )


def fake_request(ip, agent=FIREFOX):
    request = RequestFactory().post("/interest/", REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)
    request.user = AnonymousUser()
    return request


# The beacon and who counts ---------------------------------------------------------------


def test_one_view_per_visitor_per_comparison_per_day(direct, bpo_kpo):
    first, second = reader("203.0.113.1"), reader("203.0.113.2")
    assert beacon(first, bpo_kpo).status_code == 204
    assert beacon(first, bpo_kpo).status_code == 204
    assert counted(bpo_kpo) == [(1, 0)]
    beacon(second, bpo_kpo)
    beacon(reader("203.0.113.1", agent=FIREFOX + " other"), bpo_kpo)
    assert counted(bpo_kpo) == [(3, 0)]


def test_one_address_counts_for_a_few_visitors_not_for_every_user_agent(direct, bpo_kpo):
    for number in range(8):
        beacon(reader("203.0.113.1", agent=f"{FIREFOX} {number}"), bpo_kpo)
    assert counted(bpo_kpo) == [(interest.VISITORS_PER_ADDRESS, 0)]
    beacon(reader("203.0.113.2"), bpo_kpo)  # another address still counts
    assert counted(bpo_kpo) == [(interest.VISITORS_PER_ADDRESS + 1, 0)]


def test_one_address_logs_a_search_for_a_few_visitors_only(direct, client):
    token = client.get("/search/", {"q": "zzzfoo"}).context["search_log_token"]
    for number in range(8):
        reader("203.0.113.1", agent=f"{FIREFOX} {number}").post(
            "/interest/", {"kind": "query", "token": token}
        )
    assert list(SearchQuery.objects.values_list("query", "count")) == [
        ("zzzfoo", interest.VISITORS_PER_ADDRESS)
    ]


def test_the_next_day_counts_again(direct, bpo_kpo):
    request = fake_request("203.0.113.9")
    today = date(2026, 3, 1)
    assert interest.record_interest(request, bpo_kpo.pk, "view", day=today)
    assert not interest.record_interest(request, bpo_kpo.pk, "view", day=today)
    assert interest.record_interest(request, bpo_kpo.pk, "view", day=today + timedelta(days=1))
    assert sorted(DailyInterest.objects.values_list("day", "views")) == [
        (today, 1),
        (today + timedelta(days=1), 1),
    ]


def test_a_search_click_counts_as_a_search(direct, bpo_kpo):
    visitor = reader()
    beacon(visitor, bpo_kpo, "search")
    beacon(visitor, bpo_kpo, "view")
    beacon(visitor, bpo_kpo, "search")
    assert counted(bpo_kpo) == [(1, 1)]


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36",
    ],
)
def test_bots_are_not_counted(direct, bpo_kpo, agent):
    assert beacon(reader(agent=agent), bpo_kpo).status_code == 204
    assert counted(bpo_kpo) == []


def test_staff_are_not_counted(direct, bpo_kpo, staff_client):
    staff_client.defaults.update(HTTP_USER_AGENT=FIREFOX)
    assert beacon(staff_client, bpo_kpo).status_code == 204
    assert counted(bpo_kpo) == []


def test_beacon_needs_no_csrf_token_and_rejects_bad_input(direct, bpo_kpo):
    strict = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=FIREFOX)
    assert beacon(strict, bpo_kpo).status_code == 204
    assert strict.get("/interest/").status_code == 405
    assert strict.post("/interest/", {"comparison": bpo_kpo.pk, "kind": "like"}).status_code == 400
    assert strict.post("/interest/", {"comparison": "1; drop", "kind": "view"}).status_code == 400
    for not_ascii_digits in ("\u00b2", "\u0661", "\uff11"):  # superscript 2, Arabic-Indic 1, fullwidth 1
        answer = strict.post("/interest/", {"comparison": not_ascii_digits, "kind": "view"})
        assert answer.status_code == 400
    assert strict.post("/interest/", {"comparison": "987654", "kind": "view"}).status_code == 204
    assert list(DailyInterest.objects.values_list("views", flat=True)) == [1]
    assert "no-cache" in beacon(reader("198.51.100.1"), bpo_kpo)["Cache-Control"]


def test_the_comparison_page_sends_the_beacon_from_a_static_script(client, bpo_kpo):
    html = client.get(bpo_kpo.get_absolute_url()).content.decode()
    assert f'data-interest-id="{bpo_kpo.pk}" data-interest-url="/interest/"' in html
    assert '<script src="/static/js/interest.js" defer></script>' in html
    assert "csrfmiddlewaretoken" not in html and "<script>" not in html
    assert " style=" not in html and " onclick=" not in html


def test_drafts_shown_to_staff_send_no_beacon(editor_client):
    from comparisons.models import Comparison

    draft = make_comparison(status=Comparison.Status.DRAFT)
    assert "data-interest-id" not in editor_client.get(draft.get_absolute_url()).content.decode()


# Concurrency -------------------------------------------------------------------------------


def run_in_threads(count, work):
    """Run work(index) in `count` threads at once; on SQLite one at a time (one writer)."""
    start = threading.Barrier(count)
    serial = threading.Lock() if not ON_POSTGRES else None
    errors = []

    def run(index):
        try:
            start.wait()
            if serial:
                with serial:
                    work(index)
            else:
                work(index)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


THREADS = 50 if ON_POSTGRES else 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_beacons_without_redis_count_exactly(direct):
    comparison = make_comparison("Alpha", "Beta")
    run_in_threads(
        THREADS,
        lambda i: interest.record_interest(
            fake_request(f"10.0.{i // 250}.{i % 250}"), comparison.pk, "view"
        ),
    )
    assert counted(comparison) == [(THREADS, 0)]


@pytest.mark.django_db(transaction=True)
def test_concurrent_beacons_and_two_flushes_at_once_lose_and_double_nothing(buffered):
    comparison = make_comparison("Alpha", "Beta")
    # Every reader counts in Redis at once; nothing reaches the database yet.
    done = []

    def view_and_search(i):
        request = fake_request(f"10.1.{i // 250}.{i % 250}")
        interest.record_interest(request, comparison.pk, "view")
        interest.record_interest(request, comparison.pk, "search")
        done.append(i)

    start = threading.Barrier(50)
    threads = [
        threading.Thread(target=lambda i=i: (start.wait(), view_and_search(i))) for i in range(50)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(done) == 50
    assert counted(comparison) == []
    # Two flushes at once, then a third: exactly 50 views and 50 searches.
    run_in_threads(2, lambda i: interest.flush_interest())
    interest.flush_interest()
    assert counted(comparison) == [(50, 50)]
    assert InterestBatch.objects.count() == 1


def test_flush_moves_buffered_counts_once(buffered, bpo_kpo):
    beacon(reader("203.0.113.1"), bpo_kpo)
    beacon(reader("203.0.113.2"), bpo_kpo, "search")
    assert counted(bpo_kpo) == []
    assert interest.flush_interest() == 2
    assert counted(bpo_kpo) == [(1, 1)]
    assert interest.flush_interest() == 0
    assert counted(bpo_kpo) == [(1, 1)]


def test_a_batch_retried_after_a_crash_is_not_added_twice(buffered, bpo_kpo, monkeypatch):
    beacon(reader(), bpo_kpo)
    delete = buffered.delete

    def crash_before_dropping_the_batch(*keys):
        if ":batch:" not in str(keys[0]):
            delete(*keys)

    monkeypatch.setattr(buffered, "delete", crash_before_dropping_the_batch)
    interest.flush_interest()
    monkeypatch.setattr(buffered, "delete", delete)
    assert len(list(buffered.scan_iter(match="*:batch:*"))) >= 1
    assert counted(bpo_kpo) == [(1, 0)]
    assert interest.flush_interest() == 0  # the batch is recognised and dropped
    assert counted(bpo_kpo) == [(1, 0)]
    assert (
        list(buffered.scan_iter(match=f"{interest.pending_key().rsplit(':', 1)[0]}:batch:*")) == []
    )


def test_flush_drops_counts_of_deleted_comparisons(buffered, bpo_kpo):
    other = make_comparison()
    beacon(reader(), bpo_kpo)
    beacon(reader(), other)
    other.delete()
    interest.flush_interest()
    assert list(DailyInterest.objects.values_list("comparison_id", "views")) == [(bpo_kpo.pk, 1)]


def test_flush_interest_command_reports_and_refreshes(buffered, bpo_kpo):
    beacon(reader(), bpo_kpo)
    out = io.StringIO()
    call_command("flush_interest", stdout=out)
    assert out.getvalue().strip() == (
        'Moved 1 count(s) to the database. Scored 1 comparison(s); 1 "Most searched" block(s).'
    )
    assert ComparisonPopularity.objects.get(comparison=bpo_kpo).score_30d == 1


# Ranking ------------------------------------------------------------------------------------


def add_counts(comparison, day, views=0, searches=0):
    DailyInterest.objects.create(comparison=comparison, day=day, views=views, searches=searches)


def test_scores_weigh_searches_and_keep_to_30_days():
    today = date(2026, 6, 30)
    comparison = make_comparison()
    add_counts(comparison, today, views=2, searches=1)
    add_counts(comparison, today - timedelta(days=29), views=10)
    add_counts(comparison, today - timedelta(days=30), views=100, searches=100)
    interest.refresh_popularity(day=today)
    score = ComparisonPopularity.objects.get(comparison=comparison)
    assert (score.views_30d, score.searches_30d, score.score_30d) == (12, 1, 15)
    assert (score.views_total, score.searches_total, score.score_total) == (112, 101, 415)


def test_refresh_recomputes_only_what_can_have_changed():
    day = date(2026, 6, 1)
    fading, old = make_comparison(), make_comparison()
    add_counts(fading, day, views=4)
    add_counts(old, day - timedelta(days=200), views=7)
    assert interest.refresh_popularity(day=day) == 2  # first run: everything
    assert interest.refresh_popularity(day=day + timedelta(days=29)) == 1
    assert ComparisonPopularity.objects.get(comparison=fading).score_30d == 4
    assert interest.refresh_popularity(day=day + timedelta(days=30)) == 1
    assert ComparisonPopularity.objects.get(comparison=fading).score_30d == 0  # left the window
    assert interest.refresh_popularity(day=day + timedelta(days=31)) == 0
    assert interest.refresh_popularity(day=day + timedelta(days=31), full=True) == 2
    assert ComparisonPopularity.objects.get(comparison=old).score_total == 7


@pytest.fixture
def business():
    category = make_category("Business", slug="business")
    today = date.today()
    made = {
        "viewed": make_comparison("A1", "A2", categories=[category]),
        "searched": make_comparison("B1", "B2", categories=[category]),
        "old_favourite": make_comparison("C1", "C2", categories=[category]),
        "newest": make_comparison("D1", "D2", categories=[category]),
        "new": make_comparison("E1", "E2", categories=[category]),
    }
    made["new"].publish_at -= timedelta(days=3)
    comparison_save(made["new"])
    add_counts(made["viewed"], today, views=10)
    add_counts(made["searched"], today - timedelta(days=5), searches=4)  # 12 > 10
    add_counts(made["old_favourite"], today - timedelta(days=60), views=500)
    interest.refresh_popularity()
    interest.refresh_most_searched()  # as the periodic flush_interest does
    return category, made


def block_labels(blocks, name):
    return [item["label"] for block in blocks if block["name"] == name for item in block["items"]]


def test_block_ranks_30_days_then_all_time_then_newest(business):
    blocks = interest.compute_most_searched()
    assert block_labels(blocks, "Business") == [
        "B1 vs B2",
        "A1 vs A2",
        "C1 vs C2",
        "D1 vs D2",
        "E1 vs E2",
    ]


def test_pins_come_first_in_their_order(business):
    category, made = business
    PinnedComparison.objects.create(category=category, comparison=made["new"], order=2)
    PinnedComparison.objects.create(category=category, comparison=made["old_favourite"], order=1)
    assert block_labels(interest.compute_most_searched(), "Business")[:3] == [
        "C1 vs C2",
        "E1 vs E2",
        "B1 vs B2",
    ]


def test_drafts_never_appear_in_blocks(business):
    from comparisons.models import Comparison

    category, made = business
    made["searched"].status = Comparison.Status.DRAFT
    comparison_save(made["searched"])
    assert "B1 vs B2" not in block_labels(interest.compute_most_searched(), "Business")


def test_category_page_sorts_by_most_searched_with_pins_first(client, business):
    category, made = business
    PinnedComparison.objects.create(category=category, comparison=made["new"])
    html = client.get("/category/business/?sort=popular").content.decode()
    order = [
        html.index(f">{label}</a>") for label in ("E1 vs E2", "B1 vs B2", "A1 vs A2", "C1 vs C2")
    ]
    assert order == sorted(order)
    newest = client.get("/category/business/").content.decode()
    assert newest.index(">D1 vs D2<") < newest.index(">B1 vs B2<")
    assert (
        '<a href="/category/business/?sort=popular" aria-current="true">Most searched</a>' in html
    )


def fill_newest(count=8):
    """Publish `count` comparisons newer than the rest, in a category of their own."""
    newer = make_category("Newer", slug="newer")
    return [make_comparison(f"N{n}", f"M{n}", categories=[newer]) for n in range(count)]


def test_comparison_page_shows_its_own_category_block_first(client, business):
    category, made = business
    make_comparison("F1", "F2", categories=[make_category("Health", order=0)])
    for number in range(6):  # more than "Related comparisons" holds
        make_comparison(f"G{number}", f"H{number}", categories=[category])
    response = client.get(made["viewed"].get_absolute_url())
    related = {
        f"{c.first_subject.name} vs {c.second_subject.name}" for c in response.context["related"]
    }
    assert len(related) == 5 and "B1 vs B2" not in related and "C1 vs C2" not in related
    html = response.content.decode()
    business_heading = html.index(
        '<a href="/category/business/?sort=popular">Most Searched in Business</a>'
    )
    health_heading = html.index(
        '<a href="/category/health/?sort=popular">Most Searched in Health</a>'
    )
    assert business_heading < health_heading
    block = html[business_heading:health_heading]
    assert ">A1 vs A2<" not in block  # not the page's own comparison
    assert block.index(">B1 vs B2<") < block.index(">C1 vs C2<")
    assert not any(f">{label}<" in block for label in related)  # shown once, in its first block


def test_home_page_has_one_block_per_category_with_something_new(client, business):
    make_comparison("F1", "F2", categories=[make_category("Health")])
    fill_newest()  # "Newer" gets no block: everything in it is under "Newest comparisons"
    html = client.get("/").content.decode()
    assert html.count("Most Searched in ") == 2
    assert "Most Searched in Business" in html and "Most Searched in Health" in html


def test_reading_and_flushing_changes_the_blocks(client, buffered, business):
    category, made = business
    fill_newest()
    for number in range(20):
        beacon(reader(f"198.51.100.{number}"), made["new"], "search")
    before = client.get("/").content.decode()
    assert before.index(">B1 vs B2<") < before.index(">E1 vs E2<")
    call_command("flush_interest", stdout=io.StringIO())
    after = client.get("/").content.decode()
    assert after.index(">E1 vs E2<") < after.index(">B1 vs B2<")


@pytest.mark.parametrize("extra", [0, 15])
def test_blocks_keep_the_comparison_page_query_count_fixed(client, bpo_kpo, extra, monkeypatch):
    for _ in range(extra):
        make_comparison(categories=[make_category()])
    address = bpo_kpo.get_absolute_url()
    page_cache_miss(client, address)
    cache.delete(interest.BLOCKS_CACHE_KEY)
    with CaptureQueriesContext(connection) as cold:
        assert client.get(address).status_code == 200
    assert len(cold) <= 8
    assert not any("dailyinterest" in query["sql"] for query in cold.captured_queries)

    computed = []
    compute = interest.compute_most_searched_with_expiry
    monkeypatch.setattr(
        interest.ranking,
        "compute_most_searched_with_expiry",
        lambda *args, **kwargs: computed.append(1) or compute(*args, **kwargs),
    )
    page_cache_miss(client, address)
    assert client.get(address).status_code == 200
    assert computed == []  # the cached blocks cost nothing on a page view


# The query log --------------------------------------------------------------------------------


def search(client, query, **params):
    """Open a results page as a browser does, sending its beacon if it has one."""
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    token = re.search(r'data-search-log="([^"]+)"', response.content.decode())
    if token:
        assert client.post("/interest/", {"kind": "query", "token": token[1]}).status_code == 204
    return response


def test_queries_are_logged_normalised_once_per_visitor(direct, bpo_kpo):
    search(reader("203.0.113.1"), "  BPO   vs KPO ")
    search(reader("203.0.113.1"), "bpo vs kpo")
    search(reader("203.0.113.2"), "bpo VS kpo")
    search(reader("203.0.113.3"), "Unicorn vs Narwhal")
    search(reader(agent="Googlebot/2.1"), "bot query")
    search(reader("203.0.113.4"), "bpo vs kpo", page=1)
    logged = SearchQuery.objects.order_by("query").values_list("query", "count", "result_count")
    assert list(logged) == [
        ("bpo vs kpo", 3, 1),
        ("unicorn vs narwhal", 1, 0),
    ]


def test_rendering_a_results_page_logs_nothing_and_the_page_is_cached(direct, client, db):
    for number in range(21):
        make_comparison(f"Widget {number}", f"Gadget {number}", key_difference="Widgets.")
    first = client.get("/search/", {"q": "widgets"}, HTTP_USER_AGENT=FIREFOX)
    second = client.get("/search/", {"q": "widgets"}, HTTP_USER_AGENT=FIREFOX)
    assert first.content == second.content and "data-search-log" in first.content.decode()
    assert second["X-Page-Cache"] == "hit"
    assert SearchQuery.objects.count() == 0
    page_two = search(reader(), "widgets", page=2).content.decode()
    assert "data-search-log" not in page_two and SearchQuery.objects.count() == 0
    search(reader(), "widgets")
    assert list(SearchQuery.objects.values_list("query", "count", "result_count")) == [
        ("widgets", 1, 21)
    ]


def test_a_search_beacon_needs_a_results_pages_token(direct, bpo_kpo):
    forged = {"kind": "query", "token": '["spam", 0]'}
    assert reader().post("/interest/", forged).status_code == 400
    assert reader().post("/interest/", {"kind": "query"}).status_code == 400
    assert SearchQuery.objects.count() == 0


def test_staff_searches_are_not_logged(direct, admin_client, bpo_kpo):
    search(admin_client, "bpo", HTTP_USER_AGENT=FIREFOX)
    assert SearchQuery.objects.count() == 0


def test_the_editors_reports_count_searches_logged_by_beacon(direct, bpo_kpo, admin_client):
    for ip in ("203.0.113.1", "203.0.113.2"):
        search(reader(ip), "Unicorn vs Narwhal")
        search(reader(ip), "bpo vs kpo")
    search(reader("203.0.113.3"), "bpo vs kpo")
    assert list(interest.unanswered_searches()) == [("unicorn vs narwhal", 2)]
    html = admin_client.get("/admin/comparisons/searchquery/report/").content.decode()
    unanswered = html[html.index("Most asked with no results") : html.index("Most asked</h2>")]
    most_asked = html[html.index("Most asked</h2>") :]
    row = re.compile(r"<tr><td>([^<]*)</td><td>(\d+)</td>")
    assert row.findall(unanswered) == [("unicorn vs narwhal", "2")]
    assert row.findall(most_asked) == [("bpo vs kpo", "3"), ("unicorn vs narwhal", "2")]


def test_buffered_queries_reach_the_log_on_flush(buffered, bpo_kpo):
    search(reader("203.0.113.1"), "Unicorn")
    search(reader("203.0.113.2"), "unicorn")
    assert SearchQuery.objects.count() == 0
    interest.flush_interest()
    assert list(SearchQuery.objects.values_list("query", "count", "result_count")) == [
        ("unicorn", 2, 0)
    ]


def test_pages_and_beacons_still_answer_when_redis_is_away(settings, monkeypatch, bpo_kpo):
    import fakeredis

    server = fakeredis.FakeServer()
    server.connected = False
    url = "redis://away-for-tests/0"
    monkeypatch.setitem(interest.counters._redis_clients, url, fakeredis.FakeRedis(server=server))
    settings.INTEREST_REDIS_URL = url
    assert beacon(reader(), bpo_kpo).status_code == 204
    assert reader().get("/search/", {"q": "bpo"}).status_code == 200
    assert counted(bpo_kpo) == [] and SearchQuery.objects.count() == 0


def test_personal_data_is_not_logged():
    assert interest.normalise_query(" Mail ME@Example.com or +44 20 7946 0958 ") == (
        "mail [email] or +[number]"
    )


def test_an_ipv4_reader_seen_as_mapped_ipv6_is_the_same_visitor(direct, bpo_kpo):
    assert beacon(reader("::ffff:203.0.113.5"), bpo_kpo).status_code == 204
    beacon(reader("203.0.113.5"), bpo_kpo)
    assert counted(bpo_kpo) == [(1, 0)]


def test_readers_behind_the_trusted_proxy_are_separate_visitors(direct, bpo_kpo, settings):
    settings.COMMENTS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.1"):
        proxied = Client(
            REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=address, HTTP_USER_AGENT=FIREFOX
        )
        assert beacon(proxied, bpo_kpo).status_code == 204
    assert counted(bpo_kpo) == [(2, 0)]


def test_flush_interest_says_in_one_line_when_redis_cannot_be_reached(settings, db):
    from django.core.management import CommandError, call_command

    settings.INTEREST_REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    with pytest.raises(CommandError, match="Redis cannot be reached .*move at the next run"):
        call_command("flush_interest")
