from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewslettersConfig(AppConfig):
    name = "masthead.newsletters"
    label = "newsletters"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Newsletters")

    def ready(self) -> None:
        # anymail's tracking signal → DeliveryEvent / Suppression (webhooks.py).
        from masthead.newsletters import webhooks  # noqa: F401
