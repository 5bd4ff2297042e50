"""Each reader's copy of an issue, cut by the paywall's one decision.

The body of an issue is its introduction, its own blocks (`Issue.body`: the same for every reader,
rendered once per renderer and included in each kind's cached copy) and its articles, and each
article is cut for the reader by `masthead.access.services.mailed_article_access` — the same
facts (the account's entitlements with their end dates, the article's access level, sponsorship),
the same pure `decide()`, the same teaser length and the same offer panel as the web page. There
is no second "free/paid" rule here.

What a metered article is in an e-mail: an e-mail cannot count a meter read (it is opened later,
anywhere, perhaps by a mail provider's machine, perhaps never), so it is decided as for a reader
with no free article left. A subscriber, trialist or staff member gets the whole story; any other
reader gets the teaser, the prompt that fits them (lapsed and expired-trial readers are told their
access ended), the offer they can take, and a link to read the rest on the site, where the meter
counts it as usual. Free and sponsored articles are whole for everyone (sponsored with the
sponsor's disclosure); registered-only articles are whole for every account;
subscribers-only articles are whole for entitled readers only.

Rendering is cached per (issue, reader kind, language, offer) for one send: the whole message is
rendered once with placeholders for the personal parts (address, sign-up date, unsubscribe link,
the recipient's tracking token), which are filled in per recipient by string replacement.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import formataddr, parseaddr
from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.utils import formats, timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from masthead.access.cut import teaser_length
from masthead.access.identity import ReaderIdentity
from masthead.access.paywall_config import PaywallConfig, paywall_config
from masthead.access.policy import ENTITLED_KINDS, PromptState, ReaderKind, Reason
from masthead.access.services import ArticleAccess, mailed_article_access, reader_kind_of_account
from masthead.core.site_url import absolute_url, site_root_url
from masthead.mail.reader_mail import reader_language, render_reader_mail
from masthead.newsletters.batches import BatchProvider, BatchRecipient
from masthead.newsletters.models import Issue, Newsletter, NewsletterSubscription

__all__ = [
    "KIND_ALIASES",
    "IssueRenderer",
    "click_signature",
    "message_id_for",
    "recipient_token",
    "render_issue",
    "render_issue_as",
]

# Personal parts: unlikely in any text, unchanged by HTML escaping and URL quoting.
P_EMAIL = "NLPERSONALxEMAIL"
P_SINCE = "NLPERSONALxSINCE"
P_UNSUB = "NLPERSONALxUNSUB"
P_TOKEN = "NLPERSONALxTOKEN"  # noqa: S105 (a placeholder, not a secret)
P_MSGID = "NLPERSONALxMSGID@placeholder.invalid"
P_TO_ADDRESS = "nlpersonalxto@placeholder.invalid"

CLICK_SALT = "masthead.newsletters.click"
RECIPIENT_SALT = "masthead.newsletters.recipient"

# The kinds the admin's "preview as" offers, and the contract's short names for them.
KIND_ALIASES: dict[str, ReaderKind] = {
    "subscriber": ReaderKind.SUBSCRIBER,
    "trialist": ReaderKind.TRIALIST,
    "registered": ReaderKind.REGISTERED,
    "lapsed": ReaderKind.LAPSED_SUBSCRIBER,
    "lapsed-subscriber": ReaderKind.LAPSED_SUBSCRIBER,
    "lapsed_subscriber": ReaderKind.LAPSED_SUBSCRIBER,
    "trial_expired": ReaderKind.EXPIRED_TRIAL,
    "expired-trial": ReaderKind.EXPIRED_TRIAL,
    "expired_trial": ReaderKind.EXPIRED_TRIAL,
    "staff": ReaderKind.STAFF,
}

_HREF = re.compile(r'href="(https?://[^"]+)"')
_RELATIVE_HREF = re.compile(r'(href|src)="/(?!/)')


def message_id_for(*, issue_id: int, recipient_id: int) -> str:
    """The Message-ID of a recipient's copy: fixed per recipient row, whichever attempt sends it."""
    host = urlsplit(site_root_url()).hostname or "localhost"
    return f"<newsletter.{issue_id}.{recipient_id}@{host}>"


