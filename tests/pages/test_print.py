"""A printed article carries the publication's name; a printed walled article says, where the
teaser ends, that the rest is for registered readers or subscribers, and where to read it, and
never prints the gated text."""

from __future__ import annotations

from bs4 import BeautifulSoup
from django.test import Client
from wagtail.models import Site

from masthead.core.models import PublicationSettings
from masthead.pages.models import StandardPage
from tests.builders import canary_for, make_article
from tests.pages.conftest import client_for


def printed(client: Client, url: str) -> tuple[BeautifulSoup, str]:
    response = client.get(url + "?print=1")
    assert response.status_code == 200
    html = response.content.decode()
    return BeautifulSoup(html, "html.parser"), html


def publication_name() -> str:
    return PublicationSettings.for_site(Site.objects.get(is_default_site=True)).name


def test_printed_article_at_the_registration_wall(pub):
    article = make_article(pub, access="registered")
    soup, html = printed(Client(), article.url)

    assert "is-print" in soup.body["class"]
    assert soup.select_one(".print-masthead").get_text(strip=True) == publication_name()
    walled = soup.select_one(".print-walled")
    assert walled.select_one(".print-walled__line").get_text(strip=True) == (
        "The rest of this story is for registered readers. Registering is free."
    )
    assert (
        walled.select_one(".print-walled__url").get_text(strip=True)
        == f"Read it in full at http://testserver{article.url}"
    )
    # Where the teaser ends: right after the article body, before the article's footer.
    body = soup.select_one(".article-body")
    assert body.find_next_sibling("div") is walled
    assert canary_for(article.slug) not in html
    assert not soup.select(".article-body__gated")


def test_printed_subscriber_only_article_for_a_registered_reader(pub):
    article = make_article(pub, access="subscribers")
    soup, html = printed(client_for("registered"), article.url)
    line = soup.select_one(".print-walled__line").get_text(strip=True)
    assert line == f"The rest of this story is for subscribers to {publication_name()}."
    assert canary_for(article.slug) not in html


def test_printed_article_in_full_for_a_subscriber_has_the_name_and_no_wall_line(pub):
    article = make_article(pub, access="subscribers")
    soup, html = printed(client_for("subscriber"), article.url)
    assert soup.select_one(".print-masthead").get_text(strip=True) == publication_name()
    assert not soup.select(".print-walled")
    assert canary_for(article.slug) in html


def test_printed_walled_article_in_japanese(pub):
    article = make_article(pub, access="registered")
    soup, _ = printed(Client(), f"/ja{article.url}")
    assert soup.select_one(".print-walled__line").get_text(strip=True) == (
        "この記事の続きは登録読者の方のみお読みいただけます。登録は無料です。"
    )


def test_print_styles_hide_the_site_chrome_and_show_the_print_lines():
    """The print stylesheet: no header, menu, search, footer or paywall buttons on paper, and the
    name and the subscribers' line shown (they are hidden on screen)."""
    from django.contrib.staticfiles import finders

    with open(finders.find("masthead/css/masthead.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    print_rules = css[css.index("@media print") :]
    for hidden in (".masthead", ".site-footer", ".paywall-slot", ".menu", ".search-box", ".share"):
        assert hidden in print_rules.split("display: none !important")[0]
    assert ".print-only { display: block; }" in print_rules
    assert ".print-only { display: none; }" in css[: css.index("@media print")]


def test_standing_pages_print_with_the_name_too(pub):
    page = StandardPage(title="Terms of use", slug="terms", body=[])
    pub.home.add_child(instance=page)
    page.save_revision().publish()
    soup, _ = printed(Client(), "/terms/")
    assert soup.select_one(".print-masthead").get_text(strip=True) == publication_name()
