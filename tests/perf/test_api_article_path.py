"""The API article: body blocks serialized once per revision and kept per worker, never stale,
never handing the gated blocks to a reader the paywall did not grant. Outside a test
transaction (`transactional_db`), as a server runs: inside one nothing is kept in worker memory."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.access.entitlements import grant_entitlement
from masthead.analytics import recorder
from masthead.analytics.models import Event
from masthead.api.tokens import issue_device_token, issue_user_token
from masthead.core.generation import ProcessCache
from tests.builders import canary_for, make_article, make_publication

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pub(wagtail_roots):
    return make_publication(("Politics", "Business"))


@pytest.fixture
def subscriber_token():
    user = get_user_model().objects.create_user("subscriber@example.com", "a long passphrase 42")
    now = timezone.now()
    grant_entitlement(
        user=user, kind="subscription", starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30),
        source_ref="perf-test",
    )  # fmt: skip
    return issue_user_token(user=user, device_name="Subscriber phone").token


def read(article, token):
    return Client().get(f"/api/v1/articles/{article.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")


def body_text(response) -> str:
    assert response.status_code == 200, response.content[:300]
    return str(response.json()["body"])


def test_a_subscriber_rereading_an_article_costs_few_queries(pub, subscriber_token, settings):
    # Analytics views buffered as in production (the worker writes them in one INSERT later).
    settings.MASTHEAD_ANALYTICS_BUFFER_SIZE = 200
    settings.MASTHEAD_ANALYTICS_BUFFER_SECONDS = 60
    article = make_article(pub, access="subscribers", with_image=True)
    assert canary_for(article.slug) in body_text(read(article, subscriber_token))

    with CaptureQueriesContext(connection) as captured:
        response = read(article, subscriber_token)

    assert canary_for(article.slug) in body_text(response)
    # The token, the page, its view restrictions, the reader's entitlements: no section, byline or
    # image query (was 7 before the reader-independent parts were kept).
    assert len(captured.captured_queries) <= 4, [q["sql"][:80] for q in captured.captured_queries]
    # And both views are counted once the buffer is written.
    recorder.flush()
    assert Event.objects.filter(kind="view", article_id=article.pk).count() == 2


@pytest.mark.parametrize("edited_in", ["this worker", "another worker"])
def test_an_edited_paragraph_is_served_at_once(pub, subscriber_token, monkeypatch, edited_in):
    article = make_article(pub, access="subscribers")
    assert canary_for(article.slug) in body_text(read(article, subscriber_token))

    raw = article.body.raw_data
    raw[0]["value"] = "<p>A corrected first paragraph.</p>"
    article.body = raw
    with monkeypatch.context() as edit:
        if edited_in == "another worker":
            # Only the shared generation moves: this worker's kept copies are not cleared.
            edit.setattr(ProcessCache, "instances", [])
        article.save_revision().publish()

    assert "A corrected first paragraph." in body_text(read(article, subscriber_token))


def test_the_gated_blocks_a_subscriber_warmed_never_reach_an_anonymous_app_reader(pub, subscriber_token):
    article = make_article(pub, access="subscribers")
    assert canary_for(article.slug) in body_text(read(article, subscriber_token))
    device = issue_device_token(device_name="Anonymous tablet").token

    response = read(article, device)

    assert response.status_code == 200
    assert response.json()["granted"] is False
    assert response.json()["body"]  # the teaser is still served
    assert "CANARY" not in response.content.decode()
