"""Entitlements and paywall prompts in the Wagtail admin, next to the meter settings."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from masthead.access.models import Entitlement, PromptText


class EntitlementViewSet(SnippetViewSet):
    model = Entitlement
    icon = "lock-open"
    menu_label = _("Entitlements")
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["user", "kind", "starts_at", "ends_at", "source_ref"]
    list_filter = ["kind"]
    search_fields = ["source_ref", "note"]
    panels = [
        FieldPanel("user"),
        FieldPanel("kind"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
        FieldPanel("source_ref"),
        FieldPanel("note"),
    ]


class PromptTextViewSet(SnippetViewSet):
    model = PromptText
    icon = "comment"
    menu_label = _("Paywall prompts")
    list_display = ["state", "language", "singular"]


register_snippet(EntitlementViewSet)
register_snippet(PromptTextViewSet)
