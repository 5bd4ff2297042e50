from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "masthead.access"
    label = "access"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masthead.access import paywall_config, signals

        paywall_config.connect_signals()
        signals.connect_signals()
