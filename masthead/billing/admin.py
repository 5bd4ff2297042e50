"""Staff tools: the catalogue, and manual grants (print subscribers, corporate deals, complimentary)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from masthead.billing.duplicates import settle_duplicate
from masthead.billing.models import (
    CURRENT_STATUSES,
    DuplicateOutcome,
    DuplicatePayment,
    Offer,
    PaymentRecord,
    Plan,
    Provider,
    Subscription,
    WebhookEvent,
)
from masthead.billing.money import format_money
from masthead.billing.services import copy_terms, fix_intro_end, sync_entitlements


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin[Plan]):
    list_display = ["name", "interval", "price_minor", "currency", "trial_days", "active"]
    list_filter = ["active", "interval"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin[Offer]):
    list_display = ["headline", "plan", "starts_at", "ends_at", "featured", "eligibility"]
    list_filter = ["featured", "plan"]


class SubscriptionForm(forms.ModelForm[Subscription]):
    class Meta:
        model = Subscription
        exclude: list[str] = []  # every field; the admin's fieldsets and read-only fields decide

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        user, status = cleaned.get("user"), cleaned.get("status")
        if user is not None and status in CURRENT_STATUSES:
            other = Subscription.objects.filter(user=user).current().exclude(pk=self.instance.pk).first()
            if other is not None:
                raise forms.ValidationError(
                    _("This reader already has a current subscription (%(other)s). End it first.")
                    % {"other": other}
                )
        return cleaned


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin[Subscription]):
    form = SubscriptionForm
    list_display = ["user", "plan", "provider", "status", "current_period_end", "cancel_at_period_end"]
    list_filter = ["provider", "status", "refused_reason", "plan"]
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
        if obj.provider == Provider.MANUAL and obj.price_minor is None:
            # The grant's terms, kept as they are today (a print subscriber's plan may be repriced).
            copy_terms(subscription=obj, plan=obj.plan, offer=obj.offer)
            fix_intro_end(subscription=obj)
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


@admin.register(DuplicatePayment)
class DuplicatePaymentAdmin(admin.ModelAdmin[DuplicatePayment]):
    """Second subscriptions that still completed: canceled and refunded automatically. Staff look
    here for the few that failed (outcome "needs staff") and can retry them."""

    list_display = [
        "detected_at",
        "customer_email",
        "outcome",
        "refunded",
        "reason",
        "provider",
        "provider_subscription_id",
        "kept_subscription",
        "last_error",
    ]
    list_filter = ["outcome", "reason", "provider"]
    search_fields = ["customer_email", "provider_subscription_id"]
    actions = ["retry_cancel_and_refund"]

    @admin.display(description=_("refunded"))
    def refunded(self, obj: DuplicatePayment) -> str:
        return format_money(obj.refunded_minor, obj.currency or "USD")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: DuplicatePayment | None = None) -> bool:
        return False

    @admin.action(description=_("Retry cancel and refund now"))
    def retry_cancel_and_refund(self, request: HttpRequest, queryset: QuerySet[DuplicatePayment]) -> None:
        open_rows = queryset.filter(outcome__in=[DuplicateOutcome.PENDING, DuplicateOutcome.FAILED])
        done = sum(
            settle_duplicate(duplicate_id=row.pk).outcome
            in (DuplicateOutcome.REFUNDED, DuplicateOutcome.NOTHING_PAID)
            for row in open_rows
        )
        self.message_user(request, _("%(done)d duplicate(s) settled.") % {"done": done}, messages.INFO)
