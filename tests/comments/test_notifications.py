"""Reply notices by e-mail (double opt-in, publish only, hourly, unsubscribe) and the digest."""

import io
import logging
import re
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase

from comments import notifications
from comments.models import Comment, DigestRecipient, ReplySubscription
from comments.moderation import moderate
from tests.comments.conftest import add_comment, form_data

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.commentsapp.urls")]

POST_URL = "/comments/post/"
SITE = "https://differences.example"
REPLY_TEXT = "Not quite: <b>KPO</b> needs\nspecialists & judgement."


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.COMMENTS_SITE_URL = SITE
    settings.COMMENTS_RATE_LIMITS = ()  # one visitor posts several comments here


def committed():
    """Run what waits for the commit (mail is sent after it) when the block ends."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def link(message, path_part):
    """The first link in `message`'s body whose path contains `path_part`."""
    return re.search(rf"{re.escape(SITE)}(\S*{path_part}\S*)", message.body).group(1)


def subscribed(client, article, **overrides):
    """Post a comment with "Notify me" ticked; return the stored comment (pending)."""
    with committed():
        response = client.post(POST_URL, form_data(article, notify="on", **overrides))
    assert response.status_code == 302
    return Comment.objects.latest("pk")


def confirmed(client, article):
    """A published comment of ada@example.com whose notices are confirmed."""
    comment = subscribed(client, article)
    publish(comment)
    assert client.post(link(mail.outbox[0], "/confirm/")).status_code == 200
    mail.outbox.clear()
    return comment


def reply_to(comment, text=REPLY_TEXT, *, status=Comment.Status.PENDING, **fields):
    fields.setdefault("name", "Bob")
    fields.setdefault("email", "bob-private@example.org")
    with committed():
        return add_comment(comment.target, text, parent=comment, status=status, **fields)


def publish(*comments):
    with committed():
        moderate(Comment.objects.filter(pk__in=[c.pk for c in comments]), Comment.Status.PUBLISHED)


# Opting in ---------------------------------------------------------------------------------


def test_the_form_offers_notices_unticked(client, article):
    html = client.get(f"/comments/new/commentsapp.note/{article.pk}/").content.decode()
    assert "Notify me of replies to my comment" in html
    checkbox = re.search(r'<input type="checkbox" name="notify"[^>]*>', html).group(0)
    assert "checked" not in checkbox


def test_without_the_tick_nothing_is_subscribed_or_sent(client, article):
    with committed():
        client.post(POST_URL, form_data(article))
    assert Comment.objects.count() == 1
    assert not ReplySubscription.objects.exists() and mail.outbox == []


def test_ticking_sends_one_confirmation_mail_and_no_notice_until_confirmed(client, article):
    comment = subscribed(client, article)
    subscription = ReplySubscription.objects.get()
    assert (subscription.comment, subscription.email) == (comment, "ada@example.com")
    assert subscription.confirmed_at is None and subscription.confirmation_sent_at is not None
    [message] = mail.outbox
    assert message.to == ["ada@example.com"]
    assert message.subject == "Confirm reply notices for your comment on “Film and movie”"
    assert f"{SITE}/comments/notices/confirm/{subscription.token}/" in message.body

    publish(comment)
    publish(reply_to(comment))
    assert len(mail.outbox) == 1  # unconfirmed: no notice

    address = f"/comments/notices/confirm/{subscription.token}/"
    for look in (client.head, client.get):  # a mail scanner following the link
        page = look(address)
        assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Confirm my address</button>" in page.content.decode()
    assert ReplySubscription.objects.get().confirmed_at is None
    page = client.post(address)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Your address is confirmed." in page.content.decode()
    assert ReplySubscription.objects.get().confirmed_at is not None
    assert "Reply notices are on" in client.get(address).content.decode()


