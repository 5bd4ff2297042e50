"""An "Imports" item in the Wagtail admin's Settings menu (the imports desk)."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from masthead.importers import admin_views


class ImportsMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return admin_views.may_import(request.user)


@hooks.register("register_admin_urls")
def register_import_urls() -> list[Any]:
    from django.urls import include

    urls = [
        path("", admin_views.index, name="index"),
        path("<int:pk>/", admin_views.detail, name="detail"),
        path("<int:pk>/progress/", admin_views.progress, name="progress"),
        path("<int:pk>/confirm/", admin_views.confirm, name="confirm"),
    ]
    return [path("imports/", include((urls, "importers"), namespace="importers"))]


@hooks.register("register_settings_menu_item")
def register_imports_menu_item() -> MenuItem:
    return ImportsMenuItem(_("Imports"), reverse("importers:index"), icon_name="download", order=900)
