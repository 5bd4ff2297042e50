"""Section navigation is served from a small cache entry, refreshed when editors publish."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.news.models import SectionPage
from tests.news.pages import soup_of

pytestmark = pytest.mark.django_db


def nav_titles(client) -> list[str]:
    return [a.get_text(strip=True) for a in soup_of(client.get("/")).select(".section-nav a")]


def test_navigation_does_not_query_sections_on_every_request(client, pub):
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/search/")

    assert not [q for q in captured.captured_queries if "news_sectionpage" in q["sql"]]


def test_publishing_a_section_updates_the_navigation(client, pub):
    assert nav_titles(client) == ["Politics", "Business", "Markets"]

    opinion = SectionPage(title="Opinion", slug="opinion")
    pub.home.add_child(instance=opinion)
    opinion.save_revision().publish()

    assert nav_titles(client) == ["Politics", "Business", "Markets", "Opinion"]


def test_unpublishing_a_section_removes_it_from_the_navigation(client, pub):
    assert "Markets" in nav_titles(client)

    pub.sections[2].unpublish()

    assert "Markets" not in nav_titles(client)


def test_deleting_a_section_removes_it_from_the_navigation(client, pub):
    assert "Business" in nav_titles(client)

    pub.sections[1].delete()

    assert "Business" not in nav_titles(client)
