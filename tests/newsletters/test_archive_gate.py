"""The web archive gates an issue's own text: in a subscribers-only newsletter the introduction is
subscriber content, decided by the paywall's one decision for each reader kind — the canary
sentence past the first paragraph appears exactly for subscribers, trialists and staff; everyone
else reads the subject, the first paragraph and the prompt that fits them. A registered-audience
newsletter's issues stay open to all."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from masthead.newsletters.models import Issue, Newsletter
from tests.builders import make_article, make_reader
from tests.newsletters.conftest import make_kind_of_reader

pytestmark = pytest.mark.django_db

OPENING = "Markets opened quietly this morning."
CANARY = "Canary: the desk gated note about bond yields 4417."
READER_KINDS = [
    "anonymous",
    "registered",
    "subscriber",
    "trialist",
    "lapsed-subscriber",
    "expired-trial",
    "staff",
]
ENTITLED = {"subscriber", "trialist", "staff"}
# The prompt each reader who is not entitled sees (access.policy's PromptState, as the include marks it).
EXPECTED_PROMPT = {
    "anonymous": "subscribers-only",
    "registered": "subscribers-only",
    "lapsed-subscriber": "access-expired",
    "expired-trial": "trial-expired",
}


def reader_client(kind: str) -> Client:
    client = Client()
    if kind == "staff":
        staff = make_reader(f"staff-{timezone.now().timestamp()}@example.com", "pw-Long-enough-1")
        staff.is_staff = True
        staff.save(update_fields=["is_staff"])
        client.force_login(staff)
    elif kind != "anonymous":
        client.force_login(make_kind_of_reader(kind))
    return client


def sent_issue(newsletter: Newsletter, **fields) -> Issue:
    return Issue.objects.create(
        newsletter=newsletter,
        subject="Bonds at the open",
        intro=f"{OPENING}\n\n{CANARY}",
        status=Issue.Status.SENT,
        finished_at=timezone.now(),
        **fields,
    )


@pytest.fixture
def markets(pub):
    return Newsletter.objects.create(name="Markets Weekly", slug="markets-weekly", audience="subscribers")


@pytest.mark.parametrize("kind", READER_KINDS)
def test_a_subscribers_newsletter_issue_text_reaches_only_entitled_readers(pub, markets, kind):
    issue = sent_issue(markets)
    response = reader_client(kind).get(f"/newsletters/markets-weekly/{issue.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bonds at the open" in html and OPENING in html  # subject and teaser for everyone
    assert (CANARY in html) is (kind in ENTITLED)
    if kind in ENTITLED:
        assert "data-paywall-state" not in html
    else:
        assert f'data-paywall-state="{EXPECTED_PROMPT[kind]}"' in html
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("kind", ["anonymous", "lapsed-subscriber"])
def test_a_gated_issue_with_a_walled_lead_shows_one_prompt(pub, markets, kind):
    issue = sent_issue(markets, article=make_article(pub, access="subscribers"))
    html = reader_client(kind).get(f"/newsletters/markets-weekly/{issue.pk}/").content.decode()
    assert CANARY not in html
    assert html.count('id="paywall-message"') == 1


def test_the_list_page_shows_no_gated_text(pub, markets):
    sent_issue(markets)
    for kind in ("anonymous", "subscriber"):
        html = reader_client(kind).get("/newsletters/markets-weekly/").content.decode()
        assert "Bonds at the open" in html
        assert CANARY not in html


def test_reading_a_gated_issue_counts_no_meter_read(pub, markets):
    from masthead.access.models import MeterRead

    issue = sent_issue(markets)
    client = reader_client("registered")
    for _ in range(3):
        client.get(f"/newsletters/markets-weekly/{issue.pk}/")
    assert MeterRead.objects.count() == 0


@pytest.mark.parametrize("kind", ["anonymous", "registered"])
def test_a_registered_audience_newsletter_stays_open(pub, kind):
    briefing = Newsletter.objects.create(name="The Daily Briefing", slug="daily-briefing")
    issue = sent_issue(briefing)
    html = reader_client(kind).get(f"/newsletters/daily-briefing/{issue.pk}/").content.decode()
    assert OPENING in html and CANARY in html
    assert "data-paywall-state" not in html
