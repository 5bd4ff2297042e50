"""A walk through every page type a reader can meet, in every reader state, with the Django test client.

`walk_every_page()` builds a small publication (standing pages, every kind of article, an offer),
then opens each page as each kind of reader would and keeps what the server sent, named by page
and state, for one batch of the Nu HTML checker. Readers are made in the state they describe
(meter spent by reading other stories first, entitlements as billing grants them), and the prompt
each article page showed is kept so the test can check the states were really reached.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core import mail
from django.db import OperationalError
from django.test import Client, RequestFactory, override_settings
from django.test.signals import template_rendered
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from wagtail.models import PageViewRestriction

from masthead.access.entitlements import grant_entitlement
from masthead.api.tokens import issue_user_token
from masthead.billing.models import Interval, Offer, Plan
from masthead.core.views import server_error
from masthead.news.blocks import ArticleBodyBlock
from masthead.sponsored.models import Sponsor
from tests.builders import Publication, canary_for, make_article, make_image, make_publication, make_reader
from tests.news.conftest import rich_body
from tests.pages.conftest import add_standing_page

PASSWORD = "a long passphrase 42"
ANONYMOUS_LIMIT = 3  # MeterSettings' defaults, which this walk keeps
REGISTERED_LIMIT = 5
_emails = itertools.count(1)
# Templates every page or many share: named in a failure only when nothing else is.
SHARED_TEMPLATES = ("base.html", "includes/", "news/blocks/", "allauth/elements/", "allauth/layouts/")


@dataclass
class Seen:
    """One page as the server sent it, and what a developer needs to find it again."""

    page: str
    state: str
    url: str
    status: int
    html: str
    templates: list[str]

    @property
    def paywall(self) -> str | None:
        match = re.search(r'data-paywall-state="([^"]+)"', self.html)
        return match.group(1) if match else None

    @property
    def page_templates(self) -> str:
        """The page's own templates, where its markup comes from (not the frame, blocks or elements)."""
        own = [name for name in dict.fromkeys(self.templates) if not name.startswith(SHARED_TEMPLATES)]
        return ", ".join(own[:3]) or "?"

    @property
    def label(self) -> str:
        return f"{self.page} [{self.state}] {self.url}"


@dataclass
class Tour:
    seen: list[Seen] = field(default_factory=list)

    def keep(self, page: str, state: str, response: Any, *, status: int = 200) -> Seen:
        request = getattr(response, "request", None) or {}
        url = request.get("PATH_INFO", "?") + (
            f"?{request['QUERY_STRING']}" if request.get("QUERY_STRING") else ""
        )
        assert response.status_code == status, f"{page} [{state}] {url}: HTTP {response.status_code}"
        templates = [t.name for t in getattr(response, "templates", []) if t.name]
        seen = Seen(page, state, url, response.status_code, response.content.decode(), templates)
        self.seen.append(seen)
        return seen

    def get(
        self, page: str, state: str, client: Client, url: str, *, status: int = 200, **extra: Any
    ) -> Seen:
        return self.keep(page, state, client.get(url, **extra), status=status)

    def post(self, page: str, state: str, client: Client, url: str, data: dict, *, status: int = 200) -> Seen:
        return self.keep(page, state, client.post(url, data, follow=True), status=status)


# ---------- the publication ----------


@dataclass
class Newsroom:
    pub: Publication
    lead: Any  # metered, hero photo, every body block
    plain: Any  # metered, no hero photo, paragraphs only
    free: Any
    registered: Any
    subscribers: Any
    sponsored: Any
    fillers: list[Any]  # metered stories a reader reads to spend the meter
    standing: list[Any]
    offer: Offer
    plan: Plan


