from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "masthead.search"
    label = "site_search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.apps import apps

        from masthead.search.reindex import reindex_after_upgrade

        # After the whole migrate run, when today's models match the schema (see reindex). Django
        # sends post_migrate only for apps with models, so listen for the articles' own app: once.
        news = apps.get_app_config("news")
        post_migrate.connect(reindex_after_upgrade, sender=news, dispatch_uid="site_search.reindex")
