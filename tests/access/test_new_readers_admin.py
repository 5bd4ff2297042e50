"""Staff set the cap on new anonymous readers in Settings → Meter; a mistyped network is refused."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Site

from masthead.access.models import MeterSettings
from tests.access.conftest import has_canary, paywall_state
from tests.live.harness import post_forms


def submit_meter_settings(editor: Client, **changes: str) -> Any:
    url = f"/admin/settings/access/metersettings/{Site.objects.get(is_default_site=True).pk}/"
    shown = editor.get(url)
    assert shown.status_code == 200
    form = post_forms(shown.content.decode())[-1]
    return editor.post(url, {**form["fields"], **changes})


def test_an_editor_sets_the_cap_and_the_exempt_networks(metered: list[Any]) -> None:
    editor = Client()
    editor.force_login(get_user_model().objects.create_superuser(email="ed@example.com", password=None))

    refused = submit_meter_settings(editor, new_reader_exempt_networks="198.18.0.0/15\nthe office")
    assert (
        refused.status_code == 200 and "&#x27;the office&#x27; is not a network" in refused.content.decode()
    )
    assert MeterSettings.for_site(Site.objects.get(is_default_site=True)).new_reader_exempt_networks == ""

    saved = submit_meter_settings(
        editor, new_readers_per_address="1", new_reader_exempt_networks="198.18.0.0/15  # the office"
    )
    assert saved.status_code == 302

    first, second = (Client(REMOTE_ADDR="192.0.2.77").get(metered[0].url) for _ in range(2))
    assert has_canary(first, metered[0])
    assert paywall_state(second) == "registration-wall" and not has_canary(second, metered[0])
    office = [Client(REMOTE_ADDR="198.19.0.5").get(metered[0].url) for _ in range(3)]
    assert all(has_canary(r, metered[0]) for r in office)