def recipient_token(recipient_id: int) -> str:
    """A signed recipient id for click and open links (attribution, never an address)."""
    return signing.Signer(salt=RECIPIENT_SALT).sign(str(recipient_id)).replace(":", ".")


def read_recipient_token(token: str) -> int | None:
    try:
        value = signing.Signer(salt=RECIPIENT_SALT).unsign(token.replace(".", ":"))
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def click_signature(*, issue_id: int, url: str) -> str:
    """Signs a link of an issue, so the click redirect goes only where the issue linked (no open redirect)."""
    return salted_hmac(CLICK_SALT, f"{issue_id}|{url}").hexdigest()[:24]


def tracked_url(*, issue_id: int, url: str, token: str) -> str:
    from django.urls import reverse

    path = reverse("newsletter_mail:click", args=[issue_id, token])
    return absolute_url(f"{path}?u={quote(url, safe='')}&s={click_signature(issue_id=issue_id, url=url)}")


@dataclass(frozen=True)
class ArticleCopy:
    """One article as this kind of reader receives it."""

    article: Any
    verdict: ArticleAccess
    url: str
    teaser_html: str
    teaser_text: str
    rest_html: str
    rest_text: str
    prompt_text: str
    mail_meter_note: bool
    sponsor: Any = None

    @property
    def whole(self) -> bool:
        return self.verdict.granted

    @property
    def offer(self) -> Any:
        prompt = self.verdict.prompt
        return prompt.offer if prompt is not None and prompt.shows_offer else None

    @property
    def offer_url(self) -> str:
        return absolute_url(self.offer.url) if self.offer is not None else ""


@dataclass
class _Cached:
    subject: str
    text: str
    html: str
    raw: bytes | None = None  # the serialised message with placeholders (SMTP's fast path)


