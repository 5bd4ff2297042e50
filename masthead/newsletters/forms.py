"""Readers' newsletter forms: the choices a signed-in reader ticks, and the anonymous sign-up.

The anonymous sign-up is double opt-in: the form only e-mails a signed link (through the one
reader-mail sender, in the reader's language); nothing is subscribed and no account is made until
the link is followed and confirmed (`confirm_signup`). Known and unknown addresses get the same
answer and the same e-mail, so the form tells nobody which addresses have accounts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django import forms
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from masthead.access.policy import ENTITLED_KINDS, ReaderKind
from masthead.access.services import ReaderIdentity, reader_kind_of_account
from masthead.accounts.models import User
from masthead.core.site_url import absolute_url
from masthead.mail.reader_mail import build_reader_mail, reader_language, supported_language
from masthead.newsletters.models import Newsletter, NewsletterSubscription
from masthead.newsletters.subscriptions import subscribe, unsubscribe

SIGNUP_SALT = "masthead.newsletters.signup"
# A confirmation link works for three days; after that the reader signs up again.
SIGNUP_MAX_AGE = 3 * 24 * 3600
SUBSCRIBERS = "subscribers"


@dataclass(frozen=True)
class NewsletterChoice:
    newsletter: Newsletter
    chosen: bool
    # False: a subscribers-only newsletter and this reader is not entitled (the offer is shown).
    joinable: bool

    @property
    def for_subscribers(self) -> bool:
        return self.newsletter.audience == SUBSCRIBERS

    @property
    def may_change(self) -> bool:
        # A reader may always leave; joining needs the audience's entitlement.
        return self.joinable or self.chosen


def may_join(newsletter: Newsletter, kind: ReaderKind) -> bool:
    """Everyone registered may join a registered newsletter; a subscribers' one needs the access
    the paywall gives subscribers (subscription, trial, staff)."""
    return newsletter.audience != SUBSCRIBERS or kind in ENTITLED_KINDS


def active_newsletters() -> list[Newsletter]:
    return list(Newsletter.objects.filter(is_active=True).order_by("sort_order", "name"))


def newsletter_choices(*, user: Any, kind: ReaderKind) -> list[NewsletterChoice]:
    chosen: set[int] = set()
    if user is not None and user.is_authenticated:
        chosen = set(
            NewsletterSubscription.objects.active()
            .filter(reader=user)
            .values_list("newsletter_id", flat=True)
        )
    return [
        NewsletterChoice(newsletter=n, chosen=n.pk in chosen, joinable=may_join(n, kind))
        for n in active_newsletters()
    ]


def save_choices(*, user: User, kind: ReaderKind, chosen_slugs: Iterable[str], source: str) -> bool:
    """Subscribe to the ticked newsletters and leave the unticked ones; True when anything changed.

    A subscribers-only newsletter the reader may not join is never joined (a forged post changes
    nothing); one they already receive can still be left.
    """
    wanted = set(chosen_slugs)
    changed = False
    for choice in newsletter_choices(user=user, kind=kind):
        if choice.newsletter.slug in wanted and not choice.chosen and choice.joinable:
            subscribe(user, choice.newsletter, source)
            changed = True
        elif choice.newsletter.slug not in wanted and choice.chosen:
            unsubscribe(user, choice.newsletter)
            changed = True
    return changed


class SignupForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    newsletters = forms.MultipleChoiceField(
        label=_("Newsletters"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one newsletter.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An anonymous visitor may ask for the newsletters every registered reader gets.
        self.fields["newsletters"].choices = [
            (n.slug, n.name) for n in active_newsletters() if n.audience != SUBSCRIBERS
        ]

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


def signup_token(*, email: str, slugs: list[str], language: str) -> str:
    return signing.dumps({"e": email, "n": sorted(slugs), "l": language}, salt=SIGNUP_SALT, compress=True)


@dataclass(frozen=True)
class SignupRequest:
    email: str
    slugs: list[str]
    language: str


class BadSignupLink(Exception):
    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def read_signup_token(token: str) -> SignupRequest:
    try:
        data = signing.loads(token, salt=SIGNUP_SALT, max_age=SIGNUP_MAX_AGE)
    except signing.SignatureExpired:
        raise BadSignupLink(expired=True) from None
    except signing.BadSignature:
        raise BadSignupLink(expired=False) from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("e"), str)
        or not isinstance(data.get("n"), list)
    ):
        raise BadSignupLink(expired=False)
    language = supported_language(data.get("l")) or "en"
    return SignupRequest(email=data["e"], slugs=[str(s) for s in data["n"]], language=language)


def send_signup_confirmation(*, request: HttpRequest, email: str, slugs: list[str]) -> None:
    """E-mail the confirmation link: the same e-mail whether or not the address has an account."""
    account = User.objects.filter(email__iexact=email).first()
    language = reader_language(user=account, request=request)
    token = signup_token(email=email, slugs=slugs, language=language)
    names = [n.name for n in active_newsletters() if n.slug in slugs]
    context = {"url": absolute_url(reverse("newsletters:confirm", args=[token])), "newsletter_names": names}
    build_reader_mail(
        template="newsletters/confirm_signup", to=email, language=language, context=context
    ).send()


@dataclass(frozen=True)
class Confirmation:
    reader: User
    created: bool
    joined: list[Newsletter]


def confirm_signup(signup: SignupRequest) -> Confirmation:
    """Find (or create) the registered reader for the confirmed address and subscribe them.

    Following the link proves the address is theirs, so it is marked verified. Subscribers-only
    newsletters are joined only by a reader entitled to them (a link could name any slug).
    """
    reader, created = _find_or_create_reader(signup)
    kind = _kind_of(reader)
    joined = []
    for newsletter in active_newsletters():
        if newsletter.slug in signup.slugs and may_join(newsletter, kind):
            subscribe(reader, newsletter, "public_page")
            joined.append(newsletter)
    return Confirmation(reader=reader, created=created, joined=joined)


def _find_or_create_reader(signup: SignupRequest) -> tuple[User, bool]:
    for _attempt in range(2):
        reader = User.objects.filter(email__iexact=signup.email).first()
        if reader is not None:
            _mark_verified(reader, signup.email)
            return reader, False
        try:
            with transaction.atomic():
                # No password: the reader signs in with a code e-mailed to them, or sets one.
                reader = User.objects.create_user(email=signup.email, password=None, language=signup.language)
                _mark_verified(reader, signup.email)
            return reader, True
        except IntegrityError:
            continue  # the same link confirmed twice at once: the other request made the account
    raise RuntimeError("could not find or create the reader")


def _mark_verified(reader: User, email: str) -> None:
    address = EmailAddress.objects.filter(user=reader, email__iexact=email).first()
    if address is None:
        EmailAddress.objects.create(
            user=reader,
            email=email,
            verified=True,
            primary=not EmailAddress.objects.filter(user=reader).exists(),
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


def _kind_of(reader: User) -> ReaderKind:
    """What the paywall makes of this account now (the same classification as a signed-in request)."""
    return reader_kind_of_account(identity=ReaderIdentity.for_user(reader))
