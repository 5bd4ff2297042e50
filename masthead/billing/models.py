"""The catalogue (plans and dated offers), readers' subscriptions, and what the payment provider told us."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from masthead.access.models import EntitlementKind


class Interval(models.TextChoices):
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class Plan(models.Model):
    name = models.CharField(_("name"), max_length=80)
    interval = models.CharField(_("billing interval"), max_length=8, choices=Interval.choices)
    price_minor = models.PositiveIntegerField(
        _("price (minor units)"), help_text=_("In cents (or the currency's smallest unit): 1500 = $15.00.")
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD", help_text=_("ISO 4217 code."))
    benefits = models.JSONField(
        _("benefits"), default=list, blank=True, help_text=_("A list of short lines.")
    )
    trial_days = models.PositiveSmallIntegerField(_("trial days"), default=0)
    active = models.BooleanField(_("on sale"), default=True)
    provider_price_id = models.CharField(
        _("Stripe price id"), max_length=120, blank=True, help_text=_("price_… in the Stripe dashboard.")
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "price_minor"]
        verbose_name = _("plan")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.currency = self.currency.upper()
        if not isinstance(self.benefits, list) or not all(isinstance(b, str) for b in self.benefits):
            raise ValidationError({"benefits": _("Benefits must be a list of short lines of text.")})


class OfferQuerySet(models.QuerySet["Offer"]):
    def live(self, now: datetime | None = None) -> OfferQuerySet:
        """Offers a reader can see right now: started, not ended, on a plan that is on sale."""
        now = now or timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gt=now, plan__active=True)

    def featured(self) -> OfferQuerySet:
        return self.filter(featured=True)


class Eligibility(models.TextChoices):
    NEW = "new", _("New subscribers only")
    ANYONE = "anyone", _("Anyone")


class Offer(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="offers")
    headline = models.CharField(_("headline"), max_length=80, help_text=_("e.g. 3 months for $9"))
    intro_price_minor = models.PositiveIntegerField(
        _("introductory price per interval (minor units)"), help_text=_("300 = $3.00 a month.")
    )
    intro_intervals = models.PositiveSmallIntegerField(_("introductory intervals"), default=3)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    eligibility = models.CharField(max_length=8, choices=Eligibility.choices, default=Eligibility.NEW)
    featured = models.BooleanField(_("featured on the paywall"), default=False)
    provider_coupon_id = models.CharField(
        _("Stripe coupon id"),
        max_length=120,
        blank=True,
        help_text=_("A coupon that takes the plan price down to the introductory price."),
    )

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["-featured", "ends_at"]
        verbose_name = _("offer")

    def __str__(self) -> str:
        return self.headline

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("An offer must end after it starts.")})

    @property
    def intro_total_minor(self) -> int:
        return self.intro_price_minor * self.intro_intervals


class Provider(models.TextChoices):
    STRIPE = "stripe", _("Stripe")
    MANUAL = "manual", _("Manual (staff)")
    DEMO = "demo", _("Demo")


class SubscriptionStatus(models.TextChoices):
    INCOMPLETE = "incomplete", _("Checkout not completed")
    TRIALING = "trialing", _("Trial")
    ACTIVE = "active", _("Active")
    PAST_DUE = "past_due", _("Payment overdue")
    CANCELED = "canceled", _("Canceled (access until the period ends)")
    EXPIRED = "expired", _("Ended")


# The statuses that give (or are about to give) access. A reader has at most one subscription in
# them: `billing_one_current_subscription_per_reader` below, and the completion gate in
# `masthead.billing.duplicates`.
CURRENT_STATUSES = (
    SubscriptionStatus.TRIALING,
    SubscriptionStatus.ACTIVE,
    SubscriptionStatus.PAST_DUE,
    SubscriptionStatus.CANCELED,
)


class RefusedReason(models.TextChoices):
    """Why a checkout that completed was not kept (it was canceled and refunded instead)."""

    NONE = "", _("Kept")
    ALREADY_SUBSCRIBED = "already_subscribed", _("The reader already had a current subscription")
    SECOND_TRIAL = "second_trial", _("It would have been a second free trial")
    OFFER_NOT_OPEN = "offer_not_open", _("The offer is for new subscribers only")


class SubscriptionQuerySet(models.QuerySet["Subscription"]):
    def started(self) -> SubscriptionQuerySet:
        """Subscriptions the reader really had: a refused duplicate never started for them."""
        return self.exclude(status=SubscriptionStatus.INCOMPLETE).filter(refused_reason="")

    def current(self) -> SubscriptionQuerySet:
        return self.filter(status__in=CURRENT_STATUSES)


class Subscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    provider = models.CharField(max_length=8, choices=Provider.choices)
    status = models.CharField(
        max_length=12, choices=SubscriptionStatus.choices, default=SubscriptionStatus.INCOMPLETE
    )
    grant_kind = models.CharField(
        _("access kind"),
        max_length=16,
        choices=EntitlementKind.choices,
        default=EntitlementKind.SUBSCRIPTION,
        help_text=_("For staff grants: complimentary, group or corporate, or a paid (print) subscription."),
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    trial_end = models.DateTimeField(_("trial ends"), null=True, blank=True)
    current_period_end = models.DateTimeField(
        _("current period ends"), null=True, blank=True, help_text=_("Empty: open-ended (staff grants).")
    )
    cancel_at_period_end = models.BooleanField(_("cancels at period end"), default=False)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    provider_customer_id = models.CharField(max_length=120, blank=True, db_index=True)
    provider_subscription_id = models.CharField(max_length=120, blank=True, db_index=True)
    provider_checkout_id = models.CharField(max_length=120, blank=True)
    last_event_at = models.DateTimeField(
        null=True, blank=True, help_text=_("`created` of the newest provider event applied; older ones lose.")
    )
    note = models.TextField(_("note"), blank=True, help_text=_("Staff grants: invoice number, agreement."))
    payment_failed_at = models.DateTimeField(null=True, blank=True)
    welcome_sent_at = models.DateTimeField(null=True, blank=True)
    trial_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    payment_failed_notified_at = models.DateTimeField(null=True, blank=True)
    ended_notified_at = models.DateTimeField(null=True, blank=True)
    # The terms the reader took, copied when the checkout starts (or the grant is made), so a
    # later edit of the offer or plan never rewrites what this reader agreed to pay.
    offer_headline = models.CharField(_("offer taken"), max_length=80, blank=True)
    intro_price_minor = models.PositiveIntegerField(
        _("introductory price per interval (minor units)"), null=True, blank=True
    )
    intro_intervals = models.PositiveSmallIntegerField(_("introductory intervals"), default=0)
    price_minor = models.PositiveIntegerField(_("regular price (minor units)"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    interval = models.CharField(_("billing interval"), max_length=8, choices=Interval.choices, blank=True)
    intro_ends_at = models.DateTimeField(
        _("introductory price ends"), null=True, blank=True, help_text=_("When the regular price starts.")
    )
    refused_reason = models.CharField(
        _("refused because"),
        max_length=20,
        choices=RefusedReason.choices,
        default=RefusedReason.NONE,
        blank=True,
        help_text=_("Set when a completed checkout was a duplicate: it was canceled and refunded."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscription")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_subscription_id"],
                condition=~Q(provider_subscription_id=""),
                name="billing_unique_provider_subscription",
            ),
            # Two checkouts completed side by side must not give one reader two subscriptions.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=CURRENT_STATUSES),
                name="billing_one_current_subscription_per_reader",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} for {self.user} ({self.get_status_display()})"

    @property
    def source_ref(self) -> str:
        """The prefix of this subscription's entitlement `source_ref`s."""
        return f"billing:subscription:{self.pk}"

    @property
    def access_ends_at(self) -> datetime | None:
        return self.ended_at or self.current_period_end

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan.name,
            "provider": self.provider,
            "status": self.status,
            "started_at": _iso(self.started_at),
            "trial_end": _iso(self.trial_end),
            "current_period_end": _iso(self.current_period_end),
            "cancel_at_period_end": self.cancel_at_period_end,
            "ended_at": _iso(self.ended_at),
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class WebhookEvent(models.Model):
    """One row per provider event processed, written in the same transaction as its effect."""

    provider = models.CharField(max_length=8, choices=Provider.choices, default=Provider.STRIPE)
    event_id = models.CharField(max_length=120, unique=True)
    event_type = models.CharField(max_length=80)
    created = models.DateTimeField(help_text=_("When the provider created the event."))
    received_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("webhook event")

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"


