"""Benchmark the site search on a synthetic site of a given size (a command, not a test)."""

import random
import statistics
import time
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from comparisons.interest import popularity_rank
from comparisons.models import (
    Category,
    Comparison,
    DifferenceRow,
    Subject,
)
from comparisons.search import search, update_search_index
from comparisons.services import subject_prepare

BENCH_CATEGORY = "bench-synthetic-2"  # change it when the synthetic text changes
SYLLABLES = [
    "ka",
    "ko",
    "ri",
    "lo",
    "ma",
    "ne",
    "tu",
    "pa",
    "si",
    "zo",
    "be",
    "da",
    "fi",
    "gu",
    "he",
    "ja",
    "lu",
    "mo",
    "ni",
    "po",
    "qua",
    "ra",
    "sa",
    "te",
    "vi",
    "wo",
    "xe",
    "yu",
    "za",
    "cho",
]
VOCABULARY = [
    "process",
    "knowledge",
    "service",
    "outsourcing",
    "market",
    "energy",
    "health",
    "system",
    "network",
    "storage",
    "memory",
    "climate",
    "weather",
    "language",
    "grammar",
    "culture",
    "dance",
    "music",
    "finance",
    "banking",
    "insurance",
    "software",
    "hardware",
    "protocol",
    "security",
    "privacy",
    "nutrition",
    "exercise",
    "protein",
    "vitamin",
    "mineral",
    "planet",
    "orbit",
    "gravity",
    "economy",
    "policy",
    "contract",
    "lease",
    "mortgage",
    "payment",
    "currency",
    "exchange",
]


def zipf_vocabulary(size=5000):
    """Return (words, cumulative weights): pseudo-words with English-like (Zipf) frequencies.

    The real words above are spread over ranks 20 to 840, so a query for one of them
    matches between a few and a few dozen percent of the comparisons, as in real text.
    """
    words = [synthetic_name(index + 100_000).lower() for index in range(size)]
    for position, word in enumerate(VOCABULARY):
        words[20 + position * 20] = word
    weights, total = [], 0.0
    for rank in range(1, size + 1):
        total += 1 / rank
        weights.append(total)
    return words, weights


def synthetic_name(index):
    """Return a unique pronounceable name for `index`, e.g. "Kariloma"."""
    digits = []
    while True:
        index, digit = divmod(index, len(SYLLABLES))
        digits.append(SYLLABLES[digit])
        if index == 0 and len(digits) >= 3:
            break
    return "".join(digits).capitalize()


