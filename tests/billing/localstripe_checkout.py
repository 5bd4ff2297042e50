"""Stripe Checkout on top of localstripe, for tests driven through the real SDK.

localstripe implements customers, cards, subscriptions, invoices, payment intents and refunds, but
not Checkout. `CheckoutOverLocalstripe` is the SDK's transport: it answers `/v1/checkout/sessions`
itself and passes every other call to localstripe over HTTP, recording them all. `pay()` does what
Stripe's hosted page does when the reader pays: a customer with a card, then a subscription with
the session's price, metadata and trial, charged at once — in localstripe, so the invoices,
payment intents, cancellations and refunds that follow are localstripe's own.

localstripe has no coupons on subscriptions, so an offer's coupon is mapped to a price of the
introductory amount (what the first invoice would be with the coupon applied). It also leaves a
subscription with a trial "incomplete", without a trial end or an invoice; `subscription()` shows
it the way Stripe does ("trialing" until the trial end), and nothing is charged for it.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import stripe

from tests.billing.stripe_fakes import RecordedRequest

_ids = itertools.count(1)
CARD = {"number": "4242424242424242", "exp_month": "12", "exp_year": "2034", "cvc": "123"}


@dataclass
class CheckoutOverLocalstripe(stripe.HTTPClient):
    base_url: str
    coupon_prices: dict[str, str] = field(default_factory=dict)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)
    name = "checkout-over-localstripe"

    def __post_init__(self) -> None:
        super().__init__()
        self._inner = stripe.new_default_http_client()
        self._by_key: dict[str, str] = {}
        self._trial_ends: dict[str, int] = {}

    # --- the transport -------------------------------------------------------------------------

    def request(self, method, url, headers, post_data=None, *, _usage=None):  # type: ignore[override]
        path, _, query = url.partition("?")
        path = "/" + path.split("/", 3)[3]
        params = dict(parse_qsl(post_data or query or ""))
        self.requests.append(RecordedRequest(method.upper(), path, params, dict(headers or {})))
        if path.startswith("/v1/checkout/sessions"):
            return self._checkout(method.upper(), path, params, dict(headers or {}))
        return self._inner.request(method, url, headers, post_data)

    def request_stream(self, *args, **kwargs):  # pragma: no cover - not used
        raise NotImplementedError

    def close(self) -> None:
        self._inner.close()

    def calls(self, method: str, path_prefix: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_prefix)]

    def _checkout(self, method: str, path: str, params: dict[str, str], headers: dict[str, str]):
        if method == "POST" and path == "/v1/checkout/sessions":
            key = headers.get("Idempotency-Key", "")
            if key in self._by_key:
                return json.dumps(self.sessions[self._by_key[key]]), 200, {}
            session_id = f"cs_test_local_{next(_ids)}"
            self.sessions[session_id] = {
                "id": session_id,
                "object": "checkout.session",
                "mode": params["mode"],
                "status": "open",
                "payment_status": "unpaid",
                "url": f"https://checkout.stripe.test/pay/{session_id}",
                "client_reference_id": params.get("client_reference_id"),
                "customer": params.get("customer"),
                "customer_email": params.get("customer_email"),
                "subscription": None,
                "metadata": {"masthead_subscription": params.get("metadata[masthead_subscription]")},
                "_params": params,
            }
            self._by_key[key] = session_id
            return json.dumps(self._public(session_id)), 200, {}
        session_id = path.rsplit("/", 1)[1]
        if method == "GET" and session_id in self.sessions:
            session = self._public(session_id)
            if params.get("expand[0]") == "subscription" and session["subscription"]:
                session["subscription"] = self.subscription(session["subscription"])
            return json.dumps(session), 200, {}
        return json.dumps({"error": {"message": f"No such checkout.session: {session_id}"}}), 404, {}

    def _public(self, session_id: str) -> dict[str, Any]:
        return {k: v for k, v in self.sessions[session_id].items() if not k.startswith("_")}

    # --- what Stripe's hosted page does ----------------------------------------------------------

    def api(self) -> stripe.StripeClient:
        return stripe.StripeClient("sk_test_localstripe", base_addresses={"api": self.base_url})

    def pay(self, session_id: str) -> dict[str, Any]:
        """The reader pays on the hosted page: returns the completed session (ids only, as the
        `checkout.session.completed` event carries it)."""
        session = self.sessions[session_id]
        params = session["_params"]
        client = self.api()
        customer = session["customer"]
        if not customer:
            token = client.v1.tokens.create(params={"card": CARD})
            customer = client.v1.customers.create(
                params={"email": session["customer_email"], "source": token.id}
            ).id
        price = params["line_items[0][price]"]
        if "discounts[0][coupon]" in params:
            price = self.coupon_prices[params["discounts[0][coupon]"]]
        create: dict[str, Any] = {
            "customer": customer,
            "items": [{"plan": price}],
            "metadata": {
                "masthead_subscription": params["subscription_data[metadata][masthead_subscription]"]
            },
        }
        trial_days = int(params.get("subscription_data[trial_period_days]") or 0)
        if trial_days:
            create["trial_period_days"] = trial_days
        subscription = client.v1.subscriptions.create(params=create)
        if trial_days:
            self._trial_ends[subscription.id] = int(subscription.start_date) + trial_days * 86_400
        session.update(
            status="complete",
            payment_status="no_payment_required" if trial_days else "paid",
            customer=customer,
            subscription=subscription.id,
        )
        return self._public(session_id)

    def subscription(self, subscription_id: str) -> dict[str, Any]:
        found = self.api().v1.subscriptions.retrieve(subscription_id).to_dict(recursive=True)
        trial_end = self._trial_ends.get(subscription_id)
        if trial_end is not None and found["status"] == "incomplete":
            found.update(status="trialing", trial_end=trial_end, current_period_end=trial_end)
        return found

    def invoices(self, subscription_id: str) -> list[dict[str, Any]]:
        listing = self.api().v1.invoices.list(params={"subscription": subscription_id})
        return [invoice.to_dict(recursive=True) for invoice in listing.data]

    def refunds_for(self, invoice: dict[str, Any]) -> list[dict[str, Any]]:
        if not invoice.get("payment_intent"):
            return []
        listing = self.api().v1.refunds.list(params={"payment_intent": invoice["payment_intent"]})
        return [refund.to_dict(recursive=True) for refund in listing.data]
