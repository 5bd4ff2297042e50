"""Each language version at its own URL: what a search engine, a reader and a cache see.

English is served at the plain URL (and is the x-default), Japanese under /ja/, whatever the
browser's Accept-Language says; every public page names both versions with hreflang; a reader's
own choice in the footer is the only thing that sends a plain URL elsewhere.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from masthead.core.language_urls import Kind, kind_of_path
from masthead.mail.reader_mail import render_reader_mail
from masthead.sponsored.models import Sponsor
from tests.access.conftest import set_meter
from tests.builders import canary_for, make_article
from tests.i18n.pages import html_of, page_language

pytestmark = pytest.mark.django_db

SITE = "https://news.example.com"
S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    settings.MASTHEAD_SITE_URL = SITE


def public_paths(pub: Any) -> list[str]:
    article = pub.articles[0]
    return [
        "/",
        "/politics/",
        article.url,
        f"/topics/{pub.topic.slug}/",
        f"/authors/{pub.author.slug}/",
    ]


def soup_of(response: Any) -> BeautifulSoup:
    return BeautifulSoup(html_of(response), "html.parser")


def hreflangs(soup: BeautifulSoup) -> dict[str, str]:
    links = soup.select('head link[rel="alternate"][hreflang]')
    found = {link["hreflang"]: link["href"] for link in links}
    assert len(found) == len(links), "one link per language"
    return found


def vary(response: Any) -> set[str]:
    return {word.strip().lower() for word in response.get("Vary", "").split(",") if word.strip()}


# --- a search engine: no cookie, any Accept-Language ---------------------------------------------


@pytest.mark.parametrize("accept_language", ["", "ja", "en", "ja,en;q=0.5"])
def test_the_plain_url_is_english_and_ja_is_japanese_whatever_the_browser_asks(pub, accept_language):
    crawler = Client(HTTP_ACCEPT_LANGUAGE=accept_language) if accept_language else Client()
    for path in public_paths(pub):
        english = crawler.get(path)
        japanese = crawler.get(f"/ja{path}")

        assert english.status_code == 200 and japanese.status_code == 200, path  # never a redirect
        assert page_language(english.content.decode()) == "en" and english["Content-Language"] == "en"
        assert page_language(japanese.content.decode()) == "ja" and japanese["Content-Language"] == "ja"
        # Neither answer depends on Accept-Language, so neither says it does.
        assert "accept-language" not in vary(english) | vary(japanese), path


def test_every_public_page_names_each_language_version_absolute_at_the_site_url(pub):
    client = Client()
    for path in public_paths(pub):
        for version in (path, f"/ja{path}"):
            soup = soup_of(client.get(version))

            assert hreflangs(soup) == {
                "en": f"{SITE}{path}",
                "ja": f"{SITE}/ja{path}",
                "x-default": f"{SITE}{path}",
            }, version
            # Each version's canonical is itself, never the other language's.
            assert soup.select_one('link[rel="canonical"]')["href"] == f"{SITE}{version}", version


def test_share_card_locale_follows_the_url(pub):
    client = Client(HTTP_ACCEPT_LANGUAGE="ja")
    article = pub.articles[0]
    for path, locale, other in ((article.url, "en_US", "ja_JP"), (f"/ja{article.url}", "ja_JP", "en_US")):
        soup = soup_of(client.get(path))

        assert soup.select_one('meta[property="og:locale"]')["content"] == locale
        alternates = [m["content"] for m in soup.select('meta[property="og:locale:alternate"]')]
        assert alternates == [other]
        assert soup.select_one('meta[property="og:url"]')["content"] == f"{SITE}{path}"


def test_a_later_listing_page_names_the_same_page_in_the_other_language(pub):
    for n in range(14):
        make_article(pub, section=pub.sections[1], title=f"Harbour report {n:02}")

    soup = soup_of(Client().get("/ja/business/?page=2"))

    assert hreflangs(soup) == {
        "en": f"{SITE}/business/?page=2",
        "ja": f"{SITE}/ja/business/?page=2",
        "x-default": f"{SITE}/business/?page=2",
    }


def test_links_inside_a_japanese_page_stay_in_japanese(pub):
    html = html_of(Client().get(f"/ja{pub.articles[0].url}"))
    soup = BeautifulSoup(html, "html.parser")

    local = [a["href"] for a in soup.select("a[href^='/']")]
    public = [href for href in local if kind_of_path(href.split("?")[0]) is Kind.VERSIONED]
    assert public, "the page links to other public pages"
    assert [href for href in public if not href.startswith("/ja/")] == []
    # The way back after signing in, and the search box, lead to Japanese pages too.
    assert soup.select_one("a.masthead__account-link")["href"].endswith(f"?next=/ja{pub.articles[0].url}")
    assert soup.select_one("form.search-box")["action"] == "/ja/search/"
    assert soup.select_one(".nameplate a")["href"] == "/ja/"
    assert {a["href"] for a in soup.select(".section-nav a")} == {"/ja/politics/", "/ja/business/"}


def breadcrumb_trails(soup: BeautifulSoup) -> list[list[str]]:
    import json

    trails = []
    for script in soup.select('script[type="application/ld+json"]'):
        data = json.loads(script.string)
        for node in data if isinstance(data, list) else [data]:
            if node.get("@type") == "BreadcrumbList":
                trails.append([item["item"] for item in node["itemListElement"]])
    return trails


def test_breadcrumb_trails_stay_in_the_language_version_of_the_page(pub):
    for path in [pub.articles[0].url, "/politics/", f"/topics/{pub.topic.slug}/"]:
        english = breadcrumb_trails(soup_of(Client().get(path)))
        japanese = breadcrumb_trails(soup_of(Client().get(f"/ja{path}")))
        assert english and japanese, path
        assert english[0][0] == f"{SITE}/"
        assert japanese[0][0] == f"{SITE}/ja/", (path, japanese)
        assert all(url.startswith(f"{SITE}/ja/") for url in japanese[0]), (path, japanese)


def test_an_english_page_read_after_a_japanese_one_keeps_english_links(pub):
    client = Client()
    client.get("/ja/")  # the section list is kept per language, not the first reader's

    soup = soup_of(client.get("/"))

    assert {a["href"] for a in soup.select(".section-nav a")} == {"/politics/", "/business/"}
    assert soup.select_one(".nameplate a")["href"] == "/"


# --- what has no language versions ----------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/ja/sitemap.xml", "/ja/robots.txt", "/ja/accounts/login/", "/ja/api/v1/articles", "/ja/subscribe/"],
)
def test_only_public_pages_have_a_japanese_url(pub, path):
    assert Client().get(path).status_code == 404


def test_accounts_api_and_billing_pages_keep_their_urls_and_negotiate_the_language(pub):
    japanese_browser = Client(HTTP_ACCEPT_LANGUAGE="ja")
    for path in ("/accounts/login/", "/subscribe/"):
        response = japanese_browser.get(path)

        assert response.status_code == 200 and response["Content-Language"] == "ja", path
        assert page_language(response.content.decode()) == "ja"
        assert {"accept-language", "cookie"} <= vary(response)
        assert hreflangs(BeautifulSoup(response.content, "html.parser")) == {}  # one URL, no versions
        # Its links to public pages lead to the reader's language version.
        assert BeautifulSoup(response.content, "html.parser").select_one(".nameplate a")["href"] == "/ja/"
    api = Client().get(f"/api/v1/articles/{pub.articles[0].pk}")  # there, asking for a device token
    assert api.status_code == 401 and api["Content-Type"].startswith("application/json")


# --- a reader's own choice --------------------------------------------------------------------------


def test_a_reader_who_chose_japanese_is_sent_from_a_plain_url_to_its_japanese_version(pub):
    reader = Client()
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    article = pub.articles[0]

    response = reader.get(f"{article.url}?print=1")

    assert response.status_code == 302 and response["Location"] == f"/ja{article.url}?print=1"
    assert "cookie" in vary(response) and "private" in response["Cache-Control"]
    # The plain URL's answer depends on that cookie, and says so.
    assert "cookie" in vary(Client().get("/politics/"))
    # A form posted to a plain URL is not bounced; a chosen English changes nothing.
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert reader.get("/politics/").status_code == 200


@pytest.mark.parametrize(
    ("came_from", "language", "lands_on"),
    [
        ("/politics/", "ja", "/ja/politics/"),
        ("/ja/politics/", "en", "/politics/"),
        ("/ja/politics/", "ja", "/ja/politics/"),
        ("/ja/", "en", "/"),
        ("/", "ja", "/ja/"),
        ("/subscribe/", "ja", "/subscribe/"),  # no language in its URL: the cookie decides
    ],
)
def test_the_footer_switcher_lands_on_the_same_page_in_the_chosen_language(
    pub, came_from, language, lands_on
):
    response = Client().post(
        "/i18n/setlang/", {"language": language}, HTTP_REFERER=f"http://testserver{came_from}"
    )

    assert response.status_code == 302
    assert response["Location"] == f"http://testserver{lands_on}"


def test_the_switcher_from_an_article_lands_on_its_japanese_version_in_japanese(pub):
    article = pub.articles[0]
    reader = Client()

    response = reader.post(
        "/i18n/setlang/", {"language": "ja"}, HTTP_REFERER=f"http://testserver{article.url}"
    )
    landed = reader.get(response["Location"])

    assert landed.status_code == 200 and page_language(landed.content.decode()) == "ja"
    assert landed.wsgi_request.path == f"/ja{article.url}"


# --- the page cache and the paywall -----------------------------------------------------------------


def test_each_language_version_is_kept_apart_and_served_from_the_cache(pub, settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 60
    client = Client()
    for path in ("/politics/", "/ja/politics/", "/", "/ja/"):
        first = client.get(path)
        second = client.get(path, HTTP_ACCEPT_LANGUAGE="ja" if path.startswith("/ja") else "en")

        assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit", path
        assert second.content == first.content
        assert second["Content-Language"] == ("ja" if path.startswith("/ja") else "en")
    assert page_language(client.get("/politics/").content.decode()) == "en"
    assert page_language(client.get("/ja/politics/").content.decode()) == "ja"
    # A reader who chose a language is anonymous all the same: the kept Japanese page is theirs.
    chooser = Client()
    chooser.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    assert chooser.get("/ja/politics/")["X-Page-Cache"] == "hit"


def test_a_japanese_article_costs_what_the_english_one_costs(pub, settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 60
    article = make_article(pub, access="free")

    def second_view(path: str) -> tuple[int, Any]:
        client = Client()
        assert client.get(path).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        return len(captured.captured_queries), response

    english_queries, english = second_view(article.url)
    japanese_queries, japanese = second_view(f"/ja{article.url}")

    assert japanese_queries == english_queries
    # An article is never a shared page, in either language: it depends on the reader's meter.
    for response in (english, japanese):
        assert "X-Page-Cache" not in response and "no-store" in response["Cache-Control"]


def test_reading_both_versions_of_an_article_is_one_metered_read(pub):
    set_meter(pub, anonymous_limit=3)
    first, second = make_article(pub), make_article(pub)
    reader = Client()

    def remaining(path: str) -> str:
        match = re.search(r'data-remaining="([^"]*)"', reader.get(path).content.decode())
        assert match, path
        return match.group(1)

    assert remaining(f"/ja{first.url}") == "2"
    assert remaining(first.url) == "2"  # the same article: a re-read, not a second read
    assert remaining(f"/ja{first.url}") == "2"
    assert remaining(second.url) == "1"


def test_no_gated_sentence_in_either_version_for_a_reader_at_the_wall(pub):
    set_meter(pub, anonymous_limit=0)
    sponsor = Sponsor.objects.create(name="Acme", disclosure="Paid for by Acme.")
    gated = [
        make_article(pub),
        make_article(pub, access="registered"),
        make_article(pub, access="subscribers"),
    ]
    free = [make_article(pub, access="free"), make_article(pub, access="subscribers", sponsor=sponsor)]
    reader = Client()
    for article in gated:
        for path in (article.url, f"/ja{article.url}", f"/ja{article.url}?print=1"):
            body = reader.get(path).content.decode()
            assert canary_for(article.slug) not in body, path
    for article in free:  # the check can fail: open articles carry their canary in both versions
        for path in (article.url, f"/ja{article.url}"):
            assert canary_for(article.slug) in reader.get(path).content.decode(), path


# --- sitemap and e-mail -------------------------------------------------------------------------------


def test_the_sitemap_lists_each_version_with_all_its_alternates(pub):
    root = ET.fromstring(Client().get("/sitemap.xml").content)

    entries = {url.findtext(f"{S}loc"): url for url in root.findall(f"{S}url")}
    for path in ("/", "/politics/", pub.articles[0].url):
        expected = {"en": f"{SITE}{path}", "ja": f"{SITE}/ja{path}", "x-default": f"{SITE}{path}"}
        for version in (f"{SITE}{path}", f"{SITE}/ja{path}"):
            links = entries[version].findall(f"{XHTML}link")
            assert {link.get("hreflang"): link.get("href") for link in links} == expected, version
            assert {link.get("rel") for link in links} == {"alternate"}
    # The news sitemap names each story once, at its English URL (its text is not translated).
    news = Client().get("/news-sitemap.xml").content.decode()
    assert f"{SITE}{pub.articles[0].url}" in news and f"{SITE}/ja/" not in news


def test_an_email_to_a_japanese_reader_links_the_japanese_front_page(pub):
    mails = {
        language: render_reader_mail(
            template="account/email/unknown_account",
            to="reader@example.com",
            language=language,
            context={
                "login_url": f"{SITE}/accounts/login/",
                "password_reset_url": f"{SITE}/accounts/password/reset/",
                "signup_url": f"{SITE}/accounts/signup/",
            },
        )
        for language in ("en", "ja")
    }

    assert f'href="{SITE}/ja/"' in mails["ja"].html and f"{SITE}/ja/" in mails["ja"].text
    assert f'href="{SITE}/"' in mails["en"].html and f"{SITE}/ja/" not in mails["en"].text


# --- redirects from old addresses -------------------------------------------------------------------


def test_an_old_address_leads_to_the_new_page_in_the_version_asked_for(pub):
    from wagtail.contrib.redirects.models import Redirect

    article = pub.articles[0]
    Redirect.objects.create(old_path="/old-story", redirect_page=article, is_permanent=True)
    Redirect.objects.create(old_path="/old-offers", redirect_link="/subscribe/", is_permanent=False)
    Redirect.objects.create(old_path="/ja/old-section", redirect_page=pub.sections[1], is_permanent=True)
    client = Client()

    plain, japanese = client.get("/old-story/"), client.get("/ja/old-story/")
    assert (plain.status_code, plain["Location"]) == (301, article.url)
    assert (japanese.status_code, japanese["Location"]) == (301, f"/ja{article.url}")
    # A redirect to a page without language versions stays as it is.
    assert client.get("/ja/old-offers/")["Location"] == "/subscribe/"
    # One kept under its Japanese address serves the English version too.
    assert client.get("/old-section/")["Location"] == "/business/"
    assert client.get("/ja/old-section/")["Location"] == "/ja/business/"
    assert client.get("/ja/never-was/").status_code == 404


def test_the_japanese_front_page_without_its_slash_is_one_redirect_away(pub):
    response = Client().get("/ja")

    assert response.status_code == 301 and response["Location"] == "/ja/"
