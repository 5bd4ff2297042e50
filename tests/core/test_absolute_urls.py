"""Every absolute URL the site writes names one address: MASTHEAD_SITE_URL.

A reader (or a crawler, or an app) may reach the site on another host name — `localhost` instead
of `127.0.0.1`, a proxy's internal name, the bare IP — and the Site record in the admin may say
something else again. None of that may show in a canonical link, a share link, JSON-LD, a feed, the
sitemap, robots.txt, the apps API or a payment provider's return address.
"""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote_plus, urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import Page, Site, get_page_models

from masthead.access.entitlements import grant_entitlement
from masthead.api.tokens import issue_device_token
from masthead.core.site_url import SiteAddressedPage, absolute_url, site_root_url
from masthead.news.models import ArticlePage
from tests.builders import make_article, make_publication, make_reader

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"

# Not links to anywhere: XML namespaces and vocabularies the documents declare.
VOCABULARIES = (
    "http://www.w3.org/",
    "https://www.w3.org/",
    "http://www.sitemaps.org/",
    "https://schema.org",
    "http://schema.org",
    "http://www.google.com/schemas/",
    "http://purl.org/",
)
# Share services: their own address is theirs; the article URL handed to them is checked.
SHARE_SERVICES = {"www.facebook.com", "www.linkedin.com", "x.com"}
ORIGIN = re.compile(r"https?://[A-Za-z0-9.\-]+(?::\d+)?|https?://\[[0-9A-Fa-f:.]+\](?::\d+)?")

# The address the site is published at, and the host names requests arrive on instead.
SITE_URLS = ["http://127.0.0.1:8123", "https://news.example.com"]
OTHER_HOSTS = ["localhost", "testserver"]


def origins_in(text: str) -> Iterator[str]:
    """Every scheme://host[:port] in a response: attributes, JSON-LD, XML text, JSON values, and
    URLs percent-encoded inside other URLs (share links, mailto bodies)."""
    decoded = html.unescape(text)
    for layer in (decoded, unquote_plus(decoded), unquote_plus(unquote_plus(decoded))):
        for match in ORIGIN.finditer(layer):
            origin = match.group(0)
            # The whole URL, not only its origin: a vocabulary may be one path on a host
            # (the news sitemap's http://www.google.com/schemas/sitemap-news/0.9).
            if layer.startswith(VOCABULARIES, match.start()) or any(
                origin.startswith(prefix.rstrip("/")) for prefix in VOCABULARIES
            ):
                continue
            if urlsplit(origin).hostname in SHARE_SERVICES:
                continue
            yield origin


def canonical_origin(url: str) -> str:
    """scheme://host[:port] with the default port left out, as a browser compares origins."""
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}[parts.scheme]
    port = parts.port if parts.port not in (None, default) else None
    return f"{parts.scheme}://{parts.hostname}" + (f":{port}" if port else "")


@pytest.fixture(params=SITE_URLS)
def site_url(request: Any, settings: Any) -> str:
    settings.MASTHEAD_SITE_URL = request.param
    settings.WAGTAILADMIN_BASE_URL = request.param
    settings.ALLOWED_HOSTS = [*OTHER_HOSTS, "127.0.0.1", "news.example.com"]
    cache.clear()  # kept page parts and Wagtail's site root paths from another address
    yield request.param
    cache.clear()


@pytest.fixture
def newsroom(site_url: str) -> dict[str, Any]:
    pub = make_publication(("Politics", "Business"))
    # The Site record names neither the site URL nor the request's host: as a fresh Wagtail
    # install leaves it (localhost:80), or as a publisher may have edited it.
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    articles = {
        access: make_article(pub, access=access, with_image=True, title=f"A {access} story")
        for access in ("free", "metered", "subscribers")
    }
    related = make_article(pub, section=pub.sections[1], access="metered", title="The follow-up")
    articles["metered"].body.append(
        ("related_article", {"article": related, "label": "Read more"})  # type: ignore[arg-type]
    )
    articles["metered"].save_revision().publish()
    subscriber = make_reader("subscriber@example.com", PASSWORD)
    now = timezone.now()
    grant_entitlement(user=subscriber, kind="subscription", starts_at=now - timedelta(days=1), ends_at=None)
    return {"pub": pub, "articles": articles, "subscriber": subscriber}


