"""Standing pages (About, Contact, Terms of use, Privacy policy, Corrections): editable in the
Wagtail admin, linked from the footer of every page, free to every reader and never metered."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from masthead.access.models import MeterSettings
from masthead.pages.models import StandardPage
from tests.builders import canary_for, make_article
from tests.pages.conftest import add_standing_page, client_for

FOOTER_TITLES = ["About us", "Contact", "Terms of use", "Privacy policy", "Corrections"]


def footer_pages(html: str) -> list[tuple[str, str]]:
    soup = BeautifulSoup(html, "html.parser")
    return [
        (a.get_text(strip=True), a["href"])
        for a in soup.select("footer.site-footer .site-footer__links--pages a")
    ]


def test_every_page_links_the_standing_pages_from_its_footer_and_each_link_works(pub, standing):
    client = client_for("registered")
    urls = ["/", pub.sections[0].url, pub.articles[0].url, "/search/?q=Valdora", "/account/", "/subscribe/"]
    urls += [page.url for page in standing]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        links = footer_pages(response.content.decode())
        assert [title for title, _ in links] == FOOTER_TITLES, url
    for title, href in links:
        page = Client().get(href)
        assert page.status_code == 200, href
        assert BeautifulSoup(page.content, "html.parser").h1.get_text(strip=True) == title


def test_standing_page_shows_its_title_intro_body_and_last_updated_date(pub, standing):
    soup = BeautifulSoup(Client().get("/privacy/").content, "html.parser")
    article = soup.select_one("main article.standing-page")
    assert article.h1.get_text(strip=True) == "Privacy policy"
    assert article.select_one(".standing-page__intro").get_text(strip=True) == "What Privacy policy says."
    assert "The Privacy policy page, in full." in article.get_text()
    updated = article.select_one(".standing-page__updated time")
    assert updated["datetime"] == "2026-11-02" and updated.get_text(strip=True) == "Nov. 2, 2026"
    assert soup.title.get_text(strip=True).startswith("Privacy policy")


def test_a_page_out_of_the_footer_is_still_published_but_not_listed(pub, standing):
    add_standing_page(pub, "Careers", slug="careers", footer=False)
    response = Client().get("/")
    assert "Careers" not in [title for title, _ in footer_pages(response.content.decode())]
    assert Client().get("/careers/").status_code == 200


def test_standing_pages_are_free_and_never_counted_by_the_meter(pub, standing):
    """A reader at the registration wall still reads the privacy policy whole, and reading it
    spends nothing."""
    from wagtail.models import Site

    meter = MeterSettings.for_site(Site.objects.get(is_default_site=True))
    meter.anonymous_limit = 1
    meter.save()
    first, second = make_article(pub), make_article(pub)
    reader = Client()
    assert canary_for(first.slug) in reader.get(first.url).content.decode()
    for _ in range(3):
        page = reader.get("/privacy/")
        assert "The Privacy policy page, in full." in page.content.decode()
        assert "data-paywall-state" not in page.content.decode()
    walled = reader.get(second.url).content.decode()
    assert 'data-paywall-state="registration-wall"' in walled and canary_for(second.slug) not in walled


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser(email="editor@example.com", password="editor pass 42")


def publish_in_admin(client: Client, parent_id: int, *, title: str, slug: str) -> None:
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "intro": "Who runs the newsroom.",
            "body": streamfield([("paragraph", rich_text("<p>Our editors, by desk.</p>"))]),
            "show_in_footer": "on",
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    response = client.post(f"/admin/pages/add/pages/standardpage/{parent_id}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_editor_publishes_a_standing_page_in_the_admin_and_the_footer_lists_it_at_once(
    pub, standing, editor, settings
):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 60  # as in production: anonymous readers get kept pages
    anonymous = Client()
    assert anonymous.get("/").get("X-Page-Cache") == "miss"
    assert anonymous.get("/").get("X-Page-Cache") == "hit"  # the front page is kept ...

    admin = Client()
    admin.force_login(editor)
    publish_in_admin(admin, pub.home.pk, title="Masthead and staff", slug="staff")

    page = StandardPage.objects.get(slug="staff")
    assert page.live and page.get_parent().pk == pub.home.pk
    # ... and dropped by the publish: the next anonymous reader sees the new link.
    front = anonymous.get("/")
    assert ("Masthead and staff", "/staff/") in footer_pages(front.content.decode())
    assert [t for t, _ in footer_pages(front.content.decode())] == [*FOOTER_TITLES, "Masthead and staff"]
    assert "Our editors, by desk." in anonymous.get("/staff/").content.decode()


def test_unpublishing_a_standing_page_drops_it_from_kept_footers(pub, standing, settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 60
    anonymous = Client()
    anonymous.get(pub.sections[0].url)
    assert anonymous.get(pub.sections[0].url).get("X-Page-Cache") == "hit"
    standing[-1].unpublish()
    titles = [t for t, _ in footer_pages(anonymous.get(pub.sections[0].url).content.decode())]
    assert titles == FOOTER_TITLES[:-1]


def test_standing_pages_are_kept_for_anonymous_readers_like_sections(pub, standing, settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 60
    anonymous = Client()
    assert anonymous.get("/about/").get("X-Page-Cache") == "miss"
    kept = anonymous.get("/about/")
    assert kept.get("X-Page-Cache") == "hit" and kept["Cache-Control"].startswith("public")
    signed_in = client_for("registered").get("/about/")
    assert signed_in.get("X-Page-Cache") is None and "public" not in signed_in.get("Cache-Control", "")


def test_the_footer_page_list_is_labelled_and_translated(pub, standing):
    soup = BeautifulSoup(Client().get("/ja/").content, "html.parser")
    nav = soup.select_one("footer.site-footer nav")
    from wagtail.models import Site

    from masthead.core.models import PublicationSettings

    name = PublicationSettings.for_site(Site.objects.get(is_default_site=True)).name
    assert nav["aria-label"] == f"{name}について"
    english = BeautifulSoup(Client().get("/").content, "html.parser").select_one("footer.site-footer nav")
    assert english["aria-label"] == f"About {name}"


def test_a_standing_pages_chrome_is_in_japanese_for_japanese_readers(pub, standing):
    soup = BeautifulSoup(Client().get("/ja/privacy/").content, "html.parser")
    updated = soup.select_one(".standing-page__updated")
    assert updated.get_text(" ", strip=True).startswith("最終更新")
    assert updated.time["datetime"] == "2026-11-02"
    assert soup.html["lang"] == "ja"
