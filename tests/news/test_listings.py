"""Front page, section, topic and author pages: what a reader browsing the site sees."""

from __future__ import annotations

import pytest
from django.test import override_settings

from masthead.news.selectors import LISTING_PAGE_SIZE
from tests.builders import canary_for, make_article
from tests.news.pages import assert_clean_markup, soup_of, visible_text

pytestmark = pytest.mark.django_db


def headlines(soup) -> list[str]:
    return [h.get_text(strip=True) for h in soup.select(".card__headline")]


def test_front_page_leads_with_the_newest_story_then_sections_and_latest(client, pub):
    politics, business, _markets = pub.sections
    older = make_article(pub, section=politics, title="Older politics story", with_image=True)
    make_article(pub, section=business, title="Business story")
    newest = make_article(pub, section=politics, title="Newest politics story", with_image=True)

    soup = soup_of(client.get("/"))

    assert soup.select_one(".front-lead .card__headline").get_text(strip=True) == newest.title
    groups = {
        g.select_one(".section-heading").get_text(strip=True): headlines(g)
        for g in soup.select(".front-section")
    }
    assert groups == {"Politics": [older.title], "Business": ["Business story"]}
    assert "Older politics story" in headlines(soup.select_one(".front-latest"))
    assert soup.select_one(".front-lead img")["loading"] == "eager"
    assert_clean_markup(client.get("/").content.decode())


def test_front_page_honours_the_editors_lead_story(client, pub):
    chosen = make_article(pub, title="The editor's pick")
    make_article(pub, title="Newer but not the lead")
    pub.home.lead_story = chosen
    pub.home.save_revision().publish()

    soup = soup_of(client.get("/"))

    assert soup.select_one(".front-lead .card__headline").get_text(strip=True) == "The editor's pick"


def test_front_page_with_no_articles_says_so(client, pub):
    soup = soup_of(client.get("/"))

    assert "No articles have been published yet." in visible_text(soup)


def test_listings_never_show_body_text(client, pub):
    article = make_article(pub)

    for url in ("/", pub.sections[0].url, f"/topics/{pub.topic.slug}/", f"/authors/{pub.author.slug}/"):
        assert canary_for(article.slug) not in client.get(url).content.decode(), url


def test_section_lists_newest_first_and_paginates(client, pub):
    section = pub.sections[1]
    titles = [make_article(pub, section=section, title=f"Business {i:02d}").title for i in range(14)]

    first = soup_of(client.get(section.url))
    second = soup_of(client.get(section.url + "?page=2"))

    assert headlines(first) == list(reversed(titles))[:LISTING_PAGE_SIZE]
    assert headlines(second) == list(reversed(titles))[LISTING_PAGE_SIZE:]
    assert first.select_one("a[rel=next]")["href"] == "?page=2"
    assert second.select_one("a[rel=prev]")["href"] == "?page=1"
    assert "Page 2 of 2" in visible_text(second)


@pytest.mark.parametrize(("page", "expected_page"), [("abc", 1), ("999", 2), ("-1", 2), ("0", 2), ("", 1)])
def test_section_page_numbers_that_make_no_sense_do_not_error(client, pub, page, expected_page):
    section = pub.sections[0]
    for i in range(LISTING_PAGE_SIZE + 1):
        make_article(pub, section=section, title=f"Story {i}")

    soup = soup_of(client.get(f"{section.url}?page={page}"))

    assert f"Page {expected_page} of 2" in visible_text(soup)


def test_section_lists_only_its_own_live_articles(client, pub):
    mine = make_article(pub, section=pub.sections[0], title="Mine")
    make_article(pub, section=pub.sections[1], title="Someone else's")
    draft = make_article(pub, section=pub.sections[0], title="Unpublished draft")
    draft.unpublish()

    assert headlines(soup_of(client.get(pub.sections[0].url))) == [mine.title]


