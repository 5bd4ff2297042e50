"""Readers and staff share one user model: the e-mail address is the login."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    newsletter_opt_in = models.BooleanField(_("newsletter e-mails"), default=False)
    billing_emails = models.BooleanField(_("billing and account e-mails"), default=True)
    # Set at sign-up from the language the reader was using, changed by the footer switcher and on
    # /account/: every e-mail to the reader is written in it (masthead.mail).
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the e-mails we send you."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[misc,assignment]

    def __str__(self) -> str:
        return self.email


class SignInCount(models.Model):
    """How many failed sign-ins (or password reset requests) one account or one address has made.

    One row per counted subject, in the database every worker shares. The count is raised by a
    single conditional upsert (see `masthead.accounts.signin_gate`), so two workers can never both
    take the last allowed try. `subject` is a keyed hash: the table never lists e-mail addresses
    or client addresses in clear.
    """

    subject = models.CharField(max_length=80, unique=True)
    window_started_at = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("sign-in count")

    def __str__(self) -> str:
        return f"{self.subject[:16]}… {self.count} since {self.window_started_at:%Y-%m-%d %H:%M}"
