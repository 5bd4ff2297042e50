"""What a reader is entitled to, and when that ends. Billing grants and ends these through
`masthead.access.services`; nothing else writes them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EntitlementKind(models.TextChoices):
    SUBSCRIPTION = "subscription", _("Subscription")
    TRIAL = "trial", _("Trial")
    COMPLIMENTARY = "complimentary", _("Complimentary")
    GROUP = "group", _("Group or corporate")


class Entitlement(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entitlements"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EntitlementKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True, help_text=_("Empty: open-ended."))
    source_ref = models.CharField(
        _("source reference"), max_length=200, blank=True,
        help_text=_("Where this came from: a Stripe subscription id, an invoice number, a note."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["user", "ends_at"])]
        verbose_name = _("entitlement")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user} from {self.starts_at:%Y-%m-%d}"
