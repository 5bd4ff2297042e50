"""An article whose expiry time has passed is gone from every reader surface at once — before the
scheduler unpublishes it: 404 on the web and in the API, and absent from the front page, its
section, topic and author pages, the feeds, the sitemap and search (web and API)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from masthead.api.tokens import issue_device_token
from tests.builders import Publication, canary_for, make_article

EXPIRES_IN = timedelta(hours=1)


def expiring_article(pub: Publication, *, expires_in: timedelta, title: str) -> Any:
    article = make_article(pub, access="free", title=title)
    article.expire_at = timezone.now() + expires_in
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.live and article.expire_at is not None
    return article


def reader_surfaces(pub: Publication, article: Any) -> dict[str, str]:
    section = pub.sections[0]
    return {
        "front page": "/",
        "section": section.url,
        "topic": f"/topics/{pub.topic.slug}/",
        "author": f"/authors/{pub.author.slug}/",
        "latest feed": "/feeds/latest/",
        "section feed": f"/feeds/section/{section.slug}/",
        "sitemap": "/sitemap.xml",
        "web search": "/search/?q=quillmoor",
        "API list": "/api/v1/articles",
        "API section list": f"/api/v1/articles?section={section.slug}",
        "API search": "/api/v1/search?q=quillmoor",
    }


def shown(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.django_db
def test_an_expired_article_leaves_every_reader_surface_the_moment_it_expires(pub: Publication) -> None:
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        staying = make_article(pub, access="free", title="Quillmoor harbour reopens")
        leaving = expiring_article(pub, expires_in=EXPIRES_IN, title="Quillmoor ferry timetable")
        token = issue_device_token(device_name="Tablet").token
        api_detail = f"/api/v1/articles/{leaving.pk}"

        # given: before its expiry the article is everywhere (so the checks below can fail)
        assert canary_for(leaving.slug) in shown(client, leaving.url)
        assert client.get(api_detail, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
        for surface, url in reader_surfaces(pub, leaving).items():
            body = shown(client, url)
            assert leaving.slug in body or leaving.title in body, f"{surface} should list it before expiry"

        # when: the clock passes its expiry, and no scheduler has run
        clock.move_to(leaving.expire_at + timedelta(seconds=1))
        leaving.refresh_from_db()
        assert leaving.live, "nothing unpublished it: the reader surfaces must check expiry themselves"

        # then
        article = client.get(leaving.url)
        assert article.status_code == 404
        assert canary_for(leaving.slug) not in article.content.decode()
        detail = client.get(api_detail, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert detail.status_code == 404 and detail.json()["code"] == "not_found"
        for surface, url in reader_surfaces(pub, leaving).items():
            body = shown(client, url)
            assert leaving.title not in body and leaving.slug not in body, f"{surface} still lists it"
            assert canary_for(leaving.slug) not in body
            assert staying.title in body or staying.slug in body, f"{surface} lost the article that stays"
        assert "1 result for" in shown(client, "/search/?q=quillmoor"), "the count must not include it"


@pytest.mark.django_db
def test_one_second_before_its_expiry_the_article_is_still_served(pub: Publication) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        article = expiring_article(pub, expires_in=EXPIRES_IN, title="Quillmoor budget vote")
        clock.move_to(article.expire_at - timedelta(seconds=1))
        assert canary_for(article.slug) in shown(Client(), article.url)
        clock.move_to(article.expire_at)
        assert Client().get(article.url).status_code == 404


@pytest.mark.django_db
def test_an_expired_section_is_not_found_and_leaves_the_front_page(pub: Publication) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        make_article(pub, section=pub.sections[1], access="free", title="Quillmoor markets open")
        make_article(pub, section=pub.sections[1], access="free", title="Quillmoor markets close")
        make_article(pub, section=pub.sections[0], access="free", title="Quillmoor leads the news")
        section = pub.sections[1]
        section.expire_at = timezone.now() + EXPIRES_IN
        section.save_revision().publish()
        block = f'id="section-{section.slug}"'
        assert block in shown(Client(), "/")

        clock.move_to(section.expire_at + timedelta(seconds=1))
        assert Client().get(section.url).status_code == 404
        assert block not in shown(Client(), "/"), "the front page still has the section's stories"
        assert Client().get(f"/feeds/section/{section.slug}/").status_code == 404


@pytest.mark.django_db
def test_an_editor_still_previews_an_expired_article(pub: Publication, admin_client: Client) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        article = expiring_article(pub, expires_in=EXPIRES_IN, title="Quillmoor election result")
        clock.move_to(article.expire_at + timedelta(minutes=5))
        preview = admin_client.get(f"/admin/pages/{article.pk}/view_draft/")
        assert preview.status_code == 200
        assert canary_for(article.slug) in preview.content.decode()
