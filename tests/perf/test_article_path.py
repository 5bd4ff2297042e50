"""The article fast path: routed articles and rendered parts kept per worker, never stale, never
leaking the gated part. These run outside a test transaction (`transactional_db`), as a server
does: inside one, nothing is kept in worker memory because it could still roll back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from masthead.access.entitlements import grant_entitlement
from masthead.analytics import recorder
from masthead.analytics.models import Event
from tests.builders import canary_for, make_article, make_publication

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pub(wagtail_roots):
    return make_publication(("Politics", "Business"))


def fresh_reader_view(url: str):
    return Client().get(url)


def test_a_free_article_read_again_by_new_readers_costs_no_query(pub, settings):
    # As production records views: kept in the worker's buffer, written with many others at once.
    settings.MASTHEAD_ANALYTICS_BUFFER_SIZE = 200
    settings.MASTHEAD_ANALYTICS_BUFFER_SECONDS = 60
    article = make_article(pub, access="free", with_image=True)
    assert fresh_reader_view(article.url).status_code == 200

    with CaptureQueriesContext(connection) as captured:
        response = fresh_reader_view(article.url)

    assert response.status_code == 200
    assert canary_for(article.slug).encode() in response.content
    assert len(captured.captured_queries) == 0
    # The two views were counted all the same, once the buffer is written.
    recorder.flush()
    assert Event.objects.filter(kind="view", article_id=article.pk).count() == 2


def test_a_republished_headline_shows_at_once(pub):
    article = make_article(pub, access="free", title="Talks stall in Valdora")
    assert b"Talks stall in Valdora" in fresh_reader_view(article.url).content

    article.title = "Talks resume in Valdora"
    article.save_revision().publish()
    response = fresh_reader_view(article.url)

    assert b"Talks resume in Valdora" in response.content
    assert b"Talks stall in Valdora" not in response.content


def test_an_unpublished_article_is_gone_at_once(pub):
    article = make_article(pub, access="free")
    url = article.url
    assert fresh_reader_view(url).status_code == 200

    article.unpublish()

    assert fresh_reader_view(url).status_code == 404


def test_a_new_view_restriction_is_enforced_at_once(pub):
    article = make_article(pub, access="free")
    assert fresh_reader_view(article.url).status_code == 200

    PageViewRestriction.objects.create(page=pub.sections[0], restriction_type=PageViewRestriction.LOGIN)
    response = fresh_reader_view(article.url)

    assert response.status_code == 302
    assert canary_for(article.slug).encode() not in response.content


def test_the_gated_part_a_subscriber_warmed_never_reaches_an_anonymous_reader(pub):
    article = make_article(pub, access="subscribers")
    user = get_user_model().objects.create_user("subscriber@example.com", "a long passphrase 42")
    now = timezone.now()
    grant_entitlement(
        user=user, kind="subscription", starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30),
        source_ref="perf-test",
    )  # fmt: skip
    subscriber = Client()
    subscriber.force_login(user)
    assert canary_for(article.slug).encode() in subscriber.get(article.url).content

    anonymous = fresh_reader_view(article.url)

    assert anonymous.status_code == 200
    assert canary_for(article.slug).encode() not in anonymous.content
    assert b'class="article-body__gated"' not in anonymous.content
