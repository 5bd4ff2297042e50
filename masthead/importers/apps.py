from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportersConfig(AppConfig):
    name = "masthead.importers"
    label = "importers"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Imports")
