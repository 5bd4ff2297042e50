"""Reports → Scheduled work, for superusers and staff allowed to view scheduled jobs."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from masthead.schedule.views import may_view, scheduled_work


class ScheduledWorkMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return may_view(request)


@hooks.register("register_admin_urls")
def scheduled_work_urls() -> list[Any]:
    return [path("reports/scheduled-work/", scheduled_work, name="scheduled_work")]


@hooks.register("register_reports_menu_item")
def scheduled_work_menu_item() -> MenuItem:
    return ScheduledWorkMenuItem(_("Scheduled work"), reverse("scheduled_work"), icon_name="time", order=900)