@dataclass
class IssueRenderer:
    """Renders the copies of one issue; keeps one rendering per (kind, language, offer)."""

    issue: Issue
    config: PaywallConfig = field(default_factory=lambda: paywall_config(request=None))
    _copies: dict[tuple[Any, ...], _Cached] = field(default_factory=dict)
    _cuts: dict[tuple[Any, ...], list[ArticleCopy]] = field(default_factory=dict)
    _articles: list[Any] | None = None
    _body: tuple[str, str] | None = None

    @property
    def newsletter(self) -> Newsletter:
        return self.issue.newsletter

    @property
    def body_html(self) -> str:
        """The issue's own blocks, the same for every reader kind (each kind's render includes them)."""
        if self._body is None:
            self._body = (_issue_body_html(list(self.issue.body)), _issue_body_text(list(self.issue.body)))
        return self._body[0]

    @property
    def body_text(self) -> str:
        self.body_html  # noqa: B018 (renders both parts once)
        assert self._body is not None
        return self._body[1]

    def articles(self) -> list[Any]:
        if self._articles is None:
            self._articles = [a.specific for a in self.issue.articles() if a.live]
        return self._articles

    # -- the reader's kind ------------------------------------------------------------------------

    def message(
        self,
        *,
        to: str,
        kind: ReaderKind,
        user_id: int | None,
        language: str,
        since: datetime | None,
        recipient_id: int | None = None,
        test: bool = False,
        returning: bool | None = None,
    ) -> EmailMultiAlternatives:
        """The reader's copy as a message (any mail backend)."""
        cached = self._variant(kind=kind, user_id=user_id, language=language, test=test, returning=returning)
        return self._personalise(
            cached,
            to=to,
            since_text=_date_text(since, language),
            unsub=self._unsubscribe(user_id),
            token=recipient_token(recipient_id) if recipient_id is not None else "preview",
            message_id=message_id_for(issue_id=self.issue.pk, recipient_id=recipient_id)
            if recipient_id
            else None,
        )

    def raw_message(
        self,
        *,
        to: str,
        kind: ReaderKind,
        user_id: int,
        language: str,
        since: datetime | None,
        recipient_id: int,
        returning: bool,
    ) -> bytes | None:
        """The same copy as `message`, as the bytes an SMTP server receives, made by filling the
        personal parts into the variant's serialised message (no MIME work per recipient). None
        when that cannot be done safely (a non-ASCII address, a part encoded so that a
        placeholder is not intact): the caller then uses `message`."""
        if not to.isascii():
            return None
        cached = self._variant(kind=kind, user_id=user_id, language=language, test=False, returning=returning)
        if cached.raw is None:
            cached.raw = self._raw_template(cached) or b""
        if not cached.raw:
            return None
        since_text = _date_text(since, language)
        if not since_text.isascii() and b"Content-Transfer-Encoding: 7bit" in cached.raw:
            return None
        values = {
            P_MSGID: message_id_for(issue_id=self.issue.pk, recipient_id=recipient_id).strip("<>"),
            P_TO_ADDRESS: to,
            P_EMAIL: to,
            P_UNSUB: self._unsubscribe(user_id),
            P_SINCE: since_text,
            P_TOKEN: recipient_token(recipient_id),
        }
        raw = cached.raw
        for placeholder, value in values.items():
            raw = raw.replace(placeholder.encode(), value.encode())
        return raw

    def batch_message(
        self,
        *,
        kind: ReaderKind,
        language: str,
        returning: bool,
        recipients: list[BatchRecipient],
        provider: BatchProvider,
    ) -> EmailMultiAlternatives:
        """One message for a provider batch: the variant's copy with each personal part written
        as the provider's merge field, and each recipient's values in `merge_data` (see
        `batches`). The provider fills in what `message` fills in here."""
        cached = self._variant(kind=kind, user_id=None, language=language, test=False, returning=returning)
        field = provider.field
        text_fields = {P_EMAIL: "nl_email", P_SINCE: "nl_since", P_UNSUB: "nl_unsub", P_TOKEN: "nl_token"}
        html_fields = {P_EMAIL: "nl_email_html", P_SINCE: "nl_since_html", P_UNSUB: "nl_unsub_html"}
        text, body_html, subject = cached.text, cached.html, cached.subject
        for placeholder, name in text_fields.items():
            text = text.replace(placeholder, field(name))
            subject = subject.replace(placeholder, field(name))
            body_html = body_html.replace(placeholder, field(html_fields.get(placeholder, name)))
        headers = {
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{self.newsletter.name} <{self.newsletter.slug}.newsletters.{_host()}>",
        }
        if self.newsletter.reply_to:
            headers["Reply-To"] = self.newsletter.reply_to
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=self.from_address(),
            to=[r.to for r in recipients],
            headers=headers,
        )
        message.attach_alternative(body_html, "text/html")
        # anymail's batch attributes (a plain EmailMessage carries them as well as AnymailMessage)
        message.merge_data = {r.to: r.merge_data(provider) for r in recipients}  # type: ignore[attr-defined]
        message.merge_headers = {r.to: r.headers() for r in recipients}  # type: ignore[attr-defined]
        message.merge_metadata = {  # type: ignore[attr-defined]
            r.to: {"newsletter_issue": str(self.issue.pk), "newsletter_recipient": str(r.recipient_id)}
            for r in recipients
        }
        return message

    def personal_parts(
        self, *, to: str, user_id: int, language: str, since: datetime | None, recipient_id: int
    ) -> BatchRecipient:
        return BatchRecipient(
            to=to,
            since_text=_date_text(since, language),
            unsubscribe_url=self._unsubscribe(user_id),
            token=recipient_token(recipient_id),
            message_id=message_id_for(issue_id=self.issue.pk, recipient_id=recipient_id),
            recipient_id=recipient_id,
        )

    def _raw_template(self, cached: _Cached) -> bytes | None:
        template = self._personalise(
            cached,
            to=P_TO_ADDRESS,
            since_text=P_SINCE,
            unsub=P_UNSUB,
            token=P_TOKEN,
            message_id=f"<{P_MSGID}>",
            email_text=P_EMAIL,
        )
        raw = template.message().as_bytes(linesep="\r\n")
        # Every placeholder must be intact, as often as it was written (an encoding that wraps
        # or transforms the body would break one): otherwise no template.
        expected = {
            P_MSGID: 1,
            P_TO_ADDRESS: 1,
            P_UNSUB: 1 + cached.text.count(P_UNSUB) + cached.html.count(P_UNSUB),
            P_EMAIL: cached.text.count(P_EMAIL) + cached.html.count(P_EMAIL),
            P_SINCE: cached.text.count(P_SINCE) + cached.html.count(P_SINCE),
            P_TOKEN: cached.text.count(P_TOKEN) + cached.html.count(P_TOKEN),
        }
        if any(raw.count(p.encode()) != n for p, n in expected.items()):
            return None
        return raw

    def _unsubscribe(self, user_id: int | None) -> str:
        from masthead.newsletters.unsubscribe import unsubscribe_url

        return unsubscribe_url(user_id, self.newsletter) if user_id is not None else absolute_url("/account/")

    def _variant(
        self, *, kind: ReaderKind, user_id: int | None, language: str, test: bool, returning: bool | None
    ) -> _Cached:
        if returning is not None:
            # The offer's one personal input is known (billing's rule, asked per batch): the
            # cut is the same for every reader of this kind and history.
            cut_key = (kind, returning)
            copies = self._cuts.get(cut_key)
            if copies is None:
                copies = self._cuts[cut_key] = self._copies_for(kind=kind, user_id=None, returning=returning)
        else:
            copies = self._copies_for(kind=kind, user_id=user_id)
        offer_key = tuple(repr(c.offer) for c in copies)
        key = (kind, language, offer_key, test)
        cached = self._copies.get(key)
        if cached is None:
            cached = self._copies[key] = self._render(copies=copies, language=language, test=test)
        return cached

    def _copies_for(
        self, *, kind: ReaderKind, user_id: int | None, returning: bool | None = None
    ) -> list[ArticleCopy]:
        copies = []
        for article in self.articles():
            verdict = mailed_article_access(
                kind=kind, article=article, user_id=user_id, config=self.config, returning=returning
            )
            copies.append(_cut(article, verdict))
        return copies

    # -- rendering once per kind --------------------------------------------------------------------

    def _render(self, *, copies: list[ArticleCopy], language: str, test: bool) -> _Cached:
        issue, newsletter = self.issue, self.newsletter
        context = {
            "issue": issue,
            "newsletter": newsletter,
            "copies": copies,
            "intro_paragraphs": [p.strip() for p in issue.intro.split("\n\n") if p.strip()],
            "body_html": self.body_html,
            "body_text": self.body_text,
            "test": test,
            "postal_address": _postal_address(),
            "unsubscribe_url": P_UNSUB,
            "signed_up_on": P_SINCE,
            "open_pixel_url": (
                absolute_url(f"/email/open/{issue.pk}/{P_TOKEN}.gif")
                if newsletter.track_opens and not test
                else ""
            ),
            "preheader": issue.preheader,
        }
        with translation.override(language):
            rendered = render_reader_mail(
                template="newsletters/email/issue", to=P_EMAIL, language=language, context=context
            )
        # Short lines, so the HTML part goes as 8-bit text (a line over 998 characters would make
        # it quoted-printable, which may wrap a personal part's placeholder).
        body_html = rendered.html.replace("><", ">\n<")
        if newsletter.track_clicks and not test:
            body_html = self._track_links(body_html)
        return _Cached(subject=rendered.subject, text=rendered.text, html=body_html)

    def _track_links(self, body_html: str) -> str:
        """Links in the content go through the site's own click redirect; the footer's links
        (unsubscribe, account) and the open pixel do not."""
        head, marker, tail = body_html.partition("<!-- newsletter-footer -->")
        signed: dict[str, str] = {}

        def swap(match: re.Match[str]) -> str:
            url = html.unescape(match.group(1))
            if P_UNSUB in url or P_TOKEN in url:
                return match.group(0)
            if url not in signed:
                signed[url] = tracked_url(issue_id=self.issue.pk, url=url, token=P_TOKEN)
            return f'href="{html.escape(signed[url])}"'

        return _HREF.sub(swap, head) + marker + tail

    # -- per recipient ------------------------------------------------------------------------------

    def _personalise(
        self,
        cached: _Cached,
        *,
        to: str,
        since_text: str,
        unsub: str,
        token: str,
        message_id: str | None,
        email_text: str | None = None,
    ) -> EmailMultiAlternatives:
        shown = email_text if email_text is not None else to
        text = (
            cached.text.replace(P_EMAIL, shown).replace(P_SINCE, since_text).replace(P_UNSUB, unsub)
        ).replace(P_TOKEN, token)
        body_html = (
            cached.html.replace(P_EMAIL, html.escape(shown))
            .replace(P_SINCE, html.escape(since_text))
            .replace(P_UNSUB, html.escape(unsub))
            .replace(P_TOKEN, token)
        )
        headers = {
            "List-Unsubscribe": f"<{unsub}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{self.newsletter.name} <{self.newsletter.slug}.newsletters.{_host()}>",
        }
        if message_id is not None:
            headers["Message-ID"] = message_id
        if self.newsletter.reply_to:
            headers["Reply-To"] = self.newsletter.reply_to
        message = EmailMultiAlternatives(
            subject=cached.subject,
            body=text,
            from_email=self.from_address(),
            to=[to],
            headers=headers,
        )
        message.attach_alternative(body_html, "text/html")
        return message

    def from_address(self) -> str:
        name = self.newsletter.sender_name or self.config.publication
        _default_name, default_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        return formataddr(
            (name, self.newsletter.sender_email or default_address or settings.DEFAULT_FROM_EMAIL)
        )


