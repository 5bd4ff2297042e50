"""Black-box leak tests: a reader who is not entitled never receives a gated sentence, by any route.

Every article built by tests.builders carries a canary sentence in its last paragraph. We open the
site the way readers, crawlers and scrapers do and search every response for the canaries of
articles this reader may not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from masthead.sponsored.models import Sponsor
from tests.access.conftest import make_article, set_meter, signed_in
from tests.builders import canary_for

pytestmark = pytest.mark.django_db

SPOOFED_HEADERS: list[dict[str, str]] = [
    {},
    {"HTTP_USER_AGENT": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
    {"HTTP_REFERER": "https://www.google.com/"},
    {"HTTP_REFERER": "https://t.co/xyz", "HTTP_USER_AGENT": "facebookexternalhit/1.1"},
    {"HTTP_X_FORWARDED_FOR": "66.249.66.1", "HTTP_USER_AGENT": "Googlebot/2.1"},
    {"HTTP_ACCEPT": "application/json"},
    {"HTTP_ACCEPT_LANGUAGE": "ja"},
]


@pytest.fixture
def newsroom(pub: Any) -> dict[str, list[Any]]:
    """A front page's worth of every kind of article a reader might open."""
    sponsor = Sponsor.objects.create(name="Acme", disclosure="Paid for by Acme.")
    return {
        "metered": [make_article(pub, section=section) for section in pub.sections for _ in range(2)],
        "registered": [make_article(pub, access="registered")],
        "subscribers": [make_article(pub, access="subscribers", section=pub.sections[1])],
        "free": [make_article(pub, access="free")],
        "sponsored": [make_article(pub, access="subscribers", sponsor=sponsor)],
    }


def gated_canaries(newsroom: dict[str, list[Any]], *, open_kinds: Iterable[str]) -> dict[str, str]:
    return {
        canary_for(a.slug): a.url
        for kind, articles in newsroom.items()
        if kind not in set(open_kinds)
        for a in articles
    }


def assert_no_canary(response: Any, canaries: dict[str, str], where: str) -> None:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", "replace")
    leaked = [url for canary, url in canaries.items() if canary in text or canary.lower() in text.lower()]
    assert not leaked, f"{where} leaked the gated part of {leaked}"
    # The canary's distinctive words, in case a representation escapes or truncates the sentence.
    assert "must never leak" not in text or not leaked


def crawl(
    client: Client, start: list[str], headers: dict[str, str], limit: int = 120
) -> Iterable[tuple[str, Any]]:
    seen: set[str] = set()
    queue = list(start)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, **headers)
        yield url, response
        content_type = response.get("Content-Type", "")
        if response.streaming or not ("html" in content_type or "xml" in content_type):
            continue
        text = response.content.decode("utf-8", "replace")
        for href in re.findall(r'(?:href|src)="([^"#]+)"', text) + re.findall(r"<loc>([^<]+)</loc>", text):
            parts = urlsplit(urljoin(url, href))
            if parts.netloc not in ("", "localhost", "testserver") or parts.path.startswith(
                ("/static/", "/media/", "/admin", "/django-admin", "/accounts/logout")
            ):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))


def test_anonymous_reader_at_the_wall_finds_no_gated_sentence_anywhere(pub: Any, newsroom: Any) -> None:
    set_meter(pub, anonymous_limit=0)
    canaries = gated_canaries(newsroom, open_kinds=("free", "sponsored"))
    start = ["/", "/feeds/latest/", "/sitemap.xml", "/search/?q=story", "/search/?q=CANARY",
             "/search/?q=gated+sentence+must+never+leak", "/robots.txt",
             "/feeds/latest/atom/", "/sitemap-index.xml", "/news-sitemap.xml"]  # fmt: skip
    for section in pub.sections:
        start += [f"/feeds/section/{section.slug}/", f"/feeds/section/{section.slug}/atom/"]
    start += [a.url for articles in newsroom.values() for a in articles]
    for headers in SPOOFED_HEADERS:
        client = Client()
        pages = 0
        for url, response in crawl(client, start, headers):
            assert_no_canary(response, canaries, f"{url} with {headers}")
            pages += 1
        assert pages > len(start)


def test_free_and_sponsored_articles_are_readable_by_everyone(pub: Any, newsroom: Any) -> None:
    set_meter(pub, anonymous_limit=0)
    client = Client()
    for article in newsroom["free"] + newsroom["sponsored"]:
        assert canary_for(article.slug) in client.get(article.url).content.decode()


