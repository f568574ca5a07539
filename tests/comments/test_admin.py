"""The moderation queue, its actions, the blocklist, and who may do what."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from comments.models import BlockedWord, Comment
from comments.signals import comments_changed
from comparisons.roles import EDITORS, MODERATORS, setup_roles
from tests.comments.conftest import add_comment
from tests.factories import make_comparison

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(comparison):
    """Comments on a comparison: these tests cover how the site shows and moderates them."""
    return comparison

QUEUE = "/admin/comments/comment/"


def member_client(client, django_user_model, *groups):
    setup_roles()
    user = django_user_model.objects.create_user(
        "-".join(groups).lower(), password="pw-for-tests-1", is_staff=True
    )
    user.groups.add(*Group.objects.filter(name__in=groups))
    client.force_login(user)
    return client


@pytest.fixture
def moderator_client(client, django_user_model):
    return member_client(client, django_user_model, MODERATORS)


@pytest.fixture
def editor_client(client, django_user_model):
    return member_client(client, django_user_model, EDITORS)


def test_queue_lists_pending_first_with_its_columns(moderator_client, article):
    published = add_comment(article, "Old and published", ip="198.51.100.5")
    pending = add_comment(
        article, "Waiting <b>here</b> http://x.com", status=Comment.Status.PENDING,
        email="w@example.com",
    )
    response = moderator_client.get(QUEUE)
    html = response.content.decode()
    assert response.status_code == 200
    assert [c.pk for c in response.context["cl"].result_list] == [pending.pk, published.pk]
    for column in ("Subject", "Comment", "Posted by", "Status", "Held reason", "Posted"):
        assert f">{column}<" in html or f">{column}</a>" in html, column
    assert "w@example.com" in html and "198.51.100.5" in html
    assert f'<a href="{article.get_absolute_url()}">{article}</a>' in html
    # The text is shown rendered, its HTML escaped, its link made safe.
    assert "Waiting &lt;b&gt;here&lt;/b&gt;" in html
    assert '<a href="http://x.com" rel="nofollow ugc noopener">' in html
    assert "<b>here</b>" not in html


def test_queue_filters_by_status_date_and_target(moderator_client, article):
    other = make_comparison("Lake", "Pond")
    add_comment(article, "On film", status=Comment.Status.PENDING)
    add_comment(other, "On lake")
    by_status = moderator_client.get(QUEUE + "?status__exact=pending").context["cl"]
    assert [c.text for c in by_status.result_list] == ["On film"]
    content_type = ContentType.objects.get_for_model(other)
    response = moderator_client.get(QUEUE + f"?target={content_type.pk}-{other.pk}")
    assert [c.text for c in response.context["cl"].result_list] == ["On lake"]
    assert str(other) in response.content.decode()
    year = Comment.objects.first().created_at.year
    by_date = moderator_client.get(QUEUE + f"?created_at__year={year}").context["cl"]
    assert by_date.result_count == 2
    assert moderator_client.get(QUEUE + "?created_at__year=2001").context["cl"].result_count == 0


@pytest.mark.parametrize(
    "action, status",
    [
        ("approve", Comment.Status.PUBLISHED),
        ("unpublish", Comment.Status.PENDING),
        ("mark_spam", Comment.Status.SPAM),
        ("soft_delete", Comment.Status.DELETED),
    ],
)
def test_bulk_actions_set_the_status_and_announce_it(
    moderator_client, article, action, status, django_capture_on_commit_callbacks
):
    start = Comment.Status.PENDING if status == Comment.Status.PUBLISHED else Comment.Status.PUBLISHED
    comments = [add_comment(article, f"Text {n}", status=start) for n in range(3)]
    received = []

    def listener(sender, targets, **kwargs):
        received.append(targets)

    comments_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = moderator_client.post(
                QUEUE, {"action": action, "_selected_action": [c.pk for c in comments[:2]]}
            )
    finally:
        comments_changed.disconnect(listener)
    assert response.status_code == 302
    assert list(Comment.objects.order_by("pk").values_list("status", flat=True)) == [
        status,
        status,
        start,
    ]
    assert Comment.objects.count() == 3  # deleting keeps the rows
    assert received == [{(comments[0].content_type_id, article.pk)}]
    logged = LogEntry.objects.filter(content_type__model="comment").order_by("object_id")
    verb = {"approve": "Published", "unpublish": "Unpublished", "mark_spam": "Marked as spam"}
    assert [(entry.object_id, entry.get_change_message()) for entry in logged] == [
        (str(comment.pk), f"{verb.get(action, 'Deleted')}.") for comment in comments[:2]
    ]


def test_approved_comment_appears_on_the_page(
    moderator_client, client, article, django_capture_on_commit_callbacks
):
    comment = add_comment(article, "Now you see me", status=Comment.Status.PENDING)
    assert "Now you see me" not in client.get(article.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(QUEUE, {"action": "approve", "_selected_action": [comment.pk]})
    assert "Now you see me" in client.get(article.get_absolute_url()).content.decode()


def test_change_page_shows_rendered_text_and_only_status_is_editable(moderator_client, article):
    comment = add_comment(article, "<script>x</script>", status=Comment.Status.PENDING)
    url = f"{QUEUE}{comment.pk}/change/"
    html = moderator_client.get(url).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x</script>" not in html
    response = moderator_client.post(url, {"status": "published", "text": "tampered"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.text) == (Comment.Status.PUBLISHED, "<script>x</script>")


def test_moderators_hold_exactly_the_comment_review_rights(moderator_client, article):
    comment = add_comment(article, "Hello")
    assert moderator_client.get(QUEUE).status_code == 200
    assert moderator_client.get(f"{QUEUE}{comment.pk}/change/").status_code == 200
    assert moderator_client.get(f"{QUEUE}add/").status_code == 403
    assert moderator_client.get(f"{QUEUE}{comment.pk}/delete/").status_code == 403
    assert moderator_client.get("/admin/comments/blockedword/").status_code == 403
    assert moderator_client.get("/admin/comparisons/comparison/").status_code == 403
    actions = moderator_client.get(QUEUE).context["action_form"].fields["action"].choices
    assert [name for name, _ in actions if name] == [
        "approve",
        "unpublish",
        "mark_spam",
        "soft_delete",
    ]


def test_editors_maintain_the_blocklist_but_not_comments(editor_client):
    response = editor_client.post(
        "/admin/comments/blockedword/add/", {"word": "  cheap pills ", "note": "spam wave"}
    )
    assert response.status_code == 302
    assert BlockedWord.objects.get().word == "cheap pills"
    assert editor_client.get(QUEUE).status_code == 403


def test_comparisons_admin_shows_comment_counts(editor_client, article):
    add_comment(article, "one")
    add_comment(article, "two")
    add_comment(article, "three", status=Comment.Status.PENDING)
    add_comment(article, "spam", status=Comment.Status.SPAM)
    response = editor_client.get("/admin/comparisons/comparison/")
    html = response.content.decode()
    assert "Published comments" in html and "Pending comments" in html
    row = response.context["cl"].result_list[0]
    assert (row.published_comment_total, row.pending_comment_total) == (2, 1)
    assert 'class="field-published_comments">2<' in html
    assert 'class="field-pending_comments">1<' in html


def test_editors_close_comments_on_a_comparison(editor_client, article):
    html = editor_client.get(f"/admin/comparisons/comparison/{article.pk}/change/").content.decode()
    assert 'name="comments_open"' in html
    assert "Untick to close comments" in html


def test_saving_a_comment_in_the_admin_announces_it(
    moderator_client, article, django_capture_on_commit_callbacks
):
    comment = add_comment(article, "Hello", status=Comment.Status.PENDING)
    received = []

    def listener(sender, targets, **kwargs):
        received.append(targets)

    comments_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            moderator_client.post(f"{QUEUE}{comment.pk}/change/", {"status": "spam"})
    finally:
        comments_changed.disconnect(listener)
    assert received == [{(comment.content_type_id, article.pk)}]
    assert Comment.objects.get().status == Comment.Status.SPAM


def test_superusers_erasing_a_comment_announce_it(
    admin_client, article, django_capture_on_commit_callbacks
):
    comment = add_comment(article, "Erase me")
    received = []

    def listener(sender, targets, **kwargs):
        received.append(targets)

    comments_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(f"{QUEUE}{comment.pk}/delete/", {"post": "yes"})
    finally:
        comments_changed.disconnect(listener)
    assert response.status_code == 302
    assert not Comment.objects.exists()
    assert received == [{(comment.content_type_id, article.pk)}]


@pytest.mark.parametrize("count", [3, 30])
def test_queue_query_count_does_not_grow_with_comments(
    moderator_client, article, django_assert_max_num_queries, count
):
    other = make_comparison("Lake", "Pond")
    for number in range(count):
        add_comment(article if number % 2 else other, f"Comment {number}")
    with django_assert_max_num_queries(12):
        response = moderator_client.get(QUEUE)
    assert len(response.context["cl"].result_list) == count


def test_comment_rows_must_be_consistent(article):
    from django.db import IntegrityError, transaction

    comment = add_comment(article, "Top")
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(depth=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(status="unknown")


def test_queue_searches_name_email_text_and_ip(moderator_client, article):
    add_comment(article, "About films", name="Ada", email="ada@example.com", ip="198.51.100.5")
    add_comment(article, "About lakes", name="Bo", email="bo@example.com", ip="203.0.113.9")
    for query, expected in [("ada", "Ada"), ("bo@example", "Bo"), ("lakes", "Bo"), ("198.51", "Ada")]:
        result = moderator_client.get(QUEUE, {"q": query}).context["cl"].result_list
        assert [comment.name for comment in result] == [expected], query


@pytest.mark.parametrize(
    "status, where",
    [
        (Comment.Status.PUBLISHED, "permalink"),
        (Comment.Status.PENDING, "page"),
        (Comment.Status.SPAM, "page"),
        (Comment.Status.DELETED, "page"),
    ],
)
def test_view_on_site_leads_where_readers_would_find_the_comment(
    moderator_client, article, status, where
):
    comment = add_comment(article, "In context, please.", status=status)
    html = moderator_client.get(f"/admin/comments/comment/{comment.pk}/change/").content.decode()
    expected = (
        f"/comments/{comment.pk}/" if where == "permalink" else f"{article.get_absolute_url()}#comments"
    )
    assert f'href="{expected}" class="viewsitelink"' in html
    assert moderator_client.get(expected.split("#")[0]).status_code in (200, 302)
