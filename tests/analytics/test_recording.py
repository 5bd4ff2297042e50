"""The server records what it decided, for readers only, and never the reader's address."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client

from masthead.analytics.models import Event
from tests.access.conftest import set_meter
from tests.analytics.conftest import BROWSER
from tests.builders import make_article

ADDRESS = "203.0.113.77"


def reader_client() -> Client:
    return Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=ADDRESS)


def test_an_anonymous_reader_is_counted_article_by_article_up_to_the_wall(pub: Any) -> None:
    set_meter(pub, anonymous_limit=2)
    articles = [make_article(pub) for _ in range(3)]
    client = reader_client()
    for article in articles:
        assert client.get(article.url, HTTP_REFERER="https://www.google.com/search?q=x").status_code == 200

    views = list(Event.objects.filter(kind="view").order_by("at", "pk"))
    assert [v.article_id for v in views] == [a.pk for a in articles]
    assert [(v.meter_position, v.meter_limit) for v in views[:2]] == [(1, 2), (2, 2)]
    assert [v.prompt for v in views] == ["metered-remaining", "metered-last", "registration-wall"]
    assert {v.referrer_class for v in views} == {"search"}
    assert len({v.reader for v in views}) == 1, "one reader across the three views"
    walls = Event.objects.filter(kind="wall")
    assert [w.article_id for w in walls] == [articles[2].pk]


def test_bots_and_prefetches_are_not_readers(pub: Any) -> None:
    article = make_article(pub)
    Client(HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)").get(article.url)
    reader_client().get(article.url, HTTP_SEC_PURPOSE="prefetch")
    assert not Event.objects.exists()
    reader_client().get(article.url)
    assert Event.objects.filter(kind="view").count() == 1


def test_utm_tags_and_newsletter_class_are_kept_the_raw_referrer_is_not(pub: Any) -> None:
    article = make_article(pub)
    reader_client().get(
        article.url + "?utm_source=morning&utm_medium=email&utm_campaign=brief",
        HTTP_REFERER="https://mail.example.net/inbox/secret-thread-123",
    )
    view = Event.objects.get(kind="view")
    assert (view.utm_source, view.utm_medium, view.utm_campaign) == ("morning", "email", "brief")
    assert view.referrer_class == "newsletter"


def test_tags_however_the_link_encodes_them_and_bots_however_long_their_agent(pub: Any) -> None:
    # The recorder reads the query string only when it could carry a tag; a link that escapes
    # the underscore (`utm%5Fsource`) still names one, as Django decodes it.
    article = make_article(pub)
    reader_client().get(article.url + "?utm%5Fsource=digest&utm%5Fmedium=newsletter")
    view = Event.objects.get(kind="view")
    assert (view.utm_source, view.utm_medium, view.referrer_class) == ("digest", "newsletter", "newsletter")
    # Bot verdicts are kept per agent string, but not for an agent longer than any browser's.
    padded = "Mozilla/5.0 " + "x" * 2000 + " crawler/1.0"
    for _ in range(2):
        Client(HTTP_USER_AGENT=padded).get(article.url)
    assert Event.objects.filter(kind="view").count() == 1


def test_no_event_stores_the_client_address_or_agent(pub: Any) -> None:
    set_meter(pub, anonymous_limit=1)
    articles = [make_article(pub) for _ in range(2)]
    client = reader_client()
    for article in articles:
        client.get(article.url, HTTP_REFERER="https://news.example.org/thread-4567")
    assert Event.objects.count() == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM analytics_event")
        rows = cursor.fetchall()
    for row in rows:
        for value in row:
            text = str(value)
            assert ADDRESS not in text and "203.0.113" not in text
            assert "Chrome/130" not in text and "thread-4567" not in text


def test_the_experiment_assignment_rides_on_every_event_of_the_request(pub: Any) -> None:
    from masthead.analytics import tracking

    class Request:
        experiment_assignment = ("meter-limit", "b")

    assert tracking.assignment(Request()) == {"experiment": "meter-limit", "variant": "b"}  # type: ignore[arg-type]
    assert tracking.assignment(None) == {}
