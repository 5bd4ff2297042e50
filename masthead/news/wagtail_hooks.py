"""The newsroom's admin: tell the editor when a new story took the next free address."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.models import Page

from masthead.news.editor import ADDRESS_TAKEN_MESSAGE, AddressTaken


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def say_the_address_was_taken(request: HttpRequest, page: Page) -> None:
    taken: AddressTaken | None = getattr(page, "_address_taken", None)
    # An autosave answers in JSON and its editor stays on the page: the new address reaches the
    # form's field there, and the story's editor names the other article (SameHeadlinePanel).
    # A message kept for later would surface on some unrelated page.
    if taken is None or not request.accepts("text/html"):
        return
    parent = page.get_parent()
    messages.warning(
        request,
        ADDRESS_TAKEN_MESSAGE
        % {
            "asked": taken.asked,
            "given": taken.given,
            "holder": taken.holder.get_admin_display_title(),
            "section": parent.get_admin_display_title() if parent else "",
        },
        buttons=[
            messages.button(
                reverse("wagtailadmin_pages:edit", args=[taken.holder.pk]),
                _("Open “%(title)s”") % {"title": taken.holder.get_admin_display_title()},
                new_window=False,
            )
        ],
    )
