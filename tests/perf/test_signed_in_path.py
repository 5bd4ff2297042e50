"""A signed-in reader's article, on the web and in the app, costs no query once the reader's
account, entitlements and app token are kept (MASTHEAD_READER_CACHE), and what is kept is never
older than the last change, even when a request read the old row just before the change
committed. Outside a test transaction, as a server runs. (Across processes: tests/access/
test_reader_state_live.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.access import reader_state
from masthead.access.entitlements import end_entitlement, grant_entitlement
from masthead.api.tokens import issue_user_token
from tests.builders import canary_for, make_article, make_publication

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _reader_cache(settings):
    settings.MASTHEAD_READER_CACHE = True
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # As production records views: kept in the worker's buffer, written with many others at once.
    settings.MASTHEAD_ANALYTICS_BUFFER_SIZE = 200
    settings.MASTHEAD_ANALYTICS_BUFFER_SECONDS = 60
    yield
    from masthead.analytics import recorder

    recorder.flush()


@pytest.fixture
def pub(wagtail_roots):
    return make_publication(("Politics", "Business"))


@pytest.fixture
def subscriber():
    user = get_user_model().objects.create_user("subscriber@example.com", "a long passphrase 42")
    now = timezone.now()
    grant_entitlement(
        user=user, kind="subscription", starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30),
        source_ref="perf-sub",
    )  # fmt: skip
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def past_the_sign_in(settings) -> None:
    # Signing in saved the account (last_login): its tombstone stands for TOMBSTONE_SECONDS.
    # A reader who signed in earlier than that is what most page views are.
    from django.core.cache import cache

    cache.clear()


def test_a_signed_in_subscribers_article_costs_no_query(pub, subscriber, settings):
    article = make_article(pub, access="subscribers")
    web = signed_in(subscriber)
    token = issue_user_token(user=subscriber, device_name="phone").token
    past_the_sign_in(settings)
    app = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert canary_for(article.slug) in web.get(article.url).content.decode()
    assert canary_for(article.slug) in str(app.get(f"/api/v1/articles/{article.pk}").json()["body"])

    with CaptureQueriesContext(connection) as on_the_web:
        page = web.get(article.url).content.decode()
    with CaptureQueriesContext(connection) as in_the_app:
        detail = app.get(f"/api/v1/articles/{article.pk}").json()

    assert canary_for(article.slug) in page and canary_for(article.slug) in str(detail["body"])
    # Was: the session's account, the entitlements (web); the token, the page, its view
    # restrictions, the entitlements (app).
    assert [q["sql"][:80] for q in on_the_web.captured_queries] == []
    assert [q["sql"][:80] for q in in_the_app.captured_queries] == []


def test_a_subscription_ended_while_a_request_read_it_is_not_kept(pub, subscriber, settings, monkeypatch):
    article = make_article(pub, access="subscribers")
    web = signed_in(subscriber)
    past_the_sign_in(settings)
    assert canary_for(article.slug) in web.get(article.url).content.decode()
    still_entitled = reader_state.entitlements._load(subscriber.pk)

    def another_workers_request() -> None:
        # Another worker read the entitlements (still running) before the refund committed, and
        # tries to keep its copy only now, after the refund's tombstone.
        with monkeypatch.context() as other:
            other.setattr(reader_state.entitlements, "_load", lambda user_id: still_entitled)
            other.setattr(reader_state.cache, "get_many", lambda keys: {})
            reader_state.entitlements.get(subscriber.pk, request=None)

    with transaction.atomic():
        assert end_entitlement(source_ref="perf-sub", ends_at=timezone.now()) == 1
        transaction.on_commit(another_workers_request)

    assert canary_for(article.slug) not in web.get(article.url).content.decode()
    assert canary_for(article.slug) not in web.get(article.url).content.decode()


def test_an_entitlement_that_ends_stops_at_its_end_even_when_kept(pub, settings, monkeypatch):
    article = make_article(pub, access="subscribers")
    user = get_user_model().objects.create_user("comp@example.com", "a long passphrase 42")
    ends = timezone.now() + timedelta(hours=1)
    grant_entitlement(user=user, kind="complimentary", starts_at=timezone.now(), ends_at=ends)
    web = signed_in(user)
    past_the_sign_in(settings)
    assert canary_for(article.slug) in web.get(article.url).content.decode()
    with CaptureQueriesContext(connection) as kept:
        assert canary_for(article.slug) in web.get(article.url).content.decode()
    assert kept.captured_queries == []  # read from the kept record

    # Nobody edits anything; the clock passes the end date.
    later = ends + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with CaptureQueriesContext(connection) as after:
        page = web.get(article.url).content.decode()
    # Still the kept records (the hour's other caches may reload: experiments, offers).
    read = " ".join(q["sql"] for q in after.captured_queries)
    assert "access_entitlement" not in read and "accounts_user" not in read
    assert "/accounts/login/" not in page
    assert canary_for(article.slug) not in page
