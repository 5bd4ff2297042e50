"""What the apps API stores: the hashes of app tokens and of e-mailed sign-in codes, never the secrets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """One signed-in app on one device. The token itself is shown once; only its sha256 is kept.

    A token without a user is an anonymous *device* token: its `reader_key` is the anonymous
    meter key, so an app reader who has not signed in is metered like a web reader with a cookie.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="app_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    reader_key = models.CharField(
        _("anonymous reader key"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Random id used as the anonymous meter key of a device token."),
    )
    device_name = models.CharField(_("device name"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("app token")

    def __str__(self) -> str:
        return self.device_name or f"app token {self.pk}"

    @property
    def is_anonymous_device(self) -> bool:
        return self.user_id is None


class LoginCode(models.Model):
    """A six-digit code e-mailed to sign an app in. Stored as a keyed hash; short-lived."""

    email = models.EmailField(db_index=True)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"sign-in code for {self.email}"
