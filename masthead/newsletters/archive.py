"""The web archive of sent issues, gated like articles.

An issue's lead article is cut exactly as its own page cuts it: the same `article_access`
decision (which counts a metered read as the article page does, and records nothing for an
editor's preview), the same teaser length, the same rendered blocks. A reader the decision does
not entitle gets the teaser and the prompt that fits them; never the gated part.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase

from masthead.access.cut import teaser_length
from masthead.access.services import article_access, finalize_article_response
from masthead.newsletters.models import Issue, Newsletter

SENT = "sent"


def sent_issues(newsletter: Newsletter) -> QuerySet[Issue]:
    return (
        Issue.objects.filter(newsletter=newsletter, status=SENT)
        .select_related("article")
        .order_by("-finished_at", "-started_at", "-pk")
    )


def linked_stories(issue: Issue) -> list[Any]:
    links = issue.story_links.select_related("article").order_by("sort_order", "pk")
    return [link.article for link in links if link.article is not None and link.article.live]


def issue_page_context(*, request: HttpRequest, issue: Issue) -> dict[str, Any]:
    context: dict[str, Any] = {"stories": linked_stories(issue)}
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
