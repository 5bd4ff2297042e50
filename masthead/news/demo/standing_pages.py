"""The demo publication's standing pages: About, Contact, Terms of use, Privacy policy, Corrections.

Each is looked up by its slug under the front page and created only when missing, so running the
build again changes nothing and never overwrites what an editor has changed since. The privacy
policy describes what this software really stores; the corrections link to demo stories.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from masthead.news.demo import newsroom
from masthead.news.models import ArticlePage, HomePage
from masthead.pages.models import StandardPage

NAME = newsroom.PUBLICATION_NAME
CITY = "Savrin"


@dataclass(frozen=True)
class StandingPage:
    slug: str
    title: str
    intro: str
    updated_days_ago: int
    # Given `link(slug)`, the attributes of a rich-text link to that page or story.
    body: Callable[[Callable[[str], str]], list[dict[str, object]]]


def _p(*paragraphs: str) -> list[dict[str, object]]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]


def _h(text: str) -> list[dict[str, object]]:
    return [{"type": "heading", "value": text}]


def _list(*items: str) -> list[dict[str, object]]:
    return [{"type": "paragraph", "value": "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"}]


def _mail(address: str) -> str:
    return f'<a href="mailto:{address}">{address}</a>'


def _about(link: Callable[[str], str]) -> list[dict[str, object]]:
    return [
        *_p(
            f"{NAME} is an independent business newspaper published from {CITY}. We report on "
            "companies, markets and the politics between capitals that ends up on balance sheets, "
            "with a newsroom of reporters and editors in Valdora, Kessen and Talvany.",
            "We are paid for by our readers. Subscriptions cover the newsroom; there is no "
            "advertising network on our pages, no tracking for advertisers and no owner with a "
            "business interest in what we cover.",
        ),
        *_h("How we work"),
        *_p(
            "Every story is checked by an editor before it is published. We name our sources "
            "wherever we can, and say why when we cannot. Opinion pieces are labelled as opinion "
            "and are kept apart from news reporting.",
            "Sponsored articles are written by the Ledger Partner Studio for a named sponsor. They "
            "are labelled as sponsored on every page where they appear, with a note saying who "
            "paid for them. Our reporters and editors have no part in them, and sponsors have no "
            "say over anything else we publish.",
            f"When we get something wrong we correct it and say so: see our <a {link('corrections')}>"
            "corrections</a>.",
        ),
        *_h("Reading the Ledger"),
        *_p(
            "Anyone can read a few articles each month without an account. A free account adds "
            "more; a subscription gives unlimited access on the web and in our apps. Some "
            "articles are free to all, always: urgent public-interest reporting and anything "
            "sponsored.",
        ),
        *_h("The newsroom"),
        _fact_box(
            "Editors",
            [
                f"{author.name}, {author.role}"
                for author in newsroom.AUTHORS
                if author.slug != "partner-studio"
            ],
        ),
    ]


def _fact_box(title: str, items: list[str]) -> dict[str, object]:
    body = "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"
    return {"type": "fact_box", "value": {"title": title, "body": body}}


def _contact(link: Callable[[str], str]) -> list[dict[str, object]]:
    return [
        *_h("News tips"),
        *_p(
            f"Write to the newsroom at {_mail('news@example.com')}. Tell us what you know and how you "
            "know it. We read everything, and we protect our sources: if you need to stay "
            "anonymous, say so in your first message and do not write from a work account.",
        ),
        *_h("Corrections"),
        *_p(
            f"Seen a mistake? Write to {_mail('corrections@example.com')} with the article's address "
            f"and what is wrong. How we handle corrections: <a {link('corrections')}>corrections</a>.",
        ),
        *_h("Your subscription and account"),
        *_p(
            f"Most things can be done on your account page: change your plan, cancel, download or "
            f"delete your data. For anything else, write to {_mail('help@example.com')}; we answer "
            "within one working day.",
        ),
        *_h("Letters to the editor"),
        *_p(
            f"Letters for publication go to {_mail('letters@example.com')}. Please include your name "
            "and the town you write from. Letters may be shortened.",
        ),
        *_h("Press and partnerships"),
        *_p(
            f"Press enquiries: {_mail('press@example.com')}. Sponsored content with the Ledger "
            f"Partner Studio: {_mail('partners@example.com')}.",
        ),
        _fact_box("By post", [NAME, "14 Canal Street", f"{CITY} 1021", "Valdora"]),
    ]


def _terms(link: Callable[[str], str]) -> list[dict[str, object]]:
    return [
        *_h("Using the site"),
        *_p(
            f"These terms apply when you read {NAME} on the web or in our apps. By using them you "
            "agree to these terms. If you do not agree, please do not use the site.",
            "You may read, print and share links to our articles for your own, non-commercial use. "
            "You may quote short passages with a link to the article. Copying whole articles, "
            "republishing them, or collecting them automatically (scraping) needs our written "
            "permission.",
        ),
        *_h("Free articles and accounts"),
        *_p(
            "Readers without an account get a number of free articles in each period, and readers "
            "with a free account get more; the page tells you how many are left. Trying to get "
            "round the limit, for example with automated requests, is not allowed.",
            "Keep your password to yourself: an account is for one person. You can close your "
            "account at any time from your account page.",
        ),
        *_h("Subscriptions and payment"),
        *_p(
            "Prices, what each plan includes and any introductory offer are shown before you pay. "
            "A subscription renews automatically at the end of each period at the price shown, "
            "until you cancel. You can cancel at any time on your account page; you keep access "
            "until the end of the period you have paid for, and are not charged again.",
            "If you are charged twice for the same subscription, we refund the second payment in "
            "full without being asked.",
        ),
        *_h("Changes"),
        *_p(
            "We will tell subscribers by e-mail at least 30 days before a price change or a change "
            "to these terms that affects them. The date at the top of this page says when they "
            f"last changed. Questions: {_mail('help@example.com')}, or see our <a {link('contact')}>"
            "contact page</a>.",
        ),
    ]


def _privacy(link: Callable[[str], str]) -> list[dict[str, object]]:
    return [
        *_p(
            "The short version: we keep what we need to run the meter, your account and your "
            "subscription, and nothing for advertisers. There are no third-party trackers, "
            "advertising networks, analytics services, fonts or scripts on our pages: everything "
            "your browser loads comes from our own server.",
        ),
        *_h("Cookies"),
        *_list(
            "<b>masthead_meter</b>: a random identifier, signed so it cannot be forged, that lets us "
            "count your free articles without an account. It holds no count and nothing about you, "
            "cannot be read by scripts, and lasts up to 400 days.",
            "<b>sessionid</b>: set when you log in, so you stay logged in. Logging out ends it.",
            "<b>csrftoken</b>: set when you use a form, to stop other sites submitting forms in your name.",
            "<b>django_language</b>: only if you choose a language in the footer.",
            "<b>messages</b>: for a moment after an action, to show you a note such as "
            "\u201cYou are logged out\u201d on the next page.",
        ),
        *_h("What we store"),
        *_list(
            "For the meter: which articles each meter identifier or account has opened in the "
            "current period, and when. Reads that no current period can use are deleted every day.",
            "For new readers: to limit how many fresh meters one network can start in a day, a "
            "keyed hash of your network (never the address itself), deleted once that day is over.",
            "For sign-in protection: failed sign-ins for each account and network, kept for 15 minutes.",
            "For your account: your e-mail address, your name if you give it, your password "
            "(only as an Argon2id hash: we cannot read it), when you joined and last logged in, "
            "and your e-mail choices.",
            "For your subscription: your plan, its dates and each payment (amount, date and "
            "invoice number). Card details go straight to our payment provider, Stripe, on its "
            "own payment page, and never reach our servers.",
        ),
        *_h("Your data on your account page"),
        *_p(
            "On your account page you can <b>export your data</b>: everything listed above that is "
            "linked to your account, as a JSON file. You can also <b>delete your account</b>: "
            "we delete your profile, subscriptions, access and reading history, and ask Stripe to "
            "delete your customer record. Payment records are kept only as bookkeeping law "
            "requires, with your e-mail address and the link to you removed.",
        ),
        *_h("E-mail"),
        *_p(
            "We send e-mail only about your account and subscription (confirmations, sign-in "
            "codes, receipts, renewals), plus newsletters you choose on your account page. Our "
            "e-mails carry no tracking pixels.",
        ),
        *_h("Questions"),
        *_p(
            f"Write to {_mail('privacy@example.com')}, or by post to the address on our "
            f"<a {link('contact')}>contact page</a>.",
        ),
    ]


def _corrections(link: Callable[[str], str]) -> list[dict[str, object]]:
    return [
        *_p(
            "We correct errors of fact as soon as we know about them. The corrected article says "
            "what was changed and when, and the correction is listed here. We do not quietly "
            "change articles: spelling and style fixes aside, every change to a fact is noted.",
            f"To report an error, write to {_mail('corrections@example.com')}.",
        ),
        *_h("Recent corrections"),
        *_p(
            f"<a {link('bank-of-valdora-holds-rates-warns-on-rift')}>Bank of Valdora holds "
            "rates at 4.25% and warns the rift could feed inflation</a>: an earlier version of this "
            "article said the bank\u2019s monetary policy committee has nine members. It has seven.",
            f"<a {link('brightwater-profit-falls-as-shoppers-trade-down')}>Brightwater\u2019s "
            "profit falls as shoppers trade down to own-brand goods</a>: an earlier version of this "
            "article said Brightwater\u2019s shares fell 11%. They fell 9%.",
        ),
    ]


PAGES = [
    StandingPage(
        "about",
        "About us",
        f"Who publishes {NAME}, who pays for it, and how we work.",
        120,
        _about,
    ),
    StandingPage(
        "contact",
        "Contact",
        "How to reach the newsroom, the corrections desk and subscriber help.",
        45,
        _contact,
    ),
    StandingPage(
        "terms",
        "Terms of use",
        "The rules for reading, sharing and subscribing.",
        90,
        _terms,
    ),
    StandingPage(
        "privacy",
        "Privacy policy",
        "What we store about you, why, for how long, and how to take it with you or delete it.",
        30,
        _privacy,
    ),
    StandingPage(
        "corrections",
        "Corrections",
        "Mistakes we have made, and how we put them right.",
        2,
        _corrections,
    ),
]


def ensure_standing_pages(*, home: HomePage, now: datetime, notes: list[str]) -> list[StandardPage]:
    """Create each standing page that is missing (after the articles, which the pages link to).

    Missing pages are first added as drafts, so every page has an id the others can link to
    (links by id follow a page that editors move or rename), then filled and published.
    """
    found = {page.slug: page for page in StandardPage.objects.child_of(home).filter(slug__in=_slugs())}
    missing = [demo for demo in PAGES if demo.slug not in found]
    for demo in missing:
        draft = StandardPage(title=demo.title, slug=demo.slug, intro=demo.intro, live=False)
        home.add_child(instance=draft)
        found[demo.slug] = draft

    def link(slug: str) -> str:
        page = found.get(slug) or ArticlePage.objects.get(slug=slug)
        return f'linktype="page" id="{page.pk}"'

    for demo in missing:
        page = found[demo.slug].specific
        page.body = demo.body(link)
        page.last_updated = (now - timedelta(days=demo.updated_days_ago)).date()
        page.save_revision().publish()
        notes.append(f"page {demo.title}")
    return [StandardPage.objects.get(pk=found[demo.slug].pk) for demo in PAGES]


def _slugs() -> list[str]:
    return [demo.slug for demo in PAGES]
