"""Reader search: finds articles by headline, standfirst or (free articles only) body; shows only
what a listing shows. What gated articles may be found by: test_no_oracle.py."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from masthead.search.views import MAX_QUERY_LENGTH
from tests.builders import canary_for, make_article

pytestmark = pytest.mark.django_db


def search(client, query: str, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def found(soup) -> list[str]:
    return [h.get_text(strip=True) for h in soup.select(".search-results .card__headline")]


def test_finds_articles_by_headline(client, pub):
    make_article(pub, title="Harbour strike enters third week")
    make_article(pub, title="Central bank holds rates")

    assert found(search(client, "harbour strike")) == ["Harbour strike enters third week"]


def test_finds_articles_by_standfirst(client, pub):
    article = make_article(pub, title="Talks resume")
    article.standfirst = "Negotiators from Kessen return to the table after a tense winter."
    article.save_revision().publish()

    assert found(search(client, "negotiators")) == ["Talks resume"]


def test_finds_a_free_article_by_its_body_but_never_shows_body_text(client, pub):
    article = make_article(pub, title="The open story", access="free")

    soup = search(client, "ordinary reporting")

    assert found(soup) == ["The open story"]
    assert canary_for(article.slug) not in str(soup)
    assert "Paragraph 1 of" not in str(soup)


def test_results_show_headline_kicker_standfirst_and_date(client, pub):
    article = make_article(pub, title="Ferry timetable changes")

    item = search(client, "ferry").select_one(".search-results li")

    assert item.select_one(".kicker").get_text(strip=True) == pub.topic.name
    assert article.standfirst in item.get_text()
    assert item.find("time")["datetime"]
    assert item.select_one(".card__headline a")["href"] == article.url


def test_unpublished_articles_are_not_found(client, pub):
    article = make_article(pub, title="Withdrawn report")
    article.unpublish()

    assert found(search(client, "withdrawn")) == []


def test_sections_are_not_results(client, pub):
    make_article(pub, title="Business leaders meet")

    assert found(search(client, "business")) == ["Business leaders meet"]


def test_empty_query_shows_the_form_and_no_results(client, pub):
    make_article(pub)

    soup = search(client, "")

    assert soup.select_one('main form[role=search] input[name="q"]')
    assert found(soup) == []
    assert "Type a word or two" in soup.get_text()


@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,
        "日本語",
        "Ελληνικά ή русский",
        "'; DROP TABLE wagtailcore_page; --",
        '" OR 1=1 --',
        "NEAR(a b) AND * OR NOT",
        'harbour" -strike (',
        "%_\\",
        "   ",
    ],
)
def test_hostile_and_unusual_queries_do_not_error(client, pub, query):
    make_article(pub, title="Harbour strike enters third week")

    soup = search(client, query)

    assert soup.find("h1").get_text(strip=True) == "Search"
    assert len(soup.select_one('main input[name="q"]')["value"]) <= MAX_QUERY_LENGTH


def test_non_latin_headlines_are_found(client, pub):
    make_article(pub, title="日本語 の 記事")

    assert found(search(client, "日本語")) == ["日本語 の 記事"]


def test_results_are_paginated(client, pub):
    for i in range(12):
        make_article(pub, title=f"Budget story {i}")

    first = search(client, "budget")
    second = search(client, "budget", page="2")
    silly = search(client, "budget", page="abc")

    assert len(found(first)) == 10 and len(found(second)) == 2
    assert set(found(first)).isdisjoint(found(second))
    assert found(silly) == found(first)
    assert "12 results" in first.get_text()
    assert second.select_one("a[rel=prev]")["href"] == "?q=budget&page=1"


def test_search_is_not_cached_publicly(client, pub):
    response = client.get("/search/", {"q": "anything"})

    assert "private" in response["Cache-Control"]
