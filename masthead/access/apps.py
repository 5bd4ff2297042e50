from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "masthead.access"
    label = "access"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core.checks import Tags, register

        from masthead.access import meter_durability, paywall_config, reader_state, signals

        register(meter_durability.deploy_check, Tags.database, deploy=True)
        paywall_config.connect_signals()
        signals.connect_signals()
        reader_state.connect_signals()
