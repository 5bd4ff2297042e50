"""What the reader is told: Japanese pages, staff rewording with variables and plurals, and the
offer panel with its end date in the publication's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from masthead.access.models import PromptText
from masthead.access.offers import OfferSummary
from tests.access.conftest import data_remaining, paywall_state, set_meter, signed_in

pytestmark = pytest.mark.django_db


def test_japanese_reader_sees_japanese_prompts(metered: list[Any]) -> None:
    client = Client()  # Japanese pages are under /ja/ (masthead.core.language_urls)
    first = client.get(f"/ja{metered[0].url}").content.decode()
    assert "今月の無料記事は残り2本です。" in first
    client.get(f"/ja{metered[1].url}")
    last = client.get(f"/ja{metered[2].url}").content.decode()
    assert "これは今月最後の無料記事です。" in last
    wall = client.get(f"/ja{metered[3].url}").content.decode()
    assert "今月の無料記事をすべて読みました。" in wall and "無料で会員登録" in wall


def test_japanese_rolling_window(pub: Any, metered: list[Any]) -> None:
    set_meter(pub, period="rolling-days", rolling_days=7)
    html = Client().get(f"/ja{metered[0].url}").content.decode()
    assert "過去7日間の無料記事は残り2本です。" in html
    assert "今月" not in html


def test_staff_rewording_with_plural_forms_is_shown(metered: list[Any]) -> None:
    PromptText.objects.create(
        state="metered-remaining",
        language="en",
        singular="Just {remaining} story left {period} at {publication}.",
        plural="{remaining} stories left {period} at {publication}.",
    )
    client = Client()
    assert "2 stories left this month at The Meridian Ledger." in client.get(metered[0].url).content.decode()
    assert (
        "Just 1 story left this month at The Meridian Ledger." in client.get(metered[1].url).content.decode()
    )
    # Japanese readers keep the translated default until someone writes a Japanese version.
    assert "今月の無料記事は残り2本です。" in Client().get(f"/ja{metered[2].url}").content.decode()


@pytest.mark.parametrize(
    ("singular", "message"),
    [
        ("You have {remaning} left", "Unknown variable {remaning}"),
        ("You have {remaining left", "unmatched curly brace"),
        ("You have {remaining!r} left", "without formatting"),
        ("You have {remaining:>5} left", "without formatting"),
        ("{publication.__class__}", "Unknown variable"),
        ("{0}", "Unknown variable"),
    ],
)
def test_broken_prompt_templates_are_refused_with_a_clear_message(singular: str, message: str) -> None:
    prompt = PromptText(state="metered-remaining", language="en", singular=singular)
    with pytest.raises(ValidationError) as refused:
        prompt.full_clean()
    assert message in str(refused.value)


def test_prompt_editor_in_the_wagtail_admin_refuses_unknown_variables(db: Any) -> None:
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("admin@example.com", "a long passphrase 42")
    client = signed_in(admin)
    response = client.post(
        "/admin/snippets/access/prompttext/add/",
        {"state": "offer", "language": "en", "singular": "Subscribe to {newspaper}", "plural": ""},
    )
    assert response.status_code == 200
    assert "Unknown variable {newspaper}" in response.content.decode()
    assert not PromptText.objects.exists()


def test_offer_panel_shows_the_featured_offer_ending_in_the_publication_zone(
    pub: Any, reader: Any, metered: list[Any], settings: Any
) -> None:
    settings.MASTHEAD_OFFER_SELECTOR = "tests.access.test_prompts.autumn_offer"
    set_meter(pub, registered_limit=0)
    html = signed_in(reader).get(metered[0].url).content.decode()
    assert 'data-paywall-state="offer"' in html
    assert "3 months for $9" in html and "$9 for 3 months, then $15/month" in html
    # 03:30 UTC on 1 November is still 31 October in New York.
    assert "Offer ends Oct. 31, 2026" in html or "Offer ends 31 October 2026" in html
    assert "Unlimited articles and the apps" in html
    assert 'href="/subscribe/?from=wall"' in html and "See all offers and subscribe" in html


def autumn_offer(**reader: object) -> OfferSummary:
    return OfferSummary(
        headline="3 months for $9",
        price_text="$9 for 3 months, then $15/month",
        ends_at=datetime(2026, 11, 1, 3, 30, tzinfo=UTC),
        benefits=["Unlimited articles and the apps"],
    )


def test_registration_wall_links_to_signup_and_login_with_next(pub: Any, metered: list[Any]) -> None:
    set_meter(pub, anonymous_limit=0)
    response = Client().get(metered[0].url)
    html = response.content.decode()
    assert paywall_state(response) == "registration-wall" and data_remaining(response) is None
    assert f'href="/accounts/signup/?next={metered[0].url}&amp;from=wall"' in html
    assert f'href="/accounts/login/?next={metered[0].url}"' in html
