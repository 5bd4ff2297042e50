"""The web archive of sent issues, gated like articles.

An issue's lead article is cut exactly as its own page cuts it: the same `article_access`
decision (which counts a metered read as the article page does, and records nothing for an
editor's preview), the same teaser length, the same rendered blocks. A reader the decision does
not entitle gets the teaser and the prompt that fits them; never the gated part.

The issue's own text (its introduction) is subscriber content when the newsletter's audience is
subscribers: it is decided as a subscribers-only article for this reader by the paywall's one
decision (`mailed_article_access`, which never counts a read), and a reader it does not entitle
gets the first paragraph of the introduction as a teaser and the prompt that fits them, and none
of the issue's blocks (`Issue.body`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase

from masthead.access.cut import teaser_length
from masthead.access.services import (
    ArticleAccess,
    account_reader_kind,
    article_access,
    finalize_article_response,
    mailed_article_access,
)
from masthead.newsletters.models import Issue, Newsletter

SENT = "sent"


def sent_issues(newsletter: Newsletter) -> QuerySet[Issue]:
    return (
        Issue.objects.filter(newsletter=newsletter, status=SENT)
        .select_related("article", "newsletter")
        .order_by("-finished_at", "-started_at", "-pk")
    )


def linked_stories(issue: Issue) -> list[Any]:
    links = issue.story_links.select_related("article").order_by("sort_order", "pk")
    return [link.article for link in links if link.article is not None and link.article.live]


@dataclass(frozen=True)
class _IssueText:
    """The issue's own text seen as an article by the paywall: subscribers-only or free."""

    pk: Any
    access_level: str
    is_sponsored: bool = False


def issue_text_access(*, request: HttpRequest, issue: Issue) -> ArticleAccess:
    """May this reader read the issue's own text? Its newsletter's audience decides the level
    (subscribers: subscribers-only content; everyone registered: free, as before), the paywall's
    one decision decides the reader; no meter read is counted or recorded."""
    subscribers = issue.newsletter.audience == Newsletter.Audience.SUBSCRIBERS
    text = _IssueText(pk=issue.pk, access_level="subscribers" if subscribers else "free")
    user = getattr(request, "user", None)
    user_id = user.pk if user is not None and user.is_authenticated else None
    return mailed_article_access(kind=account_reader_kind(request), article=text, user_id=user_id)


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def first_paragraph(text: str) -> str:
    paragraphs = [part.strip() for part in _PARAGRAPH_BREAK.split(text.strip()) if part.strip()]
    return paragraphs[0] if paragraphs else ""


def issue_page_context(*, request: HttpRequest, issue: Issue) -> dict[str, Any]:
    text_verdict = issue_text_access(request=request, issue=issue)
    context: dict[str, Any] = {
        "stories": linked_stories(issue),
        "text_verdict": text_verdict,
        "intro_text": issue.intro if text_verdict.granted else first_paragraph(issue.intro),
        # The blocks after the introduction: the whole of them or nothing (the teaser is the intro's).
        "issue_body": issue.body if text_verdict.granted else None,
    }
    lead = issue.article
    if lead is None or not lead.live:
        return context
    lead = lead.specific
    from masthead.news.fragments import article_body

    verdict = article_access(request=request, article=lead)
    total = len(lead.body)
    cut = teaser_length(total_blocks=total, configured=verdict.teaser_blocks)
    context.update(
        lead=lead,
        verdict=verdict,
        body_teaser_html=article_body(request=request, article=lead, start=0, stop=cut),
        body_gated_html=(
            article_body(request=request, article=lead, start=cut, stop=total) if verdict.granted else ""
        ),
    )

    def finalize(response: HttpResponseBase) -> HttpResponseBase:
        return finalize_article_response(response=response, verdict=verdict)

    context["finalize"] = finalize
    return context