def build_newsroom() -> Newsroom:
    pub = make_publication(("Politics", "Business", "Markets"))
    free = make_article(pub, access="free", with_image=True, title="Ministers meet in Valdora")
    lead = make_article(pub, with_image=True, title="Harbour strike enters its second week")
    # Every block the StreamField offers (masthead.news.blocks.ArticleBodyBlock), then the canary.
    lead.body = rich_body(paragraphs=4, images=2, related=free) + [
        {"type": "paragraph", "value": f"<p>{canary_for(lead.slug)}</p>"}
    ]
    lead.save_revision().publish()
    lead.refresh_from_db()
    assert {block.block_type for block in lead.body} == set(ArticleBodyBlock().child_blocks), (
        "a block type is missing"
    )
    sponsor = Sponsor.objects.create(
        name="Harbour Freight Co.",
        url="https://harbour-freight.example/",
        logo=make_image("Harbour Freight logo", size=(300, 80)),
        disclosure="This content was paid for by Harbour Freight Co. The newsroom was not involved.",
    )
    newsroom = Newsroom(
        pub=pub,
        lead=lead,
        plain=make_article(pub, section=pub.sections[1]),
        free=free,
        registered=make_article(pub, access="registered", with_image=True),
        subscribers=make_article(pub, access="subscribers", with_image=True),
        sponsored=make_article(pub, sponsor=sponsor, with_image=True),
        # Enough stories in one section for a second page of its listing (12 a page).
        fillers=[make_article(pub, section=pub.sections[2]) for _ in range(13)],
        standing=[
            add_standing_page(pub, "About us", slug="about"),
            add_standing_page(pub, "Terms of use", slug="terms"),
            add_standing_page(pub, "Privacy policy", slug="privacy"),
            add_standing_page(pub, "Contact", slug="contact", footer=False),
        ],
        plan=(
            plan := Plan.objects.create(
                name="Monthly",
                interval=Interval.MONTH,
                price_minor=1500,
                currency="USD",
                benefits=["Unlimited articles", "The apps", "The newsletter"],
                trial_days=14,
                sort_order=1,
            )
        ),
        offer=Offer.objects.create(
            plan=plan,
            headline="3 months for $9",
            intro_price_minor=300,
            intro_intervals=3,
            starts_at=timezone.now() - timedelta(days=30),
            ends_at=timezone.now() + timedelta(days=30),
            featured=True,
        ),
    )
    Plan.objects.create(
        name="Annual", interval=Interval.YEAR, price_minor=15000, currency="USD", benefits=[], sort_order=2
    )
    return newsroom


# ---------- readers ----------

# Each reader state, what the lead article's prompt must be in it, and how to make the reader.
READER_STATES: dict[str, str | None] = {
    "anonymous, meter left": "metered-remaining",
    "anonymous, last free article": "metered-last",
    "anonymous, meter spent": "registration-wall",
    "registered, meter left": "metered-remaining",
    "registered, meter spent": "offer",
    "subscriber": None,
    "trialist": None,
    "lapsed subscriber": "access-expired",
    "expired trial": "trial-expired",
    "staff": None,
}


def account(kind: str) -> Any:
    user = make_reader(f"{kind.replace(' ', '-')}-{next(_emails)}@example.com", PASSWORD)
    now = timezone.now()
    grants = {
        "subscriber": ("subscription", now + timedelta(days=30)),
        "trialist": ("trial", now + timedelta(days=5)),
        "lapsed subscriber": ("subscription", now - timedelta(days=3)),
        "expired trial": ("trial", now - timedelta(days=3)),
    }
    if kind in grants:
        entitlement, ends_at = grants[kind]
        grant_entitlement(
            user=user,
            kind=entitlement,
            starts_at=now - timedelta(days=60),
            ends_at=ends_at,
            source_ref=f"html-{user.pk}",
        )
    if kind == "staff":
        user.is_staff = True
        user.save()
    return user


