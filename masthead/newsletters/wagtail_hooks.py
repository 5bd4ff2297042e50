"""Newsletters in the Wagtail admin: one "Newsletters" menu with the newsletters themselves (create,
edit, delete), their issues (compose, preview, test, schedule, send, results) and the suppression
list; and "Send as newsletter issue" on every article's header and listing menu."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button

from masthead.newsletters import admin_views
from masthead.newsletters.models import Newsletter, Suppression


class NewsletterViewSet(ModelViewSet):
    model = Newsletter
    icon = "mail"
    menu_label = pgettext_lazy("newsletter desk", "Newsletters")
    add_to_admin_menu = False
    form_fields = [
        "name",
        "slug",
        "description",
        "audience",
        "schedule",
        "sender_name",
        "sender_email",
        "reply_to",
        "is_active",
        "track_clicks",
        "track_opens",
        "sort_order",
    ]
    list_display = ["name", "audience", "schedule", "is_active"]
    url_prefix = "newsletters/all"


class SuppressionViewSet(ModelViewSet):
    model = Suppression
    icon = "warning"
    menu_label = _("Suppression list")
    add_to_admin_menu = False
    form_fields = ["email", "reason", "detail"]
    list_display = ["email", "reason", "created_at"]
    search_fields = ["email"]
    url_prefix = "newsletters/suppressed"


class IssueMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return admin_views.may_compose(request.user) or admin_views.may_send(request.user)


class IssueViewSet(ViewSet):
    name = "newsletter_issues"
    url_prefix = "newsletters/issues"
    icon = "doc-full"
    menu_label = pgettext_lazy("newsletter desk", "Issues")
    menu_item_class = IssueMenuItem

    def get_urlpatterns(self) -> list[Any]:
        return [
            path("", admin_views.issue_index, name="index"),
            path("new/", admin_views.issue_create, name="create"),
            path("<int:pk>/", admin_views.issue_detail, name="detail"),
            path("<int:pk>/edit/", admin_views.issue_edit, name="edit"),
            path("<int:pk>/preview/", admin_views.issue_preview, name="preview"),
            path("<int:pk>/progress/", admin_views.issue_progress, name="progress"),
            path("<int:pk>/<slug:action>/", admin_views.issue_action, name="action"),
        ]


class NewslettersGroup(ViewSetGroup):
    menu_label = pgettext_lazy("newsletter desk", "Newsletters")
    menu_icon = "mail"
    menu_order = 250
    items = (
        IssueViewSet,
        NewsletterViewSet("newsletters_admin"),
        SuppressionViewSet("newsletter_suppressions"),
    )


@hooks.register("register_admin_viewset")
def register_newsletters() -> ViewSetGroup:
    return NewslettersGroup()


@hooks.register("register_permissions")
def send_permission() -> Any:
    from django.contrib.auth.models import Permission

    admin_views.ensure_send_permission()
    return Permission.objects.filter(content_type__app_label="newsletters")


def _send_button(page: Any, user: Any, priority: int) -> Iterator[Button]:
    from masthead.news.models import ArticlePage

    if isinstance(page.specific_deferred, ArticlePage) and admin_views.may_compose(user):
        yield Button(
            _("Send as newsletter issue"),
            reverse("newsletter_issues:create") + f"?article={page.pk}",
            icon_name="mail",
            priority=priority,
            attrs={"data-send-as-issue": page.pk},
        )


@hooks.register("register_page_header_buttons")
def send_as_issue_header_button(page: Any, user: Any, view_name: str, next_url: str | None = None) -> Any:
    yield from _send_button(page, user, priority=45)


@hooks.register("register_page_listing_more_buttons")
def send_as_issue_listing_button(page: Any, user: Any, next_url: str | None = None) -> Any:
    yield from _send_button(page, user, priority=45)