def url_variants(url: str) -> list[str]:
    bare = url.rstrip("/")
    return [
        url, bare, url.upper(), url + "?amp", url + "?amp=1", url + "?print=1", url + "?print=true",
        url + "?format=json", url + "?full=1&utm_source=x", url + "index.html", url + "?page=2",
        url.replace("/", "//", 1), url + "%20", url + ";jsessionid=1",
    ]  # fmt: skip


def test_url_variants_and_head_requests_never_carry_the_gated_part(pub: Any, newsroom: Any) -> None:
    set_meter(pub, anonymous_limit=0)
    canaries = gated_canaries(newsroom, open_kinds=("free", "sponsored"))
    client = Client()
    for kind in ("metered", "registered", "subscribers"):
        for article in newsroom[kind]:
            for variant in url_variants(article.url):
                for method in (client.get, client.head):
                    response = method(variant, follow=True)
                    assert_no_canary(response, canaries, f"{method.__name__.upper()} {variant}")


def test_print_and_json_ld_of_a_walled_article(pub: Any, newsroom: Any) -> None:
    set_meter(pub, anonymous_limit=0)
    article = newsroom["metered"][0]
    for url in (article.url, article.url + "?print=1"):
        html = Client().get(url).content.decode()
        assert canary_for(article.slug) not in html
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert blocks, f"no JSON-LD on {url}"
        data = "".join(blocks)
        assert "articleBody" not in data
        assert '"isAccessibleForFree": false' in data or '"isAccessibleForFree":false' in data
        assert "article-body__paywalled" in data


def test_wagtail_api_is_not_mounted() -> None:
    for url in ("/api/v2/", "/api/v2/pages/", "/api/v2/pages/?fields=body"):
        assert Client().get(url).status_code == 404


def test_error_pages_carry_no_article_body(pub: Any, newsroom: Any) -> None:
    set_meter(pub, anonymous_limit=0)
    canaries = gated_canaries(newsroom, open_kinds=("free", "sponsored"))
    client = Client()
    article = newsroom["subscribers"][0]
    for url in (
        article.url + "nonexistent/",
        "/documents/99999/x.pdf",
        "/documents/1/",
        article.url + "../../x/",
    ):
        response = client.get(url)
        assert response.status_code in (404, 400, 403, 301, 302)
        assert_no_canary(response, canaries, url)


def test_previews_and_revisions_are_staff_only(pub: Any, newsroom: Any, reader: Any) -> None:
    article = newsroom["subscribers"][0]
    canaries = gated_canaries(newsroom, open_kinds=("free", "sponsored"))
    revision = article.latest_revision
    for client in (Client(), signed_in(reader)):
        for url in (
            f"/admin/pages/{article.pk}/edit/preview/",
            f"/admin/pages/{article.pk}/view_draft/",
            f"/admin/pages/{article.pk}/revisions/{revision.pk}/view/",
            f"/admin/pages/{article.pk}/revisions/compare/earliest...{revision.pk}/",
        ):
            response = client.get(url)
            assert response.status_code in (302, 403, 404), url
            assert_no_canary(response, canaries, url)


def test_spoofed_crawler_headers_change_nothing_but_a_configured_network_does(
    pub: Any, newsroom: Any, settings: Any
) -> None:
    set_meter(pub, anonymous_limit=0)
    article = newsroom["subscribers"][0]
    canary = canary_for(article.slug)
    google = {"HTTP_USER_AGENT": "Googlebot/2.1", "HTTP_X_FORWARDED_FOR": "66.249.66.1"}
    # Off by default, even from the crawler's own address.
    assert canary not in Client().get(article.url, REMOTE_ADDR="66.249.66.1", **google).content.decode()
    settings.MASTHEAD_VERIFIED_CRAWLER_NETWORKS = ["66.249.64.0/19"]
    assert canary in Client().get(article.url, REMOTE_ADDR="66.249.66.1").content.decode()
    # A forwarded-for header naming the network is just a header.
    assert canary not in Client().get(article.url, REMOTE_ADDR="203.0.113.9", **google).content.decode()


def test_entitled_readers_do_see_the_whole_article(pub: Any, newsroom: Any, reader: Any) -> None:
    from tests.access.conftest import make_subscriber

    make_subscriber(reader)
    client = signed_in(reader)
    for articles in newsroom.values():
        for article in articles:
            assert canary_for(article.slug) in client.get(article.url).content.decode()
