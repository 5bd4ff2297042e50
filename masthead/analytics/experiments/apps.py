from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExperimentsConfig(AppConfig):
    name = "masthead.analytics.experiments"
    label = "experiments"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Experiments")
