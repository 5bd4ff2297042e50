"""Descriptions of listing pages (front, section, topic, author): each says what is on the page,
in its own words.

An editor's "search description" (Wagtail's promote tab) wins; then what the page shows under its
heading (the publication's tagline on the front page, a section's intro, a topic's description, an
author's biography); then a sentence made from the page's name. Never longer than search results
show (about 160 characters).

The one source of a listing page's description: its `<meta name="description">`
(news/templatetags/structured_data.py), its share card's og:description (masthead.news.share_cards)
and its JSON-LD description (masthead.news.jsonld) all come from `listing_description`.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from masthead.news.models import Author, HomePage, SectionPage, Topic

MAX_LENGTH = 160


def _fit(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(MAX_LENGTH)


def front_description(*, page: Any, publication: Any) -> str:
    own = getattr(page, "search_description", "") or publication.tagline
    if own:
        return _fit(own)
    return _fit(_("News and analysis from %(publication)s.") % {"publication": publication.name})


def section_description(*, section: Any, publication: Any) -> str:
    own = getattr(section, "search_description", "") or section.intro
    if own:
        return _fit(own)
    return _fit(
        _("The latest %(section)s news and analysis from %(publication)s.")
        % {"section": section.title, "publication": publication.name}
    )


def topic_description(*, topic: Any, publication: Any) -> str:
    if topic.description:
        return _fit(topic.description)
    return _fit(
        _("Articles about %(topic)s from %(publication)s.")
        % {"topic": topic.name, "publication": publication.name}
    )


def author_description(*, author: Any, publication: Any) -> str:
    if author.bio:
        return _fit(author.bio)
    if author.role:
        return _fit(
            _("%(name)s, %(role)s: articles in %(publication)s.")
            % {"name": author.name, "role": author.role, "publication": publication.name}
        )
    return _fit(
        _("Articles by %(name)s in %(publication)s.") % {"name": author.name, "publication": publication.name}
    )


def listing_description(subject: Any, *, publication: Any) -> str:
    """The description of the listing page of `subject`: the front page, a section, a topic or an author."""
    subject = getattr(subject, "specific", subject)
    if isinstance(subject, HomePage):
        return front_description(page=subject, publication=publication)
    if isinstance(subject, SectionPage):
        return section_description(section=subject, publication=publication)
    if isinstance(subject, Topic):
        return topic_description(topic=subject, publication=publication)
    if isinstance(subject, Author):
        return author_description(author=subject, publication=publication)
    raise TypeError(f"{type(subject).__name__} has no listing page")
