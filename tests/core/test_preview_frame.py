"""The admin's preview panel is an iframe on this site: a preview may be framed by the site itself,
in every preview mode, while reader pages still refuse every frame."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from masthead.access.models import MeterRead
from masthead.access.previews import preview_modes
from tests.builders import canary_for, make_article, make_publication

pytestmark = pytest.mark.django_db

MODES = [mode for mode, _label in preview_modes()]


def directive(response: Any, name: str) -> str:
    """The value of one CSP directive, e.g. "frame-ancestors" -> "'self'"."""
    for part in response["Content-Security-Policy"].split(";"):
        key, _, value = part.strip().partition(" ")
        if key == name:
            return value
    raise AssertionError(f"no {name} in {response['Content-Security-Policy']!r}")


@pytest.fixture
def article(db: Any) -> Any:
    cache.clear()
    return make_article(make_publication())


@pytest.fixture
def editor_client(db: Any) -> Client:
    editor = get_user_model().objects.create_superuser("editor@example.com", "a long passphrase 42")
    client = Client()
    client.force_login(editor)
    return client


def test_every_preview_mode_may_be_framed_by_the_admin(article: Any, editor_client: Client) -> None:
    # As the panel does: post the edit form's contents, then load the preview for each mode.
    edit = editor_client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert edit.status_code == 200
    data = querydict_from_html(edit.content.decode(), form_id="page-edit-form").copy()
    # The body's editor is built by script; post what it would, the story's paragraphs.
    paragraphs = [("paragraph", rich_text(block.value.source)) for block in article.body]
    data.update(nested_form_data({"body": streamfield(paragraphs)}))
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    posted = editor_client.post(preview_url, data=data)
    assert posted.json() == {"is_valid": True, "is_available": True}

    assert len(MODES) >= 10  # the editor's own view and nine reader kinds
    for mode in MODES:
        for in_panel in ("true", ""):  # the panel's iframe, and "preview in new tab"
            response = editor_client.get(preview_url, {"mode": mode, "in_preview_panel": in_panel})
            assert response.status_code == 200, mode
            assert article.title in response.content.decode(), mode
            assert directive(response, "frame-ancestors") == "'self'", mode
            assert response["X-Frame-Options"] == "SAMEORIGIN", mode
            # The rest of the reader policy still holds inside the panel.
            assert directive(response, "script-src") == "'self'", mode
            assert directive(response, "default-src") == "'self'", mode
    assert not MeterRead.objects.exists()  # no preview spends a meter read


def test_a_reader_page_still_refuses_every_frame(article: Any, editor_client: Client) -> None:
    for client in (Client(), editor_client):  # an anonymous reader, and the editor on the site itself
        response = client.get(article.url)
        assert response.status_code == 200
        assert canary_for(article.slug) in response.content.decode()
        assert directive(response, "frame-ancestors") == "'none'"
        assert response["X-Frame-Options"] == "DENY"