def reader_pages(newsroom: dict[str, Any]) -> list[str]:
    pub, articles = newsroom["pub"], newsroom["articles"]
    return [
        "/",
        pub.sections[0].url,
        f"/topics/{pub.topic.slug}/",
        f"/authors/{pub.author.slug}/",
        *(article.url for article in articles.values()),
        articles["metered"].url + "?print=1",
        "/search/?q=story",
        "/feeds/latest/",
        f"/feeds/section/{pub.sections[0].slug}/",
        "/feeds/latest/atom/",
        f"/feeds/section/{pub.sections[0].slug}/atom/",
        "/sitemap.xml",
        "/sitemap-index.xml",
        "/news-sitemap.xml",
        "/robots.txt",
    ]


def api_paths(newsroom: dict[str, Any]) -> list[str]:
    articles = newsroom["articles"]
    return [
        "/api/v1/sections",
        "/api/v1/articles",
        "/api/v1/search?q=story",
        *(f"/api/v1/articles/{article.pk}" for article in articles.values()),
    ]


def fetch(client: Client, path: str, host: str, **extra: Any) -> str:
    response = client.get(path, HTTP_HOST=host, **extra)
    assert response.status_code == 200, (path, host, response.status_code)
    return response.content.decode()


def assert_one_address(pages: dict[str, str], site_url: str) -> None:
    expected = canonical_origin(site_url)
    named: dict[str, set[str]] = {}
    for where, body in pages.items():
        for origin in {canonical_origin(origin) for origin in origins_in(body)}:
            named.setdefault(origin, set()).add(where)
    assert expected in named, f"no page names {expected} at all"
    strays = {origin: sorted(where) for origin, where in named.items() if origin != expected}
    assert not strays, f"expected every absolute URL on {expected}, also found: {strays}"


@pytest.mark.parametrize("host", OTHER_HOSTS)
def test_reader_pages_name_only_the_site_url_whatever_host_was_asked(
    newsroom: dict[str, Any], site_url: str, host: str
) -> None:
    anonymous, subscriber = Client(), Client()
    subscriber.login(email="subscriber@example.com", password=PASSWORD)

    pages = {f"{path} (anonymous)": fetch(anonymous, path, host) for path in reader_pages(newsroom)}
    for article in newsroom["articles"].values():
        pages[f"{article.url} (subscriber)"] = fetch(subscriber, article.url, host)

    # robots.txt and the feeds have only one or two URLs each: check they are there at all.
    assert f"Sitemap: {absolute_url('/sitemap.xml')}" in pages["/robots.txt (anonymous)"]
    assert f"<link>{site_root_url()}/</link>" in pages["/feeds/latest/ (anonymous)"]
    assert f'href="{site_root_url()}/"' in pages["/feeds/latest/atom/ (anonymous)"]
    assert f"<loc>{absolute_url('/news-sitemap.xml')}</loc>" in pages["/sitemap-index.xml (anonymous)"]
    free_story = newsroom["articles"]["free"].get_full_url()
    assert free_story.startswith(site_root_url())
    assert f"<loc>{free_story}</loc>" in pages["/news-sitemap.xml (anonymous)"]
    assert_one_address(pages, site_url)


@pytest.mark.parametrize("host", OTHER_HOSTS)
def test_the_apps_api_names_only_the_site_url(newsroom: dict[str, Any], site_url: str, host: str) -> None:
    api = Client()
    token = issue_device_token(device_name="Tablet").token
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    pages = {path: fetch(api, path, host, **auth) for path in api_paths(newsroom)}

    urls = [item["url"] for item in json.loads(pages["/api/v1/articles"])["items"]]
    assert absolute_url(newsroom["articles"]["free"].url) in urls
    assert_one_address(pages, site_url)


def test_a_page_is_the_same_whichever_host_it_was_asked_on(newsroom: dict[str, Any], site_url: str) -> None:
    article = newsroom["articles"]["free"]
    first = fetch(Client(), article.url, "localhost")
    cache.clear()
    second = fetch(Client(), article.url, "testserver")
    canonical = f'<link rel="canonical" href="{absolute_url(article.url)}">'

    assert canonical in first and canonical in second
    assert sorted(set(origins_in(first))) == sorted(set(origins_in(second)))