def _host() -> str:
    return urlsplit(site_root_url()).hostname or "localhost"


def _postal_address() -> str:
    from wagtail.models import Site

    from masthead.core.models import PublicationSettings

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return ""
    return PublicationSettings.for_site(site).postal_address.strip()


def _date_text(when: datetime | None, language: str) -> str:
    if when is None:
        return ""
    with translation.override(language):
        return formats.date_format(timezone.localtime(when), "DATE_FORMAT")


# -- the cut of one article ---------------------------------------------------------------------------


def _cut(article: Any, verdict: ArticleAccess) -> ArticleCopy:
    blocks = list(article.body)
    keep = teaser_length(total_blocks=len(blocks), configured=verdict.teaser_blocks)
    teaser, rest = blocks[:keep], (blocks[keep:] if verdict.granted else [])
    prompt = verdict.prompt
    # A metered article decided by the e-mail's rule ("no free article left"): the reader may well
    # have free articles left on the site, so the offer prompt's "you have read all your free
    # articles" would be untrue here; say where the rest is instead.
    mail_meter_note = verdict.decision.reason is Reason.METER_EXHAUSTED
    text = ""
    if prompt is not None and not verdict.granted:
        text = "" if (mail_meter_note and prompt.state is PromptState.OFFER) else prompt.text
    return ArticleCopy(
        article=article,
        verdict=verdict,
        url=article.get_full_url() or absolute_url(article.url or "/"),
        teaser_html=_blocks_html(teaser),
        teaser_text=_blocks_text(teaser),
        rest_html=_blocks_html(rest),
        rest_text=_blocks_text(rest),
        prompt_text=text,
        mail_meter_note=mail_meter_note,
        sponsor=article.sponsor if article.is_sponsored else None,
    )


