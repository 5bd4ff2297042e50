"""Share cards: the Open Graph and X (Twitter) card tags a shared link is shown with.

Every page readers share has one: an article (og:type article, with its times, section and
authors) and the front, section, topic and author pages (og:type website). An article's card
says only what every reader sees on the story — headline, standfirst, hero photo — or what an
editor wrote for shared links on the Promote tab (`share_title`, `share_description`,
`share_image`); never the gated text. A sponsored story's card says it is sponsored.

Cards are kept with the page (article head fragments, the shared page cache): nothing here
depends on who asked, only on the page, the language and the site URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from masthead.core.site_url import absolute_url
from masthead.news.descriptions import listing_description
from masthead.news.models import Author, HomePage, SectionPage, Topic
from masthead.news.renditions import SHARE_SPECS

# Wagtail's fill crops around the image's focal point (or its centre, without one); made when
# the story is published (masthead.news.renditions), not by the first reader.
(SHARE_IMAGE_SPEC,) = SHARE_SPECS

# Open Graph locales are language_TERRITORY.
OG_LOCALES = {"en": "en_US", "ja": "ja_JP"}


def og_locale(language: str) -> str:
    return OG_LOCALES.get(language, translation.to_locale(language))


@dataclass(frozen=True)
class ShareImage:
    url: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class ShareCard:
    type: str
    title: str
    description: str
    url: str
    site_name: str
    locale: str
    locale_alternates: list[str]
    image: ShareImage | None = None
    published_time: str = ""
    modified_time: str = ""
    section: str = ""
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image else "summary"


def share_image(image: Any, alt: str = "") -> ShareImage | None:
    if image is None:
        return None
    rendition = image.get_rendition(SHARE_IMAGE_SPEC)
    return ShareImage(
        url=absolute_url(rendition.url),
        width=rendition.width,
        height=rendition.height,
        alt=alt or getattr(image, "default_alt_text", "") or "",
    )


def _locales() -> tuple[str, list[str]]:
    current = translation.get_language() or settings.LANGUAGE_CODE
    others = [og_locale(code) for code, _name in settings.LANGUAGES if code != current]
    return og_locale(current), others


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def article_card(*, article: Any, section: Any, site_name: str) -> ShareCard:
    title = article.share_title or article.seo_title or article.title
    if article.is_sponsored:
        title = gettext("Sponsored: %(title)s") % {"title": title}
    if article.share_image_id:
        image = share_image(article.share_image)
    elif article.hero_image_id:
        image = share_image(article.hero_image, article.hero_caption)
    else:
        image = None
    locale, alternates = _locales()
    modified = article.updated_at or article.last_published_at or article.first_published_at
    return ShareCard(
        type="article",
        title=title,
        description=article.share_description or article.standfirst,
        url=article.get_full_url() or absolute_url("/"),
        site_name=site_name,
        locale=locale,
        locale_alternates=alternates,
        image=image,
        published_time=_iso(article.first_published_at),
        modified_time=_iso(modified),
        section=getattr(section, "title", "") or "",
        authors=[absolute_url(author.get_absolute_url()) for author in article.authors],
        tags=[article.kicker.name] if article.kicker_id else [],
    )


def website_card(*, title: str, description: str, path_or_url: str, site_name: str) -> ShareCard:
    locale, alternates = _locales()
    return ShareCard(
        type="website",
        title=title,
        description=description,
        url=absolute_url(path_or_url),
        site_name=site_name,
        locale=locale,
        locale_alternates=alternates,
    )


def listing_card(*, subject: Any, publication: Any) -> ShareCard:
    """The card of a listing page: the front page, a section, a topic or an author. Its description
    is the page's meta description (masthead.news.descriptions), word for word."""
    subject = getattr(subject, "specific", subject)
    site_name = str(publication.name)
    if isinstance(subject, HomePage | SectionPage):
        is_front = isinstance(subject, HomePage)
        title = subject.seo_title or ("" if is_front else subject.title) or site_name
        url = subject.get_full_url() or "/"
    elif isinstance(subject, Topic | Author):
        title = subject.name
        url = subject.get_absolute_url()
    else:
        raise TypeError(f"{type(subject).__name__} has no listing page")
    return website_card(
        title=title,
        description=listing_description(subject, publication=publication),
        path_or_url=url,
        site_name=site_name,
    )
