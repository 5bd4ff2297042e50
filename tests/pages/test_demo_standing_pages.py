"""The demo's standing pages: real text for The Meridian Ledger, in the footer, linking to real
stories, and built once however often `build_demo` runs."""

from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client

from masthead.pages.models import StandardPage
from tests.demo.built import demo_fixture

pytestmark = pytest.mark.django_db

# The demo built once for the module (tests/demo/built.py); each test's changes are rolled back.
demo = demo_fixture()


def build() -> None:
    call_command("build_demo", stdout=io.StringIO())


def test_demo_fills_the_footer_pages_with_the_publications_own_text(demo):
    reader = Client()
    soup = BeautifulSoup(reader.get("/").content, "html.parser")
    footer = [(a.get_text(strip=True), a["href"]) for a in soup.select(".site-footer__links--pages a")]
    assert footer == [
        ("About us", "/about/"),
        ("Contact", "/contact/"),
        ("Terms of use", "/terms/"),
        ("Privacy policy", "/privacy/"),
        ("Corrections", "/corrections/"),
    ]
    pages = {href: BeautifulSoup(reader.get(href).content, "html.parser") for _, href in footer}
    for href, page in pages.items():
        text = page.select_one("article.standing-page").get_text(" ", strip=True)
        assert len(text.split()) > 80, href  # real text, not a placeholder
        assert page.select_one(".standing-page__updated time"), href
        for link in page.select(".standing-page__body a[href]"):
            target = link["href"]
            if target.startswith("mailto:"):
                assert target.endswith("@example.com"), target
            else:
                assert target.startswith("/") and reader.get(target).status_code == 200, target

    privacy = pages["/privacy/"].get_text(" ", strip=True)
    for fact in (
        "masthead_meter",
        "no third-party trackers",
        "export your data",
        "delete your account",
        "Stripe",
    ):
        assert fact.lower() in privacy.lower(), fact
    contact = pages["/contact/"].get_text(" ", strip=True)
    assert "news@example.com" in contact and "corrections@example.com" in contact

    corrections = pages["/corrections/"].select(".standing-page__body a[href^='/']")
    stories = {a["href"] for a in corrections}
    assert len(stories) == 2
    for href in stories:
        story = BeautifulSoup(reader.get(href).content, "html.parser")
        assert story.select_one("article.article h1"), href  # a demo story, not another page


def test_running_the_demo_again_adds_no_page_and_keeps_an_editors_change(demo):
    about = StandardPage.objects.get(slug="about")
    about.intro = "Edited by the managing editor."
    about.save_revision().publish()
    build()
    assert StandardPage.objects.count() == 5
    assert StandardPage.objects.get(slug="about").intro == "Edited by the managing editor."
