"""The paywall settings kept per worker: a change in the admin is applied at once, here and in
other workers. Outside a test transaction, as a server runs."""

from __future__ import annotations

import pytest

from masthead.access.models import MeterSettings
from masthead.access.paywall_config import paywall_config
from masthead.core.generation import ProcessCache
from tests.builders import make_publication

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("edited_in", ["this worker", "another worker"])
def test_a_new_free_allowance_applies_at_once(wagtail_roots, monkeypatch, edited_in):
    make_publication(("Politics",))
    before = paywall_config(request=None).anonymous_limit
    assert paywall_config(request=None).anonymous_limit == before  # now kept in this worker

    meter = MeterSettings.objects.first() or MeterSettings.for_site(None)
    with monkeypatch.context() as edit:
        if edited_in == "another worker":
            # Only the shared cache and generation change: this worker's copy is not cleared.
            edit.setattr(ProcessCache, "instances", [])
        meter.anonymous_limit = before + 3
        meter.save()

    assert paywall_config(request=None).anonymous_limit == before + 3
