"""The paywall's settings as one plain snapshot, cached so an article view does not pay a query
for each of them. Saving any of them in the admin drops the cached snapshot; the short lifetime
covers processes that keep their own local-memory cache.

Each worker also keeps its own copy for the current site-wide generation
(`masthead.core.generation`), so an article view reads no cache key for it beyond the generation
number the request reads anyway; saving any of the settings starts a new generation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from wagtail.models import Site

from masthead.core.generation import ProcessCache, current_generation, new_generation, now_and_after_commit

CACHE_SECONDS = 60
_CACHE_PREFIX = "masthead:paywall-config:v2:"

_in_worker: ProcessCache = ProcessCache(size=8)


@dataclass(frozen=True)
class PaywallConfig:
    publication: str
    time_zone: str
    period: str
    rolling_days: int
    anonymous_limit: int
    registered_limit: int
    teaser_blocks: int
    # New anonymous readers one address may start per day (0: no cap), and networks never capped.
    new_readers_per_address: int = 50
    new_reader_exempt_networks: tuple[str, ...] = ()
    # (state, language) -> (singular, plural)
    prompt_texts: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


def paywall_config(*, request: HttpRequest | None) -> PaywallConfig:
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    key = f"{_CACHE_PREFIX}{site.pk if site else 0}"
    generation = current_generation(request)
    return _in_worker.get_or_load(key, generation=generation, load=lambda: _shared(key, generation, site))


def _shared(key: str, generation: int, site: Site | None) -> PaywallConfig:
    # The shared copy is kept under the generation it was read in. A request that read the old
    # settings just before an edit committed may write its copy after the edit's deletes; under
    # its own generation nobody reads it again, since the commit starts the next one.
    key = f"{key}:g{generation}"
    config: PaywallConfig | None = cache.get(key)
    if config is None:
        config = _load(site)
        cache.set(key, config, CACHE_SECONDS)
    return config


def _load(site: Site | None) -> PaywallConfig:
    from masthead.access.models import MeterSettings, PromptText
    from masthead.core.models import PublicationSettings

    texts = {(p.state, p.language): (p.singular, p.plural) for p in PromptText.objects.all()}
    if site is None:
        meter, publication = MeterSettings(), PublicationSettings()
    else:
        meter, publication = MeterSettings.for_site(site), PublicationSettings.for_site(site)
    return PaywallConfig(
        publication=publication.name,
        time_zone=publication.time_zone,
        period=meter.period,
        rolling_days=meter.rolling_days,
        anonymous_limit=meter.anonymous_limit,
        registered_limit=meter.registered_limit,
        teaser_blocks=meter.teaser_blocks,
        new_readers_per_address=meter.new_readers_per_address,
        new_reader_exempt_networks=tuple(meter.new_reader_exempt_networks.splitlines()),
        prompt_texts=texts,
    )


def forget_paywall_config(**kwargs: Any) -> None:
    from masthead.access.models import PromptText

    keys = [f"{_CACHE_PREFIX}{pk}" for pk in Site.objects.values_list("pk", flat=True)]
    # Again after commit: a request between the delete and the commit would put the old copy back.
    now_and_after_commit(lambda: cache.delete_many([*keys, f"{_CACHE_PREFIX}0"]))
    # After the shared copy is gone: every worker's own copy belongs to the old generation. A site
    # setting created by `for_site` on first read holds only the defaults already in use, and a
    # new generation there would drop every worker's kept pages for nothing.
    created_by_first_read = kwargs.get("created") and kwargs.get("sender") is not PromptText
    if not created_by_first_read:
        new_generation()


def connect_signals() -> None:
    from masthead.access.models import MeterSettings, PromptText
    from masthead.core.models import PublicationSettings

    for model in (MeterSettings, PromptText, PublicationSettings):
        post_save.connect(
            forget_paywall_config, sender=model, dispatch_uid=f"paywall-config-{model.__name__}"
        )
        post_delete.connect(
            forget_paywall_config, sender=model, dispatch_uid=f"paywall-config-del-{model.__name__}"
        )