_P = 'style="margin:0 0 16px;"'


def _absolute(fragment: str) -> str:
    return _RELATIVE_HREF.sub(lambda m: f'{m.group(1)}="{site_root_url()}/', fragment)


def _rich_text(value: Any) -> str:
    from wagtail.rich_text import expand_db_html

    source = getattr(value, "source", str(value))
    return _absolute(expand_db_html(source))


def _blocks_html(blocks: list[Any]) -> str:
    parts = []
    for block in blocks:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            parts.append(f"<div {_P}>{_rich_text(value)}</div>")
        elif kind == "heading":
            parts.append(f'<h3 style="font-size:19px;margin:24px 0 8px;">{html.escape(str(value))}</h3>')
        elif kind == "image" and value.get("image") is not None:
            rendition = value["image"].get_rendition("width-1160")
            alt = html.escape(value.get("caption") or value["image"].default_alt_text or "")
            caption = html.escape(value.get("caption") or "")
            parts.append(_email_figure(rendition.url, alt=alt, width=536, caption=caption))
        elif kind == "pull_quote":
            who = value.get("attribution")
            parts.append(_email_quote(value["quote"], who))
        elif kind == "fact_box":
            parts.append(
                '<div style="margin:0 0 16px;padding:12px 14px;background-color:#f3f0e8;">'
                f'<p style="margin:0 0 8px;font-weight:bold;">{html.escape(value["title"])}</p>'
                f"{_rich_text(value['body'])}</div>"
            )
        elif kind == "related_article":
            page = value.get("article")
            if page is not None and page.live:
                label = html.escape(value.get("label") or gettext("Related"))
                url = html.escape(page.get_full_url() or absolute_url(page.url or "/"))
                parts.append(f'<p {_P}>{label}: <a href="{url}">{html.escape(page.title)}</a></p>')
    return mark_safe("\n".join(parts))  # noqa: S308 (escaped above; rich text is Wagtail's own HTML)


