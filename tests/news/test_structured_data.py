"""Structured data a crawler reads: JSON-LD that matches the page, meta descriptions, canonicals."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client, override_settings
from PIL import Image as PILImage

from masthead.sponsored.models import Sponsor
from tests.access.conftest import make_subscriber, set_meter, signed_in
from tests.builders import canary_for, make_article, make_image, make_reader
from tests.news.pages import json_ld, soup_of

# What schema.org says each type may carry (its own properties and those of its supertypes),
# checked by hand against https://schema.org/<Type>. Only what the pages use is listed.
_THING = {"name", "url", "description", "image", "sameAs", "potentialAction", "mainEntityOfPage"}
_CREATIVE_WORK = _THING | {
    "headline",
    "author",
    "publisher",
    "datePublished",
    "dateModified",
    "isAccessibleForFree",
    "hasPart",
    "sponsor",
    "mainEntity",
}
_ARTICLE = _CREATIVE_WORK | {"articleSection"}
_ORGANIZATION = _THING | {"logo", "sponsor"}
SCHEMA_ORG = {
    "NewsArticle": _ARTICLE,  # Thing > CreativeWork > Article > NewsArticle
    "Article": _ARTICLE,
    "AdvertiserContentArticle": _ARTICLE,  # Article > AdvertiserContentArticle
    "WebPageElement": _CREATIVE_WORK | {"cssSelector"},
    "WebSite": _CREATIVE_WORK,
    "ProfilePage": _CREATIVE_WORK,  # CreativeWork > WebPage > ProfilePage
    "BreadcrumbList": _THING | {"itemListElement"},  # Intangible > ItemList > BreadcrumbList
    "ListItem": _THING | {"position", "item"},
    "SearchAction": _THING | {"target", "query-input"},  # query-input: schema.org/docs/actions.html
    "EntryPoint": _THING | {"urlTemplate"},
    "ImageObject": _CREATIVE_WORK,
    "Organization": _ORGANIZATION,
    "NewsMediaOrganization": _ORGANIZATION,  # Organization > NewsMediaOrganization
    "Person": _THING | {"jobTitle", "sponsor"},
}


def assert_schema_org(node: Any, where: str) -> None:
    """Every typed object uses only schema.org types and properties those types have."""
    if isinstance(node, list):
        for item in node:
            assert_schema_org(item, where)
        return
    if not isinstance(node, dict):
        return
    types = node.get("@type")
    if types is not None:
        types = types if isinstance(types, list) else [types]
        for kind in types:
            assert kind in SCHEMA_ORG, f"{where}: {kind} is not a type this test knows schema.org has"
        allowed = set().union(*(SCHEMA_ORG[kind] for kind in types)) | {"@context", "@type"}
        unknown = set(node) - allowed
        assert not unknown, f"{where}: {types} has no properties {sorted(unknown)} in schema.org"
    for value in node.values():
        assert_schema_org(value, where)


def by_type(blocks: list[dict], kind: str) -> dict:
    [found] = [
        block
        for block in blocks
        if kind in (block["@type"] if isinstance(block["@type"], list) else [block["@type"]])
    ]
    return found


@pytest.fixture
def reader_states(pub):
    """Each way a reader meets a gated article: (client, article, may read on)."""
    metered = make_article(pub, access="metered")
    registered = make_article(pub, access="registered")
    subscribers = make_article(pub, access="subscribers")
    subscriber = make_reader("subscriber@example.com", "a long passphrase 42")
    make_subscriber(subscriber)
    return metered, registered, subscribers, subscriber


def _walled_container(client: Client, article: Any) -> tuple[BeautifulSoup, list[Any], dict]:
    response = client.get(article.url)
    soup = soup_of(response)
    data = by_type(json_ld(soup), "NewsArticle")
    return soup, soup.select(data["hasPart"]["cssSelector"]), data


def test_has_part_names_an_element_in_every_reader_state(pub, reader_states):
    metered, registered, subscribers, subscriber = reader_states

    cases = [
        ("anonymous, meter left", Client(), metered, True),
        ("registered-only, anonymous", Client(), registered, False),
        ("subscribers-only, anonymous", Client(), subscribers, False),
        ("subscriber", signed_in(subscriber), subscribers, True),
    ]
    for state, client, article, reads_on in cases:
        soup, marked, data = _walled_container(client, article)
        assert data["isAccessibleForFree"] is False, state
        assert len(marked) == 1, f"{state}: hasPart's selector matches {len(marked)} elements"
        assert (canary_for(article.slug) in marked[0].get_text()) is reads_on, state
        # The teaser stays outside the part marked as not free.
        assert "Paragraph 1 of story" not in marked[0].get_text(), state
        assert "Paragraph 1 of story" in soup.select_one(".article-body").get_text(), state

    set_meter(pub, anonymous_limit=0)
    soup, marked, _data = _walled_container(Client(), make_article(pub, access="metered"))
    assert len(marked) == 1, "at the wall"
    assert marked[0].get_text(strip=True) == ""
    assert soup.select(".paywall"), "the wall is shown"


def test_free_articles_mark_nothing_as_paywalled(client, pub):
    article = make_article(pub, access="free")
    soup = soup_of(client.get(article.url))
    assert "hasPart" not in by_type(json_ld(soup), "NewsArticle")
    assert not soup.select(".article-body__paywalled")
    assert canary_for(article.slug) in soup.select_one(".article-body").get_text()


def _large_photo_article(pub: Any, **kwargs: Any) -> Any:
    article = make_article(pub, access="free", **kwargs)
    article.hero_image = make_image("Wide photo", size=(2400, 1600))
    article.save_revision().publish()
    article.refresh_from_db()
    return article


def test_article_images_in_three_shapes_at_least_1200_wide(client, pub):
    article = _large_photo_article(pub)
    data = by_type(json_ld(soup_of(client.get(article.url))), "NewsArticle")

    shapes = []
    for url in data["image"]:
        assert url.startswith("http://testserver/")
        rendition = next(r for r in article.hero_image.renditions.all() if url.endswith(r.url))
        with PILImage.open(rendition.file.path) as picture:
            width, height = picture.size
        assert width >= 1200, url
        shapes.append(round(width / height, 2))
    assert shapes == [round(16 / 9, 2), round(4 / 3, 2), 1.0]


def test_a_small_photo_is_given_as_it_is_shown(client, pub):
    article = make_article(pub, access="free", with_image=True)  # 1600 x 900: no 1:1 crop 1200 wide
    data = by_type(json_ld(soup_of(client.get(article.url))), "NewsArticle")
    assert len(data["image"]) == 2  # 16:9 and 4:3 are 1200 wide; the square would be 900


def test_breadcrumbs_lead_from_the_front_page_to_the_article(client, pub):
    article = make_article(pub, access="free", section=pub.sections[1])
    trail = by_type(json_ld(soup_of(client.get(article.url))), "BreadcrumbList")

    items = trail["itemListElement"]
    assert [item["position"] for item in items] == [1, 2, 3]
    assert [item["name"] for item in items] == ["The Meridian Ledger", "Business", article.title]
    assert [item["item"] for item in items] == [
        "http://testserver/",
        "http://testserver/business/",
        f"http://testserver{article.url}",
    ]


def test_sponsored_pieces_are_typed_and_credit_the_studio_as_an_organisation(client, pub):
    sponsor = Sponsor.objects.create(name="Corvane", url="https://corvane.example/", disclosure="Paid.")
    article = make_article(pub, access="subscribers", sponsor=sponsor)
    data = by_type(json_ld(soup_of(client.get(article.url))), "AdvertiserContentArticle")

    assert data["@type"] == ["Article", "AdvertiserContentArticle"]
    assert data["sponsor"] == {"@type": "Organization", "name": "Corvane", "url": "https://corvane.example/"}
    assert data["author"] == [
        {
            "@type": "Organization",
            "name": pub.author.name,
            "url": f"http://testserver/authors/{pub.author.slug}/",
        }
    ]
    assert "hasPart" not in data  # sponsored content is always free


def test_front_page_describes_the_site_its_search_and_publisher(client, pub):
    with override_settings(MASTHEAD_SAME_AS=["https://social.example/@ledger"]):
        soup = soup_of(client.get("/"))
    blocks = json_ld(soup)

    site = by_type(blocks, "WebSite")
    assert site["url"] == "http://testserver/"
    target = site["potentialAction"]["target"]["urlTemplate"]
    assert target == "http://testserver/search/?q={search_term_string}"
    assert site["potentialAction"]["query-input"] == "required name=search_term_string"
    publisher = by_type(blocks, "NewsMediaOrganization")
    assert publisher["name"] == "The Meridian Ledger"
    assert publisher["logo"]["url"].startswith("http://testserver/")
    assert publisher["sameAs"] == ["https://social.example/@ledger"]
    assert soup.find("link", rel="canonical")["href"] == "http://testserver/"

    assert "sameAs" not in by_type(json_ld(soup_of(client.get("/"))), "NewsMediaOrganization")


def test_author_page_is_a_profile_page(client, pub):
    make_article(pub, access="free")
    soup = soup_of(client.get(pub.author.get_absolute_url()))
    profile = by_type(json_ld(soup), "ProfilePage")

    url = f"http://testserver/authors/{pub.author.slug}/"
    assert profile["url"] == url
    assert profile["mainEntity"] == {
        "@type": "Person",
        "name": "Ada Reporter",
        "url": url,
        "jobTitle": "Correspondent",
    }
    assert soup.find("link", rel="canonical")["href"] == url


def test_every_json_ld_block_is_schema_org(client, pub):
    sponsor = Sponsor.objects.create(name="Corvane", disclosure="Paid.")
    pages = {
        "front": "/",
        "author": pub.author.get_absolute_url(),
        "free article": _large_photo_article(pub).url,
        "gated article": make_article(pub, access="subscribers", with_image=True).url,
        "sponsored article": make_article(pub, sponsor=sponsor).url,
    }
    seen = set()
    for where, url in pages.items():
        blocks = json_ld(soup_of(client.get(url)))
        assert blocks, where
        for block in blocks:
            assert block["@context"] == "https://schema.org"
            assert "articleBody" not in block
            assert_schema_org(block, where)
            seen.add(str(block["@type"]))
    assert len(seen) == 6  # NewsArticle, sponsored, BreadcrumbList, WebSite, organisation, ProfilePage


def _description(soup: BeautifulSoup) -> str:
    [meta] = soup.find_all("meta", attrs={"name": "description"})
    return meta["content"]


def test_listing_pages_have_their_own_descriptions(client, pub):
    article = make_article(pub, access="free")
    politics = pub.sections[0]
    politics.intro = "Parliament, ministries and the campaigns, reported from Valdora."
    politics.save_revision().publish()
    pub.topic.description = "Everything on the running story."
    pub.topic.save()
    pub.author.bio = "Ada covers diplomacy.\n\nShe was based in Kestrel for a decade."
    pub.author.save()
    from masthead.core.models import PublicationSettings

    PublicationSettings.objects.update_or_create(
        site=pub.home.get_site(), defaults={"tagline": "News from Valdora."}
    )

    descriptions = {
        url: _description(soup_of(client.get(url)))
        for url in (
            "/",
            "/politics/",
            "/business/",
            pub.topic.get_absolute_url(),
            pub.author.get_absolute_url(),
            article.url,
        )
    }
    assert len(set(descriptions.values())) == len(descriptions), descriptions
    assert descriptions["/politics/"] == politics.intro
    assert descriptions["/business/"] == "The latest Business news and analysis from The Meridian Ledger."
    assert descriptions[pub.topic.get_absolute_url()] == "Everything on the running story."
    assert (
        descriptions[pub.author.get_absolute_url()]
        == "Ada covers diplomacy. She was based in Kestrel for a decade."
    )
    assert all(len(text) <= 160 for text in descriptions.values())


def test_descriptions_made_from_the_name_when_nothing_is_written(client, pub):
    topic_page = soup_of(client.get(pub.topic.get_absolute_url()))
    author_page = soup_of(client.get(pub.author.get_absolute_url()))
    assert _description(topic_page) == f"Articles about {pub.topic.name} from The Meridian Ledger."
    assert _description(author_page) == "Ada Reporter, Correspondent: articles in The Meridian Ledger."


def test_section_canonical_names_the_page_shown(client, pub, monkeypatch):
    from masthead.news import models

    monkeypatch.setattr(models, "SECTION_PAGE_SIZE", 2)
    for _ in range(3):
        make_article(pub, access="free")
    soup = soup_of(client.get("/politics/"))
    [canonical] = soup.find_all("link", rel="canonical")
    assert canonical["href"] == "http://testserver/politics/"
    # A later page lists other stories: it is its own page, not a copy of the first.
    soup = soup_of(client.get("/politics/?page=2"))
    assert soup.find("link", rel="canonical")["href"] == "http://testserver/politics/?page=2"
    assert len(soup.select(".card, article")) >= 1


def test_made_descriptions_are_in_the_readers_language(client, pub):
    from django.utils import translation

    with translation.override("en"):  # the request leaves Japanese active in this thread otherwise
        soup = soup_of(client.get("/business/", headers={"accept-language": "ja"}))
    assert _description(soup) == "The Meridian LedgerのBusinessの最新ニュースと分析。"
