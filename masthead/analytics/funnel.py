"""The funnel and "stories that make subscribers", from rollups (and the raw tail not rolled up yet)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from itertools import pairwise
from typing import Any

from django.utils.translation import gettext as _

from masthead.analytics.models import Kind
from masthead.analytics.rollup import article_sections, slices

STEPS = ("views", "wall_impressions", "registrations", "checkouts", "subscriptions")
STEP_OF_KIND = {
    Kind.VIEW: "views",
    Kind.WALL: "wall_impressions",
    Kind.REGISTRATION: "registrations",
    Kind.CHECKOUT_STARTED: "checkouts",
    Kind.SUBSCRIPTION_STARTED: "subscriptions",
    Kind.TRIAL_STARTED: "subscriptions",
}
CUTS = ("article", "section", "author", "topic", "referrer", "offer", "meter_position", "variant")
API_CUTS = ("article", "section", "offer", "variant")


def cut_labels() -> dict[str, str]:
    return {
        "article": _("Article"),
        "section": _("Section"),
        "author": _("Author"),
        "topic": _("Topic"),
        "referrer": _("Referrer"),
        "offer": _("Offer"),
        "meter_position": _("Meter position"),
        "variant": _("Experiment variant"),
    }


class Articles:
    """Titles, sections, authors and topics of articles, loaded once per dashboard request."""

    def __init__(self) -> None:
        from wagtail.models import Page

        from masthead.news.models import ArticleByline, ArticlePage

        self.titles: dict[int, str] = dict(ArticlePage.objects.values_list("pk", "title"))
        self.topic_of: dict[int, int | None] = dict(ArticlePage.objects.values_list("pk", "kicker_id"))
        self.section_of = article_sections()
        self.section_titles = dict(
            Page.objects.filter(pk__in=set(self.section_of.values())).values_list("pk", "title")
        )
        self.author_of: dict[int, int] = {}
        for article_id, author_id in ArticleByline.objects.order_by("sort_order").values_list(
            "article_id", "author_id"
        ):
            self.author_of.setdefault(article_id, author_id)

    def label(self, article_id: int | None) -> str:
        if article_id is None:
            return _("(no article)")
        return self.titles.get(article_id, _("(deleted article %(id)s)") % {"id": article_id})


# Which rollup slice a cut reads: section, author and topic are looked up from the article.
DIMENSION_OF = {
    "article": "article",
    "section": "article",
    "author": "article",
    "topic": "article",
    "referrer": "referrer",
    "offer": "offer",
    "meter_position": "meter_position",
    "variant": "variant",
}


def _key_and_label(by: str, articles: Articles) -> Callable[[str], tuple[str, str]]:
    """From a slice's key (an article id, a referrer class, …) to the cut's key and label."""
    from masthead.billing.models import Offer
    from masthead.news.models import Author, Topic

    none = ("", _("(none)"))

    def article_of(key: str) -> int | None:
        return int(key) if key else None

    if by == "article":
        return lambda key: (key, articles.label(article_of(key))) if key else none
    if by == "section":

        def section(key: str) -> tuple[str, str]:
            sid = articles.section_of.get(article_of(key) or 0)
            return (str(sid), articles.section_titles.get(sid, str(sid))) if sid else none

        return section
    if by == "author":
        names = dict(Author.objects.values_list("pk", "name"))

        def author(key: str) -> tuple[str, str]:
            aid = articles.author_of.get(article_of(key) or 0)
            return (str(aid), names.get(aid, str(aid))) if aid else none

        return author
    if by == "topic":
        topics = dict(Topic.objects.values_list("pk", "name"))

        def topic(key: str) -> tuple[str, str]:
            tid = articles.topic_of.get(article_of(key) or 0)
            return (str(tid), topics.get(tid, str(tid))) if tid else none

        return topic
    if by == "offer":
        headlines = {str(pk): h for pk, h in Offer.objects.values_list("pk", "headline")}
        return lambda key: (key, headlines.get(key, key)) if key else none
    if by == "variant":
        return lambda key: (key, key.replace(":", " · ")) if key else none
    if by in ("referrer", "meter_position"):
        return lambda key: (key, key) if key else none
    raise ValueError(by)


def empty_counts() -> dict[str, int]:
    return dict.fromkeys(STEPS, 0)


FUNNEL_KINDS = sorted(STEP_OF_KIND)


def page_slices(start: date, end: date, by: str | None) -> dict[str, list[dict[str, Any]]]:
    """Everything the funnel (totals and cut) and the stories read, in one rollup query."""
    dimensions = {"article", "first_touch", DIMENSION_OF[by] if by else "all"}
    return slices(start, end, dimensions, kinds=FUNNEL_KINDS)


def funnel(
    start: date,
    end: date,
    by: str | None = None,
    *,
    articles: Articles | None = None,
    read: dict[str, list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """`{"start", "end", "views", …, "rows": [{"key", "label", …}]}` for the days start..end."""
    dimension = DIMENSION_OF[by] if by else "all"
    if read is None or dimension not in read:
        read = slices(start, end, [dimension], kinds=FUNNEL_KINDS)
    # Every event is in exactly one row of each dimension, so a cut's rows add up to the totals.
    totals = empty_counts()
    for row in read[dimension]:
        if row["kind"] in STEP_OF_KIND:
            totals[STEP_OF_KIND[row["kind"]]] += row["n"]
    result: dict[str, Any] = {"start": start.isoformat(), "end": end.isoformat(), **totals, "rows": []}
    if by:
        articles = articles or Articles()
        key_of = _key_and_label(by, articles)
        cuts: dict[str, dict[str, Any]] = {}
        for row in read[dimension]:
            if row["kind"] not in STEP_OF_KIND:
                continue
            key, label = key_of(row["key"])
            entry = cuts.setdefault(key, {"key": key, "label": label, **empty_counts()})
            entry[STEP_OF_KIND[row["kind"]]] += row["n"]
        result["rows"] = sorted(cuts.values(), key=lambda r: (-r["subscriptions"], -r["views"], r["label"]))
    return result


def rates(counts: dict[str, Any]) -> dict[str, float | None]:
    """Each step as a share of the one before it, and subscriptions per view overall."""
    out: dict[str, float | None] = {}
    for before, after in pairwise(STEPS):
        out[after] = counts[after] / counts[before] if counts[before] else None
    out["overall"] = counts["subscriptions"] / counts["views"] if counts["views"] else None
    return out


def stories(
    start: date,
    end: date,
    *,
    articles: Articles | None = None,
    limit: int = 20,
    read: dict[str, list[dict[str, Any]]] | None = None,
) -> list[dict[str, Any]]:
    """Articles ranked by the subscriptions (then registrations) they led to, last and first touch."""
    articles = articles or Articles()
    if read is None or not {"article", "first_touch"} <= set(read):
        read = slices(start, end, ["article", "first_touch"], kinds=FUNNEL_KINDS)
    table: dict[int, dict[str, int]] = defaultdict(
        lambda: {
            "views": 0,
            "wall_impressions": 0,
            "registrations_last": 0,
            "subscriptions_last": 0,
            "registrations_first": 0,
            "subscriptions_first": 0,
        }
    )
    conversions = [Kind.REGISTRATION, Kind.SUBSCRIPTION_STARTED, Kind.TRIAL_STARTED]
    for row in read["article"]:
        if not row["key"] or row["kind"] not in (Kind.VIEW, Kind.WALL, *conversions):
            continue
        step = STEP_OF_KIND[row["kind"]]
        column = step if step in ("views", "wall_impressions") else f"{step}_last"
        table[int(row["key"])][column] += row["n"]
    for row in read["first_touch"]:
        if row["key"] and row["kind"] in conversions:
            table[int(row["key"])][f"{STEP_OF_KIND[row['kind']]}_first"] += row["n"]
    ranked = sorted(
        table.items(),
        key=lambda item: (
            -item[1]["subscriptions_last"],
            -item[1]["registrations_last"],
            -item[1]["subscriptions_first"],
            -item[1]["views"],
        ),
    )
    return [{"article_id": pk, "title": articles.label(pk), **counts} for pk, counts in ranked[:limit]]
