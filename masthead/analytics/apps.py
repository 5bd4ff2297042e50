"""First-party reader-revenue analytics: what the server decided, and what it led to."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "masthead.analytics"
    label = "analytics"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from masthead.analytics import receivers  # noqa: F401  (signal receivers)
        from masthead.analytics.jobs import register_jobs

        register_jobs()
