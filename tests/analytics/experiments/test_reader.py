"""What a reader in an experiment gets: the variant's limit, kept at sign-in; who is left out."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from masthead.access.models import MeterSettings
from masthead.access.services import article_access
from masthead.analytics.experiments.assignment import VariantRule, choose
from masthead.analytics.experiments.services import roll_out, start_experiment, stop_experiment
from tests.access.conftest import has_canary, make_subscriber, paywall_state
from tests.analytics.experiments.conftest import anonymous_key_in, client_with_meter_key, make_experiment
from tests.builders import make_article, make_reader

pytestmark = pytest.mark.django_db
PASSWORD = "a long passphrase 42"
LIMIT_ONE = {"key": "limit-1", "share": 50, "anonymous_limit": 1, "registered_limit": 1}


@pytest.fixture
def articles(pub: Any) -> list[Any]:
    return [make_article(pub) for _ in range(4)]


def running(slug: str = "one-free-article") -> Any:
    experiment = make_experiment(slug, [{"key": "control", "share": 50}, LIMIT_ONE])
    return start_experiment(experiment=experiment)


def read(client: Client, articles: list[Any]) -> list[tuple[str | None, bool]]:
    return [(paywall_state(r), has_canary(r, a)) for a in articles for r in [client.get(a.url)]]


def test_a_reader_in_the_limit_one_variant_meets_the_wall_on_the_second_article(articles: list[Any]) -> None:
    experiment = running()
    in_variant = client_with_meter_key(anonymous_key_in(experiment, "limit-1"))
    in_control = client_with_meter_key(anonymous_key_in(experiment, "control"))
    assert read(in_variant, articles[:3]) == [
        ("metered-last", True),
        ("registration-wall", False),
        ("registration-wall", False),
    ]
    # The control keeps the site's three free articles.
    assert read(in_control, articles[:4]) == [
        ("metered-remaining", True),
        ("metered-remaining", True),
        ("metered-last", True),
        ("registration-wall", False),
    ]


def test_a_stopped_experiment_gives_the_site_rule_back_at_once(articles: list[Any]) -> None:
    experiment = running()
    reader = client_with_meter_key(anonymous_key_in(experiment, "limit-1"))
    assert read(reader, articles[:1]) == [("metered-last", True)]
    stop_experiment(experiment=experiment)
    # No cache is cleared: the stop starts a new generation, which every copy is keyed by.
    assert read(reader, articles[1:3]) == [("metered-remaining", True), ("metered-last", True)]


def test_the_variant_is_kept_when_the_reader_signs_in(articles: list[Any]) -> None:
    user = make_reader("reader@example.com", PASSWORD)
    # An experiment in which the account's own id would land in the control: only the anonymous
    # id carried into the account can keep this reader in the variant.
    slug = next(
        f"keep-{n}"
        for n in range(100)
        if choose(
            slug=f"keep-{n}",
            unit=f"u:{user.pk}",
            variants=[VariantRule("control", 50), VariantRule("limit-1", 50)],
        ).key
        == "control"
    )
    experiment = running(slug)
    browser = client_with_meter_key(anonymous_key_in(experiment, "limit-1"))
    assert read(browser, articles[:1]) == [("metered-last", True)]
    response = browser.post("/accounts/login/", {"login": "reader@example.com", "password": PASSWORD})
    assert response.status_code == 302
    # Signed in, still in limit-1 (registered limit 1): the one read came along, the next is the offer.
    assert read(browser, articles[1:3]) == [("offer", False), ("offer", False)]
    # A second browser of the same account, with no anonymous history: the same variant.
    other = Client()
    other.post("/accounts/login/", {"login": "reader@example.com", "password": PASSWORD})
    assert read(other, articles[3:4]) == [("offer", False)]


def _assignment(user: Any, article: Any, *, agent: str = "Mozilla/5.0 Firefox/130") -> Any:
    request = RequestFactory().get(article.url, HTTP_USER_AGENT=agent)
    request.user = user
    request.session = SessionStore()
    article_access(request=request, article=article)
    return getattr(request, "experiment_assignment", None)


def test_subscribers_staff_and_robots_are_left_out(articles: list[Any], django_user_model: Any) -> None:
    experiment = running()
    registered = make_reader("registered@example.com", PASSWORD)
    subscriber = make_reader("subscriber@example.com", PASSWORD)
    make_subscriber(subscriber)
    staff = django_user_model.objects.create_user(email="desk@example.com", password=PASSWORD, is_staff=True)
    article = articles[0]
    assert _assignment(registered, article)[0] == experiment.slug
    assert _assignment(AnonymousUser(), article)[0] == experiment.slug
    assert _assignment(subscriber, article) is None
    assert _assignment(staff, article) is None
    assert _assignment(AnonymousUser(), article, agent="Mozilla/5.0 (compatible; Googlebot/2.1)") is None


def test_rolling_out_the_winner_writes_the_site_rule_and_stops_the_experiment(articles: list[Any]) -> None:
    experiment = running()
    roll_out(experiment=experiment, variant_key="limit-1")
    experiment.refresh_from_db()
    assert (experiment.status, experiment.winner) == ("stopped", "limit-1")
    meter = MeterSettings.objects.get()
    assert (meter.anonymous_limit, meter.registered_limit) == (1, 1)
    # Every reader now, in or out of the old control: one free article.
    fresh = client_with_meter_key(anonymous_key_in(experiment, "control"))
    assert read(fresh, articles[:2]) == [("metered-last", True), ("registration-wall", False)]
    # The history says who started, stopped and rolled it out.
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(experiment.pk)).values_list("action", flat=True)
    )
    assert {"experiments.start", "experiments.stop", "experiments.roll_out"} <= set(actions)
    assert log_registry.get_action_label("experiments.roll_out")


def test_a_shorter_teaser_variant_shows_less_before_the_wall(articles: list[Any]) -> None:
    experiment = start_experiment(
        experiment=make_experiment(
            "short-teaser",
            [
                {"key": "control", "share": 50, "anonymous_limit": 0},
                {"key": "one-block", "share": 50, "anonymous_limit": 0, "teaser_blocks": 1},
            ],
        )
    )
    story = articles[0]
    number = story.slug.split("-")[-1]
    short = client_with_meter_key(anonymous_key_in(experiment, "one-block")).get(story.url).content.decode()
    usual = client_with_meter_key(anonymous_key_in(experiment, "control")).get(story.url).content.decode()
    for html in (short, usual):
        assert f"Paragraph 1 of story {number}" in html and not has_canary(html, story)
    assert f"Paragraph 2 of story {number}" in usual
    assert f"Paragraph 2 of story {number}" not in short


def _edit_form(experiment: Any, changes: dict[str, str]) -> Any:
    """The admin's edit form for `experiment`, posted with its current values and `changes`."""
    from wagtail.admin.panels import get_edit_handler

    form_class = get_edit_handler(type(experiment)).get_form_class()
    unbound = form_class(instance=experiment, for_user=None)
    data: dict[str, Any] = {}
    for name, field in unbound.fields.items():
        value = unbound.initial.get(name, field.initial)
        data[name] = "" if value is None else getattr(value, "pk", value)
    formset = unbound.formsets["variants"]
    data.update({f"variants-{k}": v for k, v in formset.management_form.initial.items()})
    for index, form in enumerate(formset.forms):
        for name in form.fields:
            value = form.initial.get(name, "")
            data[f"variants-{index}-{name}"] = "" if value is None else getattr(value, "pk", value)
        data[f"variants-{index}-id"] = form.instance.pk
        data[f"variants-{index}-ORDER"] = index + 1
    data.update(changes)
    return form_class(data, instance=experiment, for_user=None)


def test_a_running_experiment_keeps_its_variants_in_the_admin(articles: list[Any]) -> None:
    draft = make_experiment("editable", [{"key": "control", "share": 50}, LIMIT_ONE])
    assert _edit_form(draft, {"variants-1-share": "20"}).is_valid()
    experiment = running()
    unchanged = _edit_form(experiment, {"hypothesis": "A clearer hypothesis."})
    assert unchanged.is_valid(), unchanged.errors
    moved = _edit_form(experiment, {"variants-1-share": "20"})
    assert not moved.is_valid()
    assert "cannot change" in str(moved.non_field_errors())