def test_a_target_named_over_two_lines_still_gets_its_mail_sent(client, article):
    """A header cannot hold a line break (Django refuses to send the mail): the name of what
    was commented on is put on one line."""
    article.title = "Film\nand\r\nmovie"
    article.save()
    subscribed(client, article)
    [message] = mail.outbox
    assert message.subject == "Confirm reply notices for your comment on “Film and movie”"
    assert message.message()["Subject"]  # the whole message can be built


def test_a_confirmed_address_is_not_asked_again(client, article):
    first = confirmed(client, article)
    subscribed(client, article, text="A second thought.")
    assert mail.outbox == []
    assert ReplySubscription.objects.active().count() == 2
    assert ReplySubscription.objects.get(comment=first).is_active


CHECK_MAIL = (
    '<p class="comment-posted__notices"><strong>Check your e-mail:</strong> we sent you a link '
    "to confirm your address. Once you open it, we will tell you when someone replies to your "
    "comment.</p>"
)
NOTICES_ON = (
    '<p class="comment-posted__notices">We will e-mail you when someone replies to your '
    "comment.</p>"
)


def posted_page(client, article, *, fragment=False, **overrides):
    """Post a comment and return the HTML of the page (or part) the visitor lands on."""
    data = form_data(article, **overrides)
    if fragment:
        data["fragment"] = "1"
    with committed():
        response = client.post(POST_URL, data)
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("fragment", [False, True])
def test_the_posted_page_asks_to_check_the_mail_when_notices_were_asked_for(
    client, article, fragment
):
    html = posted_page(client, article, fragment=fragment, notify="on")
    assert CHECK_MAIL in html
    assert NOTICES_ON not in html
    assert "ada@example.com" not in html


@pytest.mark.parametrize("fragment", [False, True])
def test_a_comment_published_at_once_still_shows_how_to_confirm(
    client, article, settings, fragment
):
    settings.COMMENTS_AUTO_PUBLISH = True
    html = posted_page(client, article, fragment=fragment, notify="on")
    assert CHECK_MAIL in html
    # The page's script stays to show it, instead of going to the comment in the list.
    assert "data-permalink" not in html
    comment = Comment.objects.get()
    assert f'<a href="{article.get_absolute_url()}#{comment.anchor}">See it among the comments</a>' in html


def test_a_comment_published_at_once_without_the_tick_goes_to_the_list(
    client, article, settings
):
    settings.COMMENTS_AUTO_PUBLISH = True
    with committed():
        response = client.post(POST_URL, form_data(article))
    assert response["Location"] == f"{article.get_absolute_url()}#{Comment.objects.get().anchor}"


def test_the_posted_page_says_nothing_of_mail_without_the_tick(client, article):
    html = posted_page(client, article)
    assert "comment-posted__notices" not in html


def test_the_posted_page_of_a_confirmed_address_says_notices_will_come(client, article):
    confirmed(client, article)
    html = posted_page(client, article, notify="on", text="A second thought.")
    assert NOTICES_ON in html
    assert CHECK_MAIL not in html


