"""The article page kept whole (masthead.news.kept_pages): one rendering shared by readers who see
the same page, each reader's own wall, count and messages filled in per request.

Outside a test transaction, as on a server, so frames really are kept between requests. The test
settings also render every article the ordinary way and fail on any difference
(MASTHEAD_CHECK_KEPT_PAGES); these tests name what a reader would notice on top of that, and one
proves the check catches a key that forgets something.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from wagtail.models import Site

from masthead.core.models import PublicationSettings
from masthead.news import kept_pages
from tests.builders import canary_for, make_article, make_publication, make_reader

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long passphrase 42"


@pytest.fixture
def pub(wagtail_roots):
    kept_pages._frames.clear()
    kept_pages._slot_outputs.clear()
    return make_publication(("Politics", "Business"))


def frames_of(article) -> int:
    return sum(1 for key in list(kept_pages._frames._entries) if key[1][0] == article.pk)


def walls_of(article) -> int:
    return sum(1 for key in list(kept_pages._slot_outputs._entries) if key[0][1][0] == article.pk)


def paywall_state(html: str) -> str | None:
    found = re.search(r'data-paywall-state="([^"]+)"', html)
    return found.group(1) if found else None


def remaining(html: str) -> str | None:
    found = re.search(r'data-remaining="(\d+)"', html)
    return found.group(1) if found else None


def test_readers_at_different_counts_share_one_kept_page_and_each_sees_their_own_count(pub):
    story, others = make_article(pub), [make_article(pub) for _ in range(2)]
    fresh, seasoned = Client(), Client()
    for other in others:  # the seasoned reader has used two of three free articles
        seasoned.get(other.url)

    first = fresh.get(story.url).content.decode()
    last = seasoned.get(story.url).content.decode()

    assert (paywall_state(first), remaining(first)) == ("metered-remaining", "2")
    assert (paywall_state(last), remaining(last)) == ("metered-last", "0")
    assert canary_for(story.slug) in first and canary_for(story.slug) in last
    assert frames_of(story) == 1  # one rendering of the page served both
    assert walls_of(story) == 2  # and each count has its own wall


def test_new_readers_share_the_kept_wall_and_a_changed_offer_wording_shows_at_once(pub):
    from masthead.access.models import PromptText

    story = make_article(pub)
    first, second = Client().get(story.url).content.decode(), Client().get(story.url).content.decode()
    assert remaining(first) == remaining(second) == "2"
    assert walls_of(story) == 1

    PromptText.objects.create(
        state="metered-remaining",
        singular="Only {remaining} to go.",
        plural="Only {remaining} to go this month.",
    )
    reworded = Client().get(story.url).content.decode()

    assert "Only 2 to go this month." in reworded


def test_a_reader_at_the_wall_never_gets_the_page_kept_for_a_reader_who_could_read_it(pub):
    story, others = make_article(pub), [make_article(pub) for _ in range(3)]
    walled = Client()
    for other in others:
        walled.get(other.url)
    assert canary_for(story.slug) in Client().get(story.url).content.decode()  # kept, with the rest

    page = walled.get(story.url).content.decode()

    assert paywall_state(page) == "registration-wall"
    assert canary_for(story.slug) not in page
    assert 'class="article-body__gated"' not in page
    assert frames_of(story) == 2  # the cut is part of the key: a second, teaser-only page


def test_signed_in_and_anonymous_readers_get_their_own_header(pub):
    story = make_article(pub, access="free")
    registered = Client()
    registered.force_login(make_reader("reader@example.com", PASSWORD))

    anonymous_page = Client().get(story.url).content.decode()
    registered_page = registered.get(story.url).content.decode()
    anonymous_again = Client().get(story.url).content.decode()

    assert "Your account" in registered_page and "Your account" not in anonymous_page
    assert "Log in" in anonymous_again and "Your account" not in anonymous_again


def test_the_printed_page_and_the_screen_page_are_kept_apart(pub):
    story = make_article(pub, access="free")

    screen = Client().get(story.url).content.decode()
    printed = Client().get(story.url + "?print=1").content.decode()
    screen_again = Client().get(story.url).content.decode()

    assert "is-print" in printed
    assert "is-print" not in screen and "is-print" not in screen_again


def test_a_flash_message_reaches_only_the_reader_it_was_for(pub):
    story = make_article(pub, access="free")
    leaving = Client()
    leaving.force_login(make_reader("leaving@example.com", PASSWORD))
    leaving.post("/accounts/logout/")

    own = leaving.get(story.url).content.decode()
    someone_else = Client().get(story.url).content.decode()

    assert 'class="flash"' in own
    assert 'class="flash"' not in someone_else


def test_the_page_turns_over_at_the_publications_midnight(pub):
    story = make_article(pub, access="free")
    zone = PublicationSettings.for_site(Site.objects.get(root_page=pub.home)).zone
    before = dt.datetime(2026, 3, 31, 23, 58, tzinfo=zone)

    with time_machine.travel(before, tick=False):
        late = Client().get(story.url).content.decode()
    with time_machine.travel(before + dt.timedelta(minutes=4), tick=False):
        early = Client().get(story.url).content.decode()

    assert "March 31, 2026" in late  # the printed footer's date
    assert "April 1, 2026" in early and "March 31, 2026" not in early


def test_the_check_catches_a_key_that_forgets_the_reader_is_signed_in(pub, monkeypatch):
    # The safety net itself: a key without the header's account state hands the anonymous
    # reader's kept page to a signed-in reader, and the ordinary rendering disagrees.
    real_key = kept_pages.frame_key

    def forgetful(**kwargs):
        key = real_key(**kwargs)
        return None if key is None else key[:11] + key[12:]

    monkeypatch.setattr(kept_pages, "frame_key", forgetful)
    story = make_article(pub, access="free")
    registered = Client(raise_request_exception=True)
    registered.force_login(make_reader("reader@example.com", PASSWORD))
    Client().get(story.url)

    with pytest.raises(kept_pages.KeptPageMismatch):
        registered.get(story.url)
