"""Which once-per-occasion e-mails have gone out (receipts, renewal reminders, cancellations)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SentEmail(models.Model):
    """One row per e-mail that must go out once for its occasion, e.g. ("receipt", "payment:42").

    The row is written in the same transaction as the sending, and (kind, occasion) is unique: two
    workers sweeping at once cannot both send it, and a send that fails leaves no row, so the next
    sweep tries again. `occasion` names database rows, never an address: nothing personal is kept.
    """

    kind = models.CharField(_("kind"), max_length=40)
    occasion = models.CharField(_("occasion"), max_length=160)
    # What the occasion is about, for the sweeps' queries: the row (subscription, payment) and the
    # date (renewal, end of access) it concerns.
    object_id = models.BigIntegerField(_("object id"), null=True, blank=True)
    about = models.DateTimeField(_("about"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"))
    delivered = models.BooleanField(
        _("delivered"), default=True, help_text=_("Off when the reader had opted out of this kind of e-mail.")
    )

    class Meta:
        verbose_name = _("sent e-mail")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["kind", "object_id"], name="mail_sent_kind_object")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "occasion"], name="mail_sent_once_per_occasion")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occasion}"


class OutboxMessage(models.Model):
    """An e-mail the demo kept instead of sending (`masthead.mail.outbox.OutboxBackend`).

    Only in demo mode: a newcomer reads in the admin (Outbox) what the site would have sent —
    confirmation links, receipts, newsletter issues — without a mail server.
    """

    from_email = models.CharField(pgettext_lazy("outbox", "from"), max_length=320, blank=True)
    to = models.TextField(
        pgettext_lazy("outbox", "to"), help_text=_("Every recipient, one per line (To, Cc and Bcc).")
    )
    subject = models.CharField(pgettext_lazy("outbox", "subject"), max_length=998, blank=True)
    text = models.TextField(pgettext_lazy("outbox", "plain text"), blank=True)
    html = models.TextField(pgettext_lazy("outbox", "HTML"), blank=True)
    headers = models.JSONField(pgettext_lazy("outbox", "headers"), default=dict, blank=True)
    sent_at = models.DateTimeField(_("sent at"), db_index=True)

    class Meta:
        verbose_name = pgettext_lazy("outbox", "outbox message")
        verbose_name_plural = pgettext_lazy("outbox", "outbox")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

    @property
    def recipients(self) -> list[str]:
        return [line for line in self.to.splitlines() if line]
