"""In a real browser: read to the wall anonymously, register, subscribe with the demo provider, and
see each step counted in the dashboard for that article — a dashboard that asks no other host."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache

from masthead.analytics.models import Event
from masthead.billing.demo import build_demo_billing
from tests.access.conftest import set_meter
from tests.builders import canary_for, make_article, make_publication

os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots/analytics")
PASSWORD = "a-long-new-reader-pass"


@pytest.fixture
def site(live_server: Any, wagtail_roots: Any, settings: Any) -> dict[str, Any]:
    settings.MASTHEAD_SITE_URL = settings.WAGTAILADMIN_BASE_URL = live_server.url
    cache.clear()
    pub = make_publication(("Politics", "Business"))
    set_meter(pub, anonymous_limit=2)
    metered = [make_article(pub, title=f"Metered story {n}") for n in range(3)]
    build_demo_billing(io.StringIO())
    get_user_model().objects.create_superuser(email="editor-in-chief@example.com", password=PASSWORD)
    return {"url": live_server.url, "metered": metered}


def test_each_step_of_a_reader_is_counted_for_the_article_that_led_there(
    site: dict[str, Any], browser: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    base, metered = site["url"], site["metered"]
    wall_article = metered[-1]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    for article in metered:
        page.goto(base + article.url)
    assert page.locator('[data-paywall-state="registration-wall"]').count() == 1
    assert canary_for(wall_article.slug) not in page.content()

    page.locator(".paywall__button", has_text="Register for free").click()
    page.fill("input[name=email]", "new.reader@example.com")
    page.fill("input[name=password1]", PASSWORD)
    if page.locator("input[name=password2]").count():
        page.fill("input[name=password2]", PASSWORD)
    page.locator("main form [type=submit]").first.click()
    assert "Check your e-mail" in page.locator("h1").inner_text()
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    page.goto(base + link.group(1))
    page.get_by_role("button", name="Confirm").click()
    page.goto(base + "/subscribe/")
    page.get_by_role("button", name="Take 3 months for $9").click()
    page.get_by_role("button", name="Complete demo payment").click()
    assert "Welcome, subscriber" in page.locator("h1").inner_text()
    context.close()

    # The editor-in-chief opens the dashboard, cut by article.
    admin = browser.new_context(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    dash = admin.new_page()
    dash.on("request", lambda r: requests.append(r.url))
    dash.goto(base + "/admin/login/")
    dash.fill("input[name=username]", "editor-in-chief@example.com")
    dash.fill("input[name=password]", PASSWORD)
    dash.locator("form [type=submit]").first.click()
    dash.wait_for_url("**/admin/")
    requests.clear()
    dash.goto(base + "/admin/analytics/?by=article")
    row = dash.locator(f'table[data-table="cuts"] tr[data-cut="{wall_article.pk}"]')
    counts = {
        name: int(row.locator(f"[data-{name}]").inner_text())
        for name in ("views", "walls", "registrations", "checkouts", "subscriptions")
    }
    # Two views: at the wall, and in full once the confirmed reader was sent back to it.
    assert counts == {"views": 2, "walls": 1, "registrations": 1, "checkouts": 1, "subscriptions": 1}
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {"view", "wall", "prompt_click", "registration", "verification", "checkout_started"} <= kinds
    assert Event.objects.get(kind="prompt_click").article_id == wall_article.pk
    views = Event.objects.filter(kind="view", article_id=wall_article.pk)
    assert [v.reader_kind for v in views.order_by("at")] == ["anonymous", "registered"]
    for article in metered[:-1]:
        earlier = dash.locator(f'table[data-table="cuts"] tr[data-cut="{article.pk}"] [data-views]')
        assert earlier.inner_text() == "1"
    story = dash.locator(f'table[data-table="stories"] tr[data-story="{wall_article.pk}"]')
    assert story.count() == 1
    # A month of MRR, a row a day, is folded; the publisher opens it to read the numbers.
    mrr_table = dash.locator('table[data-table="mrr"]')
    assert not mrr_table.is_visible()
    dash.locator("details.numbers > summary").click()
    assert mrr_table.is_visible() and mrr_table.locator("tbody tr").count() == 30
    # Wagtail's admin scrolls inside its own frame: a tall viewport shows the whole dashboard.
    dash.set_viewport_size({"width": 1400, "height": 4600})
    dash.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)
    outside = [
        u for u in requests if not u.startswith(("data:", "blob:")) and urlsplit(u).hostname != "127.0.0.1"
    ]
    assert requests and not outside, outside
    admin.close()