class PaymentRecord(models.Model):
    """An invoice we were paid (or failed to be paid). Kept after account deletion, anonymised,
    because bookkeeping law requires it; the reader link and e-mail are removed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    )
    provider = models.CharField(max_length=8, choices=Provider.choices)
    provider_invoice_id = models.CharField(max_length=120, unique=True)
    period_start = models.DateTimeField(null=True, blank=True, help_text=_("The period this payment is for."))
    period_end = models.DateTimeField(null=True, blank=True)
    intro = models.BooleanField(_("at the introductory price"), default=False)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    provider_subscription_id = models.CharField(max_length=120, blank=True, db_index=True)
    amount_minor = models.IntegerField()
    currency = models.CharField(max_length=3)
    paid = models.BooleanField(default=False)
    failed_at = models.DateTimeField(null=True, blank=True, help_text=_("The latest failed attempt."))
    description = models.CharField(max_length=200, blank=True)
    customer_email = models.EmailField(blank=True)
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("payment record")

    def __str__(self) -> str:
        return f"{self.provider_invoice_id} {self.amount_minor} {self.currency}"


class DuplicateOutcome(models.TextChoices):
    PENDING = "pending", _("Cancel and refund pending")
    REFUNDED = "refunded", _("Refunded duplicate")
    NOTHING_PAID = "nothing_paid", _("Canceled duplicate, nothing was paid")
    FAILED = "failed", _("Refund failed: needs staff")


class DuplicatePayment(models.Model):
    """A second subscription that still completed for one reader: canceled at once and every
    payment it took refunded through its provider. Kept (anonymised) after account deletion, like
    the payment records it undoes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subscription = models.OneToOneField(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicate_payment"
    )
    kept_subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=RefusedReason.choices)
    provider = models.CharField(max_length=8, choices=Provider.choices)
    provider_subscription_id = models.CharField(max_length=120, blank=True, db_index=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=DuplicateOutcome.choices, default=DuplicateOutcome.PENDING
    )
    refunded_minor = models.IntegerField(_("refunded (minor units)"), default=0)
    currency = models.CharField(max_length=3, blank=True)
    provider_refund_ids = models.JSONField(default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)
    customer_email = models.EmailField(blank=True)
    detected_at = models.DateTimeField()
    settled_at = models.DateTimeField(null=True, blank=True)
    reader_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-detected_at"]
        verbose_name = _("duplicate payment")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.provider_subscription_id or self.subscription_id}"
