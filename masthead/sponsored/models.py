"""Sponsors pay for clearly labelled content; sponsored articles are always free to read."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet


@register_snippet
class Sponsor(models.Model):
    name = models.CharField(_("name"), max_length=120)
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    url = models.URLField(_("link"), blank=True)
    disclosure = models.TextField(
        _("disclosure"),
        help_text=_("Shown under 'About sponsored content' on every article this sponsor pays for."),
    )

    panels = [FieldPanel("name"), FieldPanel("logo"), FieldPanel("url"), FieldPanel("disclosure")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("sponsor")

    def __str__(self) -> str:
        return self.name