def pair_of(number, subject_count):
    """Return the (first, second) subject indices of synthetic comparison `number`."""
    first = number % subject_count
    return first, (first + 1 + number // subject_count) % subject_count


class Command(BaseCommand):
    help = (
        "Build (or reuse) a synthetic site of N comparisons and print search latency "
        "(median and 95th percentile) on the configured database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--comparisons", type=int, default=10_000)
        parser.add_argument("--repeat", type=int, default=5, help="Timed runs of each query.")
        parser.add_argument("--seed", type=int, default=4)

    def handle(self, *args, **options):
        size, repeat = options["comparisons"], options["repeat"]
        self.random = random.Random(options["seed"])
        self.vocabulary, self.weights = zipf_vocabulary()
        subject_count = max(4, size // 2)
        existing = Comparison.objects.filter(categories__slug=BENCH_CATEGORY).count()
        if existing == size:
            self.stdout.write(f"Reusing the synthetic site of {size} comparisons.")
        else:
            started = time.perf_counter()
            self.build(size, subject_count)
            self.stdout.write(
                f"Built {size} comparisons and {subject_count} subjects in "
                f"{time.perf_counter() - started:.1f} s."
            )
        with connection.cursor() as cursor:  # planner statistics, as a maintained database has
            if connection.vendor == "postgresql":  # what autovacuum does after bulk writes
                cursor.execute(
                    "VACUUM ANALYZE comparisons_comparison, comparisons_subject, "
                    "comparisons_differencerow, comparisons_comparison_categories"
                )
            else:
                cursor.execute("ANALYZE")
        queries = self.queries(size, subject_count)
        timings, rows = [], []
        for query in queries:
            self.run_query(query)  # warm-up
            runs = []
            for _ in range(repeat):
                started = time.perf_counter()
                count = self.run_query(query)
                runs.append((time.perf_counter() - started) * 1000)
            timings.extend(runs)
            rows.append((statistics.median(runs), count, query))
        self.stdout.write(f"\n{'median ms':>9}  {'results':>7}  query")
        for median, count, query in rows:
            self.stdout.write(f"{median:9.1f}  {count:7d}  {query[:70]}")
        timings.sort()
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        self.stdout.write(
            f"\n{connection.vendor}, {size} comparisons, {len(queries)} queries x {repeat} runs: "
            f"median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
            f"max {timings[-1]:.1f} ms"
        )

    @staticmethod
    def run_query(query):
        """Do what the search page does: rank, count, load the first 20, maybe suggest."""
        results = search(query)
        if not results.has_words:
            return 0
        count = results.comparisons.count()
        list(results.comparisons[:20])
        if count == 0:
            results.suggest()
        return count

    def queries(self, size, subject_count):
        pick = random.Random(7)
        pairs = [pair_of(pick.randrange(size), subject_count) for _ in range(6)]
        names = [(synthetic_name(a), synthetic_name(b)) for a, b in pairs]
        single = synthetic_name(pick.randrange(subject_count))
        typo = single[:2] + single[3:]
        return [
            f"{names[0][0]} vs {names[0][1]}",
            f"{names[1][1]} vs {names[1][0]}",
            f"difference between {names[2][0]} and {names[2][1]}",
            f"{names[3][0]} and {names[3][1]} difference",
            f"{names[4][0]} {names[4][1]}",
            f"what is the difference between {names[5][1]} and {names[5][0]}?",
            single,
            f"{names[0][0]} v {typo}",
            typo,
            "knowledge process",  # ranks 20 and 40: common words
            "outsourcing services",
            "memory",
            "climate weather",
            "exchange",  # rank 840: a rarer word
            "zzqxw",
            "x" * 10_000,
        ]

    def words(self, count):
        return " ".join(self.random.choices(self.vocabulary, cum_weights=self.weights, k=count))

    def build(self, size, subject_count):
        self.stdout.write(f"Building a synthetic site of {size} comparisons...")
        with transaction.atomic():
            old = Comparison.objects.filter(slug__startswith="bench-")
            DifferenceRow.objects.filter(comparison__in=old).delete()
            old.delete()
            Subject.objects.filter(slug__startswith="bench-").delete()
            category, _ = Category.objects.update_or_create(
                name="Benchmark", defaults={"slug": BENCH_CATEGORY, "order": 1000}
            )
            subjects = Subject.objects.bulk_create(
                (
                    subject_prepare(
                        Subject(
                            name=f"{synthetic_name(i)}", slug=f"bench-{slugify(synthetic_name(i))}"
                        )
                    )
                    for i in range(subject_count)
                ),
                batch_size=5000,
            )
            now = timezone.now()
            batch = []
            for number in range(size):
                first, second = pair_of(number, subject_count)
                one, two = subjects[first], subjects[second]
                body = self.words(60)
                batch.append(
                    Comparison(
                        first_subject=one,
                        second_subject=two,
                        title=f"Difference between {one.name} and {two.name}",
                        slug=f"bench-{one.slug[6:]}-and-{two.slug[6:]}",
                        key_difference=f"{one.name} is about {self.words(12)}.",
                        body=body,
                        body_html=f"<p>{body}</p>",
                        status=Comparison.Status.PUBLISHED,
                        publish_at=now - timedelta(minutes=number),
                        popularity_rank=(
                            popularity_rank(
                                self.random.randrange(1000), self.random.randrange(10_000)
                            )
                            if self.random.random() < 0.2
                            else 0
                        ),
                    )
                )
                if len(batch) == 5000:
                    self.write_batch(batch, category)
                    batch = []
            if batch:
                self.write_batch(batch, category)
            update_search_index(
                Comparison.objects.filter(categories__slug=BENCH_CATEGORY).values_list(
                    "pk", flat=True
                )
                if connection.vendor != "postgresql"
                else None
            )

    def write_batch(self, batch, category):
        created = Comparison.objects.bulk_create(batch)
        through = Comparison.categories.through
        through.objects.bulk_create(
            through(comparison_id=comparison.pk, category_id=category.pk) for comparison in created
        )
        DifferenceRow.objects.bulk_create(
            DifferenceRow(
                comparison_id=comparison.pk,
                order=order,
                aspect=self.words(2),
                first_value=self.words(4),
                second_value=self.words(4),
            )
            for comparison in created
            for order in range(1, 4)
        )
