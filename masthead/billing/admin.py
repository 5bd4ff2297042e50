"""Staff tools: the catalogue, and manual grants (print subscribers, corporate deals, complimentary)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from masthead.billing.models import Offer, PaymentRecord, Plan, Provider, Subscription, WebhookEvent
from masthead.billing.services import sync_entitlements


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin[Plan]):
    list_display = ["name", "interval", "price_minor", "currency", "trial_days", "active"]
    list_filter = ["active", "interval"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin[Offer]):
    list_display = ["headline", "plan", "starts_at", "ends_at", "featured", "eligibility"]
    list_filter = ["featured", "plan"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin[Subscription]):
    list_display = ["user", "plan", "provider", "status", "current_period_end", "cancel_at_period_end"]
    list_filter = ["provider", "status", "plan"]
    search_fields = ["user__email", "provider_customer_id", "provider_subscription_id", "note"]
    raw_id_fields = ["user"]
    readonly_fields = ["last_event_at", "created_at", "updated_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Subscription | None = None) -> Any:
        # Stripe and demo subscriptions are driven by their provider; only staff grants are edited here.
        if obj is not None and obj.provider != Provider.MANUAL:
            return [f.name for f in Subscription._meta.fields]
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Subscription, form: Any, change: bool) -> None:
        if not change:
            obj.provider = Provider.MANUAL
        if obj.provider == Provider.MANUAL and obj.started_at is None:
            obj.started_at = timezone.now()
        super().save_model(request, obj, form, change)
        if obj.provider == Provider.MANUAL:
            sync_entitlements(subscription=obj)


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin[WebhookEvent]):
    list_display = ["event_type", "event_id", "created", "received_at", "outcome"]
    search_fields = ["event_id"]

    def has_change_permission(self, request: HttpRequest, obj: WebhookEvent | None = None) -> bool:
        return False


@admin.register(PaymentRecord)
class PaymentRecordAdmin(admin.ModelAdmin[PaymentRecord]):
    list_display = ["provider_invoice_id", "amount_minor", "currency", "paid", "occurred_at"]

    def has_change_permission(self, request: HttpRequest, obj: PaymentRecord | None = None) -> bool:
        return False
