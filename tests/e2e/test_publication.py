"""A reader in a real browser: front page -> section -> article, on a phone and on a desktop."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from masthead.sponsored.models import Sponsor
from tests.builders import make_article, make_image, make_publication
from tests.e2e.conftest import AXE_PATH

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADLINES = [
    ("Politics", "Kessen recalls its ambassador as border talks stall"),
    ("Business", "Valdora shipyards win a twelve-ship order"),
    ("Markets", "Bond yields ease after the central bank holds"),
    ("Politics", "Coalition partners agree a budget timetable"),
    ("Business", "Harbour strike enters its third week"),
    ("Markets", "Copper rallies on port reopening"),
]


@pytest.fixture
def site(live_server, wagtail_roots):
    cache.clear()
    pub = make_publication(("Politics", "Business", "Markets"))
    by_name = {section.title: section for section in pub.sections}
    for section_name, title in HEADLINES:
        make_article(pub, section=by_name[section_name], title=title, with_image=True, access="free")
    sponsor = Sponsor.objects.create(
        name="Harbour Freight Co.",
        url="https://harbour-freight.example/",
        logo=make_image("Sponsor logo", size=(240, 60)),
        disclosure="Paid for by Harbour Freight Co. Written by our partner studio, not our newsroom.",
    )
    sponsored = make_article(pub, section=by_name["Business"], sponsor=sponsor, title="Moving freight faster")
    return {"pub": pub, "url": live_server.url, "sponsored": sponsored}


def visible_text(page) -> str:
    return page.locator("body").inner_text()


def assert_reader_text_is_clean(page) -> None:
    text = visible_text(page)
    for leftover in ("{{", "{%", "%}", "Created with", "icon--"):
        assert leftover not in text, leftover


@pytest.mark.parametrize("width", [375, 1280])
def test_reader_goes_from_front_page_to_section_to_article(site, open_page, request_log, screenshots, width):
    page = open_page(width=width)
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    page.goto(site["url"] + "/")
    assert page.locator(".front-lead .card__headline").inner_text()
    page.screenshot(path=screenshots / f"front-{width}.png", full_page=True)
    assert_reader_text_is_clean(page)

    if width < 768:
        assert not page.locator(".section-nav").is_visible()
        page.locator("details.menu summary").click()
        page.locator("details.menu nav").get_by_role("link", name="Business").click()
    else:
        page.locator(".section-nav").get_by_role("link", name="Business").click()
    page.wait_for_url("**/business/")
    assert page.locator("h1").inner_text() == "Business"
    page.screenshot(path=screenshots / f"section-{width}.png", full_page=True)

    page.get_by_role("link", name="Valdora shipyards win a twelve-ship order").click()
    page.wait_for_url("**/business/story-*/")
    assert page.locator("h1").inner_text() == "Valdora shipyards win a twelve-ship order"
    assert page.locator("figure.hero figcaption").is_visible()
    assert page.locator(".byline a").first.is_visible()
    hero = page.locator("figure.hero img")
    assert hero.evaluate("img => img.complete && img.naturalWidth > 0")
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=screenshots / f"article-{width}.png", full_page=True)
    assert_reader_text_is_clean(page)

    page.goto(site["url"] + site["sponsored"].url)
    assert page.get_by_text("Sponsored content").first.is_visible()
    page.get_by_text("About sponsored content").click()
    assert page.get_by_text("Written by our partner studio").is_visible()
    page.screenshot(path=screenshots / f"sponsored-{width}.png", full_page=True)

    assert request_log.urls, "the request log recorded nothing"
    assert request_log.external() == []
    assert errors == [], errors  # a CSP violation would show up here


def test_menu_works_with_javascript_disabled(site, open_page, screenshots):
    page = open_page(width=375, javascript=False)
    page.goto(site["url"] + "/")
    menu_link = page.locator("details.menu nav").get_by_role("link", name="Markets")
    assert not menu_link.is_visible()

    page.locator("details.menu summary").click()

    assert menu_link.is_visible()
    page.screenshot(path=screenshots / "menu-open-nojs-375.png")
    menu_link.click()
    page.wait_for_url("**/markets/")
    assert page.locator("h1").inner_text() == "Markets"


def test_print_hides_navigation_and_share_links(site, open_page, screenshots):
    page = open_page(width=1280)
    page.goto(site["url"] + "/")
    page.locator(".front-lead .card__headline a").click()
    page.wait_for_url("**/story-*/")
    assert page.locator(".share").is_visible()

    page.emulate_media(media="print")

    assert not page.locator("header.masthead").is_visible()
    assert not page.locator(".section-nav").is_visible()
    assert not page.locator(".share").is_visible()
    assert not page.locator("footer.site-footer").is_visible()
    assert page.locator("h1").is_visible()
    assert page.locator(".print-masthead").is_visible()
    assert page.locator(".print-masthead").inner_text().strip()
    printed = page.locator(".article-footer .print-only")
    assert printed.is_visible()
    assert "/story-" in printed.inner_text() and "printed" in printed.inner_text()
    page.screenshot(path=screenshots / "article-print.png", full_page=True)


def test_print_link_without_javascript_opens_a_print_view(site, open_page):
    page = open_page(width=1280, javascript=False)
    page.goto(site["url"] + site["pub"].articles[0].url)

    page.locator(".share").get_by_role("link", name="Print").click()

    page.wait_for_url("**?print=1")
    assert not page.locator("header.masthead").is_visible()
    assert page.locator(".print-masthead").is_visible()
    assert page.locator(".article-footer .print-only").is_visible()


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE_PATH))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", [375, 1280])
def test_no_serious_accessibility_violations(site, open_page, width):
    # bypass_csp only so the test can inject axe-core; the pages themselves load nothing inline.
    page = open_page(width=width, bypass_csp=True)
    pub = site["pub"]
    pages = {
        "front": "/",
        "section": pub.sections[0].url,
        "article": pub.articles[0].url,
        "sponsored": site["sponsored"].url,
        "search": "/search/?q=harbour",
        "empty search": "/search/",
        "topic": f"/topics/{pub.topic.slug}/",
        "404": "/no-such-page/",
    }
    found = {}
    for name, path in pages.items():
        page.goto(site["url"] + path)
        violations = axe_violations(page)
        if violations:
            found[name] = violations
    assert found == {}
