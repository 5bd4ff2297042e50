"""The newsroom's admin asks no other host for anything: avatars are not fetched from gravatar.com."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.builders import make_publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(db: Any) -> Client:
    make_publication()
    editor = get_user_model().objects.create_superuser("editor@example.com", "a long passphrase 42")
    client = Client()
    client.force_login(editor)
    return client


@pytest.mark.parametrize(
    "url_name", ["wagtailadmin_home", "wagtailadmin_account", "wagtailusers_users:index"]
)
def test_admin_pages_show_no_gravatar(editor_client: Client, url_name: str) -> None:
    response = editor_client.get(reverse(url_name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "gravatar" not in html.lower()
    # The sidebar's avatar (drawn by script from its JSON) and every image on the page come from here.
    avatars = re.findall(r'"avatarUrl": "([^"]+)"', html)
    assert len(avatars) == 1
    assert avatars[0].startswith("/static/wagtailadmin/images/default-user-avatar.png")
    images = re.findall(r'<img[^>]*\ssrc="([^"]+)"', html)
    for src in [*avatars, *images]:
        assert src.startswith("/") and not src.startswith("//"), src
