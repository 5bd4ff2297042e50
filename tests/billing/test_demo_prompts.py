"""Acceptance 2: each demo reader, past the limit on a metered article, sees the prompt for their state."""

from __future__ import annotations

import io
import re

import pytest

from masthead.billing.demo import DEMO_PASSWORD, build_demo_billing
from tests.builders import canary_for, make_article, make_publication

pytestmark = pytest.mark.django_db

EXPECTED = {
    "reader": "You have read all your free articles this month. Subscribe to",
    "expired-trial": "Your trial period has expired.",
    "lapsed": "Your full access to",
    "subscriber": None,  # no wall: full text
    "trial": None,
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_demo_reader_meets_the_right_prompt(client, name):
    pub = make_publication()
    articles = [make_article(pub) for _ in range(7)]
    build_demo_billing(io.StringIO())
    assert client.login(email=f"{name}@example.com", password=DEMO_PASSWORD)

    html = ""
    for article in articles:
        html = client.get(article.url).content.decode()

    last = articles[-1]
    if EXPECTED[name] is None:
        assert canary_for(last.slug) in html
        assert 'data-paywall-state="' not in html or "paywall--metered" in html
    else:
        assert canary_for(last.slug) not in html
        assert EXPECTED[name] in html
        if name == "lapsed":
            assert re.search(r"Your full access to .+ has expired\.", html)
        if name == "reader":
            assert "3 months for $9" in html and "Offer ends" in html and "Take this offer" in html
        else:
            # Lapsed readers are offered what they may take, and told why not the featured offer.
            assert "“3 months for $9” is for new subscribers." in html
            assert "Take this offer" not in html and "Offer ends" not in html
            assert "Subscribe for $15.00/month" in html
