from django.apps import AppConfig


class SponsoredConfig(AppConfig):
    name = "masthead.sponsored"
    label = "sponsored"
    default_auto_field = "django.db.models.BigAutoField"
