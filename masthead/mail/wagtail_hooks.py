"""The "Outbox" menu item: in demo mode, staff read the e-mail the site kept instead of sending."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from masthead.mail.outbox_admin import may_read_outbox, outbox_index, outbox_message


class OutboxMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return may_read_outbox(request)


@hooks.register("register_admin_urls")
def outbox_urls() -> list[Any]:
    urls = [
        path("", outbox_index, name="index"),
        path("<int:pk>/", outbox_message, name="message"),
    ]
    return [path("outbox/", include((urls, "mail_outbox"), namespace="mail_outbox"))]


@hooks.register("register_admin_menu_item")
def outbox_menu_item() -> MenuItem:
    return OutboxMenuItem(_("Outbox"), reverse("mail_outbox:index"), icon_name="mail", order=9000)
