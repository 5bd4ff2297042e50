from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from wagtail.models import Site

from masthead.access.entitlements import grant_entitlement
from masthead.access.models import MeterSettings
from masthead.api.tokens import issue_device_token, issue_user_token
from masthead.sponsored.models import Sponsor
from tests.builders import Publication, canary_for, make_article, make_publication


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pub(db):
    return make_publication(("Politics", "Business"))


def unique_word(role: str) -> str:
    """A made-up word no other text contains (letters only, so every engine keeps it whole)."""
    return role + "".join(secrets.choice(string.ascii_lowercase) for _ in range(10))


@dataclass
class Story:
    """An article and the words that appear in exactly one of its parts."""

    article: Any
    kind: str
    headline: str
    standfirst: str
    teaser: str
    gated: str

    @property
    def free_to_all(self) -> bool:
        return self.kind in ("free", "sponsored")


def make_story(pub: Publication, *, kind: str, section: Any = None) -> Story:
    sponsor = (
        Sponsor.objects.create(name=unique_word("sponsor"), disclosure="Paid for.")
        if kind == "sponsored"
        else None
    )
    access = "subscribers" if kind == "sponsored" else kind
    article = make_article(pub, access=access, sponsor=sponsor, section=section)
    words = {part: unique_word(part[:2]) for part in ("headline", "standfirst", "teaser", "gated")}
    article.title = f"{article.title} {words['headline']}"
    article.standfirst = f"{article.standfirst} It turns on {words['standfirst']}."
    paragraphs = [block.value.source for block in article.body]
    # The first paragraph is inside every teaser; the last is past any teaser (see tests.builders).
    paragraphs[0] = paragraphs[0].replace("ordinary reporting", f"ordinary reporting on {words['teaser']}")
    paragraphs[-1] = f"<p>{canary_for(article.slug)} Its secret is {words['gated']}.</p>"
    article.body = [{"type": "paragraph", "value": p} for p in paragraphs]
    article.save_revision().publish()
    article.refresh_from_db()
    return Story(article=article, kind=kind, **words)


@pytest.fixture
def newsroom(pub: Publication) -> list[Story]:
    """A front page's worth of what readers open: metered stories in both sections, one for
    registered readers, one for subscribers, a free one and a sponsored one."""
    kinds = ["metered", "free", "registered", "metered", "subscribers", "sponsored", "metered"]
    return [make_story(pub, kind=kind, section=pub.sections[i % 2]) for i, kind in enumerate(kinds)]


def set_meter(**values: Any) -> None:
    meter = MeterSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in values.items():
        setattr(meter, name, value)
    meter.save()


def make_account(email: str) -> Any:
    user = get_user_model().objects.create_user(email=email, password="a long passphrase 42")
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


@dataclass
class Searcher:
    """One reader, on the web (a browser session) and in the app (a bearer token)."""

    name: str
    web: Client
    token: str


def anonymous_reader() -> Searcher:
    return Searcher("anonymous", Client(), issue_device_token(device_name="Tablet").token)


def registered_reader_over_the_limit(pub: Publication) -> Searcher:
    set_meter(registered_limit=1)
    user = make_account("over-the-limit@example.com")
    web = Client()
    web.force_login(user)
    # Their one free article this month, then the wall.
    assert web.get(make_article(pub).url).status_code == 200
    return Searcher("registered over the limit", web, issue_user_token(user=user, device_name="Phone").token)


def lapsed_subscriber() -> Searcher:
    user = make_account("lapsed@example.com")
    now = timezone.now()
    grant_entitlement(
        user=user,
        kind="subscription",
        starts_at=now - timedelta(days=400),
        ends_at=now - timedelta(days=10),
        source_ref="search-test-lapsed",
    )
    web = Client()
    web.force_login(user)
    return Searcher("lapsed", web, issue_user_token(user=user, device_name="Phone").token)


def subscriber() -> Searcher:
    user = make_account("subscriber@example.com")
    now = timezone.now()
    grant_entitlement(
        user=user,
        kind="subscription",
        starts_at=now - timedelta(days=30),
        ends_at=now + timedelta(days=300),
        source_ref="search-test-subscriber",
    )
    web = Client()
    web.force_login(user)
    return Searcher("subscriber", web, issue_user_token(user=user, device_name="Phone").token)


@pytest.fixture(params=["anonymous", "registered over the limit", "lapsed"])
def reader_without_access(request: Any, pub: Publication) -> Searcher:
    return {
        "anonymous": anonymous_reader,
        "registered over the limit": lambda: registered_reader_over_the_limit(pub),
        "lapsed": lapsed_subscriber,
    }[request.param]()
