"""E-mail is configured from the environment: EMAIL_URL, EMAIL_HOST..., or the console."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import email_settings

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_without_configuration_mail_is_printed_on_the_console():
    assert email_settings({}) == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


@pytest.mark.parametrize(
    "url, expected",
    [
        (
            "smtp+tls://user%40example.com:p%2Fss@mail.example.com",
            ("mail.example.com", 587, "user@example.com", "p/ss", True, False),
        ),
        ("smtp+ssl://mail.example.com", ("mail.example.com", 465, "", "", False, True)),
        ("smtp://127.0.0.1:2525", ("127.0.0.1", 2525, "", "", False, False)),
    ],
)
def test_email_url_names_an_smtp_server(url, expected):
    found = email_settings({"EMAIL_URL": url, "EMAIL_HOST": "ignored"})
    assert found["EMAIL_BACKEND"] == SMTP
    assert expected == tuple(
        found[name]
        for name in (
            "EMAIL_HOST",
            "EMAIL_PORT",
            "EMAIL_HOST_USER",
            "EMAIL_HOST_PASSWORD",
            "EMAIL_USE_TLS",
            "EMAIL_USE_SSL",
        )
    )


def test_email_url_names_django_s_other_backends():
    assert email_settings({"EMAIL_URL": "locmem://"}) == {
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"
    }


def test_the_standard_variables_work_too():
    found = email_settings(
        {
            "EMAIL_HOST": "smtp.example.com",
            "EMAIL_PORT": "587",
            "EMAIL_USE_TLS": "1",
            "EMAIL_HOST_USER": "u",
            "EMAIL_HOST_PASSWORD": "p",
        }
    )
    assert found == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "smtp.example.com",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "u",
        "EMAIL_HOST_PASSWORD": "p",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


@pytest.mark.parametrize("url", ["smtp://", "ftp://mail.example.com", "mail.example.com"])
def test_a_malformed_email_url_stops_the_site_with_a_clear_message(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL must look like smtp://"):
        email_settings({"EMAIL_URL": url})
