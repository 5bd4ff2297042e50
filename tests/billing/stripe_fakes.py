"""Stripe in tests: signed webhook bodies, and a recorded-response transport for the SDK."""

from __future__ import annotations

import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from hashlib import sha256
from typing import Any
from urllib.parse import parse_qsl

import stripe

WEBHOOK_SECRET = "whsec_test_secret_for_masthead"
_ids = itertools.count(1)


def sign(payload: str, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header, computed the way Stripe's WebhookSignature does."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(
    event_type: str, obj: dict[str, Any], *, created: int, event_id: str | None = None
) -> dict[str, Any]:
    return {
        "id": event_id or f"evt_test_{next(_ids)}",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": created,
        "livemode": False,
        "type": event_type,
        "data": {"object": obj},
    }


def subscription_object(
    *,
    sub_id: str,
    customer: str,
    status: str,
    local_ref: int,
    start: int,
    period_end: int,
    price: str = "price_monthly",
    trial_end: int | None = None,
    cancel_at_period_end: bool = False,
    ended_at: int | None = None,
) -> dict[str, Any]:
    # Current API shape: the period lives on the items.
    return {
        "id": sub_id,
        "object": "subscription",
        "customer": customer,
        "status": status,
        "start_date": start,
        "created": start,
        "trial_end": trial_end,
        "cancel_at_period_end": cancel_at_period_end,
        "ended_at": ended_at,
        "metadata": {"masthead_subscription": str(local_ref)},
        "items": {
            "object": "list",
            "data": [{"id": "si_1", "price": {"id": price}, "quantity": 1, "current_period_end": period_end}],
        },
    }


def post_event(
    client: Any, body: dict[str, Any], *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
):
    payload = json.dumps(body)
    return client.post(
        "/billing/stripe/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, secret=secret, timestamp=timestamp),
    )


@dataclass
class RecordedRequest:
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]


@dataclass
class RecordedStripe(stripe.HTTPClient):
    """Answers the SDK with recorded Stripe-shaped JSON, keyed by (method, path prefix)."""

    responses: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)
    name = "recorded"

    def __post_init__(self) -> None:
        super().__init__()

    def request(self, method, url, headers, post_data=None, *, _usage=None):  # type: ignore[override]
        path, _, query = url.partition("?")
        path = "/" + path.split("/", 3)[3]
        params = dict(parse_qsl(post_data or query or ""))
        self.requests.append(RecordedRequest(method.upper(), path, params, dict(headers or {})))
        for (want_method, prefix), body in self.responses.items():
            if want_method == method.upper() and path.startswith(prefix):
                return json.dumps(body), 200, {"Request-Id": "req_test"}
        return json.dumps({"error": {"message": f"no recording for {method} {path}"}}), 404, {}

    def request_stream(self, *args, **kwargs):  # pragma: no cover - not used
        raise NotImplementedError

    def close(self) -> None:
        return None