def test_a_refused_post_keeps_both_ticks(client, article):
    response = client.post(
        POST_URL, form_data(article, notify="on", remember="on", captcha_1="wrong")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The answer you entered for the CAPTCHA was not correct" in html
    for name in ("notify", "remember"):
        assert re.search(rf'<input type="checkbox" name="{name}"[^>]*checked', html), name
    assert not ReplySubscription.objects.exists() and mail.outbox == []


def test_an_unknown_link_says_so(client):
    for path in ("confirm", "unsubscribe"):
        response = client.get(f"/comments/notices/{path}/not-a-token/")
        assert response.status_code == 404
        assert "This link is not valid" in response.content.decode()


@pytest.mark.parametrize("token", ["%C3%A9", "a.b", "x" * 65])
def test_a_mangled_link_says_so_on_every_database(client, token):
    for path in ("confirm", "unsubscribe"):
        response = client.get(f"/comments/notices/{path}/{token}/")
        assert response.status_code == 404
        assert "This link is not valid" in response.content.decode()


# Notices -----------------------------------------------------------------------------------


def test_a_reply_is_announced_when_published_not_while_pending(client, article):
    comment = confirmed(client, article)
    reply = reply_to(comment)
    assert mail.outbox == []
    publish(reply)
    [notice] = mail.outbox
    subscription = ReplySubscription.objects.get()
    assert notice.to == ["ada@example.com"] and notice.cc == [] and notice.bcc == []
    assert notice.subject == "A new reply to your comment on “Film and movie”"
    unsubscribe = f"{SITE}/comments/notices/unsubscribe/{subscription.token}/"
    assert notice.body == (
        "Hello Ada,\n\n"
        f"Bob replied to your comment “{comment.subject}” on “Film and movie”:\n\n"
        f"{REPLY_TEXT}\n\n"
        f"Read it on the page: {SITE}/comments/{reply.pk}/\n\n"
        "You get this e-mail because you asked to be told of replies to your comment.\n"
        f"Stop these e-mails with one click (no login needed): {unsubscribe}\n"
    )
    assert notice.extra_headers == {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert "bob-private@example.org" not in str(notice.message())
    assert notice.content_subtype == "plain"


def test_approving_a_reply_in_the_moderation_queue_sends_the_notice(client, article, admin_client):
    comment = confirmed(client, article)
    reply = reply_to(comment)
    with committed():
        response = admin_client.post(
            "/admin/comments/comment/", {"action": "approve", "_selected_action": [reply.pk]}
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["ada@example.com"]]


def test_the_permalink_in_the_notice_leads_to_the_reply(client, article):
    comment = confirmed(client, article)
    reply = reply_to(comment)
    publish(reply)
    response = client.get(link(mail.outbox[0], f"/comments/{reply.pk}/"))
    assert response["Location"] == f"/notes/{article.pk}/#comment-{reply.pk}"


def test_a_reply_published_at_once_is_announced_at_once(client, article, staff_user):
    comment = confirmed(client, article)
    reply_to(comment, "Staff here.", status=Comment.Status.PUBLISHED, user=staff_user)
    assert [m.to for m in mail.outbox] == [["ada@example.com"]]


def test_a_reply_approved_after_a_newer_one_is_announced_too(client, article, clock):
    comment = confirmed(client, article)
    older, newer = reply_to(comment, "Older reply"), reply_to(comment, "Newer reply")
    publish(newer)  # the queue lists the newest first
    assert "Newer reply" in mail.outbox[-1].body
    clock.move(hours=2)
    publish(older)
    assert len(mail.outbox) == 2
    assert "Older reply" in mail.outbox[-1].body and "Newer reply" not in mail.outbox[-1].body
    clock.move(hours=2)
    assert notifications.send_due_notices() == 0  # each announced once


def test_replies_on_a_page_taken_down_wait_until_it_is_back(client, article):
    comment = confirmed(client, article)
    reply = reply_to(comment, "Said while it was down")
    article.visible = False
    article.save()
    publish(reply)
    assert mail.outbox == []  # its link would lead to a 404
    article.visible = True
    article.save()
    assert notifications.send_due_notices() == 1
    assert "Said while it was down" in mail.outbox[0].body


def test_own_replies_and_other_comments_are_not_announced(client, article):
    comment = confirmed(client, article)
    publish(reply_to(comment, "Adding to my own point.", email="ADA@example.com"))
    publish(add_comment(article, "A new thread.", status=Comment.Status.PENDING))
    assert mail.outbox == []


def test_at_most_one_notice_per_thread_per_hour_and_the_rest_follows(client, article, clock):
    comment = confirmed(client, article)
    first, second, third = (reply_to(comment, f"Reply {n}") for n in (1, 2, 3))
    publish(first)
    publish(second)
    clock.move(minutes=30)
    publish(third)
    assert len(mail.outbox) == 1 and "Reply 1" in mail.outbox[0].body

    call_command("send_comment_mail", stdout=io.StringIO())
    assert len(mail.outbox) == 1  # still within the hour

    clock.move(minutes=31)
    output = io.StringIO()
    call_command("send_comment_mail", stdout=output)
    assert "1 reply notice(s)" in output.getvalue()
    latest = mail.outbox[-1]
    assert latest.subject == "New replies to your comment on “Film and movie”"
    assert "Reply 1" not in latest.body
    assert latest.body.index("Reply 2") < latest.body.index("Reply 3")

    call_command("send_comment_mail", stdout=io.StringIO())
    assert len(mail.outbox) == 2  # nothing announced twice


def test_unsubscribing_takes_one_click_without_login_and_says_it_worked(client, article):
    comment = confirmed(client, article)
    publish(reply_to(comment, "One"))
    url = link(mail.outbox[0], "/unsubscribe/")
    response = client.get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "<h1>You are unsubscribed</h1>" in html
    assert "You will get no more e-mails about replies to your comment on" in html
    assert "captcha" not in html
    mail.outbox.clear()
    publish(reply_to(comment, "Two"))
    assert mail.outbox == []


def test_a_link_checker_s_head_request_unsubscribes_nobody(client, article):
    confirmed(client, article)
    token = ReplySubscription.objects.get().token
    assert client.head(f"/comments/notices/unsubscribe/{token}/").status_code == 405
    assert ReplySubscription.objects.get().is_active


def test_mail_programs_unsubscribe_with_a_post_and_no_csrf_token(client, article):
    confirmed(client, article)
    subscription = ReplySubscription.objects.get()
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        f"/comments/notices/unsubscribe/{subscription.token}/",
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    assert not ReplySubscription.objects.get().is_active


def test_an_unsubscribe_link_opened_by_mistake_can_be_undone(client, article):
    comment = confirmed(client, article)
    token = ReplySubscription.objects.get().token
    client.get(f"/comments/notices/unsubscribe/{token}/")
    response = client.post(f"/comments/notices/resubscribe/{token}/")
    assert "You are subscribed again." in response.content.decode()
    publish(reply_to(comment))
    assert len(mail.outbox) == 1


# Failures and housekeeping -----------------------------------------------------------------


def refusing_mail_server():
    return mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=ConnectionRefusedError("mail server down"),
    )


def test_a_mail_failure_never_breaks_the_post_and_the_command_sends_it_later(
    client, article, caplog
):
    with refusing_mail_server(), caplog.at_level(logging.ERROR), committed():
        response = client.post(POST_URL, form_data(article, notify="on"))
    assert response.status_code == 302
    assert Comment.objects.count() == 1 and mail.outbox == []
    assert "Comment mail to one recipient not sent; it will be retried" in caplog.text
    assert ReplySubscription.objects.get().confirmation_sent_at is None

    output = io.StringIO()
    call_command("send_comment_mail", stdout=output)
    assert "Sent 1 confirmation mail(s), 0 reply notice(s) and 0 digest(s)." in output.getvalue()
    assert [m.to for m in mail.outbox] == [["ada@example.com"]]


def test_a_notice_that_could_not_be_sent_is_sent_by_the_command(client, article):
    comment = confirmed(client, article)
    reply = reply_to(comment)
    with refusing_mail_server():
        publish(reply)
    assert Comment.objects.get(pk=reply.pk).is_published and mail.outbox == []
    call_command("send_comment_mail", stdout=io.StringIO())
    assert len(mail.outbox) == 1 and REPLY_TEXT in mail.outbox[0].body


def test_housekeeping_deletes_subscriptions_unconfirmed_for_7_days(client, article, clock):
    confirmed(client, article)
    subscribed(client, article, text="Waiting for confirmation", email="eve@example.com")
    clock.move(days=6, hours=23)
    output = io.StringIO()
    call_command("purge_comment_ips", stdout=output)
    assert ReplySubscription.objects.count() == 2
    clock.move(hours=2)
    output = io.StringIO()
    call_command("purge_comment_ips", stdout=output)
    assert "Deleted 1 reply-notice subscription(s) unconfirmed after 7 days." in output.getvalue()
    assert list(ReplySubscription.objects.values_list("email", flat=True)) == ["ada@example.com"]


def test_mail_can_go_out_in_the_background(client, article, settings, monkeypatch):
    settings.COMMENTS_MAIL_IN_BACKGROUND = True
    started = []

    class RecordedThread(notifications.threading.Thread):
        def start(self):
            started.append(self)
            self.run()  # the test database lives in this thread's transaction

    monkeypatch.setattr(notifications.threading, "Thread", RecordedThread)
    monkeypatch.setattr(notifications.connections, "close_all", lambda: None)
    subscribed(client, article)
    assert len(started) == 1 and started[0].daemon
    assert [m.to for m in mail.outbox] == [["ada@example.com"]]


# The moderators' digest --------------------------------------------------------------------


@pytest.fixture
def moderator(django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        "mod", email="mod@example.com", password="pw", is_staff=True, first_name="Mo"
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="comments", codename__in=["view_comment", "change_comment"]
        )
    )
    return user


