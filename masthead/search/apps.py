from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "masthead.search"
    label = "site_search"
    default_auto_field = "django.db.models.BigAutoField"
