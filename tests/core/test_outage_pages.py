"""A dependency that is down gives a branded 503 with Retry-After, wherever it is met; never a 500."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import override_settings

from masthead.core.middleware import READER_CSP
from tests.builders import make_article, make_publication


@pytest.fixture
def pub(db):
    return make_publication()


def database_gone(*args, **kwargs):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


@override_settings(DEBUG=False)
def test_an_article_whose_database_is_gone_is_a_branded_503(client, pub, monkeypatch):
    from masthead.news.models import ArticlePage

    article = make_article(pub, access="free")
    monkeypatch.setattr(ArticlePage, "serve", database_gone)
    client.raise_request_exception = False

    response = client.get(article.url)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Security-Policy"] == READER_CSP
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "We will be back in a moment" in page
    assert "The Meridian Ledger" in page
    assert "Something went wrong" not in page


@override_settings(DEBUG=False)
def test_an_outage_met_in_a_middleware_is_a_503_with_the_reader_csp(client, pub, monkeypatch):
    # The sessions are read in a middleware, far from any view: the handler still knows.
    from django.contrib.sessions.backends import db as session_db

    monkeypatch.setattr(session_db.SessionStore, "load", database_gone)
    client.raise_request_exception = False
    client.cookies["sessionid"] = "a" * 32

    response = client.get("/accounts/login/")

    assert response.status_code == 503
    assert response["Content-Security-Policy"] == READER_CSP
    assert response["Retry-After"] == "5"


@override_settings(DEBUG=False)
def test_a_bug_is_still_a_500_not_a_503(client, pub, monkeypatch):
    from masthead.news.models import ArticlePage

    article = make_article(pub, access="free")

    def bug(*args, **kwargs):
        raise KeyError("not an outage")

    monkeypatch.setattr(ArticlePage, "serve", bug)
    client.raise_request_exception = False

    response = client.get(article.url)

    assert response.status_code == 500
    assert "Retry-After" not in response


@override_settings(DEBUG=False)
def test_the_503_page_speaks_japanese(client, pub, monkeypatch):
    from masthead.core.language_urls import language_version
    from masthead.news.models import ArticlePage

    article = make_article(pub, access="free")
    monkeypatch.setattr(ArticlePage, "serve", database_gone)
    client.raise_request_exception = False

    # The Japanese version of the page (public pages take their language from the URL).
    response = client.get(language_version(article.url, "ja"))

    assert response.status_code == 503
    assert "まもなく" in response.content.decode()
