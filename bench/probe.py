"""The bench's Django-side steps, run as `python -m bench.probe <step> <out.json> [in.json]` against
the bench database (DJANGO_SETTINGS_MODULE=bench.settings), so the harness itself needs no Django.

Steps: `fallback-content` (a small publication when `build_demo` is not available), `accounts`
(the registered reader and the subscriber with a bench password), `discover` (which URLs each
scenario reads), `peer-article` (the bench article's words for a peer's post), `queries` (SQL
queries per scenario through the test client), `meter` (the meter stores alone).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

READER_EMAIL = "reader@example.com"
SUBSCRIBER_EMAIL = "subscriber@example.com"
# A run of plain words survives HTML escaping and JSON encoding unchanged, so finding it in a
# response proves the end of the article was served.
_PLAIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9 ]{23,}[A-Za-z0-9]")


def fallback_content(_: Any) -> dict[str, Any]:
    """Sections and articles from the test builders: enough for every scenario, in seconds."""
    from tests.builders import make_article, make_publication

    pub = make_publication(("Politics", "Business"))
    for index in range(12):
        make_article(pub, section=pub.sections[index % 2], paragraphs=10, with_image=index < 6)
    for index in range(2):
        make_article(pub, section=pub.sections[index % 2], paragraphs=10, access="subscribers")
    return {"content": "bench fallback (tests.builders)", "articles": len(pub.articles)}


def accounts(params: dict[str, Any]) -> dict[str, Any]:
    """Give the demo readers the bench's password; create them (and the subscriber's
    entitlement) only where the demo content did not."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from masthead.access.entitlements import active_entitlements, grant_entitlement

    user_model = get_user_model()
    report: dict[str, Any] = {}
    for email in (READER_EMAIL, SUBSCRIBER_EMAIL):
        user = user_model.objects.filter(email=email).first()
        created = user is None
        if user is None:
            user = user_model.objects.create_user(email=email)
        user.set_password(params["password"])
        user.is_active = True
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        report[email] = {"created_by_bench": created}
        if email == SUBSCRIBER_EMAIL:
            if active_entitlements(user_id=user.pk, now=timezone.now()):
                report[email]["entitlement"] = "from demo content"
            else:
                grant_entitlement(
                    user=user,
                    kind="complimentary",
                    starts_at=timezone.now(),
                    ends_at=None,
                    source_ref="bench",
                    note="granted by the benchmark",
                )
                report[email]["entitlement"] = "granted by the bench"
    return report


def _path(page: Any) -> str:
    _, _, page_path = page.get_url_parts()
    return page_path


def _marker(article: Any) -> str | None:
    """A plain-word run from the article's last paragraph (past any teaser)."""
    from django.utils.html import strip_tags

    blocks = list(article.body)
    for position in range(len(blocks) - 1, max(len(blocks) // 2, 1) - 1, -1):
        runs = _PLAIN_RUN.findall(strip_tags(str(blocks[position].render())))
        if runs:
            return runs[-1][-40:].strip()
    return None


def _article(article: Any) -> dict[str, Any]:
    return {"id": article.pk, "path": _path(article), "marker": _marker(article)}


def discover(_: Any) -> dict[str, Any]:
    from masthead.news.models import ArticlePage, HomePage, SectionPage

    home = HomePage.objects.live().first()
    if home is None:
        return {"error": "no live front page"}
    live = ArticlePage.objects.live().public().filter(sponsor__isnull=True).order_by("pk")
    # The busiest section: its page is the one a reader most often lands on.
    sections = sorted(
        SectionPage.objects.live().child_of(home).order_by("path"),
        key=lambda page: -ArticlePage.objects.live().child_of(page).count(),
    )
    metered = [_article(article) for article in live.filter(access="metered")[:40]]
    subscriber_only = live.filter(access="subscribers").first()
    return {
        "home": _path(home),
        "reference_pk": home.pk,
        "section": _path(sections[0]) if sections else None,
        "metered": metered,
        "subscriber_only": _article(subscriber_only) if subscriber_only else None,
    }


def peer_article(params: dict[str, Any]) -> dict[str, Any]:
    """The bench article's words for a peer's post of the same length: headline, standfirst, and
    its body as HTML, block for block (paragraphs, headings, pull quotes; fact boxes and related
    links as their words); pictures are left out, and so is the hero photo. The marker is the same
    last-paragraph run the Masthead scenarios are checked with."""
    import html as html_module

    from django.utils.html import escape, strip_tags

    from masthead.news.models import ArticlePage

    def words_of(block: Any) -> str:
        return escape(" ".join(html_module.unescape(strip_tags(str(block.render()))).split()))

    article = ArticlePage.objects.get(pk=params["id"]).specific
    parts, counts = [], {"paragraph": 0, "heading": 0, "pull_quote": 0, "other_as_text": 0, "left_out": 0}
    for block in article.body:
        if block.block_type == "paragraph":
            parts.append(str(block.value))
        elif block.block_type == "heading":
            parts.append(f"<h2>{escape(block.value)}</h2>")
        elif block.block_type == "pull_quote":
            parts.append(f"<blockquote>{words_of(block)}</blockquote>")
        elif block.block_type == "image":
            counts["left_out"] += 1
            continue
        else:
            # Fact boxes and related-story links: their words, as a paragraph.
            parts.append(f"<p>{words_of(block)}</p>")
            counts["other_as_text"] += 1
            continue
        counts[block.block_type] += 1
    html = "\n".join(parts)
    return {
        "title": article.title,
        "excerpt": strip_tags(getattr(article, "standfirst", "") or ""),
        "html": html,
        "blocks": counts,
        "words": len(strip_tags(html).split()),
        "marker": _marker(article),
    }


def queries(requests: list[dict[str, Any]]) -> dict[str, Any]:
    """Each scenario's request twice through the test client; the second (warm) one is counted."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts: dict[str, Any] = {}
    for request in requests:
        try:
            headers = request.get("headers") or {}
            # The first request warms the process (site lookup, settings, caches); the second counts.
            Client(HTTP_HOST="127.0.0.1").get(request["path"], headers=headers)
            with CaptureQueriesContext(connection) as captured:
                response = Client(HTTP_HOST="127.0.0.1").get(request["path"], headers=headers)
            counts[request["name"]] = {
                "queries": len(captured.captured_queries),
                "status": response.status_code,
            }
        except Exception as exc:
            counts[request["name"]] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    return counts


def meter(params: dict[str, Any]) -> dict[str, Any]:
    from bench.meter_throughput import measure_stores

    return measure_stores(**params)


STEPS = {
    "fallback-content": fallback_content,
    "accounts": accounts,
    "discover": discover,
    "queries": queries,
    "meter": meter,
    "peer-article": peer_article,
}


def main(argv: list[str]) -> int:
    step, out_path = argv[0], Path(argv[1])
    params = json.loads(Path(argv[2]).read_text()) if len(argv) > 2 else {}
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    result = STEPS[step](params)
    out_path.write_text(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