def reader_in(state: str, newsroom: Newsroom, *, language: str = "en") -> Client:
    """A reader in `state`, the meter spent by reading other stories first (not the lead)."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    kind = state.split(",")[0]
    if kind != "anonymous":
        client.force_login(account(kind))
    already_read = {
        "anonymous, last free article": ANONYMOUS_LIMIT - 1,
        "anonymous, meter spent": ANONYMOUS_LIMIT,
        "registered, meter spent": REGISTERED_LIMIT,
        # A lapsed reader or an expired trialist meets the wall once the meter is spent.
        "lapsed subscriber": REGISTERED_LIMIT,
        "expired trial": REGISTERED_LIMIT,
    }.get(state, 0)
    for story in newsroom.fillers[:already_read]:
        assert client.get(story.url).status_code == 200
    return client


# ---------- the walk ----------


def walk_articles(tour: Tour, newsroom: Newsroom) -> None:
    for state in READER_STATES:
        client = reader_in(state, newsroom)
        tour.get("article: metered, hero photo, every body block", state, client, newsroom.lead.url)
        tour.get("article: metered, hero photo, print version", state, client, newsroom.lead.url + "?print=1")
    # The meter store cannot be reached: the article fails closed and says why.
    with override_settings(MASTHEAD_METER_STORE="redis", MASTHEAD_METER_REDIS_URL="redis://127.0.0.1:1/0"):
        state = "anonymous, meter store down"
        down = tour.get("article: metered, hero photo, every body block", state, Client(), newsroom.lead.url)
        assert down.paywall == "meter-unavailable", down.paywall
        tour.get(
            "article: metered, hero photo, print version", state, Client(), newsroom.lead.url + "?print=1"
        )
    kinds = {
        "article: metered, no hero photo": newsroom.plain,
        "article: free": newsroom.free,
        "article: registered readers only": newsroom.registered,
        "article: subscribers only": newsroom.subscribers,
        "article: sponsored": newsroom.sponsored,
    }
    for state in ("anonymous, meter left", "anonymous, meter spent", "registered, meter spent", "subscriber"):
        client = reader_in(state, newsroom)
        for page, article in kinds.items():
            tour.get(page, state, client, article.url)
        tour.get(
            "article: subscribers only, print version", state, client, newsroom.subscribers.url + "?print=1"
        )
        tour.get(
            "article: registered only, print version", state, client, newsroom.registered.url + "?print=1"
        )


def walk_listings(tour: Tour, newsroom: Newsroom) -> None:
    pub = newsroom.pub
    for state in ("anonymous, meter left", "subscriber"):
        client = reader_in(state, newsroom)
        tour.get("front page", state, client, "/")
        tour.get("section page", state, client, pub.sections[0].url)
        second = tour.get("section page, page 2", state, client, pub.sections[2].url + "?page=2")
        assert "?page=1" in second.html or 'rel="prev"' in second.html, "no pagination on page 2"
        tour.get("topic page", state, client, f"/topics/{pub.topic.slug}/")
        tour.get("author page", state, client, f"/authors/{pub.author.slug}/")
        for page in newsroom.standing:
            tour.get(f"standing page: {page.title}", state, client, page.url)
        found = tour.get("search: results", state, client, "/search/?q=Valdora")
        assert f'href="{newsroom.free.url}"' in found.html, (
            "the search found nothing: its list went unchecked"
        )
        tour.get("search: no results", state, client, "/search/?q=zeppelinquartz")
        tour.get("search: markup in the query", state, client, "/search/?q=%3Cscript%3E%22x%22+%26+%3Cb%3E")
        tour.get("search: empty query", state, client, "/search/")
        tour.get("404 page", state, client, "/no-such-page/", status=404)
    # A page behind a Wagtail page password: the form that asks for it.
    protected = make_article(pub, access="free")
    PageViewRestriction.objects.create(
        page=protected, restriction_type=PageViewRestriction.PASSWORD, password="harbour-board-minutes"
    )
    tour.get("password-protected page", "anonymous", Client(), protected.url)
    restriction = PageViewRestriction.objects.get(page=protected)
    door = f"/_util/authenticate_with_password/{restriction.pk}/{protected.pk}/"
    tour.post(
        "password-protected page, wrong password",
        "anonymous",
        Client(),
        door,
        {"password": "wrong", "return_url": protected.url},
    )


def walk_subscribing(tour: Tour, newsroom: Newsroom, settings: Any) -> None:
    settings.MASTHEAD_PAYMENT_PROVIDER = "demo"
    tour.get("subscribe: offers", "anonymous", Client(), "/subscribe/")
    client = reader_in("registered, meter left", newsroom)
    tour.get("subscribe: offers", "registered", client, "/subscribe/")
    tour.post("subscribe: nothing chosen (error message)", "registered", client, "/subscribe/", {})
    checkout = client.post("/subscribe/", {"offer": newsroom.offer.pk})["Location"]
    tour.get("checkout: demo provider", "registered", client, checkout)
    tour.post("welcome page", "new subscriber", client, checkout, {})
    tour.get("account", "new subscriber (demo payment)", client, "/account/")
    tour.get("subscribe: offers", "subscriber", client, "/subscribe/")
    tour.post(
        "account: e-mail choices saved (message)",
        "subscriber",
        client,
        "/account/preferences/",
        {"language": "en"},
    )
    tour.post("account: subscription canceled (message)", "subscriber", client, "/account/cancel/", {})
    issue_user_token(user=client.get("/account/").wsgi_request.user, device_name="Reader's phone")
    tour.get("account: with a signed-in app, canceled", "subscriber", client, "/account/")
    trialist = Client()
    trialist.force_login(account("registered"))
    checkout = trialist.post("/subscribe/", {"plan": newsroom.plan.pk})["Location"]
    tour.post("welcome page", "new trialist", trialist, checkout, {})
    for state in ("registered, meter left", "trialist", "lapsed subscriber", "expired trial", "staff"):
        tour.get("account", state, reader_in(state, newsroom), "/account/")
    leaving = reader_in("registered, meter left", newsroom)
    tour.get("account: delete", "registered", leaving, "/account/delete/")
    tour.post(
        "account: delete, wrong password (form error)",
        "registered",
        leaving,
        "/account/delete/",
        {"password": "not it"},
    )
    tour.post("account: deleted", "registered", leaving, "/account/delete/", {"password": PASSWORD})


def mailed_link(path: str) -> str:
    found = re.search(rf"https?://[^/\s]+({re.escape(path)}\S+/)", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(1)


def walk_signing_in(tour: Tour, newsroom: Newsroom) -> None:
    anonymous = "anonymous"
    tour.get("log in", anonymous, Client(), "/accounts/login/")
    tour.post(
        "log in, wrong password (form error)",
        anonymous,
        Client(),
        "/accounts/login/",
        {"login": "nobody@example.com", "password": "wrong"},
    )
    tour.get("sign up", anonymous, Client(), "/accounts/signup/")
    tour.post(
        "sign up, passwords differ (form error)",
        anonymous,
        Client(),
        "/accounts/signup/",
        {"email": "not-an-address", "password1": "short", "password2": "other"},
    )
    joining = Client()
    tour.post(
        "sign up: verification sent",
        anonymous,
        joining,
        "/accounts/signup/",
        {"email": "joining@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    tour.get("confirm e-mail", anonymous, joining, mailed_link("/accounts/confirm-email/"))
    tour.get("confirm e-mail, expired link", anonymous, Client(), "/accounts/confirm-email/not-a-real-key/")
    tour.get("verification sent", anonymous, Client(), "/accounts/confirm-email/")

    tour.get("password reset", anonymous, Client(), "/accounts/password/reset/")
    make_reader("forgetful@example.com", PASSWORD)
    forgetful = Client()
    tour.post(
        "password reset: sent",
        anonymous,
        forgetful,
        "/accounts/password/reset/",
        {"email": "forgetful@example.com"},
    )
    tour.get("password reset: done page", anonymous, Client(), "/accounts/password/reset/done/")
    form = forgetful.get(mailed_link("/accounts/password/reset/key/"), follow=True)
    tour.keep("password reset: new password", anonymous, form)
    key_url = form.redirect_chain[-1][0]
    tour.post(
        "password reset: passwords differ (form error)",
        anonymous,
        forgetful,
        key_url,
        {"password1": "another long passphrase 7", "password2": "something else 8"},
    )
    tour.post(
        "password reset: changed",
        anonymous,
        forgetful,
        key_url,
        {"password1": "another long passphrase 7", "password2": "another long passphrase 7"},
    )
    tour.get(
        "password reset: used link",
        anonymous,
        Client(),
        "/accounts/password/reset/key/1-not-a-key/",
        follow=True,
    )

    tour.get("log in by code", anonymous, Client(), "/accounts/login/code/")
    make_reader("code@example.com", PASSWORD)
    by_code = Client()
    tour.post(
        "log in by code: enter the code",
        anonymous,
        by_code,
        "/accounts/login/code/",
        {"email": "code@example.com"},
    )
    tour.post(
        "log in by code: wrong code (form error)",
        anonymous,
        by_code,
        "/accounts/login/code/confirm/",
        {"code": "WRONG-CODE"},
    )

    for i in range(5):
        Client().post("/accounts/login/", {"login": "locked@example.com", "password": f"guess {i}"})
    refused = Client().post("/accounts/login/", {"login": "locked@example.com", "password": PASSWORD})
    tour.keep("log in: signing in paused", anonymous, refused, status=429)

    for state in ("registered, meter left", "subscriber"):
        client = reader_in(state, newsroom)
        tour.get("log out", state, client, "/accounts/logout/")
        tour.get("change password", state, client, "/accounts/password/change/")
        tour.get("e-mail address", state, client, "/accounts/email/")
        tour.get("confirm it is you", state, client, "/accounts/reauthenticate/")
        tour.get("password reset, already logged in", state, client, "/accounts/password/reset/")
    changing = reader_in("registered, meter left", newsroom)
    tour.post(
        "change password, wrong current password (form error)",
        "registered",
        changing,
        "/accounts/password/change/",
        {"oldpassword": "wrong", "password1": "x", "password2": "y"},
    )
    tour.get("account inactive", anonymous, Client(), "/accounts/inactive/")


@contextmanager
def rendering() -> Iterator[list[str]]:
    """The templates rendered inside the block (the test client does this for its own requests)."""
    names: list[str] = []

    def rendered(sender: Any, template: Any, **kwargs: Any) -> None:
        names.append(template.name)

    template_rendered.connect(rendered)
    try:
        yield names
    finally:
        template_rendered.disconnect(rendered)


def walk_outages(tour: Tour) -> None:
    """The error pages Django's handlers render (no test client: they run while an exception is
    being handled, the 503 for a database that is down)."""
    for language in ("en", "ja"):
        with translation.override(language):
            with rendering() as templates:
                try:
                    raise OperationalError("the database is down")
                except OperationalError:
                    response = server_error(RequestFactory().get("/politics/"))
            assert response.status_code == 503
            tour.seen.append(
                Seen("503 outage page", language, "/politics/", 503, response.content.decode(), templates)
            )
            with rendering() as templates:
                response = server_error(RequestFactory().get("/politics/"))
            assert response.status_code == 500
            tour.seen.append(
                Seen("500 page", language, "/politics/", 500, response.content.decode(), templates)
            )


def in_japanese(url: Any) -> str:
    """The Japanese version's address: public pages have theirs under /ja/ (reversed in Japanese),
    the rest (accounts, billing) keep theirs and go by the browser's language."""
    with translation.override("ja"):
        return url() if callable(url) else str(url)


