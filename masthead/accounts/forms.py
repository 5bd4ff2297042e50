"""Sign-in forms that go through the sign-in gate (see `masthead.accounts.signin_gate`)."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import ConfirmLoginCodeForm, ResetPasswordForm
from allauth.core import context
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

from masthead.accounts import signin_gate

REFUSED_MESSAGE = _("Too many attempts for this account or from this address. Try again later.")


class NewsroomLoginForm(WagtailLoginForm):
    """The Wagtail admin login: a reader's right password is refused here like a wrong one, before
    Django's `login()` runs, so no session is made and the reader is not signed in to the site.
    (The same message as a wrong password: the admin login does not confirm a reader's password.)"""

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not user.has_perm("wagtailadmin.access_admin"):
            raise self.get_invalid_login_error()


class GatedConfirmLoginCodeForm(ConfirmLoginCodeForm):
    """allauth's login by code: a wrong code counts as a failed sign-in of the account the code
    was sent to, and a locked account is refused even with the right code."""

    def clean_code(self) -> str:
        request = context.request
        stage = getattr(request, "_login_stage", None)
        email = stage.state.get("email") if stage is not None else None
        if not email:
            raise forms.ValidationError(_("This sign-in code is no longer pending. Ask for a new one."))
        try:
            reservation = signin_gate.reserve_for(request, kind=signin_gate.FAILED_SIGN_IN, account=email)
        except signin_gate.SignInRefused as refused:
            raise forms.ValidationError(REFUSED_MESSAGE) from refused
        code = super().clean_code()
        reservation.release()
        return code


def _count_reset_request(email: str) -> None:
    try:
        signin_gate.reserve_for(context.request, kind=signin_gate.RESET_REQUEST, account=email)
    except signin_gate.SignInRefused as refused:
        raise forms.ValidationError(REFUSED_MESSAGE) from refused


class GatedResetPasswordForm(ResetPasswordForm):
    """allauth's password reset request, counted per account and per address (every request
    counts: it sends an e-mail, whether or not the address has an account)."""

    def clean_email(self) -> str:
        email = super().clean_email()
        _count_reset_request(email)
        return email


class GatedNewsroomPasswordResetForm(WagtailPasswordResetForm):
    """The Wagtail admin's password reset request, counted like allauth's. The e-mail stays
    Wagtail's (its link starts at WAGTAILADMIN_BASE_URL, the site's address) but comes from the
    publication by name."""

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        _count_reset_request(email)
        return email

    def send_mail(self, *args: Any, **kwargs: Any) -> None:
        from masthead.access.paywall_config import paywall_config
        from masthead.mail.reader_mail import sender

        names = ["subject_template_name", "email_template_name", "context", "from_email", "to_email"]
        values = {**dict(zip(names, args, strict=False)), **kwargs}
        values["from_email"] = sender(paywall_config(request=None).publication)
        super().send_mail(**values)
