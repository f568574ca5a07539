"""The benchmark's synthetic site includes comments and 30 days of view counts."""

import io
from datetime import timedelta

import pytest
from django.db.models import Count

from comments.models import Comment
from comparisons.interest import today
from comparisons.models import Comparison, ComparisonPopularity, DailyInterest
from tests.bench import site as bench

pytestmark = pytest.mark.django_db


class QuietProgress(bench.Progress):
    def __init__(self, label, total):
        super().__init__(label, total, stream=io.StringIO())


@pytest.fixture
def bench_site(monkeypatch, bpo_kpo):
    monkeypatch.setattr(bench, "Progress", QuietProgress)
    bench.build_bench_site(40, 2, comments=300, stdout=io.StringIO())
    return bench.bench_comparisons()


def test_the_bench_site_has_its_comments_in_threads(bench_site, bpo_kpo):
    comments = Comment.objects.filter(object_id__in=bench_site.values("pk"))
    assert comments.count() == 300
    assert comments.filter(status=Comment.Status.PUBLISHED).count() == 300
    replies = comments.filter(depth=1)
    assert 20 < replies.count() < 120  # about one in five
    for reply in replies:
        assert reply.parent.depth == 0 and reply.thread_id == reply.parent_id
        assert reply.parent.object_id == reply.object_id
    assert all(comment.html.startswith("<p>") for comment in comments[:5])
    # Spread unevenly: some comparisons have far more than the average of 7.5.
    counts = sorted(
        comments.values("object_id").annotate(n=Count("id"))
        .values_list("n", flat=True)
    )
    assert counts[-1] > 20


def test_the_bench_site_has_30_days_of_view_counts_and_scores(bench_site, bpo_kpo):
    counted = DailyInterest.objects.filter(comparison__in=bench_site)
    assert counted.count() == 40 * 30
    assert set(counted.values_list("day", flat=True).distinct()) == {
        today() - timedelta(days=n) for n in range(30)
    }
    assert not DailyInterest.objects.filter(comparison=bpo_kpo).exists()
    scores = ComparisonPopularity.objects.filter(comparison__in=bench_site)
    assert scores.count() == 40 and scores.filter(score_30d__gt=0).count() == 40


def test_removing_the_bench_site_removes_its_comments_and_counts(bench_site, bpo_kpo):
    from comments.moderation import post_comment

    kept = post_comment(bpo_kpo, text="A real reader's comment.", name="Ada", email="a@b.cd")
    bench.remove_bench_site()
    assert not bench.bench_comparisons().exists()
    assert list(Comment.objects.all()) == [kept]
    assert not DailyInterest.objects.exists() and not ComparisonPopularity.objects.exists()
    assert Comparison.objects.filter(pk=bpo_kpo.pk).exists()



def test_the_sample_search_finds_the_comparisons_of_the_subject_it_names(bench_site, client):
    pages = bench.sample_pages()
    response = client.get(pages["search"])
    found = list(response.context["page_obj"].object_list)
    assert found, "the benchmark would measure a search that finds nothing"
    for comparison in found:
        subjects = (comparison.first_subject, comparison.second_subject)
        assert pages["subject"] in [subject.get_absolute_url() for subject in subjects]