def walk_japanese(tour: Tour, newsroom: Newsroom) -> None:
    ja = "Japanese"
    lead = in_japanese(newsroom.lead.get_url)
    for state in ("anonymous, meter left", "anonymous, meter spent", "registered, meter spent"):
        client = reader_in(state, newsroom, language="ja")
        tour.get("article: metered, hero photo, every body block", f"{state}, {ja}", client, lead)
    client = Client(HTTP_ACCEPT_LANGUAGE="ja")
    for page, url, status in (
        ("front page", newsroom.pub.home.get_url, 200),
        ("section page", newsroom.pub.sections[0].get_url, 200),
        ("search: results", lambda: reverse("search:results") + "?q=Valdora", 200),
        ("subscribe: offers", lambda: reverse("billing:subscribe"), 200),
        ("log in", lambda: reverse("account_login"), 200),
        ("sign up", lambda: reverse("account_signup"), 200),
        ("password reset", lambda: reverse("account_reset_password"), 200),
        ("404 page", lambda: newsroom.pub.home.get_url() + "no-such-page/", 404),
    ):
        tour.get(page, f"anonymous, {ja}", client, in_japanese(url), status=status)
    tour.post(
        "sign up, passwords differ (form error)",
        f"anonymous, {ja}",
        client,
        "/accounts/signup/",
        {"email": "not-an-address", "password1": "short", "password2": "other"},
    )
    subscriber = reader_in("subscriber", newsroom, language="ja")
    tour.get("account", f"subscriber, {ja}", subscriber, "/account/")
    tour.get(
        "article: subscribers only",
        f"subscriber, {ja}",
        subscriber,
        in_japanese(newsroom.subscribers.get_url),
    )
    japanese = [seen for seen in tour.seen if seen.state.endswith(ja)]
    assert all('<html lang="ja"' in seen.html for seen in japanese), [
        seen.label for seen in japanese if '<html lang="ja"' not in seen.html
    ]


