"""An experiment on which offer is featured: each variant's readers are shown their variant's offer
on the wall and on /subscribe/, the others' never, and the kept offer panel mixes no readers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from masthead.analytics.experiments.results import experiment_results
from masthead.analytics.experiments.services import roll_out, start_experiment
from masthead.analytics.models import Event, Kind
from masthead.billing.models import Offer
from tests.analytics.conftest import BROWSER
from tests.analytics.experiments.conftest import anonymous_key_in, client_with_meter_key, make_experiment
from tests.builders import make_article

pytestmark = pytest.mark.django_db
OFFER_A = "3 months for $9"
OFFER_B = "First month for $1"


@pytest.fixture
def offers(plans: dict[str, Any]) -> tuple[Offer, Offer]:
    offer_b = Offer.objects.create(
        plan=plans["monthly"],
        headline=OFFER_B,
        intro_price_minor=100,
        intro_intervals=1,
        starts_at=datetime(2026, 1, 1, tzinfo=UTC),
        ends_at=datetime(2030, 1, 31, tzinfo=UTC),
        featured=False,
    )
    return plans["offer"], offer_b


@pytest.fixture
def experiment(offers: tuple[Offer, Offer]) -> Any:
    _offer_a, offer_b = offers
    made = make_experiment(
        "which-offer",
        [{"key": "control", "share": 50}, {"key": "offer-b", "share": 50, "offer": offer_b}],
        primary_metric="subscriptions",
    )
    return start_experiment(experiment=made)


def reader_in(experiment: Any, variant: str) -> Client:
    client = client_with_meter_key(anonymous_key_in(experiment, variant))
    client.defaults["HTTP_USER_AGENT"] = BROWSER
    return client


def wall_of(client: Client, article: Any) -> str:
    response = client.get(article.url)
    assert response.status_code == 200
    return response.content.decode()


def offers_page(client: Client) -> str:
    response = client.get("/subscribe/")
    assert response.status_code == 200
    return response.content.decode()


def test_each_variant_is_shown_its_own_offer_on_the_wall_and_on_the_subscribe_page(
    pub: Any, offers: tuple[Offer, Offer], experiment: Any
) -> None:
    offer_a, offer_b = offers
    locked = make_article(pub, access="subscribers")
    in_b, in_control = reader_in(experiment, "offer-b"), reader_in(experiment, "control")
    # Interleaved, so a panel kept for one reader would be served to the next one.
    for _round in range(2):
        wall_b, wall_control = wall_of(in_b, locked), wall_of(in_control, locked)
        assert OFFER_B in wall_b and OFFER_A not in wall_b
        assert OFFER_A in wall_control and OFFER_B not in wall_control
        page_b, page_control = offers_page(in_b), offers_page(in_control)
        assert f'data-offer="{offer_b.pk}"' in page_b and f'data-offer="{offer_a.pk}"' not in page_b
        assert f'data-offer="{offer_a.pk}"' in page_control
        assert f'data-offer="{offer_b.pk}"' not in page_control
    # A reader the experiment does not know yet (no meter id) sees the site's featured offer only.
    stranger = offers_page(Client(HTTP_USER_AGENT=BROWSER))
    assert f'data-offer="{offer_a.pk}"' in stranger and f'data-offer="{offer_b.pk}"' not in stranger
    # The views were recorded under each reader's variant: results come per variant.
    views = Event.objects.filter(kind=Kind.VIEW, experiment="which-offer")
    variants = set(views.values_list("variant", flat=True))
    assert variants == {"control", "offer-b"}
    results = experiment_results(experiment)
    assert [(v.key, v.readers) for v in results.variants] == [("control", 1), ("offer-b", 1)]


def test_rolling_out_the_winning_offer_features_it_for_everyone(
    pub: Any, offers: tuple[Offer, Offer], experiment: Any
) -> None:
    offer_a, offer_b = offers
    locked = make_article(pub, access="subscribers")
    roll_out(experiment=experiment, variant_key="offer-b")
    offer_a.refresh_from_db()
    offer_b.refresh_from_db()
    assert offer_b.featured and not offer_a.featured
    # Readers from either side of the finished experiment now meet offer B.
    for variant in ("control", "offer-b"):
        wall = wall_of(reader_in(experiment, variant), locked)
        assert OFFER_B in wall and OFFER_A not in wall


def test_a_variants_offer_cannot_be_taken_by_a_reader_of_another_variant(
    offers: tuple[Offer, Offer], experiment: Any, settings: Any
) -> None:
    from masthead.analytics.experiments.models import ReaderUnit
    from masthead.billing.models import Subscription
    from tests.builders import make_reader

    settings.MASTHEAD_PAYMENT_PROVIDER = "demo"
    offer_a, offer_b = offers
    user = make_reader("control.reader@example.com", "a long passphrase 42")
    # The account carries the anonymous id it read in, which the hash puts in the control.
    ReaderUnit.objects.create(user=user, unit=f"a:{anonymous_key_in(experiment, 'control')}")
    browser = Client(HTTP_USER_AGENT=BROWSER)
    browser.force_login(user)
    refused = browser.post("/subscribe/", {"offer": offer_b.pk}, follow=True)
    assert "This offer is not open to you" in refused.content.decode()
    assert not Subscription.objects.filter(user=user).exists()
    taken = browser.post("/subscribe/", {"offer": offer_a.pk})
    assert taken.status_code == 302 and "/subscribe/demo/" in taken["Location"]
    assert Subscription.objects.get(user=user).offer_id == offer_a.pk
