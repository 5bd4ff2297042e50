"""Fixtures for the site chrome: a small publication with its standing pages, and readers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone, translation

from masthead.access.entitlements import grant_entitlement
from masthead.pages.models import StandardPage
from tests.builders import Publication, make_article, make_publication, make_reader

PASSWORD = "a long passphrase 42"


@pytest.fixture(autouse=True)
def _cold_cache() -> Iterator[None]:
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()


@pytest.fixture
def pub(db: Any) -> Publication:
    pub = make_publication(("Politics", "Business"))
    make_article(pub, title="Ministers meet in Valdora")
    return pub


def add_standing_page(pub: Publication, title: str, *, slug: str, footer: bool = True) -> StandardPage:
    page = StandardPage(
        title=title,
        slug=slug,
        intro=f"What {title} says.",
        body=[{"type": "paragraph", "value": f"<p>The {title} page, in full.</p>"}],
        last_updated=date(2026, 11, 2),
        show_in_footer=footer,
    )
    pub.home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def standing(pub: Publication) -> list[StandardPage]:
    return [
        add_standing_page(pub, "About us", slug="about"),
        add_standing_page(pub, "Contact", slug="contact"),
        add_standing_page(pub, "Terms of use", slug="terms"),
        add_standing_page(pub, "Privacy policy", slug="privacy"),
        add_standing_page(pub, "Corrections", slug="corrections"),
    ]


def reader_of_kind(kind: str) -> Any:
    """An account as each kind of reader is right now (entitlements as billing grants them)."""
    user = make_reader(f"{kind}@example.com", PASSWORD)
    now = timezone.now()
    started = now - timedelta(days=60)
    if kind == "staff":
        user.is_staff = True
        user.save()
    grants = {
        "subscriber": ("subscription", now + timedelta(days=30)),
        "trialist": ("trial", now + timedelta(days=5)),
        "lapsed": ("subscription", now - timedelta(days=3)),
        "expired-trial": ("trial", now - timedelta(days=3)),
    }
    if kind in grants:
        entitlement_kind, ends_at = grants[kind]
        grant_entitlement(
            user=user, kind=entitlement_kind, starts_at=started, ends_at=ends_at, source_ref=f"test-{kind}"
        )
    return user


def client_for(kind: str) -> Client:
    client = Client()
    if kind != "anonymous":
        client.force_login(reader_of_kind(kind))
    return client
