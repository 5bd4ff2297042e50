"""Paywall experiments in the Wagtail admin: a snippet (history kept by Wagtail: who created and
edited it, who started, stopped and rolled it out) and its results page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from masthead.analytics.experiments import admin_views
from masthead.analytics.experiments.models import Experiment


class ExperimentViewSet(SnippetViewSet):
    model = Experiment
    icon = "pick"
    menu_label = _("Experiments")
    add_to_admin_menu = True
    menu_order = 260
    list_display = ["name", "slug", "status", "primary_metric", "started_at", "stopped_at", "winner"]
    list_filter = ["status"]
    search_fields = ["name", "slug"]


register_snippet(ExperimentViewSet)


@hooks.register("register_admin_urls")
def experiment_urls() -> list[Any]:
    return [
        path("experiments/<int:pk>/results/", admin_views.results, name="experiment_results"),
        path("experiments/<int:pk>/<slug:name>/", admin_views.action, name="experiment_action"),
    ]


@hooks.register("register_snippet_listing_buttons")
def results_button(snippet: Any, user: Any, next_url: str | None = None) -> Iterator[ListingButton]:
    if isinstance(snippet, Experiment) and admin_views.may_view(user):
        yield ListingButton(
            _("Results"),
            reverse("experiment_results", args=[snippet.pk]),
            icon_name="table",
            priority=5,
        )


@hooks.register("register_log_actions")
def experiment_log_actions(actions: Any) -> None:
    actions.register_action("experiments.start", _("Start experiment"), _("Experiment started"))
    actions.register_action("experiments.stop", _("Stop experiment"), _("Experiment stopped"))
    actions.register_action("experiments.roll_out", _("Roll out variant"), _("Winning variant rolled out"))
