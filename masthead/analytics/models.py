"""What the server decided and what it led to: raw events (the truth) and daily rollups (for speed).

An event never stores an IP address, a user agent or a raw Referer: the reader is a keyed hash
(`masthead.analytics.keys.reader_key`), the Referer is reduced to its class.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    VIEW = "view", _("article view")
    WALL = "wall", _("wall impression")
    PROMPT_CLICK = "prompt_click", _("prompt click")
    OFFER_CLICK = "offer_click", _("offer click")
    REGISTRATION = "registration", _("registration")
    VERIFICATION = "verification", _("e-mail verified")
    NEWSLETTER_SIGNUP = "newsletter_signup", _("newsletter sign-up")
    CHECKOUT_STARTED = "checkout_started", _("checkout started")
    CHECKOUT_ABANDONED = "checkout_abandoned", _("checkout abandoned")
    SUBSCRIPTION_STARTED = "subscription_started", _("subscription started")
    TRIAL_STARTED = "trial_started", _("trial started")
    TRIAL_CONVERTED = "trial_converted", _("trial converted")
    TRIAL_EXPIRED = "trial_expired", _("trial expired")
    RENEWAL = "renewal", _("renewal")
    PAYMENT_FAILED = "payment_failed", _("payment failed")
    CANCELLATION = "cancellation", _("cancellation")
    LAPSE = "lapse", _("lapse")
    REACTIVATION = "reactivation", _("reactivation")


class ReferrerClass(models.TextChoices):
    SEARCH = "search", _("search")
    SOCIAL = "social", _("social")
    NEWSLETTER = "newsletter", _("newsletter")
    DIRECT = "direct", _("direct")
    INTERNAL = "internal", _("internal")
    OTHER = "other", _("other")


class Event(models.Model):
    """One thing that happened, recorded by the server as it decided it."""

    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=32, db_index=True, choices=Kind.choices)
    # Pseudonymous reader key: a keyed hash of the reader's cookie id or account, never an IP.
    reader = models.CharField(max_length=64, db_index=True)
    account_id = models.IntegerField(null=True, blank=True, db_index=True)
    article_id = models.IntegerField(null=True, blank=True, db_index=True)
    # The article that led there: the last and the first article this reader read before it.
    last_touch_article_id = models.IntegerField(null=True, blank=True)
    first_touch_article_id = models.IntegerField(null=True, blank=True)
    section_id = models.IntegerField(null=True, blank=True)
    experiment = models.CharField(max_length=64, blank=True, default="")
    variant = models.CharField(max_length=32, blank=True, default="")
    reader_kind = models.CharField(max_length=24, blank=True, default="")
    access_level = models.CharField(max_length=16, blank=True, default="")
    decision = models.CharField(max_length=24, blank=True, default="")
    meter_position = models.PositiveSmallIntegerField(null=True, blank=True)
    meter_limit = models.PositiveSmallIntegerField(null=True, blank=True)
    prompt = models.CharField(max_length=32, blank=True, default="")
    referrer_class = models.CharField(max_length=12, blank=True, default="", choices=ReferrerClass.choices)
    utm_source = models.CharField(max_length=64, blank=True, default="")
    utm_medium = models.CharField(max_length=64, blank=True, default="")
    utm_campaign = models.CharField(max_length=64, blank=True, default="")
    offer_id = models.IntegerField(null=True, blank=True)
    plan_id = models.IntegerField(null=True, blank=True)
    subscription_id = models.IntegerField(null=True, blank=True)
    amount_minor = models.IntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="")

    class Meta:
        verbose_name = _("analytics event")
        indexes = [models.Index(fields=["kind", "at"], name="analytics_kind_at")]
        permissions = [("view_analytics", _("Can view the analytics dashboard"))]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M} {self.reader[:8]}"


class DailyRollup(models.Model):
    """Counts per day, kind and one cut (a slice of the cube: "article", "referrer", …), recomputable
    at any time from the raw events. One dimension per row keeps a day to a few thousand rows
    however many combinations the events hold."""

    day = models.DateField()
    kind = models.CharField(max_length=32)
    # "all" (key ""), "article" (the article viewed, or for a conversion the one read last before
    # it), "first_touch", "referrer", "offer", "meter_position", "variant" ("experiment:variant").
    dimension = models.CharField(max_length=16, default="all")
    key = models.CharField(max_length=100, blank=True, default="")
    count = models.PositiveIntegerField(default=0)
    amount_minor = models.BigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["dimension", "day", "kind"], name="analytics_rollup_dim_day"),
            models.Index(fields=["day"], name="analytics_rollup_day"),
        ]
        verbose_name = _("daily analytics rollup")

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.dimension}={self.key}: {self.count}"


class RollupState(models.Model):
    """Which days have been rolled up (a day is rolled up again while it can still change)."""

    day = models.DateField(unique=True)
    rolled_at = models.DateTimeField()
    # Today is rolled up as far as this event id (the newest when it ran); later events are read
    # raw. None: the whole day (a closed day).
    through_event_id = models.BigIntegerField(null=True, blank=True)
    # What a closed day's rollup was made from ("events:newest id"): a re-roll that would find
    # the same is skipped, and cached dashboard answers are keyed by it.
    fingerprint = models.CharField(max_length=64, blank=True, default="")

    def __str__(self) -> str:
        return f"{self.day} rolled up at {self.rolled_at:%Y-%m-%d %H:%M}"
