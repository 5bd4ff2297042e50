"""What is recorded, and when: article views and walls as they are decided, clicks, conversions.

Every event of a request carries the experiment assignment the paywall made for it
(`request.experiment_assignment`, a (slug, variant) pair); conversions carry the article that led
there (last and first touch), its section, meter position, referrer class, UTM tags and variant,
copied from the reader's own view events.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from masthead.analytics import keys, recorder
from masthead.analytics.models import Event, Kind

WALL_STATES = frozenset({"registration-wall", "offer", "trial-expired", "access-expired", "subscribers-only"})
# Copied from the view that led to a conversion.
TOUCH_FIELDS = (
    "section_id",
    "meter_position",
    "meter_limit",
    "referrer_class",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "experiment",
    "variant",
)


ACQUISITION_FIELDS = ("referrer_class", "utm_source", "utm_medium", "utm_campaign")


def assignment(request: HttpRequest | None) -> dict[str, str]:
    found = getattr(request, "experiment_assignment", None) if request is not None else None
    if not found:
        return {}
    slug, variant = found
    return {"experiment": str(slug)[:64], "variant": str(variant)[:32]}


def record_article_view(*, request: HttpRequest, article: Any, verdict: Any, reader: Any = None) -> None:
    """The article path's one call: a view (and a wall impression when the body was withheld).

    `reader` is the explicit reader the decision was made for (the apps API names it from the
    token: an account or an app's anonymous meter id); without it, the request's session or cookie."""
    try:
        if keys.is_excluded(request) or getattr(verdict, "store_unavailable", False):
            return
        if getattr(request, "is_preview", False) or str(verdict.reader_kind) == "staff":
            return  # an editor's preview or the newsroom's own reading is not readership
        if reader is not None:
            account_id = reader.user_id
            if account_id is not None:
                reader_key = keys.account_reader(int(account_id))
            elif reader.anonymous_key:
                reader_key = keys.reader_hash(f"a:{reader.anonymous_key}")
            else:
                return  # nobody to count
        else:
            user = getattr(request, "user", None)
            account_id = int(user.pk) if user is not None and user.is_authenticated else None
            reader_key = keys.request_reader(request, new_anonymous_key=verdict.new_anonymous_key)
        decision = verdict.decision
        prompt = verdict.prompt.state.value if verdict.prompt is not None else ""
        position = None
        if decision.limit is not None and decision.remaining is not None:
            position = decision.limit - decision.remaining
        elif decision.read_count is not None:
            position = decision.read_count
        common: dict[str, Any] = {
            "reader": reader_key,
            "account_id": account_id,
            "article_id": int(article.pk),
            "reader_kind": str(verdict.reader_kind),
            "access_level": str(article.access_level),
            "decision": str(decision.reason),
            "meter_position": position,
            "meter_limit": decision.limit,
            "prompt": prompt,
            "referrer_class": keys.referrer_class(request),
            **keys.utm(request),
            **assignment(request),
        }
        common["at"] = timezone.now()
        recorder.add_to_request(request, recorder.make_row(Kind.VIEW, common))
        if not verdict.granted and prompt in WALL_STATES:
            recorder.add_to_request(request, recorder.make_row(Kind.WALL, common))
    except Exception:  # a page never fails for its statistics
        import logging

        logging.getLogger(__name__).exception("analytics: could not record a view")


def touches(*, readers: list[str], account_id: int | None) -> tuple[Event | None, Event | None]:
    """The reader's last and first article view (by any of their keys or their account)."""
    recorder.flush()
    where = Q(reader__in=readers)
    if account_id is not None:
        where |= Q(account_id=account_id)
    views = Event.objects.filter(where, kind=Kind.VIEW, article_id__isnull=False)
    return views.order_by("-at", "-pk").first(), views.order_by("at", "pk").first()


def conversion(
    kind: str,
    *,
    account_id: int | None,
    request: HttpRequest | None = None,
    extra_readers: list[str] | None = None,
    **fields: Any,
) -> Event:
    """A registration, checkout or subscription event, attributed to the views that led there."""
    readers = list(extra_readers or [])
    if account_id is not None:
        readers.append(keys.account_reader(account_id))
    if request is not None:
        anonymous = keys.anonymous_reader(request)
        if anonymous:
            readers.append(anonymous)
    last, first = touches(readers=readers, account_id=account_id)
    data: dict[str, Any] = {
        "reader": keys.account_reader(account_id) if account_id is not None else (readers or [""])[0],
        "account_id": account_id,
        "last_touch_article_id": last.article_id if last else None,
        "first_touch_article_id": first.article_id if first else None,
    }
    if last is not None:
        data.update({name: getattr(last, name) for name in TOUCH_FIELDS})
    if first is not None:
        # How the reader came to us is the channel of their first visit, not the internal link
        # of the article they read last.
        data.update({name: getattr(first, name) for name in ACQUISITION_FIELDS})
    if request is not None:
        data.update(assignment(request))
    data.update({k: v for k, v in fields.items() if v is not None})
    return recorder.make_event(kind, **data)


def link_anonymous_reads(*, request: HttpRequest, account_id: int) -> None:
    """A reader who registers or signs in: their anonymous events join the account (export, erasure)."""
    anonymous = keys.anonymous_reader(request)
    if anonymous:
        recorder.flush()
        Event.objects.filter(reader=anonymous, account_id__isnull=True).update(account_id=account_id)
