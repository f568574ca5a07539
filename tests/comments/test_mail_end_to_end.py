"""Once for real: comment mail through Django's SMTP backend to an SMTP server the test starts."""

import email
import email.policy
import re

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from comments.models import Comment, ReplySubscription
from tests.comments.test_notifications import SITE, committed, publish, reply_to, subscribed
from tests.site.servers import free_port

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.commentsapp.urls")]


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.COMMENTS_SITE_URL = SITE
    yield inbox
    controller.stop()


def path_in(message, part):
    return re.search(rf"{re.escape(SITE)}(\S*{part}\S*)", message.get_content()).group(1)


def test_confirmation_notice_and_one_click_unsubscribe_over_smtp(client, smtp_server, article):
    comment = subscribed(client, article)
    [(recipients, confirmation)] = smtp_server.messages
    assert recipients == ["ada@example.com"]
    # Django folds a long encoded subject onto its next line; readers see it without the fold.
    assert (
        confirmation["Subject"].strip()
        == "Confirm reply notices for your comment on “Film and movie”"
    )
    assert client.post(path_in(confirmation, "/confirm/")).status_code == 200

    publish(comment)
    publish(reply_to(comment))
    assert len(smtp_server.messages) == 2
    recipients, notice = smtp_server.messages[1]
    assert recipients == ["ada@example.com"]
    token = ReplySubscription.objects.get().token
    assert notice["List-Unsubscribe"].strip() == f"<{SITE}/comments/notices/unsubscribe/{token}/>"
    assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert notice.get_content_type() == "text/plain"
    assert "Not quite: <b>KPO</b> needs\r\nspecialists & judgement." in notice.get_content()
    assert "bob-private@example.org" not in notice.as_string()

    # What a mail program does with the headers: POST, no cookie, no token.
    unsubscribe = notice["List-Unsubscribe"].strip().strip("<>").removeprefix(SITE)
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    with committed():
        publish(reply_to(comment, "Another one"))
    assert len(smtp_server.messages) == 2
    assert Comment.objects.visible().count() == 3
