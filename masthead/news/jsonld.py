"""schema.org structured data for reader pages: articles, the front page, section, topic and author pages.

Never ``articleBody``: the markup is the same for every reader, and the body may be gated.
Gated articles say so (``isAccessibleForFree`` + ``hasPart``) so search engines can tell a paywall
from cloaking; the element ``hasPart`` names is on every version of the page (the gated text for
a reader the paywall lets in, an empty container for everyone else). Every URL in it names the
site URL (masthead.core.site_url), never the request's host.

Only schema.org types, and properties on the types schema.org gives them, are used:
tests/news/test_structured_data.py checks every block every page type emits against the schema.org
vocabulary itself (tests/news/schema_vocab.py). A listing page's description is its meta
description (masthead.news.descriptions), word for word.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from masthead.core.language_urls import default_language, language_version
from masthead.core.site_url import absolute_url
from masthead.news.descriptions import listing_description
from masthead.news.models import AccessLevel
from masthead.news.renditions import JSONLD_SPECS

# The class of the container that holds an article's gated part; article_page.html renders it on
# every version of a gated article (empty when this reader may not read on).
GATED_SELECTOR = ".article-body__paywalled"
FALLBACK_LOGO = "masthead/img/publisher-logo.png"
# Google asks for 16:9, 4:3 and 1:1 crops of an article's photo, each at least 1200 px wide.
IMAGE_SPECS = JSONLD_SPECS
IMAGE_MIN_WIDTH = 1200


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _author(author: Any, *, organization: bool) -> dict[str, Any]:
    return {
        "@type": "Organization" if organization else "Person",
        "name": author.name,
        "url": absolute_url(author.get_absolute_url()),
    }


def article_images(article: Any) -> list[str]:
    """The photo in 16:9, 4:3 and 1:1, where the original is big enough for 1200 px wide crops;
    otherwise the widest rendition the page itself shows."""
    if not article.hero_image_id:
        return []
    renditions = article.hero_image.get_renditions(*IMAGE_SPECS)
    wide = [renditions[spec] for spec in IMAGE_SPECS if renditions[spec].width >= IMAGE_MIN_WIDTH]
    if wide:
        return [absolute_url(rendition.url) for rendition in wide]
    return [absolute_url(article.hero_image.get_rendition("width-1600").url)]


def news_article(
    *, article: Any, request: HttpRequest, publication: Any, section_title: str | None
) -> dict[str, Any]:
    sponsored = article.is_sponsored
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        # A sponsored piece says so in its type: an Article an advertiser paid for, not news.
        "@type": ["Article", "AdvertiserContentArticle"] if sponsored else "NewsArticle",
        "mainEntityOfPage": article.get_full_url(request=request),
        "headline": article.title,
        "description": article.standfirst,
        "datePublished": _iso(article.first_published_at),
        "dateModified": _iso(article.updated_at or article.last_published_at or article.first_published_at),
        # Sponsored articles are written by the partner studio, an organisation, not a reporter.
        "author": [_author(author, organization=sponsored) for author in article.authors],
        "publisher": publisher(publication=publication),
    }
    images = article_images(article)
    if images:
        data["image"] = images
    if section_title:
        data["articleSection"] = section_title
    if sponsored:
        sponsor = article.sponsor
        data["sponsor"] = {"@type": "Organization", "name": sponsor.name}
        if sponsor.url:
            data["sponsor"]["url"] = sponsor.url
    if article.access_level != AccessLevel.FREE:
        data["isAccessibleForFree"] = False
        data["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": GATED_SELECTOR,
        }
    return data


def front_page_url() -> str:
    """The front page in the language of the page being rendered ("/ja/" on a Japanese page), so a
    breadcrumb trail never leaves the reader's language version."""
    return absolute_url(language_version("/", translation.get_language() or default_language()))


def breadcrumbs(*, article: Any, section: Any, request: HttpRequest, publication: Any) -> dict[str, Any]:
    """Front page › section › article."""
    trail = [(publication.name, front_page_url())]
    if section is not None:
        # The parent comes as a plain Page: its specific class names the site URL (SiteAddressedPage).
        trail.append((section.title, section.specific.get_full_url(request=request)))
    trail.append((article.title, article.get_full_url(request=request)))
    return breadcrumb_list(trail)


def breadcrumb_list(trail: list[tuple[str, str]]) -> dict[str, Any]:
    """(name, absolute URL) from the front page down to the page itself."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": url}
            for number, (name, url) in enumerate(trail, start=1)
        ],
    }


def publisher(*, publication: Any) -> dict[str, Any]:
    if publication.logo_id:
        logo_url = publication.logo.get_rendition("height-80").url
    else:
        logo_url = static(FALLBACK_LOGO)
    data = {
        "@type": "NewsMediaOrganization",
        "name": publication.name,
        "url": absolute_url("/"),
        "logo": {"@type": "ImageObject", "url": absolute_url(logo_url)},
    }
    same_as = list(getattr(settings, "MASTHEAD_SAME_AS", []))
    if same_as:
        data["sameAs"] = same_as
    return data


def front_page(*, page: Any, publication: Any) -> list[dict[str, Any]]:
    """The site and who publishes it, with the site search as a SearchAction."""
    search_url = absolute_url(reverse("search:results"))
    website = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": publication.name,
        "url": absolute_url("/"),
        "publisher": {"@type": "NewsMediaOrganization", "name": publication.name, "url": absolute_url("/")},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search_url}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }
    website["description"] = listing_description(page, publication=publication)
    organization = {"@context": "https://schema.org", **publisher(publication=publication)}
    return [website, organization]


def profile_page(*, author: Any, organization: bool, publication: Any, url: str) -> dict[str, Any]:
    """An author page: the profile of a reporter (or of the partner studio, an organisation)."""
    entity = _author(author, organization=organization)
    if author.role and not organization:
        entity["jobTitle"] = author.role
    if author.bio:
        entity["description"] = author.bio
    if author.photo_id:
        entity["image"] = absolute_url(author.photo.get_rendition("fill-192x192").url)
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": url,
        "description": listing_description(author, publication=publication),
        "mainEntity": entity,
    }


def collection_page(*, subject: Any, name: str, url: str, publication: Any) -> list[dict[str, Any]]:
    """A section's or a topic's page: a collection of stories on the site, one step below the front page.
    `url` is the page's canonical URL (page 2 onwards included)."""
    home = absolute_url("/")
    collection = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": name,
        "url": url,
        "description": listing_description(subject, publication=publication),
        "isPartOf": {"@type": "WebSite", "name": publication.name, "url": home},
    }
    return [collection, breadcrumb_list([(publication.name, front_page_url()), (name, url.split("?", 1)[0])])]


def standing_page(*, page: Any, publication: Any) -> list[dict[str, Any]]:
    """A standing page (about us, terms, corrections): a web page of the site, one step below the front."""
    home = absolute_url("/")
    url = page.get_full_url()
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "name": page.seo_title or page.title,
        "url": url,
        "isPartOf": {"@type": "WebSite", "name": publication.name, "url": home},
    }
    description = page.search_description or page.intro
    if description:
        data["description"] = description
    modified = page.last_updated or page.last_published_at
    if modified:
        data["dateModified"] = modified.isoformat()
    return [data, breadcrumb_list([(publication.name, front_page_url()), (page.title, url)])]


def as_script(data: Any) -> SafeString:
    # Escape <, > and & so a headline containing "</script>" cannot end the block early.
    payload = json.dumps(data, ensure_ascii=False)
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308