def test_moderators_opt_in_to_the_digest_from_the_queue(client, moderator):
    client.force_login(moderator)
    queue = client.get("/admin/comments/comment/").content.decode()
    assert '<a href="/comments/digest/">Daily digest by e-mail</a>' in queue
    page = client.get("/comments/digest/").content.decode()
    assert "You do not get the digest." in page
    assert client.post("/comments/digest/", {"digest": "on"})["Location"] == "/comments/digest/"
    assert (
        "You get the digest at mod@example.com." in client.get("/comments/digest/").content.decode()
    )
    client.post("/comments/digest/", {"digest": "off"})
    assert not DigestRecipient.objects.exists()


def test_only_moderators_reach_the_digest_page(client, staff_user):
    assert client.get("/comments/digest/").status_code == 302  # to the admin login
    client.force_login(staff_user)
    assert client.get("/comments/digest/").status_code == 403


def test_the_digest_counts_the_queue_names_the_oldest_and_links_it(article, moderator, clock):
    DigestRecipient.objects.create(user=moderator)
    add_comment(
        article,
        "Oldest",
        status=Comment.Status.PENDING,
        subject="First!",
        name="Zed",
        email="zed-private@example.org",
    )
    clock.move(hours=50)
    add_comment(article, "Newer", status=Comment.Status.PENDING)
    add_comment(article, "Shown")
    output = io.StringIO()
    call_command("send_comment_mail", stdout=output)
    assert "and 1 digest(s)." in output.getvalue()
    [digest] = mail.outbox
    assert digest.to == ["mod@example.com"]
    assert digest.subject == "Comments waiting for moderation: 2"
    assert digest.body == (
        "Hello Mo,\n\n"
        "2 comments are waiting for moderation.\n\n"
        "The oldest has waited 2 days, since 2025-06-02 12:00 UTC: “First!” by Zed on "
        "“Film and movie”.\n\n"
        f"The queue: {SITE}/admin/comments/comment/?status__exact=pending\n\n"
        "You get this digest once a day because you asked for it; stop it on "
        f"{SITE}/comments/digest/\n"
    )
    assert "zed-private" not in digest.body

    clock.move(hours=22)
    call_command("send_comment_mail", stdout=io.StringIO())
    assert len(mail.outbox) == 1  # once a day
    clock.move(hours=2)
    call_command("send_comment_mail", "--no-digest", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    call_command("send_comment_mail", stdout=io.StringIO())
    assert len(mail.outbox) == 2


def test_no_digest_for_an_empty_queue_or_for_former_moderators(
    article, moderator, staff_user, clock
):
    DigestRecipient.objects.create(user=moderator)
    DigestRecipient.objects.create(user=staff_user)  # no permission (and no address)
    assert notifications.send_digests() == 0
    add_comment(article, "Waiting", status=Comment.Status.PENDING)
    assert notifications.send_digests() == 1
    assert [m.to for m in mail.outbox] == [["mod@example.com"]]
    clock.move(days=1)
    moderator.user_permissions.clear()
    assert notifications.send_digests() == 0