def walk_newsletters(tour: Tour, newsroom: Newsroom) -> None:
    """The newsletters pages (masthead/newsletters), where the app is there: the sign-up page in each
    reader state and with a form error, the confirmation link (good and bad), the archive, and a
    sent issue's web page, whose lead article is cut like the article page."""
    try:
        index = reverse("newsletters:index")
    except NoReverseMatch:
        return
    from masthead.newsletters.models import Issue, IssueStory, Newsletter

    briefing = Newsletter.objects.create(
        name="The Morning Briefing", slug="morning-briefing", description="The day's news before breakfast."
    )
    insider = Newsletter.objects.create(
        name="Markets Insider", slug="markets-insider", description="For subscribers.", audience="subscribers"
    )
    now = timezone.now()
    lead_issue = Issue.objects.create(
        newsletter=briefing,
        subject="Harbour strike: day eight",
        intro="Good morning.",
        article=newsroom.lead,
        status=Issue.Status.SENT,
        started_at=now - timedelta(hours=2),
        finished_at=now - timedelta(hours=1),
    )
    for order, story in enumerate((newsroom.free, newsroom.plain)):
        IssueStory.objects.create(issue=lead_issue, article=story, sort_order=order)
    digest = Issue.objects.create(
        newsletter=briefing,
        subject="The week in Valdora",
        intro="What you missed.",
        status=Issue.Status.SENT,
        started_at=now - timedelta(days=7),
        finished_at=now - timedelta(days=7),
    )
    IssueStory.objects.create(issue=digest, article=newsroom.sponsored, sort_order=0)
    insider_issue = Issue.objects.create(
        newsletter=insider,
        subject="Bonds at the open",
        intro="Markets opened quietly.\n\nThe desk's note for subscribers.",
        body=[
            ("heading", "What moved"),
            ("paragraph", "<p>Rates held; <b>bonds</b> rallied.</p>"),
            ("image", {"image": make_image("Trading floor"), "caption": "The floor", "credit": "Desk"}),
            ("quote", {"quote": "Nobody expected the pause.", "attribution": "A trader"}),
            ("divider", None),
        ],
        article=newsroom.lead,
        status=Issue.Status.SENT,
        started_at=now - timedelta(hours=3),
        finished_at=now - timedelta(hours=3),
    )

    anonymous = Client()
    tour.get("newsletters", "anonymous", anonymous, index)
    tour.keep(
        "newsletters: sign-up with errors (form error)",
        "anonymous",
        anonymous.post(index, {"email": "not-an-address"}),
        status=400,
    )
    tour.post(
        "newsletters: sign-up sent (message)",
        "anonymous",
        anonymous,
        index,
        {"email": "letters@example.com", "newsletters": ["morning-briefing"]},
    )
    confirm = mailed_link("/newsletters/confirm/")
    tour.get("newsletters: confirm the sign-up", "anonymous", anonymous, confirm)
    tour.post("newsletters: confirmed", "anonymous", anonymous, confirm, {})
    tour.get(
        "newsletters: bad confirmation link",
        "anonymous",
        Client(),
        index + "confirm/not-a-token/",
        status=400,
    )
    for state in ("registered, meter left", "subscriber"):
        client = reader_in(state, newsroom)
        tour.get("newsletters", state, client, index)
        tour.post(
            "newsletters: choices saved (message)",
            state,
            client,
            index,
            {"newsletter": ["morning-briefing", "markets-insider"]},
        )
        tour.get("account, with newsletter choices", state, client, "/account/")
    walk_unsubscribing(tour, briefing)
    tour.get(
        "newsletter archive", "anonymous", Client(), reverse("newsletters:archive", args=[briefing.slug])
    )
    issue_url = reverse("newsletters:issue", args=[briefing.slug, lead_issue.pk])
    for state in READER_STATES:
        tour.get("newsletter issue: lead article", state, reader_in(state, newsroom), issue_url)
    digest_url = reverse("newsletters:issue", args=[briefing.slug, digest.pk])
    tour.get("newsletter issue: stories only", "anonymous", Client(), digest_url)
    insider_url = reverse("newsletters:issue", args=[insider.slug, insider_issue.pk])
    for state in ("anonymous, meter left", "registered, meter left", "lapsed subscriber", "subscriber"):
        tour.get("newsletter issue: subscribers only", state, reader_in(state, newsroom), insider_url)
    japanese = Client(HTTP_ACCEPT_LANGUAGE="ja")
    tour.get(
        "newsletters", "anonymous, Japanese", japanese, in_japanese(lambda: reverse("newsletters:index"))
    )
    tour.get(
        "newsletter issue: lead article",
        "anonymous, meter left, Japanese",
        japanese,
        in_japanese(lambda: reverse("newsletters:issue", args=[briefing.slug, lead_issue.pk])),
    )


def walk_unsubscribing(tour: Tour, newsletter: Any) -> None:
    """The one-click unsubscribe link of a newsletter e-mail: the page that asks, the page that says
    it is done, and a link whose signature is wrong."""
    try:
        from masthead.newsletters.unsubscribe import unsubscribe_url
    except ImportError:
        return
    reader = Client()
    user = account("registered")
    reader.force_login(user)
    reader.post(reverse("newsletters:index"), {"newsletter": [newsletter.slug]})
    link = urlsplit(unsubscribe_url(user, newsletter)).path
    tour.get("newsletter: unsubscribe", "registered, from the e-mail", Client(), link)
    tour.keep("newsletter: unsubscribed", "registered, from the e-mail", Client().post(link))
    tour.get("newsletter: unsubscribe, bad link", "anonymous", Client(), link.rstrip("/") + "0/", status=400)


def walk_every_page(settings: Any) -> Tour:
    tour = Tour()
    newsroom = build_newsroom()
    walk_articles(tour, newsroom)
    walk_listings(tour, newsroom)
    walk_subscribing(tour, newsroom, settings)
    walk_signing_in(tour, newsroom)
    walk_outages(tour)
    walk_newsletters(tour, newsroom)
    walk_japanese(tour, newsroom)
    return tour