def _blocks_text(blocks: list[Any]) -> str:
    parts = []
    for block in blocks:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            parts.append(html.unescape(strip_tags(_rich_text(value))).strip())
        elif kind == "heading":
            parts.append(str(value).upper())
        elif kind == "image" and value.get("image") is not None and value.get("caption"):
            parts.append(f"[{value['caption']}]")
        elif kind == "pull_quote":
            who = value.get("attribution")
            parts.append(f"“{value['quote']}”" + (f" — {who}" if who else ""))
        elif kind == "fact_box":
            parts.append(f"{value['title']}\n{html.unescape(strip_tags(_rich_text(value['body']))).strip()}")
        elif kind == "related_article":
            page = value.get("article")
            if page is not None and page.live:
                parts.append(
                    f"{value.get('label') or gettext('Related')}: {page.title} {page.get_full_url()}"
                )
    return "\n\n".join(p for p in parts if p)


def _email_figure(url: str, *, alt: str, width: int, caption: str) -> str:
    """A photo in an e-mail's column (inline styles: mail clients drop style sheets). `alt` and
    `caption` arrive escaped."""
    figcaption = (
        f'<figcaption style="font-size:13px;color:#4a4a4a;">{caption}</figcaption>' if caption else ""
    )
    return (
        f'<figure style="margin:0 0 16px;"><img src="{html.escape(absolute_url(url))}" '
        f'alt="{alt}" width="{width}" style="width:100%;max-width:536px;height:auto;display:block;">'
        f"{figcaption}</figure>"
    )


