from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "masthead.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masthead.accounts import session_user, signals  # noqa: F401 - connects the receivers

        session_user.connect_signals()
