"""The header's "Subscribe" call to action: every reader without an entitlement sees it, on every
page, in the bar and in the menu; subscribers, trialists and staff never do."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from tests.builders import make_article
from tests.pages.conftest import client_for, reader_of_kind

OFFERED = ["anonymous", "registered", "lapsed", "expired-trial"]
NOT_OFFERED = ["subscriber", "trialist", "staff"]


def page_urls(pub, kind: str) -> list[str]:
    article = pub.articles[0]
    urls = ["/", pub.sections[0].url, article.url, "/search/?q=Valdora"]
    # The account page for an account; its door (the log-in page) for an anonymous reader.
    urls.append("/account/" if kind != "anonymous" else "/accounts/login/")
    return urls


def subscribe_links(html: str) -> dict[str, list[str]]:
    soup = BeautifulSoup(html, "html.parser")
    header = soup.select_one("header.masthead")
    return {
        "bar": [
            a["href"] for a in header.select(".masthead__account a") if a.get_text(strip=True) == "Subscribe"
        ],
        "menu": [a["href"] for a in header.select(".menu__panel a") if a.get_text(strip=True) == "Subscribe"],
    }


@pytest.mark.parametrize("kind", OFFERED)
def test_readers_without_an_entitlement_see_subscribe_on_every_page(pub, kind):
    client = client_for(kind)
    for url in page_urls(pub, kind):
        response = client.get(url)
        assert response.status_code == 200, url
        assert subscribe_links(response.content.decode()) == {
            "bar": ["/subscribe/"],
            "menu": ["/subscribe/"],
        }, (
            kind,
            url,
        )


@pytest.mark.parametrize("kind", NOT_OFFERED)
def test_entitled_readers_never_see_subscribe(pub, kind):
    client = client_for(kind)
    for url in page_urls(pub, kind):
        response = client.get(url)
        assert response.status_code == 200, url
        assert subscribe_links(response.content.decode()) == {"bar": [], "menu": []}, (kind, url)
        # ... and they still find their account.
        assert "/account/" in [
            a["href"] for a in BeautifulSoup(response.content, "html.parser").select(".masthead a")
        ]


def test_subscribe_leads_to_the_plans_page_in_japanese_too(pub):
    client = Client(headers={"accept-language": "ja"})
    response = client.get("/ja/")  # the Japanese front page; /subscribe/ has one address
    html = response.content.decode()
    soup = BeautifulSoup(html, "html.parser")
    link = soup.select_one(".masthead__subscribe")
    assert link["href"] == "/subscribe/"
    assert link.get_text(strip=True) == "購読する"
    assert client.get(link["href"]).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_one_worker_keeps_the_header_apart_for_subscribers_and_everyone_else(wagtail_roots):
    """The header is kept per worker (news.fragments) outside any transaction: a subscriber's
    header must never be served to a registered reader on the same page, nor the reverse."""
    from tests.builders import make_publication

    pub = make_publication(("Politics",))
    article = make_article(pub, title="Kept header")
    subscriber, registered = Client(), Client()
    subscriber.force_login(reader_of_kind("subscriber"))
    registered.force_login(reader_of_kind("registered"))
    for _ in range(2):
        for url in ("/", article.url):
            assert subscribe_links(subscriber.get(url).content.decode())["bar"] == []
            assert subscribe_links(registered.get(url).content.decode())["bar"] == ["/subscribe/"]
            assert subscribe_links(Client().get(url).content.decode())["bar"] == ["/subscribe/"]