def _email_quote(quote: str, who: str | None) -> str:
    return (
        '<blockquote style="margin:0 0 16px;padding:0 0 0 14px;border-left:3px solid #a4001d;'
        f'font-style:italic;">{html.escape(quote)}'
        + (f"<br>— {html.escape(who)}" if who else "")
        + "</blockquote>"
    )


# -- the issue's own blocks ----------------------------------------------------------------------------

# An e-mail image: a rendition of sane width, shown at the column's width.
ISSUE_IMAGE_SPEC = "width-600"


def _caption(value: Any) -> str:
    credit = value.get("credit")
    credit_text = gettext("Photo: %(credit)s") % {"credit": credit} if credit else ""
    return " ".join(part for part in (value.get("caption"), credit_text) if part)


def _issue_body_html(blocks: list[Any]) -> str:
    parts = []
    for block in blocks:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            parts.append(f"<div {_P}>{_rich_text(value)}</div>")
        elif kind == "heading":
            parts.append(f'<h2 style="font-size:19px;margin:24px 0 8px;">{html.escape(str(value))}</h2>')
        elif kind == "image" and value.get("image") is not None:
            image = value["image"]
            rendition = image.get_rendition(ISSUE_IMAGE_SPEC)
            alt = html.escape(image.default_alt_text or value.get("caption") or "")
            caption = html.escape(_caption(value))
            parts.append(
                _email_figure(rendition.url, alt=alt, width=min(rendition.width, 536), caption=caption)
            )
        elif kind == "quote":
            who = value.get("attribution")
            parts.append(_email_quote(value["quote"], who))
        elif kind == "divider":
            parts.append('<hr style="border:0;border-top:1px solid #d9d5cc;margin:18px 0;">')
    return mark_safe("\n".join(parts))  # noqa: S308 (escaped above; rich text is Wagtail's own HTML)


def _issue_body_text(blocks: list[Any]) -> str:
    parts = []
    for block in blocks:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            parts.append(html.unescape(strip_tags(_rich_text(value))).strip())
        elif kind == "heading":
            parts.append(str(value).upper())
        elif kind == "image" and value.get("image") is not None:
            shown = _caption(value)
            parts.append(f"[{shown or value['image'].default_alt_text or value['image'].title}]")
        elif kind == "quote":
            who = value.get("attribution")
            parts.append(f"“{value['quote']}”" + (f" — {who}" if who else ""))
        elif kind == "divider":
            parts.append("----")
    return "\n\n".join(p for p in parts if p)


# -- the contract's functions -----------------------------------------------------------------------


def kind_of(reader: Any, *, now: datetime | None = None) -> ReaderKind:
    """The reader's kind for the access decision, from their account's entitlements (no request)."""
    return reader_kind_of_account(identity=ReaderIdentity.for_user(reader), now=now)


def render_issue(issue: Issue, reader: Any, *, test: bool = False) -> EmailMultiAlternatives:
    """The reader's copy of `issue`, cut by the access decision, with unsubscribe headers and footer."""
    renderer = IssueRenderer(issue)
    subscription = (
        NewsletterSubscription.objects.filter(reader=reader, newsletter_id=issue.newsletter_id)
        .only("created_at")
        .first()
    )
    return renderer.message(
        to=reader.email,
        kind=kind_of(reader),
        user_id=int(reader.pk),
        language=reader_language(user=reader),
        since=subscription.created_at if subscription else None,
        test=test,
    )


def render_issue_as(issue: Issue, reader_kind: str, *, to: str = "") -> EmailMultiAlternatives:
    """A preview for a synthetic reader of that kind (the admin's "preview as")."""
    kind = KIND_ALIASES.get(reader_kind) or ReaderKind(reader_kind)
    host = _host()
    return IssueRenderer(issue).message(
        to=to or f"reader@{host}",
        kind=kind,
        user_id=None,
        language=settings.LANGUAGE_CODE,
        since=timezone.now(),
        test=False,
    )


def is_entitled(kind: ReaderKind) -> bool:
    return kind in ENTITLED_KINDS
