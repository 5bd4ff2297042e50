"""allauth, in the publication's voice: every account e-mail goes through `masthead.mail`.

No "[host]" subject prefix and no "Hello from <host>": the publication's name, its own templates
(`templates/account/email/`), HTML with a text part, in the reader's language, and every link at
the site's one address (`masthead.core.site_url`) whatever host the request came in on.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from masthead.access.paywall_config import paywall_config
from masthead.accounts.models import User
from masthead.core.site_url import absolute_url
from masthead.mail.reader_mail import reader_language, send_reader_mail, sender, supported_language


def _account_for(email: str) -> User | None:
    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if address is not None:
        user: User = address.user
        return user
    return User.objects.filter(email__iexact=email).first()


class ReaderAccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject: str) -> str:
        return " ".join(subject.split())

    def get_from_email(self) -> str:
        return sender(paywall_config(request=None).publication)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request: HttpRequest | None = allauth_context.request
        user = context.get("user") or _account_for(email)
        links = {
            "login_url": absolute_url(reverse("account_login")),
            "password_reset_url": absolute_url(reverse("account_reset_password")),
        }
        values = {**links, **{k: v for k, v in context.items() if k != "request"}}
        # allauth builds this one from the request's host.
        values["signup_url"] = absolute_url(reverse("account_signup"))
        values["expire_days"] = allauth_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS
        values["code_minutes"] = max(1, allauth_settings.LOGIN_BY_CODE_TIMEOUT // 60)
        send_reader_mail(
            template=template_prefix,
            to=email,
            language=reader_language(user=user, request=request),
            context=values,
        )

    def get_email_confirmation_url(self, request: HttpRequest | None, emailconfirmation: Any) -> str:
        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def send_account_already_exists_mail(self, email: str) -> None:
        self.send_mail("account/email/account_already_exists", email, {})

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        # The language the reader registered in is the language we write to them in.
        user.language = supported_language(translation.get_language()) or user.language
        return super().save_user(request, user, form, commit=commit)
