"""Publication-wide settings editors change in the Wagtail admin."""

from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("Unknown time zone: %(tz)s"), params={"tz": value}) from exc


@register_setting(icon="site")
class PublicationSettings(BaseSiteSetting):
    name = models.CharField(_("publication name"), max_length=120, default="The Meridian Ledger")
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="America/New_York",
        validators=[validate_time_zone],
        help_text=_("Dates, offer end times and the monthly meter follow this zone."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    postal_address = models.TextField(
        _("postal address"),
        blank=True,
        help_text=_("The publisher's physical address, printed at the foot of every newsletter."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("tagline"),
        FieldPanel("time_zone"),
        FieldPanel("logo"),
        FieldPanel("postal_address"),
    ]

    class Meta:
        verbose_name = _("publication")

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class SharedCacheEntry(models.Model):
    """The table behind `masthead.core.shared_cache` (Django's cache layout), made by migrate.

    A model rather than `createcachetable`, so every install has it whatever its cache settings
    were when it migrated: a site that drops Redis later still finds the table.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "masthead_shared_cache"
        verbose_name = _("shared cache entry")

    def __str__(self) -> str:
        return self.cache_key
