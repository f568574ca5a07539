"""Staff in each role, logged in."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from comparisons.roles import EDITORS, PUBLISHERS, setup_roles


def role_user(django_user_model, username, *groups):
    setup_roles()
    user = django_user_model.objects.create_user(username, password="pw-for-tests-1", is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def editor(db, django_user_model):
    return role_user(django_user_model, "ed", EDITORS)


@pytest.fixture
def publisher(db, django_user_model):
    return role_user(django_user_model, "pub", EDITORS, PUBLISHERS)


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def publisher_client(publisher):
    client = Client()
    client.force_login(publisher)
    return client
