"""Meta descriptions of listing pages: each page says what is on it, in its own words.

An editor's "search description" (Wagtail's promote tab) wins; then what the page shows under its
heading (a section's intro, a topic's description, an author's biography); then a sentence made
from the page's name. Never longer than search results show (about 160 characters).
"""

from __future__ import annotations

from typing import Any

from django.utils.text import Truncator
from django.utils.translation import gettext as _

MAX_LENGTH = 160


def _fit(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(MAX_LENGTH)


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
