"""Standing pages: the publication's About, Contact, Terms of use, Privacy policy and Corrections.

Free to every reader and never metered: they are plain Wagtail pages, not articles, so the
paywall never sees them. The same for every anonymous reader, so kept like a section page.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from masthead.core.page_cache import mark_public
from masthead.core.site_url import SiteAddressedPage
from masthead.news.blocks import RICH_TEXT_FEATURES, FactBoxBlock, ImageBlock
from masthead.news.expiry import GoneAtExpiry
from masthead.news.routing import SnapshotViewRestrictions


class StandingPageBodyBlock(blocks.StreamBlock):
    """The article body's own text blocks, without the ones only a story needs."""

    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, template="news/blocks/paragraph.html")
    heading = blocks.CharBlock(max_length=160, template="news/blocks/heading.html", icon="title")
    image = ImageBlock()
    fact_box = FactBoxBlock()


class StandardPage(SiteAddressedPage, GoneAtExpiry, SnapshotViewRestrictions, Page):
    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("One or two sentences under the title, e.g. what this page is for."),
    )
    body = StreamField(StandingPageBodyBlock(), blank=True, verbose_name=_("body"))
    last_updated = models.DateField(
        _("last updated"),
        null=True,
        blank=True,
        help_text=_(
            "Shown under the title as 'Last updated …'. Change it when the substance changes "
            "(a new policy, new terms), not for a typo. Empty: the date it was last published."
        ),
    )
    show_in_footer = models.BooleanField(
        _("link from the footer"),
        default=True,
        help_text=_("Listed in the footer of every page, in the order of the page tree."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    promote_panels = Page.promote_panels + [
        MultiFieldPanel([FieldPanel("show_in_footer"), FieldPanel("last_updated")], heading=_("Footer"))
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["news.HomePage"]
    subpage_types: list[str] = []
    template = "pages/standard_page.html"

    class Meta:
        verbose_name = _("standing page")
        verbose_name_plural = _("standing pages")

    @property
    def updated_on(self) -> Any:
        """The date readers see as "Last updated": the editor's, else the last publication."""
        if self.last_updated:
            return self.last_updated
        return self.last_published_at

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The same for every anonymous reader: kept like a section page, dropped on any edit.
        return mark_public(request, super().serve(request, *args, **kwargs))
