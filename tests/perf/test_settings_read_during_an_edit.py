"""A reader's request that read the paywall settings just before an edit committed, and kept its
copy in the shared cache only after the edit had dropped it, must not hand the old settings to
the readers that come after. Outside a test transaction, as a server runs."""

from __future__ import annotations

import pytest
from django.db import transaction

from masthead.access import paywall_config as config_module
from masthead.access.models import MeterSettings
from masthead.access.paywall_config import paywall_config
from masthead.core.generation import ProcessCache, current_generation
from tests.builders import make_publication

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_copy_kept_late_by_a_request_that_read_before_the_commit_is_not_served(wagtail_roots, monkeypatch):
    make_publication(("Politics",))
    old = paywall_config(request=None)
    meter = MeterSettings.objects.first() or MeterSettings.for_site(None)

    def the_other_workers_request() -> None:
        # Another worker: it read the generation the edit started before its commit, and the old
        # settings (the edit was not committed yet when it read them); its write to the shared
        # cache lands after every delete and generation change the commit made.
        with monkeypatch.context() as other:
            other.setattr(ProcessCache, "instances", [])
            other.setattr(config_module, "current_generation", lambda request=None: seen_generation)
            other.setattr(config_module, "_in_worker", ProcessCache(size=8))
            other.setattr(config_module, "_load", lambda site: old)
            assert paywall_config(request=None).teaser_blocks == old.teaser_blocks

    with transaction.atomic():
        meter.teaser_blocks = old.teaser_blocks + 2
        meter.save()
        seen_generation = current_generation()
        transaction.on_commit(the_other_workers_request)

    assert paywall_config(request=None).teaser_blocks == old.teaser_blocks + 2
    # and in a worker that kept nothing of its own
    monkeypatch.setattr(config_module, "_in_worker", ProcessCache(size=8))
    assert paywall_config(request=None).teaser_blocks == old.teaser_blocks + 2
