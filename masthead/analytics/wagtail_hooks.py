"""The "Analytics" dashboard in the Wagtail admin menu, for staff with the "view analytics" permission."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from masthead.analytics import views


@hooks.register("register_admin_urls")
def analytics_urls() -> list[Any]:
    return [
        path("analytics/", views.dashboard, name="analytics_dashboard"),
        path("analytics/funnel.json", views.funnel_json, name="analytics_funnel_json"),
        path("analytics/csv/<slug:table>.csv", views.csv_download, name="analytics_csv"),
    ]


class AnalyticsMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return views.may_view(request.user)


@hooks.register("register_admin_menu_item")
def analytics_menu_item() -> MenuItem:
    return AnalyticsMenuItem(_("Analytics"), reverse("analytics_dashboard"), icon_name="order", order=250)