def test_every_page_model_of_the_site_is_addressed_from_the_site_url(
    newsroom: dict[str, Any], site_url: str
) -> None:
    # A page type added later (About, Terms…) must not fall back to the Site record's host.
    ours = [model for model in get_page_models() if model.__module__.startswith("masthead.")]
    assert ours
    for model in ours:
        assert issubclass(model, SiteAddressedPage), f"{model.__name__} would take the Site record's host"
        page = model.objects.live().first()
        if page is None:
            continue
        assert page.get_full_url().startswith(site_root_url() + "/"), model.__name__
    home = Page.objects.get(pk=newsroom["pub"].home.pk).specific
    assert home.full_url == site_root_url() + "/"


def test_the_payment_provider_sends_the_reader_back_to_the_site_url(
    newsroom: dict[str, Any], site_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from masthead.billing import views as billing_views

    asked: dict[str, str] = {}

    def start_checkout(**kwargs: Any) -> str:
        asked.update(success_url=kwargs["success_url"], cancel_url=kwargs["cancel_url"])
        return "https://checkout.stripe.test/session"

    monkeypatch.setattr(billing_views, "start_checkout", start_checkout)
    reader = Client()
    reader.force_login(make_reader("new@example.com", PASSWORD))

    reader.post("/subscribe/", {"plan": "1"}, HTTP_HOST="localhost")

    assert asked["success_url"].startswith(site_root_url() + "/"), asked
    assert asked["cancel_url"].startswith(site_root_url() + "/"), asked


def test_the_billing_portal_sends_the_reader_back_to_the_site_url(
    newsroom: dict[str, Any], site_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from masthead.billing import views as billing_views

    asked: dict[str, str] = {}

    class Portal:
        def manage_url(self, *, subscription: Any, return_url: str) -> str:
            asked["return_url"] = return_url
            return "https://billing.stripe.test/p/session"

    monkeypatch.setattr(billing_views, "current_subscription", lambda **_: SimpleNamespace(provider="stripe"))
    monkeypatch.setattr(billing_views, "get_provider", lambda name: Portal())
    reader = Client()
    reader.force_login(newsroom["subscriber"])

    response = reader.post("/billing/manage/", HTTP_HOST="localhost")

    assert response["Location"] == "https://billing.stripe.test/p/session"
    assert asked["return_url"] == absolute_url("/account/")


def test_build_demo_points_the_site_record_and_every_link_at_where_the_demo_serves(
    settings: Any, tmp_path: Any
) -> None:
    # `PORT=8080 make demo`, then `make demo`: the second run must move every link to port 8000.
    settings.MEDIA_ROOT = tmp_path / "media"
    for port in (8080, 8000):
        settings.MASTHEAD_SITE_URL = settings.WAGTAILADMIN_BASE_URL = f"http://127.0.0.1:{port}"
        cache.clear()
        out = io.StringIO()

        call_command("build_demo", stdout=out)

        site = Site.objects.get(is_default_site=True)
        assert (site.hostname, site.port, site.root_url) == ("127.0.0.1", port, f"http://127.0.0.1:{port}")
        assert f"Site:     http://127.0.0.1:{port}/" in out.getvalue()
        article = ArticlePage.objects.live().filter(access="free").first()
        page = fetch(Client(), article.url, "localhost")
        assert f'<link rel="canonical" href="http://127.0.0.1:{port}{article.url}">' in page
        assert {canonical_origin(origin) for origin in origins_in(page)} <= {f"http://127.0.0.1:{port}"}


def test_the_apps_offer_link_is_absolute(settings: Any) -> None:
    from masthead.api.paywall import offer_json

    settings.MASTHEAD_SITE_URL = "https://news.example.com"
    offer = SimpleNamespace(
        headline="3 months for $9", price_text="$9", ends_at=None, benefits=[], url="/subscribe/"
    )

    assert offer_json(offer)["url"] == "https://news.example.com/subscribe/"


def test_a_page_kept_for_anonymous_readers_follows_a_new_site_url(
    newsroom: dict[str, Any], site_url: str, settings: Any
) -> None:
    # A restart with another MASTHEAD_SITE_URL (`make demo` on another port, a move to https)
    # must not hand out pages kept under the old one, whichever host is asked.
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 60
    section = newsroom["pub"].sections[0]
    first = fetch(Client(), f"/feeds/section/{section.slug}/", "localhost")
    settings.MASTHEAD_SITE_URL = "https://moved.example.com"

    again = fetch(Client(), f"/feeds/section/{section.slug}/", "localhost")

    assert f"<link>{site_url}{section.url}</link>" in first
    assert f"<link>https://moved.example.com{section.url}</link>" in again