def test_topic_page_lists_the_topics_articles(client, pub):
    from masthead.news.models import Topic

    other = Topic.objects.create(name="Harbour strike")
    on_topic = make_article(pub, title="On topic")
    off_topic = make_article(pub, title="Off topic")
    off_topic.kicker = other
    off_topic.save_revision().publish()

    soup = soup_of(client.get(f"/topics/{pub.topic.slug}/"))

    assert soup.find("h1").get_text(strip=True) == pub.topic.name
    assert headlines(soup) == [on_topic.title]


def test_author_page_shows_the_author_and_their_articles(client, pub):
    article = make_article(pub, title="By Ada")
    pub.author.bio = "Ada has covered the region for a decade."
    pub.author.save()

    soup = soup_of(client.get(f"/authors/{pub.author.slug}/"))

    assert soup.find("h1").get_text(strip=True) == "Ada Reporter"
    assert "Correspondent" in visible_text(soup)
    assert "covered the region" in visible_text(soup)
    assert headlines(soup) == [article.title]


@pytest.mark.parametrize("url", ["/topics/no-such-topic/", "/authors/no-such-author/", "/no-such-section/"])
def test_unknown_pages_get_the_branded_404(client, pub, url):
    response = client.get(url)

    assert response.status_code == 404
    soup = soup_of_any(response)
    assert "The Meridian Ledger" in soup.select_one(".masthead__title").get_text()
    assert "couldn’t find that page" in visible_text(soup)
    assert soup.select_one('form[role=search] input[name="q"]')
    assert_clean_markup(response.content.decode())


def soup_of_any(response):
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.content.decode(), "html.parser")


def test_500_page_renders_without_request_context(rf, db):
    from masthead.core.views import server_error

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    soup = soup_of_any(response)
    assert "Something went wrong" in soup.find("h1").get_text()
    assert "The Meridian Ledger" in visible_text(soup)


@override_settings(DEBUG=False)
def test_server_errors_show_the_branded_500(client, pub, monkeypatch):
    from masthead.news import views

    def explode(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(views, "topic_articles", explode)
    client.raise_request_exception = False

    response = client.get(f"/topics/{pub.topic.slug}/")

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_every_page_advertises_the_feed_and_has_a_skip_link(client, pub):
    article = make_article(pub, access="free")
    for url in ("/", pub.sections[0].url, article.url, "/search/?q=x", f"/topics/{pub.topic.slug}/"):
        soup = soup_of(client.get(url))
        feed = soup.find("link", rel="alternate", type="application/rss+xml")
        assert feed["href"] == "/feeds/latest/", url
        skip = soup.select_one("a.skip-link")
        assert skip["href"] == "#main" and soup.find(id="main"), url


def test_section_page_advertises_its_own_feed(client, pub):
    soup = soup_of(client.get(pub.sections[0].url))

    hrefs = [link["href"] for link in soup.find_all("link", rel="alternate")]
    assert f"/feeds/section/{pub.sections[0].slug}/" in hrefs


def test_menu_works_without_javascript(client, pub):
    soup = soup_of(client.get("/"))

    menu = soup.select_one("details.menu")
    assert menu.summary is not None
    links = [a.get_text(strip=True) for a in menu.select("nav a")]
    assert links == ["Front page", "Politics", "Business", "Markets"]
    # Logging in from the menu brings the reader back to the page they were on.
    assert menu.find("a", href="/accounts/login/?next=/")


def test_a_sponsored_piece_does_not_lead_the_front_page_by_itself(client, pub):
    from masthead.sponsored.models import Sponsor

    sponsor = Sponsor.objects.create(name="Harbour Freight Co.", disclosure="Paid for by Harbour Freight Co.")
    make_article(pub, title="Newsroom story")
    make_article(pub, title="Newest but sponsored", sponsor=sponsor)

    soup = soup_of(client.get("/"))

    assert soup.select_one(".front-lead .card__headline").get_text(strip=True) == "Newsroom story"
    assert "Sponsored content" in soup.select_one(".front-latest").get_text()
